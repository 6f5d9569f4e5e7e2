"""sprig's base64/base32 and checksum functions against Go's recorded answers.

``data/sprig_encoding.json`` (from ``data/gen_sprig_strings.py``) holds
templates rendered by Go with sprig: Go's decoders are strict about padding
and report the offset of the first bad byte, and sprig returns that error
text as the decoded value, so the cases include many malformed inputs.
``sha512sum`` (sprig 3.3.0 only) was recorded from Go's ``crypto/sha512``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mittnite.gotemplate.sprig import encoding
from mittnite.gotemplate.sprig.encoding import b32dec, b32enc, b64dec, b64enc

from .cases import funcs, load
from .test_strings import case_ids, check_case

DATA = load("sprig_encoding.json")


@pytest.mark.parametrize("case", DATA["cases"], ids=case_ids(DATA))
def test_matches_go(case: dict[str, Any]) -> None:
    check_case(DATA, case)


def test_cases_cover_every_function() -> None:
    names = sorted(encoding.FUNCS)
    text = " ".join(case["template"] for case in DATA["cases"])
    assert [name for name in names if f"{name} " not in text] == []


def test_every_encoding_function_is_registered() -> None:
    registry = funcs()
    for name, function in encoding.FUNCS.items():
        assert registry[name] is function


text_with_bytes = st.binary(max_size=40).map(lambda data: data.decode("utf-8", "surrogateescape"))


@given(text_with_bytes)
def test_base64_round_trips_any_bytes(text: str) -> None:
    assert b64dec(b64enc(text)) == text


@given(text_with_bytes)
def test_base32_round_trips_any_bytes(text: str) -> None:
    assert b32dec(b32enc(text)) == text


@given(text_with_bytes)
def test_decoders_ignore_line_breaks(text: str) -> None:
    encoded = b64enc(text)
    wrapped = "\r\n".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))
    assert b64dec(wrapped) == text
    encoded = b32enc(text)
    wrapped = "\n".join(encoded[i : i + 8] for i in range(0, len(encoded), 8))
    assert b32dec(wrapped) == text


@given(st.text(alphabet="ABCab01+/=\n!", max_size=16))
def test_b64dec_answers_data_or_go_error_text(text: str) -> None:
    out = b64dec(text)
    if out.startswith("illegal base64 data at input byte "):
        offset = int(out.rpartition(" ")[2])
        assert 0 <= offset <= len(text)
