"""sprig's dictionary functions: ``dict``, ``get``, ``set``, ``unset``, ``hasKey``, ``pluck``,
``keys``, ``values``, ``pick``, ``omit``, ``dig``, ``merge``, ``mergeOverwrite`` and
``deepCopy``.

Dictionaries are Go ``map[string]interface {}`` values, i.e. shared references: ``set``,
``unset`` and ``merge`` change the map they are given (templates rely on
``{{ $_ := set $d "k" "v" }}``). The parameters are typed, so the engine refuses ``.Env`` (a
``map[string]string``) with Go's message; a nil or missing map arrives as a nil ``TypedMap``.

Go iterates maps in random order; ``keys`` and ``values`` list them in sorted key order, one of
the orders Go may produce.

``merge``/``mergeOverwrite`` reproduce the ``mergo`` library's map merging as sprig calls it
(see :func:`merge_into`), including its asymmetries: nested maps merge recursively and in
place, a map or slice never replaces a non-empty value unless overwriting, and
``mergeOverwrite`` also copies zero values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mittnite.gotemplate.errors import GoPanic
from mittnite.gotemplate.funcs import FuncMap, GoFunc
from mittnite.gotemplate.values import (
    MAP_STRING_ANY,
    GoStruct,
    TypedMap,
    TypedSlice,
    go_bytes,
    go_kind,
    go_type,
    go_type_name,
    type_of,
    zero_value,
)

from ._collections import SpareSlice, appended, strval, with_capacity

__all__ = ["FUNCS", "deep_copy", "is_nil_map", "merge_into", "nil_map"]

ANY = "interface {}"
MAP = "map[string]interface {}"


def nil_map() -> TypedMap:
    """A nil ``map[string]interface {}``: reads as empty, prints ``map[]``, is JSON ``null``."""
    return TypedMap((), MAP_STRING_ANY, is_nil=True)


def is_nil_map(value: Any) -> bool:
    return value is None or bool(getattr(value, "is_nil", False))


def _sorted_keys(mapping: dict[str, Any]) -> list[str]:
    return sorted(mapping, key=go_bytes)


def _dict(*pairs: Any) -> dict[str, Any]:
    """A map from alternating keys and values; keys are stringified, a lone last key maps to ``""``."""
    result: dict[str, Any] = {}
    for index in range(0, len(pairs), 2):
        key = strval(pairs[index])
        result[key] = pairs[index + 1] if index + 1 < len(pairs) else ""
    return result


def _get(mapping: dict[str, Any], key: str) -> Any:
    """The value under ``key``, or ``""`` when it is absent."""
    if key in mapping:
        return mapping[key]
    return ""


def _set(mapping: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """Store ``value`` under ``key`` in the map itself and return the map."""
    if is_nil_map(mapping):
        raise GoPanic("assignment to entry in nil map")
    mapping[key] = value
    return mapping


def _unset(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    """Remove ``key`` from the map itself and return the map (a nil map stays nil)."""
    if not is_nil_map(mapping):
        mapping.pop(key, None)
    return mapping


def _has_key(mapping: dict[str, Any], key: str) -> bool:
    return key in mapping


def _pluck(key: str, *mappings: dict[str, Any]) -> list[Any]:
    """The values under ``key`` of the maps that have it, in argument order."""
    return appended([mapping[key] for mapping in mappings if key in mapping])


def _keys(*mappings: dict[str, Any]) -> list[Any]:
    """All keys of all maps (``[]string``; duplicates across maps are kept)."""
    names = [key for mapping in mappings for key in _sorted_keys(mapping)]
    return appended(names, "string")


def _values(mapping: dict[str, Any]) -> list[Any]:
    """The map's values (in key order)."""
    return appended([mapping[key] for key in _sorted_keys(mapping)])


def _pick(mapping: dict[str, Any], *names: str) -> dict[str, Any]:
    """A new map with only the given keys (those present)."""
    return {name: mapping[name] for name in names if name in mapping}


def _omit(mapping: dict[str, Any], *names: str) -> dict[str, Any]:
    """A new map without the given keys."""
    dropped = set(names)
    return {key: value for key, value in mapping.items() if key not in dropped}


def _assert_type(value: Any, wanted: str) -> None:
    """Go's ``value.(T)`` on an ``interface {}``: panic unless the dynamic type is ``wanted``."""
    actual = "nil" if value is None else go_type_name(value)
    if actual != wanted:
        raise GoPanic(f"interface conversion: interface {{}} is {actual}, not {wanted}")


