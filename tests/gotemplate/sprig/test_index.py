"""The lazy sprig function map: its name index matches the family modules, and it imports a
family only when one of its functions is looked up."""

from __future__ import annotations

import importlib
import subprocess
import sys

from mittnite.gotemplate.sprig import FUNCS, LazyFuncMap, family_modules
from mittnite.gotemplate.sprig._index import FAMILIES


def declared_families() -> dict[str, tuple[str, ...]]:
    """What the modules declare, in the index's layout."""
    declared = {}
    for family in family_modules():
        module = importlib.import_module(f"mittnite.gotemplate.sprig.{family}")
        names = sorted(set(getattr(module, "FUNCS", {})) - {"env"})
        if names:
            declared[family] = tuple(names)
    return declared


def test_index_matches_the_family_modules() -> None:
    declared = declared_families()
    assert {f: tuple(sorted(n)) for f, n in FAMILIES.items()} == declared, (
        "update src/mittnite/gotemplate/sprig/_index.py to:\n" + repr(declared)
    )


def test_every_name_resolves_to_its_family_function() -> None:
    for family, names in FAMILIES.items():
        module = importlib.import_module(f"mittnite.gotemplate.sprig.{family}")
        for name in names:
            assert FUNCS[name] is module.FUNCS[name]


def test_env_is_removed_and_unknown_names_are_missing() -> None:
    lazy = LazyFuncMap({"strings": ("upper", "env")})
    assert "env" not in lazy and "nope" not in lazy
    assert lazy.get("nope") is None and list(lazy) == ["upper"] and len(lazy) == 1


def test_a_template_imports_only_the_families_it_uses() -> None:
    code = (
        "import sys\n"
        "from mittnite.gotemplate import parse\n"
        "from mittnite.gotemplate.sprig import FUNCS\n"
        "t = parse('t', '{{ upper \"x\" }}{{ if false }}{{ now }}{{ end }}', FUNCS)\n"
        "print(t.render(None))\n"
        "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules\n"
        "             if m.startswith('mittnite.gotemplate.sprig.') and '._' not in m))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["X", "['strings']"]
