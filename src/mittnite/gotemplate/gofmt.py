"""Go's ``fmt`` printing (``Sprint``, ``Sprintln``, ``Sprintf``) and the ``strconv`` pieces it
uses (``Quote``, ``QuoteRune``, ``FormatFloat``), for values of the Go value model.

Templates print every action result through ``fmt.Fprint`` and offer ``print``/``printf``/
``println``; sprig builds strings with ``fmt.Sprintf("%v", ...)`` all over. Output must match
Go byte for byte: verbs, flags, width/precision (``*`` too), the ``%!verb(type=value)`` error
forms, map key sorting, shortest float formatting and Go's quoting rules. Pointer addresses
cannot be reproduced; they print as a fixed fake address.
"""

from __future__ import annotations

import math
from typing import Any

from mittnite.golang.strconv import can_backquote, is_print, quote, quote_rune, quote_to_ascii
from mittnite.gotemplate.limits import MAX_VALUE_BYTES, check_size
from mittnite.gotemplate.values import (
    BYTES,
    COMPLEX_KINDS,
    FLOAT32,
    FLOAT_KINDS,
    INT_KINDS,
    MISSING,
    UINT_KINDS,
    Float32,
    GoType,
    Iface,
    NilPointer,
    TypedSlice,
    Uint8,
    go_bytes,
    go_string,
    struct_fields,
    type_of,
)

__all__ = [
    "can_backquote",
    "errorf_text",
    "format_float",
    "is_print",
    "quote",
    "quote_rune",
    "quote_to_ascii",
    "sprint",
    "sprint_value",
    "sprintf",
    "sprintln",
]

_LOWER_DIGITS = "0123456789abcdefx"
_UPPER_DIGITS = "0123456789ABCDEFX"
_NOTHING: Any = object()  # fmt's "no operand recorded" (an invalid reflect.Value)
_FAKE_POINTER = 0xC000010000  # addresses are not reproducible; print a plausible constant
_RUNE_ERROR = 0xFFFD
_MAX_RUNE = 0x10FFFF


def _valid_rune(code: int) -> bool:
    return 0 <= code <= _MAX_RUNE and not 0xD800 <= code <= 0xDFFF


def _rune_text(code: int) -> str:
    """``string(rune)`` in Go: invalid code points become U+FFFD."""
    return chr(code) if _valid_rune(code) else "\ufffd"


# --- float formatting (strconv.FormatFloat) -------------------------------------------------


def _shortest_digits(value: float, bit_size: int) -> tuple[str, int]:
    """The shortest decimal digits that read back as ``value`` and the decimal point
    position (``0.d1d2... x 10**dp``); ``value`` is finite and positive."""
    if bit_size == 32:
        import struct

        target = struct.pack("<f", value)
        for precision in range(1, 18):
            text = f"{value:.{precision - 1}e}"
            if struct.pack("<f", float(text)) == target:
                break
    else:
        text = repr(value)
    return _digits_of(text)


def _digits_of(text: str) -> tuple[str, int]:
    """Digits and decimal point position of a Python float text (``1.5e-07``, ``120.0``)."""
    exponent = 0
    if "e" in text:
        text, exp_text = text.split("e")
        exponent = int(exp_text)
    whole, _, fraction = text.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + exponent - (len(whole + fraction) - len((whole + fraction).lstrip("0")))
    digits = digits.rstrip("0")
    if not digits:
        return "0", 1
    return digits, point


def _format_e(negative: bool, digits: str, point: int, precision: int, exp_char: str) -> str:
    """strconv's %e from decimal digits: ``d.ddd`` with ``precision`` fraction digits."""
    out = ["-"] if negative else []
    first = digits[0] if digits else "0"
    out.append(first)
    if precision > 0:
        out.append(".")
        rest = digits[1 : 1 + precision]
        out.append(rest + "0" * (precision - len(rest)))
    exponent = 0 if digits == "0" else point - 1
    sign = "+"
    if exponent < 0:
        sign = "-"
        exponent = -exponent
    out.append(f"{exp_char}{sign}{exponent:02d}")
    return "".join(out)


def _format_f(negative: bool, digits: str, point: int, precision: int) -> str:
    """strconv's %f from decimal digits (no rounding: digits are already rounded)."""
    out = ["-"] if negative else []
    if point > 0:
        integer = digits[:point]
        out.append(integer + "0" * (point - len(integer)))
    else:
        out.append("0")
    if precision > 0:
        out.append(".")
        for index in range(precision):
            position = point + index
            out.append(digits[position] if 0 <= position < len(digits) else "0")
    return "".join(out)


def _rounded_digits(value: float, significant: int) -> tuple[str, int]:
    """Digits of ``value`` correctly rounded to ``significant`` digits, zeros trimmed."""
    if value == 0:
        return "0", 1
    text = f"{value:.{significant - 1}e}"
    return _digits_of(text)


