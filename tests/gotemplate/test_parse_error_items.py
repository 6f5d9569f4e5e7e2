"""How a parse error names the unexpected item: Go cuts it when its *bytes* exceed ten.

``item.String()`` in text/template/parse compares ``len(i.val)`` (bytes) with 10 but then
formats ``%.10q``, which keeps ten *runes*. So a short token with multibyte characters is
shown whole and still gets ``...``. Expected texts were recorded from ``tplref``.
"""

from __future__ import annotations

import pytest

from mittnite.gotemplate.errors import TemplateError
from mittnite.gotemplate.exec import parse
from mittnite.gotemplate.sprig import FUNCS


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ('{{ printf "a""ǈubljana" }}', 'unexpected "\\"ǈubljana\\""... in operand'),
        ('{{ printf "a""äbcdefgh" }}', 'unexpected "\\"äbcdefgh\\""... in operand'),
        ('{{ printf "a"`€€€` }}', 'unexpected "`€€€`"... in operand'),
        ('{{ printf "a""abcdefgh" }}', 'unexpected "\\"abcdefgh\\"" in operand'),
        ('{{ printf "a""abcdefghi" }}', 'unexpected "\\"abcdefghi"... in operand'),
    ],
)
def test_unexpected_item_is_cut_like_go(template: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse("x.tpl", template, FUNCS)
    assert str(caught.value) == f"template: x.tpl:1: {message}"