def _dig(*args: Any) -> Any:
    """Follow a path of keys through nested maps: ``dig "a" "b" DEFAULT MAP``."""
    if len(args) < 3:
        raise GoPanic("dig needs at least three arguments")
    mapping = args[-1]
    _assert_type(mapping, MAP)
    fallback = args[-2]
    path = args[:-2]
    for name in path:
        _assert_type(name, "string")
    for depth, name in enumerate(path):
        if name not in mapping:
            return fallback
        step = mapping[name]
        if depth == len(path) - 1:
            return step
        _assert_type(step, MAP)
        mapping = step
    return fallback  # not reached: the path is never empty


# -- merging ----------------------------------------------------------------------------------


def _value_type(mapping: dict[str, Any]) -> str:
    if isinstance(mapping, TypedMap) and mapping.go_type.elem is not None:
        return mapping.go_type.elem.name
    return ANY


def _kind_of_type(type_name: str) -> str:
    """The reflect kind of a Go type given by name."""
    return go_type(type_name).kind


def _store(mapping: dict[str, Any], key: str, value: Any, static_type: str) -> None:
    """``reflect.Value.SetMapIndex``: the value's static type must fit the map's element type."""
    element_type = _value_type(mapping)
    if element_type != ANY and static_type != element_type:
        raise GoPanic(
            "reflect.Value.SetMapIndex: value of type "
            f"{static_type} is not assignable to type {element_type}"
        )
    mapping[key] = value


def _empty(value: Any) -> bool:
    from mittnite.gotemplate.sprig.defaults import is_empty

    return is_empty(value)


def merge_into(target: dict[str, Any], source: dict[str, Any], overwrite: bool) -> None:
    """mergo's ``deepMerge`` of two maps, as observed through sprig.

    For every source key (Go: random order; here sorted):

    * a nil source value is copied only when overwriting;
    * a source map is merged recursively into a target map (in place); it replaces a target
      value that is missing, empty or not a map (mergo 1.0: ``mergeOverwrite`` turns a
      scalar into a map), when overwriting or the target value is missing/empty;
    * a source slice replaces the target value when overwriting or when the target value is
      missing/empty (mergo also writes the old value back, which is where
      ``map[string]string`` targets fail);
    * anything else replaces the target value when overwriting or when that is missing or
      empty.

    Writing a value whose static type does not fit a typed target map panics like
    ``reflect.Value.SetMapIndex``.
    """
    source_type = _value_type(source)
    target_kind = _kind_of_type(_value_type(target))
    for key in _sorted_keys(source):
        value = source[key]
        present = key in target
        current = target.get(key)
        if _kind_of_type(source_type) in ("interface", "slice", "map") and (
            value is None or (source_type != ANY and bool(getattr(value, "is_nil", False)))
        ):
            if overwrite:
                _store(target, key, value, source_type)
            continue
        kind = go_kind(value)
        if kind == "map":
            if isinstance(current, dict) and not is_nil_map(current):
                merge_into(current, value, overwrite)
        elif kind == "slice":
            if (
                present
                and target_kind != "interface"
                and target_kind not in ("slice", "map", "ptr")
            ):
                raise GoPanic(f"reflect: call of reflect.Value.IsNil on {target_kind} Value")
            if present and current is not None:
                replacement, replacement_type = current, go_type_name(current)
            else:
                replacement, replacement_type = [], go_type_name(value)
            if overwrite or len(target) == 0:
                replacement, replacement_type = value, go_type_name(value)
            _store(target, key, replacement, replacement_type)
        # mergo 1.0: a source slice never replaces a set value here, a source map only
        # leaves a target *map* alone (it replaces a scalar or a slice)
        if (
            present
            and not _empty(current)
            and (kind == "slice" or (kind == "map" and go_kind(current) == "map"))
        ):
            continue
        if (overwrite and not source_type.startswith("*")) or not present or _empty(current):
            _store(target, key, value, source_type)


def _merge(target: dict[str, Any], sources: tuple[Any, ...], overwrite: bool) -> Any:
    for source in sources:
        if is_nil_map(target) and not is_nil_map(source):
            target = {}  # mergo allocates a map for a nil destination
        if not is_nil_map(source):
            merge_into(target, source, overwrite)
    return nil_map() if target is None else target


def _merge_fn(target: dict[str, Any], *sources: dict[str, Any]) -> Any:
    return _merge(target, sources, overwrite=False)


def _merge_overwrite_fn(target: dict[str, Any], *sources: dict[str, Any]) -> Any:
    return _merge(target, sources, overwrite=True)