def _float_bits(value: float, bit_size: int) -> tuple[int, int, int]:
    """Sign, biased exponent and mantissa bits of a float64 or float32."""
    import struct

    if bit_size == 32:
        bits = struct.unpack("<I", struct.pack("<f", value))[0]
        return bits >> 31, (bits >> 23) & 0xFF, bits & ((1 << 23) - 1)
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    return bits >> 63, (bits >> 52) & 0x7FF, bits & ((1 << 52) - 1)


def _format_binary_exponent(value: float, bit_size: int) -> str:
    """strconv's 'b' format: ``-mantissa p exponent`` in decimal."""
    sign, exponent, mantissa = _float_bits(value, bit_size)
    mant_bits, bias = (23, -127) if bit_size == 32 else (52, -1023)
    if exponent == 0:
        exponent += 1
    else:
        mantissa |= 1 << mant_bits
    exponent += bias - mant_bits
    return ("-" if sign else "") + f"{mantissa}p{'+' if exponent >= 0 else ''}{exponent}"


def _format_hex(value: float, bit_size: int, precision: int, verb: str) -> str:
    """strconv's 'x'/'X' format: ``-0x1.hhhp+dd``."""
    sign, exponent, mantissa = _float_bits(value, bit_size)
    mant_bits, bias = (23, -127) if bit_size == 32 else (52, -1023)
    if exponent == 0:
        exponent += 1
    else:
        mantissa |= 1 << mant_bits
    exponent += bias
    if mantissa == 0:
        exponent = 0
    mantissa <<= 60 - mant_bits
    while mantissa != 0 and mantissa & (1 << 60) == 0:
        mantissa <<= 1
        exponent -= 1
    if 0 <= precision < 15:
        shift = precision * 4
        extra = (mantissa << shift) & ((1 << 60) - 1)
        mantissa >>= 60 - shift
        if extra | (mantissa & 1) > 1 << 59:
            mantissa += 1
        mantissa <<= 60 - shift
        if mantissa & (1 << 61):
            mantissa >>= 1
            exponent += 1
    digits = _LOWER_DIGITS if verb == "x" else _UPPER_DIGITS
    out = ["-" if sign else "", "0", verb, str((mantissa >> 60) & 1)]
    mantissa = (mantissa << 4) & ((1 << 64) - 1)
    if precision < 0 and mantissa != 0:
        out.append(".")
        while mantissa != 0:
            out.append(digits[(mantissa >> 60) & 15])
            mantissa = (mantissa << 4) & ((1 << 64) - 1)
    elif precision > 0:
        out.append(".")
        for _ in range(precision):
            out.append(digits[(mantissa >> 60) & 15])
            mantissa = (mantissa << 4) & ((1 << 64) - 1)
    out.append("p" if verb == "x" else "P")
    out.append("-" if exponent < 0 else "+")
    out.append(f"{abs(exponent):02d}")
    return "".join(out)


