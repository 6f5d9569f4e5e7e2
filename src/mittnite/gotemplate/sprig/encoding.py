"""sprig's encoding and checksum functions: base64, base32, sha1/sha256/sha512, adler32.

The decoders reproduce Go's ``encoding/base64`` and ``encoding/base32``
(standard alphabets, padding required, CR/LF ignored) down to their error
texts, because sprig returns the error text *as the result* of ``b64dec`` /
``b32dec`` (``illegal base64 data at input byte 4``) and templates may
render it. Decoded bytes that are not UTF-8 become surrogate escapes, the
engine's representation of arbitrary Go bytes. ``sha512sum`` is new in
sprig 3.3.0.
"""

from __future__ import annotations

from mittnite.gotemplate.funcs import FuncMap, gofunc

__all__ = ["FUNCS"]


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


class _Corrupt(Exception):
    """Go's ``CorruptInputError``: the offset of the offending input byte."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_VALUES = {byte: index for index, byte in enumerate(_B64_ALPHABET)}
_B32_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32_VALUES = {byte: index for index, byte in enumerate(_B32_ALPHABET)}
_NEWLINES = b"\r\n"
_PAD = ord("=")


def _b64_quantum(src: bytes, pos: int, out: bytearray) -> tuple[int, int | None]:
    """Decode one 4-character quantum at ``pos`` (Go's ``decodeQuantum``).

    Returns the next position and, for data after the final padding, the
    offset to report once the quantum is decoded.
    """
    end = len(src)
    values: list[int] = []
    trailing: int | None = None
    while len(values) < 4:
        if pos == end:
            if not values:
                return pos, None
            raise _Corrupt(pos - len(values))
        byte = src[pos]
        pos += 1
        value = _B64_VALUES.get(byte)
        if value is not None:
            values.append(value)
            continue
        if byte in _NEWLINES:
            continue
        if byte != _PAD or len(values) < 2:
            raise _Corrupt(pos - 1)
        if len(values) == 2:  # "==" expected: the second "=" must follow
            while pos < end and src[pos] in _NEWLINES:
                pos += 1
            if pos == end:
                raise _Corrupt(end)
            if src[pos] != _PAD:
                raise _Corrupt(pos - 1)
            pos += 1
        while pos < end and src[pos] in _NEWLINES:
            pos += 1
        if pos < end:
            trailing = pos
        break
    bits = 0
    for value in values:
        bits = bits << 6 | value
    bits <<= 6 * (4 - len(values))
    out += bits.to_bytes(3, "big")[: len(values) - 1]
    return pos, trailing


def _b64_decode(src: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while pos < len(src):
        pos, trailing = _b64_quantum(src, pos, out)
        if trailing is not None:
            raise _Corrupt(trailing)
    return bytes(out)


def _b32_decode(src: bytes) -> bytes:
    """Go's base32 ``DecodeString``: newlines are dropped first, offsets count without them."""
    src = src.replace(b"\r", b"").replace(b"\n", b"")
    end = len(src)
    out = bytearray()
    pos = 0
    done = False
    while pos < end and not done:
        values: list[int] = []
        while len(values) < 8:
            if pos == end:
                raise _Corrupt(pos - len(values))  # padding missing
            byte = src[pos]
            pos += 1
            filled = len(values)
            if byte == _PAD and filled >= 2 and end - pos < 8:
                if end - pos + filled < 7:
                    raise _Corrupt(end)  # not enough padding
                for ahead in range(7 - filled):
                    if pos + ahead < end and src[pos + ahead] != _PAD:
                        raise _Corrupt(pos + ahead - 1)
                if filled in (1, 3, 6):
                    raise _Corrupt(pos - 1)
                done = True  # whatever follows the padding is not looked at
                break
            value = _B32_VALUES.get(byte)
            if value is None:
                raise _Corrupt(pos - 1)
            values.append(value)
        bits = 0
        for value in values:
            bits = bits << 5 | value
        bits <<= 5 * (8 - len(values))
        out += bits.to_bytes(5, "big")[: {8: 5, 7: 4, 5: 3, 4: 2, 2: 1}.get(len(values), 0)]
    return bytes(out)


@gofunc("string", result="string")
def b64enc(text: str) -> str:
    import base64

    return base64.b64encode(_bytes(text)).decode("ascii")


@gofunc("string", result="string")
def b64dec(text: str) -> str:
    """The decoded text, or Go's error text (sprig returns it in place of the result)."""
    try:
        return _text(_b64_decode(_bytes(text)))
    except _Corrupt as error:
        return f"illegal base64 data at input byte {error.offset}"


@gofunc("string", result="string")
def b32enc(text: str) -> str:
    import base64

    return base64.b32encode(_bytes(text)).decode("ascii")


@gofunc("string", result="string")
def b32dec(text: str) -> str:
    """The decoded text, or Go's error text (sprig returns it in place of the result)."""
    try:
        return _text(_b32_decode(_bytes(text)))
    except _Corrupt as error:
        return f"illegal base32 data at input byte {error.offset}"


def _hexdigest(algorithm: str, text: str) -> str:
    import hashlib

    return hashlib.new(algorithm, _bytes(text)).hexdigest()


@gofunc("string", result="string")
def sha1sum(text: str) -> str:
    return _hexdigest("sha1", text)


@gofunc("string", result="string")
def sha256sum(text: str) -> str:
    return _hexdigest("sha256", text)


@gofunc("string", result="string")
def sha512sum(text: str) -> str:
    return _hexdigest("sha512", text)


@gofunc("string", result="string")
def adler32sum(text: str) -> str:
    """The Adler-32 checksum in decimal."""
    import zlib

    return str(zlib.adler32(_bytes(text)))


FUNCS: FuncMap = {
    "b64enc": b64enc,
    "b64dec": b64dec,
    "b32enc": b32enc,
    "b32dec": b32dec,
    "sha1sum": sha1sum,
    "sha256sum": sha256sum,
    "sha512sum": sha512sum,
    "adler32sum": adler32sum,
}
