"""Find the libraries behind :mod:`mittnite.native`, once per process."""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ctypes


def static_executable() -> bool:
    """Whether this is mittnite's static executable (its C side is built in)."""
    return "_mittnite_native" in sys.builtin_module_names


@cache
def libc() -> ctypes.CDLL:
    """The C library (and, in the static executable, everything linked into it)."""
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


@cache
def libcrypto() -> ctypes.CDLL:
    """OpenSSL's libcrypto: the one Python's ``_hashlib`` already mapped, so that two
    OpenSSL versions never share a process."""
    import ctypes

    if static_executable():
        return libc()
    import _hashlib  # noqa: F401  # maps libcrypto into the process

    candidates = [*_mapped("libcrypto.so"), "libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"]
    errors = []
    for candidate in candidates:
        try:
            return ctypes.CDLL(candidate, use_errno=True)
        except OSError as error:
            errors.append(str(error))
    raise OSError("cannot load OpenSSL's libcrypto: " + "; ".join(errors))


@cache
def libcrypt() -> ctypes.CDLL:
    """The library with crypt(3): libxcrypt on glibc systems, libc itself on musl."""
    import ctypes

    if not static_executable():
        try:
            return ctypes.CDLL("libcrypt.so.1", use_errno=True)
        except OSError:
            pass
    library = libc()
    try:
        library.crypt  # noqa: B018  # musl has crypt(3) in libc
    except AttributeError:
        raise OSError("no crypt(3) in this system (install libcrypt1)") from None
    return library


def _mapped(fragment: str) -> list[str]:
    """Paths of shared libraries mapped into this process whose name contains ``fragment``."""
    try:
        with open("/proc/self/maps") as maps:
            lines = maps.read().splitlines()
    except OSError:
        return []
    found: list[str] = []
    for line in lines:
        path = line.split(maxsplit=5)[-1] if line.count(" ") >= 5 else ""
        if fragment in path.rsplit("/", 1)[-1] and path.startswith("/") and path not in found:
            found.append(path)
    return found
