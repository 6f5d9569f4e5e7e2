"""Arbitrary input never crashes the configuration reader, and never hangs.

Whatever bytes end up in /etc/mittnite.d, the result is either a model or a
ConfigError-style HclError with a position - never another exception.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mittnite.config.hcl import Decoder, HclError, parse_any
from mittnite.config.schema import IGNITION

from ..fuzz_scale import fuzz_settings

WORDS = [
    "job",
    "probe",
    "file",
    "boot",
    "EOF",
    "params",
    "watch",
    "true",
    "false",
    "<<EOF\n",
    "<<-EOF\n",
    "command",
    "args",
    "lazy",
    "listen",
    "maxAttempts",
    "\\u00e9",
    "\\x41",
    "${",
    "redis",
    "host",
    "port",
    " = ",
]
HCL_ALPHABET = st.sampled_from([*'{}[]=,."\\\n\t #/*<-+:$0123456789xeE', *WORDS])

TOKENS = st.lists(HCL_ALPHABET, max_size=60).map("".join)


def _read(text: str) -> None:
    try:
        tree = parse_any(text)
        decoder = Decoder()
        decoder.decode_document(tree, IGNITION)
        for error in decoder.errors:
            assert error.pos.line >= 1 and error.pos.column >= 1
    except HclError as exc:
        assert exc.pos.line >= 1 and exc.pos.column >= 1
        assert str(exc)


@fuzz_settings(600)
@given(TOKENS)
def test_token_soup(text: str) -> None:
    _read(text)


@fuzz_settings(300)
@given(st.text(max_size=200))
def test_arbitrary_text(text: str) -> None:
    _read(text)


@fuzz_settings(200)
@given(st.text(max_size=120))
def test_arbitrary_json_like(text: str) -> None:
    _read("{" + text)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    text = "a = " + "[" * 5000 + "]" * 5000
    _read(text)
    _read('job "x" ' + "{ a " * 3000 + "}" * 3000)
