"""Go's ``fmt`` as templates see it: ``print``, ``printf``, ``println`` and ``%v``.

Covers the verbs, flags, widths and precisions templates use, Go's float
formatting (shortest representation, ``e+06`` exponents), ``%v`` of maps
(sorted keys), slices, structs, nil, errors and Stringers, and Go's
complaints written into the output (``%!d(string=x)``, ``%!s(MISSING)``,
``%!(EXTRA int=1)``).
"""

from __future__ import annotations

import math

from .values import (
    Float32,
    GoObject,
    Map,
    Slice,
    go_kind,
    go_type_name,
    is_float,
    is_int,
    is_unsigned,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Missing:
    """Go's invalid ``reflect.Value`` (a missing map key); prints ``<no value>``."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


# ---- floats ------------------------------------------------------------------------


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest decimal digits of ``abs(value)`` and the decimal point position."""
    text = repr(abs(value))
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        exp = int(exponent)
    else:
        mantissa, exp = text, 0
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    point = len(whole) + exp
    if not digits:
        return "0", 1
    leading = len(whole + frac) - len((whole + frac).lstrip("0"))
    point -= leading
    digits = digits.rstrip("0") or "0"
    return digits, point


def _round_digits(value: float, count: int) -> tuple[str, int]:
    """``count`` significant digits (correctly rounded), trailing zeros trimmed."""
    if value == 0:
        return "0", 1
    text = f"{abs(value):.{count - 1}e}"
    mantissa, _, exponent = text.partition("e")
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    return digits, int(exponent) + 1


def _exp_form(digits: str, point: int, upper: bool, min_frac: int | None) -> str:
    exp = point - 1
    head = digits[0]
    tail = digits[1:]
    if min_frac is not None:
        tail = tail.ljust(min_frac, "0")
    body = head + ("." + tail if tail else "")
    sign = "-" if exp < 0 else "+"
    return f"{body}{'E' if upper else 'e'}{sign}{abs(exp):02d}"


def _fixed_form(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * (-point) + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def format_float(value: float, verb: str, prec: int | None, sharp: bool = False) -> str:
    """strconv.FormatFloat-like formatting for ``e E f F g G`` (no sign handling)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Inf"
    value = abs(value)
    if verb in "eE":
        if prec is None:
            digits, point = _shortest_digits(value)
            return _exp_form(digits, point, verb == "E", None)
        text = f"{value:.{prec}e}"
        mantissa, _, exponent = text.partition("e")
        exp = int(exponent)
        sign = "-" if exp < 0 else "+"
        if sharp and "." not in mantissa:
            mantissa += "."
        return f"{mantissa}{'E' if verb == 'E' else 'e'}{sign}{abs(exp):02d}"
    if verb in "fF":
        if prec is None:
            digits, point = _shortest_digits(value)
            return _fixed_form(digits, point)
        text = f"{value:.{prec}f}"
        if sharp and "." not in text:
            text += "."
        return text
    # g / G
    if prec is None:
        digits, point = _shortest_digits(value)
        eprec = 6
    else:
        p = prec if prec > 0 else 1
        digits, point = _round_digits(value, p)
        eprec = p
        if eprec > len(digits) and len(digits) >= point:
            eprec = len(digits)
    if sharp:
        eprec = 6 if prec is None else max(prec, 1)
    exp = point - 1
    if exp < -4 or exp >= eprec:
        min_frac = (eprec - 1) if sharp else None
        return _exp_form(digits, point, verb == "G", min_frac)
    text = _fixed_form(digits, point)
    if sharp:
        significant = len(digits)
        if "." not in text:
            text += "."
        text += "0" * max(eprec - max(significant, point if point > 0 else 1), 0)
    return text


# ---- %v ---------------------------------------------------------------------------


def _sort_key(key: Any) -> tuple[int, Any]:
    if isinstance(key, bool):
        return (0, key)
    if isinstance(key, int | float):
        return (1, key)
    if isinstance(key, str):
        return (2, key.encode("utf-8", "surrogateescape"))
    return (3, str(key))


def sorted_items(mapping: dict[Any, Any]) -> list[tuple[Any, Any]]:
    """Map entries in Go's ``fmtsort`` order (what ``%v`` and ``range`` use)."""
    return sorted(mapping.items(), key=lambda item: _sort_key(item[0]))


def method_text(value: Any) -> str | None:
    """``Error()`` / ``String()`` of a value that has one."""
    if isinstance(value, GoObject):
        return value.go_string()
    string = getattr(value, "go_string", None)
    if string is not None and callable(string):
        result = string()
        return None if result is None else str(result)
    go_str = getattr(type(value), "__go_str__", None)
    if go_str:
        return str(value)
    return None


def format_value(value: Any, plus: bool = False, top: bool = True) -> str:
    """``%v`` (``%+v`` with ``plus``)."""
    if value is None or value is MISSING:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = method_text(value)
    if text is not None:
        return text
    if isinstance(value, str):
        return value
    if is_int(value):
        return str(int(value))
    if is_float(value):
        return _float_v(value)
    if isinstance(value, bytes):
        return "[" + " ".join(str(b) for b in value) + "]"
    if isinstance(value, dict):
        inner = " ".join(
            f"{format_value(k, plus, False)}:{format_value(v, plus, False)}"
            for k, v in sorted_items(value)
        )
        return f"map[{inner}]"
    if isinstance(value, list):
        return "[" + " ".join(format_value(v, plus, False) for v in value) + "]"
    if isinstance(value, GoObject):
        fields = value.go_struct_fields()
        if plus:
            inner = " ".join(f"{name}:{format_value(v, plus, False)}" for name, v in fields)
        else:
            inner = " ".join(format_value(v, plus, False) for _, v in fields)
        prefix = "&" if value.go_kind == "ptr" and top else ""
        return prefix + "{" + inner + "}"
    return str(value)


def _float_v(value: float) -> str:
    if isinstance(value, Float32):
        import struct

        # shortest representation that round-trips through float32
        for digits in range(1, 10):
            text = f"{value:.{digits}g}"
            if struct.unpack("f", struct.pack("f", float(text)))[0] == value:
                value = float(text)
                break
    sign = "-" if value < 0 or (value == 0 and math.copysign(1, value) < 0) else ""
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    return sign + format_float(value, "g", None)


def go_syntax(value: Any) -> str:
    """``%#v``: Go-syntax representation (the common cases)."""
    if value is None or value is MISSING:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quote(value)
    if is_int(value):
        if is_unsigned(value):
            return f"0x{int(value):x}"
        return str(int(value))
    if is_float(value):
        return _float_v(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{go_syntax(k)}:{go_syntax(v)}" for k, v in sorted_items(value))
        return f"{go_type_name(value)}{{{inner}}}"
    if isinstance(value, list):
        inner = ", ".join(go_syntax(v) for v in value)
        return f"{go_type_name(value)}{{{inner}}}"
    if isinstance(value, bytes):
        return "[]byte{" + ", ".join(f"0x{b:x}" for b in value) + "}"
    if isinstance(value, GoObject):
        inner = ", ".join(f"{n}:{go_syntax(v)}" for n, v in value.go_struct_fields())
        return f"{value.go_type}{{{inner}}}"
    return str(value)


# ---- quoting ------------------------------------------------------------------------


def quote(text: str, ascii_only: bool = False) -> str:
    """``strconv.Quote`` (``QuoteToASCII`` with ``ascii_only``)."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x80 and ch.isprintable():
            out.append(ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append(
                {
                    "\a": "\\a",
                    "\b": "\\b",
                    "\f": "\\f",
                    "\n": "\\n",
                    "\r": "\\r",
                    "\t": "\\t",
                    "\v": "\\v",
                }[ch]
            )
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif not ascii_only and ch.isprintable():
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


# ---- Sprint / Sprintln -------------------------------------------------------------


def sprint(args: list[Any]) -> str:
    """``fmt.Sprint``: spaces between operands when neither side is a string."""
    parts: list[str] = []
    previous_string = True
    for index, arg in enumerate(args):
        is_string = isinstance(arg, str) and not isinstance(arg, bool)
        if index > 0 and not is_string and not previous_string:
            parts.append(" ")
        parts.append(format_value(arg))
        previous_string = is_string
    return "".join(parts)


def sprintln(args: list[Any]) -> str:
    return " ".join(format_value(arg) for arg in args) + "\n"


# ---- Sprintf --------------------------------------------------------------------------


class _Spec:
    __slots__ = ("minus", "plus", "prec", "sharp", "space", "width", "zero")

    def __init__(self) -> None:
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        self.width: int | None = None
        self.prec: int | None = None


def _pad(text: str, spec: _Spec, numeric: bool = False) -> str:
    width = spec.width
    if width is None or len(text) >= width:
        return text
    if spec.minus:
        return text.ljust(width)
    if spec.zero and numeric:
        sign = text[0] if text[:1] in "+- " else ""
        body = text[len(sign) :]
        return sign + body.rjust(width - len(sign), "0")
    if spec.zero and not numeric:
        return text.rjust(width, "0")
    return text.rjust(width)


def _bad(verb: str, value: Any) -> str:
    if value is None or value is MISSING:
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({go_type_name(value)}={format_value(value)})"


def _sign(negative: bool, spec: _Spec) -> str:
    if negative:
        return "-"
    if spec.plus:
        return "+"
    if spec.space:
        return " "
    return ""


def _format_int(value: int, verb: str, spec: _Spec) -> str:
    number = int(value)
    negative = number < 0
    magnitude = abs(number)
    if verb == "d" or verb == "v":
        digits = str(magnitude)
    elif verb == "b":
        digits = format(magnitude, "b")
    elif verb in "oO":
        digits = format(magnitude, "o")
        if verb == "O":
            digits = "0o" + digits
        elif spec.sharp and digits != "0":
            digits = "0" + digits
    elif verb in "xX":
        digits = format(magnitude, "x" if verb == "x" else "X")
        if spec.sharp:
            digits = ("0x" if verb == "x" else "0X") + digits
    elif verb == "c":
        return _pad(chr(number) if 0 <= number <= 0x10FFFF else "\ufffd", spec)
    elif verb == "q":
        char = chr(number) if 0 <= number <= 0x10FFFF else "\ufffd"
        inner = quote(char)[1:-1].replace('\\"', '"')
        if char == "'":
            inner = "\\'"
        return _pad(f"'{inner}'", spec)
    elif verb == "U":
        text = f"U+{magnitude:04X}"
        if spec.sharp and 0 <= number <= 0x10FFFF and chr(number).isprintable():
            text += f" '{chr(number)}'"
        return _pad(text, spec)
    else:
        return _bad(verb, value)
    if spec.prec is not None:
        if spec.prec == 0 and magnitude == 0:
            digits = ""
        else:
            digits = digits.rjust(spec.prec, "0")
    text = _sign(negative, spec) + digits
    if spec.prec is not None:
        saved_zero, spec.zero = spec.zero, False
        result = _pad(text, spec, numeric=True)
        spec.zero = saved_zero
        return result
    return _pad(text, spec, numeric=True)


def _format_float_verb(value: float, verb: str, spec: _Spec) -> str:
    if verb == "v":
        if math.isinf(value) or math.isnan(value):
            text = _float_v(value)
        else:
            body = format_float(value, "g", spec.prec, spec.sharp)
            text = _sign(value < 0 or math.copysign(1, value) < 0, spec) + body
        return _pad(text, spec, numeric=True)
    if verb not in "eEfFgG":
        if verb in "xX" or verb == "b":
            return _pad(_float_hex(value, verb), spec)
        return _bad(verb, value)
    prec = spec.prec
    if prec is None and verb in "eEfF":
        prec = 6
    if math.isnan(value):
        text = "NaN"
        if spec.plus:
            text = "+NaN"
        return _pad(text, spec)
    if math.isinf(value):
        text = ("-" if value < 0 else "+" if spec.plus else "") + "Inf"
        return _pad(text, spec)
    body = format_float(value, verb, prec, spec.sharp)
    negative = value < 0 or (value == 0 and math.copysign(1, value) < 0)
    return _pad(_sign(negative, spec) + body, spec, numeric=True)


def _float_hex(value: float, verb: str) -> str:
    text = float(value).hex()
    return text if verb != "X" else text.upper()


def _format_string(text: str, verb: str, spec: _Spec) -> str:
    if spec.prec is not None and verb in "sqv":
        text = text[: spec.prec]
    if verb in "sv":
        return _pad(text, spec)
    if verb == "q":
        if spec.sharp and "`" not in text and all(c.isprintable() or c == "\t" for c in text):
            return _pad("`" + text + "`", spec)
        return _pad(quote(text, ascii_only=spec.plus), spec)
    if verb in "xX":
        data = text.encode("utf-8", "surrogateescape")
        return _pad(_hex_bytes(data, verb, spec), spec)
    return _bad(verb, text)


def _hex_bytes(data: bytes, verb: str, spec: _Spec) -> str:
    pattern = "{:02x}" if verb == "x" else "{:02X}"
    pieces = [pattern.format(b) for b in data]
    prefix = ("0x" if verb == "x" else "0X") if spec.sharp else ""
    if spec.space:
        return " ".join(prefix + p for p in pieces)
    return prefix + "".join(pieces)


def format_verb(value: Any, verb: str, spec: _Spec) -> str:
    """One ``%verb`` of ``printf``."""
    if verb == "T":
        return _pad(go_type_name(value) if value is not MISSING else "<nil>", spec)
    if verb == "v":
        if spec.sharp:
            return _pad(go_syntax(value), spec)
        if is_int(value) and not isinstance(value, bool) and method_text(value) is None:
            return _format_int(value, "d", spec)
        if is_float(value) and method_text(value) is None:
            return _format_float_verb(value, "v", spec)
        return _pad(format_value(value, plus=spec.plus), spec)
    if value is None or value is MISSING:
        return _bad(verb, None)
    if isinstance(value, bool):
        if verb == "t":
            return _pad("true" if value else "false", spec)
        return _bad(verb, value)
    text = method_text(value)
    if text is not None and verb in "sqxX":
        return _format_string(text, verb, spec)
    if is_int(value):
        if verb in "eEfFgG":
            return _bad(verb, value)
        return _format_int(value, verb, spec)
    if is_float(value):
        return _format_float_verb(value, verb, spec)
    if isinstance(value, str):
        return _format_string(value, verb, spec)
    if isinstance(value, bytes):
        if verb == "s":
            return _pad(value.decode("utf-8", "surrogateescape"), spec)
        if verb in "xX":
            return _pad(_hex_bytes(value, verb, spec), spec)
        if verb == "q":
            return _format_string(value.decode("utf-8", "surrogateescape"), "q", spec)
    if isinstance(value, list | dict):
        return _format_container(value, verb, spec)
    return _bad(verb, value)


def _format_container(value: Any, verb: str, spec: _Spec) -> str:
    if isinstance(value, dict):
        inner = " ".join(
            f"{format_verb(k, verb, spec)}:{format_verb(v, verb, spec)}"
            for k, v in sorted_items(value)
        )
        return f"map[{inner}]"
    if verb in "sxXq" and isinstance(value, Slice) and value.elem == "uint8":
        return format_verb(bytes(int(b) for b in value), verb, spec)
    return "[" + " ".join(format_verb(v, verb, spec) for v in value) + "]"


def _parse_number(fmt: str, i: int) -> tuple[int | None, int]:
    start = i
    while i < len(fmt) and fmt[i].isdigit():
        i += 1
    if i == start:
        return None, i
    return int(fmt[start:i]), i


def sprintf(fmt: str, args: list[Any]) -> str:
    """``fmt.Sprintf``."""
    out: list[str] = []
    arg_index = 0
    i = 0
    n = len(fmt)
    reordered = False
    while i < n:
        percent = fmt.find("%", i)
        if percent < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:percent])
        i = percent + 1
        if i >= n:
            out.append("%!(NOVERB)")
            break
        spec = _Spec()
        while i < n and fmt[i] in "+-# 0":
            flag = fmt[i]
            if flag == "+":
                spec.plus = True
            elif flag == "-":
                spec.minus = True
                spec.zero = False
            elif flag == "#":
                spec.sharp = True
            elif flag == " ":
                spec.space = True
            elif flag == "0":
                spec.zero = not spec.minus
            i += 1
        # explicit argument index for width
        if i < n and fmt[i] == "[":
            close = fmt.find("]", i)
            if close > 0 and fmt[i + 1 : close].isdigit():
                arg_index = int(fmt[i + 1 : close]) - 1
                reordered = True
                i = close + 1
        if i < n and fmt[i] == "*":
            i += 1
            if arg_index < len(args) and is_int(args[arg_index]):
                spec.width = int(args[arg_index])
                if spec.width < 0:
                    spec.minus = True
                    spec.zero = False
                    spec.width = -spec.width
            else:
                out.append("%!(BADWIDTH)")
            arg_index += 1
        else:
            spec.width, i = _parse_number(fmt, i)
        if i < n and fmt[i] == ".":
            i += 1
            if i < n and fmt[i] == "*":
                i += 1
                if arg_index < len(args) and is_int(args[arg_index]):
                    spec.prec = int(args[arg_index])
                    if spec.prec < 0:
                        spec.prec = None
                else:
                    out.append("%!(BADPREC)")
                arg_index += 1
            else:
                number, i = _parse_number(fmt, i)
                spec.prec = number if number is not None else 0
        if i < n and fmt[i] == "[":
            close = fmt.find("]", i)
            if close > 0 and fmt[i + 1 : close].isdigit():
                arg_index = int(fmt[i + 1 : close]) - 1
                reordered = True
                i = close + 1
        if i >= n:
            out.append("%!(NOVERB)")
            break
        verb = fmt[i]
        i += 1
        if verb == "%":
            out.append("%")
            continue
        if arg_index >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        value = args[arg_index]
        arg_index += 1
        out.append(format_verb(value, verb, spec))
    if not reordered and arg_index < len(args):
        extra = ", ".join(
            f"{go_type_name(a)}={format_value(a)}" if a is not None else "<nil>"
            for a in args[arg_index:]
        )
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def kind_name(value: Any) -> str:
    return go_kind(value)


__all__ = [
    "MISSING",
    "Map",
    "format_float",
    "format_value",
    "go_syntax",
    "quote",
    "sorted_items",
    "sprint",
    "sprintf",
    "sprintln",
]
