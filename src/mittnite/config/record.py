"""Immutable records: frozen-dataclass semantics at a fraction of the start-up cost.

:mod:`dataclasses` costs about 20 ms to import (it pulls in :mod:`inspect`)
and about 1 ms per frozen class, which every container start would pay for the
configuration model: roughly 40 ms on top of a 10 ms interpreter start. These
records give what the model needs from frozen dataclasses - keyword or
positional construction with defaults, immutability, value equality and
hashing, a ``repr`` that can leave secrets out, ``fields`` and ``replace`` -
and are declared to type checkers as dataclasses (PEP 681), so ``mypy
--strict`` checks every constructor call.
"""

from __future__ import annotations

TYPE_CHECKING = False  # avoids importing typing (5 ms) at run time; mypy knows the name
if TYPE_CHECKING:
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")
else:

    def dataclass_transform(**_: object) -> object:
        return lambda decorated: decorated


_MISSING: Any = object()


class FieldInfo:
    """A record field: its name, default and whether ``repr`` shows it."""

    __slots__ = ("default", "name", "repr")

    def __init__(self, default: Any = _MISSING, repr: bool = True) -> None:
        self.name = ""
        self.default = default
        self.repr = repr


def field(*, default: Any = _MISSING, repr: bool = True) -> Any:
    """Declare a field with options (only ``repr=False`` is needed: secrets)."""
    return FieldInfo(default, repr)


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise AttributeError(f"{type(self).__name__} is immutable; cannot set {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise AttributeError(f"{type(self).__name__} is immutable; cannot delete {name!r}")


def _annotated_names(cls: type) -> list[str]:
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        for name in klass.__dict__.get("__annotations__", {}):  # noqa: RUF063 - no inspect import
            if name not in names:
                names.append(name)
    return names


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """Class decorator: turn annotated class attributes into immutable fields."""
    infos: list[FieldInfo] = []
    inherited = {
        f.name: f for base in cls.__mro__[1:] for f in getattr(base, "__record_fields__", ())
    }
    for name in _annotated_names(cls):
        if name in cls.__dict__:
            value = cls.__dict__[name]
            info = value if isinstance(value, FieldInfo) else FieldInfo(value)
        elif name in inherited:
            info = inherited[name]
        else:
            info = FieldInfo()
        info.name = name
        infos.append(info)
    fields_tuple = tuple(infos)
    names = tuple(f.name for f in fields_tuple)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__}() takes at most {len(names)} positional arguments")
        for info, value in zip(fields_tuple, args, strict=False):
            object.__setattr__(self, info.name, value)
        for info in fields_tuple[len(args) :]:
            if info.name in kwargs:
                value = kwargs.pop(info.name)
            elif info.default is not _MISSING:
                value = info.default
            else:
                raise TypeError(f"{cls.__name__}() missing argument {info.name!r}")
            object.__setattr__(self, info.name, value)
        if kwargs:
            raise TypeError(f"{cls.__name__}() got unexpected arguments {sorted(kwargs)}")

    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields_tuple if f.repr)
        return f"{cls.__name__}({shown})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in names)

    def __hash__(self: Any) -> int:
        return hash(tuple(getattr(self, n) for n in names))

    for name in names:
        if name in cls.__dict__:
            delattr(cls, name)
    methods = {
        "__init__": __init__,
        "__repr__": __repr__,
        "__eq__": __eq__,
        "__hash__": __hash__,
        "__setattr__": _frozen_setattr,
        "__delattr__": _frozen_delattr,
        "__record_fields__": fields_tuple,
        "__match_args__": names,
    }
    for attribute, value in methods.items():
        setattr(cls, attribute, value)
    return cls


def fields(instance: object) -> tuple[FieldInfo, ...]:
    """The fields of a record instance or class, in declaration order."""
    found: tuple[FieldInfo, ...] = getattr(instance, "__record_fields__", ())
    return found


def is_record(value: object) -> bool:
    return hasattr(value, "__record_fields__") and not isinstance(value, type)


def replace(instance: T, **changes: Any) -> T:
    """A copy of ``instance`` with some fields changed."""
    values = {f.name: getattr(instance, f.name) for f in fields(instance)}
    values.update(changes)
    return type(instance)(**values)
