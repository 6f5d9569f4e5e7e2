"""sprig's dict functions (and deepCopy) against Go's recorded answers.

``data/sprig_dicts.json`` covers ``dict``/``get``/``set``/``unset``/``hasKey``/``pluck``/
``keys``/``values``/``pick``/``omit``/``dig``, the mutation and aliasing a template can
observe, and ``merge``/``mergeOverwrite`` (mergo's rules) on hand-picked and 300 seeded random
nested maps.
"""

from __future__ import annotations

from typing import Any

import pytest

from mittnite.gotemplate.errors import GoPanic
from mittnite.gotemplate.sprig._collections import SpareSlice
from mittnite.gotemplate.sprig.dicts import deep_copy, merge_into, nil_map
from mittnite.gotemplate.values import TypedMap, map_of, new_struct

from .cases import check, load, render

DATA = load("sprig_dicts.json")


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["template"][:70] for c in DATA["cases"]])
def test_matches_go(case: dict[str, Any]) -> None:
    check(case, DATA)


def test_cases_cover_every_dict_function() -> None:
    text_names = (
        "dict get set unset hasKey pluck keys values pick omit dig merge mergeOverwrite "
        "mustMerge mustMergeOverwrite deepCopy mustDeepCopy"
    )
    names = text_names.split()
    text = " ".join(case["template"] for case in DATA["cases"])
    assert [name for name in names if f"{name} " not in text] == []


def test_merge_into_typed_map_refuses_interface_values() -> None:
    target = {"env": map_of("string", "string", {"HOME": "/root"})}
    with pytest.raises(
        GoPanic, match=r"value of type interface \{\} is not assignable to type string"
    ):
        merge_into(target, {"env": {"NEW": "x"}}, overwrite=False)


def test_deep_copy_keeps_go_shape() -> None:
    original: dict[str, Any] = {
        "l": SpareSlice([1], [None]),
        "n": nil_map(),
        "m": map_of("string", "string", {"a": "b"}),
        "s": new_struct("x.S", {"A": [1], "b": "hidden"}),
    }
    copied = deep_copy(original)
    assert copied is not original
    assert isinstance(copied["l"], SpareSlice) and copied["l"].spare == [None]
    assert isinstance(copied["n"], TypedMap) and copied["n"].is_nil
    assert isinstance(copied["m"], TypedMap) and copied["m"].go_type.name == "map[string]string"
    assert copied["m"] == {"a": "b"}
    assert copied["s"].go_fields == {"A": [1], "b": ""}  # unexported fields are not copied
    assert copied["s"].go_fields["A"] is not original["s"].go_fields["A"]
    cyclic: dict[str, Any] = {}
    cyclic["self"] = cyclic
    copy_of_cycle = deep_copy(cyclic)
    assert copy_of_cycle["self"] is copy_of_cycle


def test_deep_copy_of_semver_is_a_zero_version() -> None:
    """copystructure copies exported fields only; semver.Version has none, so Go's
    ``deepCopy (semver "1.2.3")`` prints ``0.0.0``."""
    output, error = render('{{ deepCopy (semver "1.2.3") }}', {}, None)
    assert (output, error) == ("0.0.0", None)
