"""bcrypt password hashes in Go's format (``$2a$10$`` + salt + hash), through crypt(3).

crypt(3) implements OpenBSD's bcrypt in libxcrypt (glibc systems), in musl's libc and
in the static executable (packaging/native/native.c): the same algorithm as Go's
golang.org/x/crypto/bcrypt, which sprig uses.
"""

from __future__ import annotations

import base64
import os
import threading

_STANDARD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_BCRYPT = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_TO_BCRYPT = bytes.maketrans(_STANDARD, _BCRYPT)
_lock = threading.Lock()  # crypt(3) returns a static buffer


class BcryptError(ValueError):
    """The password cannot be hashed (NUL bytes; crypt(3) takes C strings)."""


def encode_salt(salt: bytes) -> str:
    """bcrypt's base64 of 16 salt bytes: 22 characters of ``./A-Za-z0-9``."""
    return base64.b64encode(salt).translate(_TO_BCRYPT).decode("ascii")[:22]


def hash_password(password: bytes, cost: int = 10, salt: bytes | None = None) -> str:
    """A ``$2a$`` hash of ``password`` (at most 72 bytes are significant)."""
    setting = f"$2a${cost:02d}${encode_salt(salt if salt is not None else os.urandom(16))}"
    return crypt(password, setting)


def crypt(password: bytes, setting: str) -> str:
    """crypt(3) of ``password`` with a bcrypt ``setting`` (or a whole hash, to verify)."""
    import ctypes

    from mittnite.native.loader import libcrypt

    if b"\0" in password:
        raise BcryptError("password contains a NUL byte")
    if setting[:4] not in ("$2a$", "$2b$", "$2y$"):
        raise BcryptError(f"not a bcrypt setting: {setting[:4]}")
    function = libcrypt().crypt
    function.restype = ctypes.c_char_p
    function.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    with _lock:
        result: bytes | None = function(password, setting.encode("ascii"))
    if not result or not result.startswith(setting[:7].encode("ascii")):
        raise BcryptError(f"crypt(3) does not support {setting[:4]} hashes here")
    return result.decode("ascii")
