"""A faithful HCL v1 reader: lexer, parser (native and JSON) and a schema-driven decoder.

It imports nothing else from mittnite; see :mod:`.decode` for the decoding rules.
"""

from .decode import Decoder, StructValue, Warning, parse_go_int, zero_value
from .errors import HclDecodeError, HclError, HclSyntaxError, Pos
from .parser import is_json, parse, parse_any
from .types import (
    AnyType,
    BoolType,
    Field,
    FloatType,
    IntType,
    MapList,
    MapType,
    PlacedStr,
    PlacedStringType,
    PtrType,
    SliceType,
    StringType,
    StructType,
)

__all__ = [
    "AnyType",
    "BoolType",
    "Decoder",
    "Field",
    "FloatType",
    "HclDecodeError",
    "HclError",
    "HclSyntaxError",
    "IntType",
    "MapList",
    "MapType",
    "PlacedStr",
    "PlacedStringType",
    "Pos",
    "PtrType",
    "SliceType",
    "StringType",
    "StructType",
    "StructValue",
    "Warning",
    "is_json",
    "parse",
    "parse_any",
    "parse_go_int",
    "zero_value",
]
