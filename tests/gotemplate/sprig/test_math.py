"""sprig's math and conversion functions against Go's recorded answers, plus properties.

``data/sprig_math.json`` (recorded by ``data/gen_sprig_values.py``) holds
hand-picked templates and random ones: every integer and float function with
ints, floats, numeric and non-numeric strings, bools, nil, missing values and
params, the int64 wrap-around, Go's ``strconv`` corner cases that ``cast``
inherits, the decimal arithmetic of the ``*f`` functions, sprig's ``round``,
and the panics (``div 1 0``). Go's output is compared byte for byte.
"""

from __future__ import annotations

import struct
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mittnite.gotemplate.sprig import math as sprig_math

from .cases import check, load, render

DATA = load("sprig_math.json")


def _render(template: str) -> tuple[str, str | None]:
    return render(template, {}, None)


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["template"][:70] for c in DATA["cases"]])
def test_matches_go(case: dict[str, Any]) -> None:
    check(case, DATA)


def test_cases_cover_every_math_function() -> None:
    listed = (
        "add add1 sub div mod mul max min biggest floor ceil round addf add1f subf divf mulf maxf "
        "minf atoi int int64 float64 toDecimal seq until untilStep randInt"
    )
    names = listed.split()
    text = " ".join(case["template"] for case in DATA["cases"])
    assert [name for name in names if f"{{{{ {name} " not in text and f"({name} " not in text] == []


def test_every_math_function_is_registered() -> None:
    from mittnite.gotemplate.sprig import FUNCS

    for name, fn in sprig_math.FUNCS.items():
        assert FUNCS[name] is fn


@given(st.integers(min_value=-(2**70), max_value=2**70), st.integers(-(2**70), 2**70))
def test_int64_arithmetic_wraps_like_go(a: int, b: int) -> None:
    wrapped = sprig_math.wrap_int64(a + b)
    assert -(2**63) <= wrapped < 2**63
    assert (wrapped - (a + b)) % 2**64 == 0


def test_cast_helpers_follow_go() -> None:
    assert sprig_math.float_to_int64(float("nan")) == -(2**63)
    assert sprig_math.to_int("7.00") == 7


def test_pow10_is_go_bit_for_bit() -> None:
    """``round`` scales by ``math.Pow(10, n)``, which Go computes by repeated squaring:
    598 of the 801 recorded powers differ from a correctly rounded ``10.0 ** n``."""
    table = load("sprig_math_pow10.json")["pow10_bits"]
    for exponent, bits in table.items():
        value = sprig_math.go_pow10(int(exponent))
        assert struct.unpack("<Q", struct.pack("<d", value))[0] == int(bits, 16), exponent


@given(st.integers(min_value=-50, max_value=50), st.integers(min_value=1, max_value=50))
def test_div_and_mod_truncate_toward_zero(a: int, b: int) -> None:
    for divisor in (b, -b):
        output, error = _render(f"{{{{ div {a} {divisor} }}}} {{{{ mod {a} {divisor} }}}}")
        assert error is None
        quotient, remainder = (int(part) for part in output.split())
        assert quotient == int(a / divisor)
        assert quotient * divisor + remainder == a


def test_results_have_go_types() -> None:
    output, error = _render(
        '{{ printf "%T %T %T %T %T %T" (add 1) (atoi "3") (addf 1) (until 2) (seq 2) (randInt 1 2) }}'
    )
    assert error is None
    assert output == "int64 int float64 []int string int"


def test_rand_int_stays_in_range() -> None:
    output, error = _render("{{ range until 200 }}{{ randInt -3 4 }} {{ end }}")
    assert error is None
    values = {int(part) for part in output.split()}
    assert values <= set(range(-3, 4))
    assert len(values) > 1