# -- deepCopy ---------------------------------------------------------------------------------


def _copy_object(value: Any, memo: dict[int, Any]) -> Any:
    """copystructure's copy of a non-container value: structs (and pointers to them) are
    rebuilt from their exported fields only, ``time.Time`` and scalars are kept; a value may
    say how it copies with ``go_deep_copy``."""
    copier = getattr(value, "go_deep_copy", None)
    if callable(copier):
        return copier()
    value_type = type_of(value)
    if value_type is None or value_type.kind not in ("struct", "ptr"):
        return value
    base = value_type.elem if value_type.kind == "ptr" and value_type.elem else value_type
    if base.name == "semver.Version" and hasattr(value, "version"):
        # every field of semver.Version is unexported: the copy is a zero version
        from mittnite.gotemplate.sprig.semver import Version

        return type(value)(Version(0, 0, 0, "", "", ""))
    if isinstance(value, GoStruct):
        fields: dict[str, Any] = {}
        for name, item in value.go_fields.items():
            if name[:1].isupper():
                fields[name] = deep_copy(item, memo)
            else:
                item_type = type_of(item)
                fields[name] = None if item_type is None else zero_value(item_type)
        return GoStruct(value.go_type, fields)
    return value


def deep_copy(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """A copy sharing nothing mutable: maps and slices keep their exact Go type, nil-ness
    and capacity."""
    if memo is None:
        memo = {}
    if not isinstance(value, (list, dict)):
        return _copy_object(value, memo)
    if id(value) in memo:
        return memo[id(value)]
    copied: Any
    if isinstance(value, dict):
        if isinstance(value, TypedMap):
            copied = TypedMap((), value.go_type, is_nil=value.is_nil)
        else:
            copied = {}
        memo[id(value)] = copied
        for key, item in value.items():
            copied[key] = deep_copy(item, memo)
        return copied
    items = [deep_copy(item, memo) for item in value]
    if isinstance(value, SpareSlice):  # same capacity, but only the length is copied
        elem = value.go_type.elem
        assert elem is not None
        copied = with_capacity(items, len(value) + len(value.spare), elem)
    elif isinstance(value, TypedSlice):
        copied = TypedSlice(items, value.go_type, is_nil=value.is_nil)
    else:
        copied = items
    memo[id(value)] = copied
    return copied


def _deep_copy_fn(value: Any) -> Any:
    if value is None:
        raise GoPanic("reflect: call of reflect.Value.Type on zero Value")
    return deep_copy(value)


def _declare(
    fn: Callable[..., Any], name: str, params: tuple[str, ...], result: str, *, error: bool = False
) -> GoFunc:
    return GoFunc(fn, params, result, error=error, name=name)


_MERGE_PARAMS = (MAP, "..." + MAP)

FUNCS: FuncMap = {
    "dict": _declare(_dict, "dict", ("...interface {}",), MAP),
    "get": _declare(_get, "get", (MAP, "string"), ANY),
    "set": _declare(_set, "set", (MAP, "string", ANY), MAP),
    "unset": _declare(_unset, "unset", (MAP, "string"), MAP),
    "hasKey": _declare(_has_key, "hasKey", (MAP, "string"), "bool"),
    "pluck": _declare(_pluck, "pluck", ("string", "..." + MAP), "[]interface {}"),
    "keys": _declare(_keys, "keys", ("..." + MAP,), "[]string"),
    "values": _declare(_values, "values", (MAP,), "[]interface {}"),
    "pick": _declare(_pick, "pick", (MAP, "...string"), MAP),
    "omit": _declare(_omit, "omit", (MAP, "...string"), MAP),
    "dig": _declare(_dig, "dig", ("...interface {}",), ANY, error=True),
    "merge": _declare(_merge_fn, "merge", _MERGE_PARAMS, ANY),
    "mustMerge": _declare(_merge_fn, "mustMerge", _MERGE_PARAMS, ANY, error=True),
    "mergeOverwrite": _declare(_merge_overwrite_fn, "mergeOverwrite", _MERGE_PARAMS, ANY),
    "mustMergeOverwrite": _declare(
        _merge_overwrite_fn, "mustMergeOverwrite", _MERGE_PARAMS, ANY, error=True
    ),
    "deepCopy": _declare(_deep_copy_fn, "deepCopy", (ANY,), ANY),
    "mustDeepCopy": _declare(_deep_copy_fn, "mustDeepCopy", (ANY,), ANY, error=True),
}