def format_float(value: float, verb: str, precision: int, bit_size: int = 64) -> str:
    """``strconv.FormatFloat(value, verb, precision, bit_size)``; ``precision`` -1 means the
    shortest representation that reads back exactly."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if verb == "b":
        return _format_binary_exponent(value, bit_size)
    if verb in "xX":
        return _format_hex(value, bit_size, precision, verb)
    negative = math.copysign(1.0, value) < 0
    magnitude = abs(value)
    if precision < 0:
        if magnitude == 0:
            digits, point = "0", 1
        else:
            digits, point = _shortest_digits(magnitude, bit_size)
        shortest = True
    else:
        shortest = False
        if verb in "eE":
            digits, point = _rounded_digits(magnitude, precision + 1)
        elif verb == "f":
            text = f"{magnitude:.{precision}f}"
            return ("-" if negative else "") + text
        else:
            digits, point = _rounded_digits(magnitude, max(precision, 1))
    if verb in "eE":
        if shortest:
            precision = len(digits) - 1
        return _format_e(negative, digits, point, precision, verb)
    if verb == "f":
        return _format_f(negative, digits, point, max(len(digits) - point, 0))
    # 'g' / 'G'
    if shortest:
        eprec = 6
        precision = len(digits)
    else:
        precision = max(precision, 1)
        eprec = precision
        if eprec > len(digits) and len(digits) >= point:
            eprec = len(digits)
    exponent = point - 1
    if digits == "0":
        exponent = 0
    if exponent < -4 or exponent >= eprec:
        if precision > len(digits):
            precision = len(digits)
        return _format_e(negative, digits, point, precision - 1, "e" if verb == "g" else "E")
    if precision > point:
        precision = len(digits)
    return _format_f(negative, digits, point, max(precision - point, 0))


# --- fmt -----------------------------------------------------------------------------------


class _Printer:
    """State of one ``fmt`` call: output pieces and the flags of the current verb."""

    __slots__ = (
        "arg",
        "erroring",
        "minus",
        "out",
        "panicking",
        "plus",
        "plus_v",
        "prec",
        "prec_present",
        "sharp",
        "sharp_v",
        "space",
        "value",
        "wid",
        "wid_present",
        "wrap_errors",
        "zero",
    )

    def __init__(self) -> None:
        self.out: list[str] = []
        self.arg: Any = _NOTHING
        self.value: Any = _NOTHING
        self.erroring = False
        self.panicking = False
        self.wrap_errors = False
        self.clear_flags()

    def clear_flags(self) -> None:
        self.wid_present = False
        self.prec_present = False
        self.minus = False
        self.plus = False
        self.sharp = False
        self.space = False
        self.zero = False
        self.plus_v = False
        self.sharp_v = False
        self.wid = 0
        self.prec = 0

    # -- padding ----------------------------------------------------------------------------

    def write_padding(self, count: int) -> None:
        if count > 0:
            self.out.append(("0" if self.zero else " ") * count)

    def pad(self, text: str) -> None:
        if not self.wid_present or self.wid == 0:
            self.out.append(text)
            return
        width = self.wid - len(text)
        if not self.minus:
            self.write_padding(width)
            self.out.append(text)
        else:
            self.out.append(text)
            self.write_padding(width)

    # -- basic formatters (fmt/format.go) ---------------------------------------------------

    def fmt_boolean(self, value: bool) -> None:
        self.pad("true" if value else "false")

    def fmt_unicode(self, code: int) -> None:
        precision = 4
        if self.prec_present and self.prec > 4:
            precision = self.prec
        text = f"U+{code:0{precision}X}"
        if self.sharp and 0 <= code <= _MAX_RUNE and _valid_rune(code) and chr(code).isprintable():
            text += " '" + chr(code) + "'"
        old_zero = self.zero
        self.zero = False
        self.pad(text)
        self.zero = old_zero

    def fmt_integer(self, value: int, base: int, verb: str, digits: str) -> None:
        negative = value < 0
        magnitude = -value if negative else value
        precision = 0
        if self.prec_present:
            precision = self.prec
            if precision == 0 and magnitude == 0:
                old_zero = self.zero
                self.zero = False
                self.write_padding(self.wid)
                self.zero = old_zero
                return
        elif self.zero and self.wid_present:
            precision = self.wid
            if negative or self.plus or self.space:
                precision -= 1
        if base == 10:
            body = str(magnitude)
        elif base == 16:
            body = format(magnitude, "x")
            if digits is _UPPER_DIGITS:
                body = body.upper()
        elif base == 8:
            body = format(magnitude, "o")
        else:
            body = format(magnitude, "b")
        if len(body) < precision:
            body = "0" * (precision - len(body)) + body
        if self.sharp:
            if base == 2:
                body = "0b" + body
            elif base == 8:
                if body[0] != "0":
                    body = "0" + body
            elif base == 16:
                body = "0" + digits[16] + body
        if verb == "O":
            body = "0o" + body
        if negative:
            body = "-" + body
        elif self.plus:
            body = "+" + body
        elif self.space:
            body = " " + body
        old_zero = self.zero
        self.zero = False
        self.pad(body)
        self.zero = old_zero

    def truncate(self, text: str) -> str:
        if self.prec_present and self.prec < len(text):
            return text[: self.prec]
        return text

    def fmt_s(self, text: str) -> None:
        self.pad(self.truncate(text))

    def fmt_sbx(self, data: bytes, digits: str) -> None:
        length = len(data)
        if self.prec_present and self.prec < length:
            length = self.prec
        width = 2 * length
        if width > 0:
            if self.space:
                if self.sharp:
                    width *= 2
                width += length - 1
            elif self.sharp:
                width += 2
        else:
            if self.wid_present:
                self.write_padding(self.wid)
            return
        if self.wid_present and self.wid > width and not self.minus:
            self.write_padding(self.wid - width)
        pieces: list[str] = []
        prefix = "0" + digits[16]
        if self.sharp:
            pieces.append(prefix)
        for index in range(length):
            if self.space and index > 0:
                pieces.append(" ")
                if self.sharp:
                    pieces.append(prefix)
            byte = data[index]
            pieces.append(digits[byte >> 4] + digits[byte & 0xF])
        self.out.append("".join(pieces))
        if self.wid_present and self.wid > width and self.minus:
            self.write_padding(self.wid - width)

    def fmt_q(self, text: str) -> None:
        text = self.truncate(text)
        if self.sharp and can_backquote(text):
            self.pad("`" + text + "`")
            return
        self.pad(quote_to_ascii(text) if self.plus else quote(text))

    def fmt_c(self, code: int) -> None:
        self.pad(_rune_text(code if code <= _MAX_RUNE else _RUNE_ERROR))

    def fmt_qc(self, code: int) -> None:
        if code > _MAX_RUNE:
            code = _RUNE_ERROR
        self.pad(quote_rune(code, self.plus))

    def fmt_float_text(self, value: float, size: int, verb: str, precision: int) -> None:
        if self.prec_present:
            precision = self.prec
        num = format_float(value, verb, precision, size)
        if num[0] not in "+-":
            num = "+" + num
        if self.space and num[0] == "+" and not self.plus:
            num = " " + num[1:]
        if num[1] in "IN":
            old_zero = self.zero
            self.zero = False
            if num[1] == "N" and not self.space and not self.plus:
                num = num[1:]
            self.pad(num)
            self.zero = old_zero
            return
        if self.sharp and verb != "b":
            num = self._sharp_float(num, verb, precision)
        if self.plus or num[0] != "+":
            if self.zero and self.wid_present and self.wid > len(num):
                self.out.append(num[0])
                self.write_padding(self.wid - len(num))
                self.out.append(num[1:])
                return
            self.pad(num)
            return
        self.pad(num[1:])

    @staticmethod
    def _sharp_float(num: str, verb: str, precision: int) -> str:
        """The '#' flag: always a decimal point; %g keeps its trailing zeros."""
        digits = 0
        if verb in "vgGx":
            digits = 6 if precision == -1 else precision
        tail = ""
        body = num
        has_point = False
        saw_nonzero = False
        index = 1
        while index < len(body):
            char = body[index]
            if char == ".":
                has_point = True
            elif char in "pP" or (char in "eE" and verb not in "xX"):
                tail = body[index:]
                body = body[:index]
                break
            else:
                if char != "0":
                    saw_nonzero = True
                if saw_nonzero:
                    digits -= 1
            index += 1
        if not has_point:
            if len(body) == 2 and body[1] == "0":
                digits -= 1
            body += "."
        if digits > 0:
            body += "0" * digits
        return body + tail

    # -- fmt/print.go -----------------------------------------------------------------------

    def bad_verb(self, verb: str) -> None:
        """``%!verb(type=value)``: the operand printed with %v after its type."""
        self.erroring = True
        self.out.append("%!" + verb + "(")
        if self.arg is not _NOTHING and self.arg is not None:
            self.out.append(_type_name(self.arg) + "=")
            self.print_arg(self.arg, "v")
        elif self.value is not _NOTHING and self.value is not None:
            self.out.append(_type_name(self.value) + "=")
            self.print_value(self.value, "v", 0)
        else:
            self.out.append("<nil>")
        self.out.append(")")
        self.erroring = False

    def fmt_bool(self, value: bool, verb: str, original: Any) -> None:
        if verb in "tv":
            self.fmt_boolean(value)
        else:
            self.bad_verb(verb)

    def fmt_int(self, value: int, signed: bool, verb: str, original: Any) -> None:
        if verb == "v":
            if self.sharp_v and not signed:
                sharp = self.sharp
                self.sharp = True
                self.fmt_integer(value, 16, "v", _LOWER_DIGITS)
                self.sharp = sharp
            else:
                self.fmt_integer(value, 10, verb, _LOWER_DIGITS)
        elif verb == "d":
            self.fmt_integer(value, 10, verb, _LOWER_DIGITS)
        elif verb == "b":
            self.fmt_integer(value, 2, verb, _LOWER_DIGITS)
        elif verb in "oO":
            self.fmt_integer(value, 8, verb, _LOWER_DIGITS)
        elif verb == "x":
            self.fmt_integer(value, 16, verb, _LOWER_DIGITS)
        elif verb == "X":
            self.fmt_integer(value, 16, verb, _UPPER_DIGITS)
        elif verb == "c":
            self.fmt_c(value & ((1 << 64) - 1) if value < 0 else value)
        elif verb == "q":
            self.fmt_qc(value & ((1 << 64) - 1) if value < 0 else value)
        elif verb == "U":
            self.fmt_unicode(value & ((1 << 64) - 1) if value < 0 else value)
        else:
            self.bad_verb(verb)

    def fmt_float(self, value: float, size: int, verb: str, original: Any) -> None:
        if verb == "v":
            self.fmt_float_text(value, size, "g", -1)
        elif verb in "bgGxX":
            self.fmt_float_text(value, size, verb, -1)
        elif verb in "feE":
            self.fmt_float_text(value, size, verb, 6)
        elif verb == "F":
            self.fmt_float_text(value, size, "f", 6)
        else:
            self.bad_verb(verb)

    def fmt_complex(self, value: complex, size: int, verb: str, original: Any) -> None:
        if verb in "vbgGxXfFeE":
            old_plus = self.plus
            self.out.append("(")
            self.fmt_float(value.real, size // 2, verb, original)
            self.plus = True
            self.fmt_float(value.imag, size // 2, verb, original)
            self.out.append("i)")
            self.plus = old_plus
        else:
            self.bad_verb(verb)

    def fmt_string(self, value: str, verb: str, original: Any) -> None:
        if verb == "v":
            if self.sharp_v:
                self.fmt_q(value)
            else:
                self.fmt_s(value)
        elif verb == "s":
            self.fmt_s(value)
        elif verb == "x":
            self.fmt_sbx(go_bytes(value), _LOWER_DIGITS)
        elif verb == "X":
            self.fmt_sbx(go_bytes(value), _UPPER_DIGITS)
        elif verb == "q":
            self.fmt_q(value)
        else:
            self.bad_verb(verb)

    def fmt_bytes(self, value: bytes, verb: str, type_name: str, original: Any, depth: int) -> None:
        if verb in "vd":
            if self.sharp_v:
                self.out.append(type_name)
                if getattr(original, "is_nil", False):
                    self.out.append("(nil)")
                    return
                self.out.append("{")
                for index, byte in enumerate(value):
                    if index:
                        self.out.append(", ")
                    self.out.append(f"0x{byte:x}")
                self.out.append("}")
            else:
                self.out.append("[")
                for index, byte in enumerate(value):
                    if index:
                        self.out.append(" ")
                    self.fmt_integer(byte, 10, verb, _LOWER_DIGITS)
                self.out.append("]")
        elif verb == "s":
            self.pad(self.truncate(go_string(value)))
        elif verb == "x":
            self.fmt_sbx(value, _LOWER_DIGITS)
        elif verb == "X":
            self.fmt_sbx(value, _UPPER_DIGITS)
        elif verb == "q":
            self.fmt_q(go_string(value))
        else:
            self.print_value(TypedSlice([Uint8(byte) for byte in value], BYTES), verb, depth, BYTES)

    def fmt_pointer(self, value: Any, t: GoType, verb: str) -> None:
        if t.kind not in ("chan", "func", "map", "ptr", "slice", "unsafe.Pointer"):
            self.bad_verb(verb)
            return
        address = 0 if isinstance(value, NilPointer) or value is None else _FAKE_POINTER
        if verb == "v":
            if self.sharp_v:
                self.out.append("(" + t.name + ")(")
                self.out.append("nil" if address == 0 else f"0x{address:x}")
                self.out.append(")")
            elif address == 0:
                self.pad("<nil>")
            else:
                self._fmt_0x64(address, not self.sharp)
        elif verb == "p":
            self._fmt_0x64(address, not self.sharp)
        elif verb in "bodxX":
            self.fmt_int(address, False, verb, value)
        else:
            self.bad_verb(verb)

    def _fmt_0x64(self, value: int, leading_0x: bool) -> None:
        sharp = self.sharp
        self.sharp = leading_0x
        self.fmt_integer(value, 16, "v", _LOWER_DIGITS)
        self.sharp = sharp

    def handle_methods(self, value: Any, t: GoType, verb: str) -> bool:
        """Error() and String() take over for %v %s %x %X %q (GoString() for %#v)."""
        if self.erroring:
            return False
        if verb == "w":
            if not self.wrap_errors or not t.has_method("Error"):
                self.wrap_errors = False
                self.bad_verb(verb)
                return True
            self.wrap_errors = False  # only the first %w wraps
            verb = "v"
        if self.sharp_v:
            go_syntax = getattr(value, "go_string_syntax", None)
            if go_syntax is None:
                registered = t.method("GoString")
                if registered is None or isinstance(value, NilPointer):
                    return False

                def go_syntax() -> Any:
                    return registered(value)

            self._call_method(value, verb, "GoString", go_syntax, True)
            return True
        if verb not in "vsxXq" or not verb:
            return False
        if t.has_method("Error"):
            method = "Error"
        elif t.has_method("String"):
            method = "String"
        else:
            return False
        if isinstance(value, NilPointer):
            self.out.append("<nil>")
            return True
        self._call_method(value, verb, method, None, False)
        return True

    def _call_method(self, value: Any, verb: str, method: str, bound: Any, go_syntax: bool) -> None:
        try:
            if bound is not None:
                text = bound()
            else:
                text = _method_text(value, method)
        except Exception as problem:  # a panicking method prints as %!v(PANIC=...)
            if self.panicking:
                raise
            saved = (
                self.wid,
                self.wid_present,
                self.prec,
                self.prec_present,
                self.minus,
                self.plus,
                self.sharp,
                self.space,
                self.zero,
                self.plus_v,
                self.sharp_v,
            )
            self.clear_flags()
            self.out.append(f"%!{verb}(PANIC={method} method: ")
            self.panicking = True
            self.print_arg(_panic_text(problem), "v")
            self.panicking = False
            self.out.append(")")
            (
                self.wid,
                self.wid_present,
                self.prec,
                self.prec_present,
                self.minus,
                self.plus,
                self.sharp,
                self.space,
                self.zero,
                self.plus_v,
                self.sharp_v,
            ) = saved
            return
        if go_syntax:
            self.fmt_s(text)
        else:
            self.fmt_string(text, verb, value)

    def print_arg(self, arg: Any, verb: str) -> None:
        self.arg = arg
        self.value = _NOTHING
        if arg is None or arg is MISSING:
            if verb in "Tv":
                self.pad("<nil>")
            else:
                self.bad_verb(verb)
            return
        if type(arg) is Iface:
            self.print_arg(arg.value, verb)
            return
        if verb == "T":
            self.fmt_s(_type_name(arg))
            return
        py_type = type(arg)
        if py_type is str:
            self.fmt_string(arg, verb, arg)
            return
        if py_type is int:
            if verb == "p":
                self.bad_verb(verb)
            else:
                self.fmt_int(arg, True, verb, arg)
            return
        if py_type is bool:
            if verb == "p":
                self.bad_verb(verb)
            else:
                self.fmt_bool(arg, verb, arg)
            return
        if py_type is float:
            if verb == "p":
                self.bad_verb(verb)
            else:
                self.fmt_float(arg, 64, verb, arg)
            return
        t = type_of(arg)
        assert t is not None
        if verb == "p":
            self.fmt_pointer(arg, t, "p")
            return
        if py_type is bytes or py_type is bytearray:
            self.fmt_bytes(bytes(arg), verb, "[]byte", arg, 0)
            return
        if t.name == t.kind:  # a basic type: no methods
            self.print_value(arg, verb, 0, t)
            return
        if not self.handle_methods(arg, t, verb):
            self.print_value(arg, verb, 0, t)

    def print_value(
        self,
        value: Any,
        verb: str,
        depth: int,
        t: GoType | None = None,
        container_elem: GoType | None = None,
        methods: bool = True,
    ) -> None:
        """Print a value by its kind (fmt's printValue); ``depth`` > 0 inside containers.

        ``methods`` is false for an unexported struct field: Go cannot call its
        ``String()`` (the value cannot be interfaced), so it prints it by kind."""
        if value is None or value is MISSING:
            # A nil interface inside a container (or a nil field).
            if self.sharp_v:
                self.out.append(
                    (container_elem.name if container_elem else "interface {}") + "(nil)"
                )
            else:
                self.out.append("<nil>")
            return
        if type(value) is Iface:
            self.print_value(value.value, verb, depth + 1, None, container_elem)
            return
        if t is None:
            t = type_of(value)
            assert t is not None
        if depth > 0 and methods:
            self.arg = value
            if self.handle_methods(value, t, verb):
                return
        self.arg = _NOTHING
        self.value = value
        kind = t.kind
        if kind == "bool":
            self.fmt_bool(bool(value), verb, value)
        elif kind in INT_KINDS:
            self.fmt_int(int(value), True, verb, value)
        elif kind in UINT_KINDS:
            self.fmt_int(int(value), False, verb, value)
        elif kind in FLOAT_KINDS:
            self.fmt_float(
                float(value), 32 if t is FLOAT32 or isinstance(value, Float32) else 64, verb, value
            )
        elif kind in COMPLEX_KINDS:
            self.fmt_complex(complex(value), 64 if kind == "complex64" else 128, verb, value)
        elif kind == "string":
            self.fmt_string(
                str.__str__(value) if isinstance(value, str) else str(value), verb, value
            )
        elif kind == "map":
            self._print_map(value, verb, depth, t)
        elif kind == "struct":
            self._print_struct(value, verb, depth, t)
        elif kind in ("slice", "array"):
            self._print_slice(value, verb, depth, t)
        elif kind == "ptr":
            if (
                depth == 0
                and not isinstance(value, NilPointer)
                and struct_fields(value, t) is not None
            ):
                self.out.append("&")
                elem = t.elem if t.elem is not None else t
                self._print_struct(value, verb, depth + 1, elem)
                return
            self.fmt_pointer(value, t, verb)
        elif kind in ("chan", "func", "unsafe.Pointer"):
            self.fmt_pointer(value, t, verb)
        else:
            self.out.append("?" + t.name + "?")

    def _print_map(self, value: Any, verb: str, depth: int, t: GoType) -> None:
        if self.sharp_v:
            self.out.append(t.name)
            if getattr(value, "is_nil", False):
                self.out.append("(nil)")
                return
            self.out.append("{")
        else:
            self.out.append("map[")
        elem_type = t.elem
        for index, key in enumerate(sorted_keys(value)):
            if index:
                self.out.append(", " if self.sharp_v else " ")
            self.print_value(key, verb, depth + 1, None, t.key)
            self.out.append(":")
            self.print_value(value[key], verb, depth + 1, None, elem_type)
        self.out.append("}" if self.sharp_v else "]")

    def _print_struct(self, value: Any, verb: str, depth: int, t: GoType) -> None:
        if self.sharp_v:
            self.out.append(t.name)
        self.out.append("{")
        fields: dict[str, Any] = dict(struct_fields(value, t) or {})
        for index, (name, field) in enumerate(fields.items()):
            if index:
                self.out.append(", " if self.sharp_v else " ")
            if self.plus_v or self.sharp_v:
                self.out.append(name + ":")
            self.print_value(field, verb, depth + 1, methods=name[:1].isupper())
        self.out.append("}")

    def _print_slice(self, value: Any, verb: str, depth: int, t: GoType) -> None:
        elem_type = t.elem
        if verb in "sqxX" and elem_type is not None and elem_type.kind == "uint8":
            self.fmt_bytes(bytes(int(item) for item in value), verb, t.name, value, depth)
            return
        if self.sharp_v:
            self.out.append(t.name)
            if getattr(value, "is_nil", False):
                self.out.append("(nil)")
                return
            self.out.append("{")
            for index, item in enumerate(value):
                if index:
                    self.out.append(", ")
                self.print_value(item, verb, depth + 1, None, elem_type)
            self.out.append("}")
        else:
            self.out.append("[")
            for index, item in enumerate(value):
                if index:
                    self.out.append(" ")
                self.print_value(item, verb, depth + 1, None, elem_type)
            self.out.append("]")

    def do_printf(self, format_text: str, args: tuple[Any, ...]) -> None:
        end = len(format_text)
        arg_num = 0
        after_index = False
        reordered = False
        index = 0
        out = self.out
        while index < end:
            good_arg_num = True
            start = index
            index = format_text.find("%", index)
            if index < 0:
                index = end
            if index > start:
                out.append(format_text[start:index])
            if index >= end:
                break
            index += 1
            self.clear_flags()
            simple_done = False
            while index < end:
                char = format_text[index]
                if char == "#":
                    self.sharp = True
                elif char == "0":
                    self.zero = not self.minus
                elif char == "+":
                    self.plus = True
                elif char == "-":
                    self.minus = True
                    self.zero = False
                elif char == " ":
                    self.space = True
                else:
                    if "a" <= char <= "z" and arg_num < len(args):
                        if char == "v":
                            self.sharp_v = self.sharp
                            self.sharp = False
                            self.plus_v = self.plus
                            self.plus = False
                        self.print_arg(args[arg_num], char)
                        arg_num += 1
                        index += 1
                        simple_done = True
                    break
                index += 1
            if simple_done:
                continue
            arg_num, index, after_index, found_good = _arg_number(
                arg_num, format_text, index, len(args)
            )
            reordered = reordered or found_good is not None
            if found_good is False:
                good_arg_num = False
            if index < end and format_text[index] == "*":
                index += 1
                self.wid, self.wid_present, arg_num = _int_from_arg(args, arg_num)
                if not self.wid_present:
                    out.append("%!(BADWIDTH)")
                if self.wid < 0:
                    self.wid = -self.wid
                    self.minus = True
                    self.zero = False
                after_index = False
            else:
                self.wid, self.wid_present, index = _parse_num(format_text, index, end)
                if after_index and self.wid_present:
                    good_arg_num = False
            if index + 1 < end and format_text[index] == ".":
                index += 1
                if after_index:
                    good_arg_num = False
                arg_num, index, after_index, found_good = _arg_number(
                    arg_num, format_text, index, len(args)
                )
                reordered = reordered or found_good is not None
                if found_good is False:
                    good_arg_num = False
                if index < end and format_text[index] == "*":
                    index += 1
                    self.prec, self.prec_present, arg_num = _int_from_arg(args, arg_num)
                    if self.prec < 0:
                        self.prec = 0
                        self.prec_present = False
                    if not self.prec_present:
                        out.append("%!(BADPREC)")
                    after_index = False
                else:
                    self.prec, self.prec_present, index = _parse_num(format_text, index, end)
                    if not self.prec_present:
                        self.prec = 0
                        self.prec_present = True
            if not after_index:
                arg_num, index, after_index, found_good = _arg_number(
                    arg_num, format_text, index, len(args)
                )
                reordered = reordered or found_good is not None
                if found_good is False:
                    good_arg_num = False
            if index >= end:
                out.append("%!(NOVERB)")
                break
            verb = format_text[index]
            index += 1
            if (self.wid_present and self.wid > MAX_VALUE_BYTES) or (
                self.prec_present and self.prec > MAX_VALUE_BYTES
            ):
                check_size(max(self.wid, self.prec))  # Go pads to widths up to 10**8
            if verb == "%":
                out.append("%")
            elif not good_arg_num:
                out.append("%!" + verb + "(BADINDEX)")
            elif arg_num >= len(args):
                out.append("%!" + verb + "(MISSING)")
            else:
                if verb == "v":
                    self.sharp_v = self.sharp
                    self.sharp = False
                    self.plus_v = self.plus
                    self.plus = False
                self.print_arg(args[arg_num], verb)
                arg_num += 1
        if not reordered and arg_num < len(args):
            self.clear_flags()
            out.append("%!(EXTRA ")
            for position, arg in enumerate(args[arg_num:]):
                if position:
                    out.append(", ")
                if arg is None:
                    out.append("<nil>")
                else:
                    out.append(_type_name(arg) + "=")
                    self.print_arg(arg, "v")
            out.append(")")

    def do_print(self, args: tuple[Any, ...]) -> None:
        previous_string = False
        for index, arg in enumerate(args):
            is_string = arg is not None and _is_string_kind(arg)
            if index > 0 and not is_string and not previous_string:
                self.out.append(" ")
            self.print_arg(arg, "v")
            previous_string = is_string

    def do_println(self, args: tuple[Any, ...]) -> None:
        for index, arg in enumerate(args):
            if index > 0:
                self.out.append(" ")
            self.print_arg(arg, "v")
        self.out.append("\n")


def _is_string_kind(value: Any) -> bool:
    if type(value) is str:
        return True
    t = type_of(value)
    return t is not None and t.kind == "string"


def _type_name(value: Any) -> str:
    t = type_of(value)
    return "<nil>" if t is None else t.name


def _method_text(value: Any, method: str) -> str:
    t = type_of(value)
    assert t is not None
    declared = t.method(method)
    if declared is not None:
        return str(declared.fn(value))
    return str(value)


def _panic_text(problem: Exception) -> str:
    return str(problem)


def sorted_keys(mapping: Any) -> list[Any]:
    """Map keys in Go's ``fmtsort`` order (numbers numerically, strings bytewise, false<true)."""
    keys = list(mapping.keys())
    if len(keys) < 2:
        return keys
    try:
        return sorted(keys, key=_sort_key)
    except TypeError:
        return sorted(keys, key=lambda key: (_type_name(key), str(key)))


def _sort_key(key: Any) -> Any:
    if isinstance(key, float) and math.isnan(key):
        return (0, float("-inf"))
    if isinstance(key, (int, float)):
        return (1, key)
    return (1, key)


def _parse_num(text: str, start: int, end: int) -> tuple[int, bool, int]:
    """fmt's parsenum: digits at ``start`` as a number; over 1e6 counts as not a number."""
    number = 0
    is_number = False
    index = start
    while index < end and "0" <= text[index] <= "9":
        if number > 1_000_000 or number < -1_000_000:
            return 0, False, end
        number = number * 10 + ord(text[index]) - 48
        is_number = True
        index += 1
    return number, is_number, index


def _arg_number(
    arg_num: int, text: str, index: int, num_args: int
) -> tuple[int, int, bool, bool | None]:
    """An explicit argument index ``[n]``: new arg number, new position, whether one was
    found, and whether it was good (None when there was no index at all)."""
    if len(text) <= index or text[index] != "[":
        return arg_num, index, False, None
    width = 1
    ok = False
    value = 0
    rest = text[index:]
    if len(rest) >= 3:
        for position in range(1, len(rest)):
            if rest[position] == "]":
                number, is_number, new_position = _parse_num(rest, 1, position)
                if not is_number or new_position != position:
                    width = position + 1
                    break
                value, width, ok = number - 1, position + 1, True
                break
    if ok and 0 <= value < num_args:
        return value, index + width, True, True
    return arg_num, index + width, ok, False


def _int_from_arg(args: tuple[Any, ...], arg_num: int) -> tuple[int, bool, int]:
    """A ``*`` width or precision taken from an argument."""
    number = 0
    is_int = False
    new_arg_num = arg_num
    if arg_num < len(args):
        arg = args[arg_num]
        if isinstance(arg, int) and type(arg) is not bool:
            t = type_of(arg)
            if (t is not None and t.kind in INT_KINDS and -(1 << 63) <= arg < (1 << 63)) or (
                t is not None and t.kind in UINT_KINDS and int(arg) < (1 << 63)
            ):
                number, is_int = int(arg), True
        new_arg_num = arg_num + 1
        if number > 1_000_000 or number < -1_000_000:
            number = 0
            is_int = False
    return number, is_int, new_arg_num


def sprintf(format_text: str, *args: Any) -> str:
    """Go's ``fmt.Sprintf`` (within mittnite's size limit per value)."""
    printer = _Printer()
    printer.do_printf(format_text, args)
    check_size(sum(map(len, printer.out)))
    return "".join(printer.out)


def errorf_text(format_text: str, *args: Any) -> str:
    """The message of Go's ``fmt.Errorf``: like ``sprintf``, and ``%w`` formats an error."""
    printer = _Printer()
    printer.wrap_errors = True
    printer.do_printf(format_text, args)
    return "".join(printer.out)


def sprint(*args: Any) -> str:
    """Go's ``fmt.Sprint``: spaces only between operands when neither is a string."""
    if len(args) == 1 and type(args[0]) is str:
        return str(args[0])
    printer = _Printer()
    printer.do_print(args)
    return "".join(printer.out)


def sprintln(*args: Any) -> str:
    """Go's ``fmt.Sprintln``: operands separated by spaces, then a newline."""
    printer = _Printer()
    printer.do_println(args)
    return "".join(printer.out)


def sprint_value(value: Any) -> str:
    """``fmt.Sprint(value)`` for one value, with fast paths for the common kinds."""
    py_type = type(value)
    if py_type is str:
        return value  # type: ignore[no-any-return]
    if py_type is int:
        return str(value)
    if py_type is bool:
        return "true" if value else "false"
    printer = _Printer()
    printer.print_arg(value, "v")
    return "".join(printer.out)
