"""The few OpenSSL operations sprig's crypto functions need, through ctypes.

Key generation, key (de)serialisation, signatures, AES-CBC and certificate parsing
run in libcrypto; everything with a format Go dictates (certificate bodies, PEM,
names) is built in Python by the caller. Works with OpenSSL 3 and 1.1.1 (the
functions OpenSSL 3 renamed are looked up under both names).
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER, byref, c_char_p, c_int, c_long, c_size_t, c_ulong, c_void_p
from functools import cache
from typing import Any

from mittnite.native.loader import libcrypto

# NIDs and control codes of OpenSSL's stable ABI (openssl/obj_mac.h, evp.h, rsa.h, ec.h, dsa.h).
NID_RSA, NID_DSA, NID_EC, NID_ED25519 = 6, 116, 408, 1087
NID_P256 = 415
_OP_PARAMGEN, _OP_KEYGEN = 1 << 1, 1 << 2
_ALG_CTRL = 0x1000
_CTRL_RSA_KEYGEN_BITS = _ALG_CTRL + 3
_CTRL_EC_PARAMGEN_CURVE_NID = _ALG_CTRL + 1
_CTRL_DSA_PARAMGEN_BITS = _ALG_CTRL + 1
_CTRL_DSA_PARAMGEN_Q_BITS = _ALG_CTRL + 2

KIND_BY_NID = {NID_RSA: "rsa", NID_DSA: "dsa", NID_EC: "ec", NID_ED25519: "ed25519"}

_PP = POINTER(c_void_p)
# name: (result type, argument types, older name)
_PROTOTYPES: dict[str, tuple[Any, list[Any], str | None]] = {
    "ERR_get_error": (c_ulong, [], None),
    "ERR_error_string_n": (None, [c_ulong, c_char_p, c_size_t], None),
    "ERR_clear_error": (None, [], None),
    "EVP_PKEY_CTX_new_id": (c_void_p, [c_int, c_void_p], None),
    "EVP_PKEY_CTX_new": (c_void_p, [c_void_p, c_void_p], None),
    "EVP_PKEY_CTX_free": (None, [c_void_p], None),
    "EVP_PKEY_CTX_ctrl": (c_int, [c_void_p, c_int, c_int, c_int, c_int, c_void_p], None),
    "EVP_PKEY_keygen_init": (c_int, [c_void_p], None),
    "EVP_PKEY_keygen": (c_int, [c_void_p, _PP], None),
    "EVP_PKEY_paramgen_init": (c_int, [c_void_p], None),
    "EVP_PKEY_paramgen": (c_int, [c_void_p, _PP], None),
    "EVP_PKEY_free": (None, [c_void_p], None),
    "EVP_PKEY_get_base_id": (c_int, [c_void_p], "EVP_PKEY_base_id"),
    "EVP_PKEY_get_bits": (c_int, [c_void_p], "EVP_PKEY_bits"),
    "i2d_PrivateKey": (c_int, [c_void_p, _PP], None),
    "i2d_PUBKEY": (c_int, [c_void_p, _PP], None),
    "d2i_AutoPrivateKey": (c_void_p, [c_void_p, _PP, c_long], None),
    "EVP_MD_CTX_new": (c_void_p, [], "EVP_MD_CTX_create"),
    "EVP_MD_CTX_free": (None, [c_void_p], "EVP_MD_CTX_destroy"),
    "EVP_DigestSignInit": (c_int, [c_void_p, c_void_p, c_void_p, c_void_p, c_void_p], None),
    "EVP_DigestSign": (c_int, [c_void_p, c_void_p, POINTER(c_size_t), c_char_p, c_size_t], None),
    "EVP_sha256": (c_void_p, [], None),
    "EVP_sha384": (c_void_p, [], None),
    "EVP_sha512": (c_void_p, [], None),
    "d2i_X509": (c_void_p, [c_void_p, _PP, c_long], None),
    "X509_free": (None, [c_void_p], None),
    "X509_get_subject_name": (c_void_p, [c_void_p], None),
    "i2d_X509_NAME": (c_int, [c_void_p, _PP], None),
    "X509_get0_subject_key_id": (c_void_p, [c_void_p], None),
    "ASN1_STRING_length": (c_int, [c_void_p], None),
    "ASN1_STRING_get0_data": (c_void_p, [c_void_p], None),
    "EVP_CIPHER_CTX_new": (c_void_p, [], None),
    "EVP_CIPHER_CTX_free": (None, [c_void_p], None),
    "EVP_CIPHER_CTX_set_padding": (c_int, [c_void_p, c_int], None),
    "EVP_CipherInit_ex": (c_int, [c_void_p, c_void_p, c_void_p, c_char_p, c_char_p, c_int], None),
    "EVP_CipherUpdate": (c_int, [c_void_p, c_void_p, POINTER(c_int), c_char_p, c_int], None),
    "EVP_CipherFinal_ex": (c_int, [c_void_p, c_void_p, POINTER(c_int)], None),
    "EVP_aes_256_cbc": (c_void_p, [], None),
}


class OpenSSLError(Exception):
    """An OpenSSL call failed; the message is OpenSSL's first queued error, if any."""


class _Functions:
    """libcrypto's functions with their prototypes, bound on first use."""

    def __getattr__(self, name: str) -> Any:
        restype, argtypes, older = _PROTOTYPES[name]
        library = libcrypto()
        try:
            function = getattr(library, name)
        except AttributeError:
            if older is None:
                raise
            function = getattr(library, older)
        function.restype = restype
        function.argtypes = argtypes
        setattr(self, name, function)
        return function


@cache
def _lib() -> _Functions:
    return _Functions()


def _fail(what: str) -> OpenSSLError:
    lib = _lib()
    code = lib.ERR_get_error()
    lib.ERR_clear_error()
    if code:
        buffer = ctypes.create_string_buffer(256)
        lib.ERR_error_string_n(code, buffer, len(buffer))
        return OpenSSLError(f"{what}: {buffer.value.decode(errors='replace')}")
    return OpenSSLError(what)


def _i2d(function: Any, pointer: int | None) -> bytes:
    """Call an OpenSSL ``i2d_*`` encoder twice: for the length, then into our buffer."""
    length = function(pointer, None)
    if length <= 0:
        raise _fail(function.__name__)
    buffer = ctypes.create_string_buffer(length)
    cursor = c_void_p(ctypes.addressof(buffer))
    if function(pointer, byref(cursor)) != length:
        raise _fail(function.__name__)
    return buffer.raw


def _d2i(function: Any, der: bytes) -> int | None:
    """Call an OpenSSL ``d2i_*`` decoder on all of ``der``; None if it does not parse."""
    buffer = ctypes.create_string_buffer(der, len(der))
    cursor = c_void_p(ctypes.addressof(buffer))
    pointer: int | None = function(None, byref(cursor), len(der))
    _lib().ERR_clear_error()
    return pointer


class PrivateKey:
    """An OpenSSL ``EVP_PKEY`` holding a private key; freed with the object."""

    __slots__ = ("_pointer", "bits", "kind")

    def __init__(self, pointer: int) -> None:
        self._pointer = pointer
        lib = _lib()
        self.kind = KIND_BY_NID.get(lib.EVP_PKEY_get_base_id(pointer), "other")
        self.bits: int = lib.EVP_PKEY_get_bits(pointer)

    def __del__(self) -> None:
        if self._pointer:
            _lib().EVP_PKEY_free(self._pointer)
            self._pointer = 0

    def private_der(self) -> bytes:
        """PKCS#1 for RSA, SEC 1 for EC, OpenSSL's DSA form; PKCS#8 for the others."""
        return _i2d(_lib().i2d_PrivateKey, self._pointer)

    def public_der(self) -> bytes:
        """The SubjectPublicKeyInfo (what a certificate carries)."""
        return _i2d(_lib().i2d_PUBKEY, self._pointer)

    def sign(self, data: bytes, digest: str | None) -> bytes:
        """PKCS#1 v1.5 (RSA), DER ECDSA or Ed25519 signature of ``data``; ``digest`` is
        ``sha256``/``sha384``/``sha512``, or None for Ed25519."""
        lib = _lib()
        md = getattr(lib, f"EVP_{digest}")() if digest else None
        context = lib.EVP_MD_CTX_new()
        if not context:
            raise _fail("EVP_MD_CTX_new")
        try:
            if lib.EVP_DigestSignInit(context, None, md, None, self._pointer) != 1:
                raise _fail("EVP_DigestSignInit")
            length = c_size_t(0)
            if lib.EVP_DigestSign(context, None, byref(length), data, len(data)) != 1:
                raise _fail("EVP_DigestSign")
            signature = ctypes.create_string_buffer(length.value)
            if lib.EVP_DigestSign(context, signature, byref(length), data, len(data)) != 1:
                raise _fail("EVP_DigestSign")
            return signature.raw[: length.value]
        finally:
            lib.EVP_MD_CTX_free(context)


def _context_for(nid: int) -> int:
    context: int | None = _lib().EVP_PKEY_CTX_new_id(nid, None)
    if not context:
        raise _fail("EVP_PKEY_CTX_new_id")
    return context


def _ctrl(context: int, nid: int, operation: int, command: int, value: int) -> None:
    if _lib().EVP_PKEY_CTX_ctrl(context, nid, operation, command, value, None) <= 0:
        raise _fail("EVP_PKEY_CTX_ctrl")


def _keygen(context: int) -> PrivateKey:
    lib = _lib()
    key = c_void_p()
    if lib.EVP_PKEY_keygen(context, byref(key)) != 1 or not key.value:
        raise _fail("EVP_PKEY_keygen")
    return PrivateKey(key.value)


def generate_rsa(bits: int) -> PrivateKey:
    """A new RSA key (public exponent 65537)."""
    lib = _lib()
    context = _context_for(NID_RSA)
    try:
        if lib.EVP_PKEY_keygen_init(context) != 1:
            raise _fail("EVP_PKEY_keygen_init")
        _ctrl(context, NID_RSA, _OP_KEYGEN, _CTRL_RSA_KEYGEN_BITS, bits)
        return _keygen(context)
    finally:
        lib.EVP_PKEY_CTX_free(context)


def generate_p256() -> PrivateKey:
    """A new ECDSA key on P-256 (named curve)."""
    lib = _lib()
    context = _context_for(NID_EC)
    try:
        if lib.EVP_PKEY_keygen_init(context) != 1:
            raise _fail("EVP_PKEY_keygen_init")
        _ctrl(context, NID_EC, _OP_PARAMGEN | _OP_KEYGEN, _CTRL_EC_PARAMGEN_CURVE_NID, NID_P256)
        return _keygen(context)
    finally:
        lib.EVP_PKEY_CTX_free(context)


def generate_ed25519() -> PrivateKey:
    lib = _lib()
    context = _context_for(NID_ED25519)
    try:
        if lib.EVP_PKEY_keygen_init(context) != 1:
            raise _fail("EVP_PKEY_keygen_init")
        return _keygen(context)
    finally:
        lib.EVP_PKEY_CTX_free(context)


def generate_dsa(bits: int, q_bits: int) -> PrivateKey:
    """A new DSA key with freshly generated (L, N) = (bits, q_bits) parameters."""
    lib = _lib()
    context = _context_for(NID_DSA)
    try:
        if lib.EVP_PKEY_paramgen_init(context) != 1:
            raise _fail("EVP_PKEY_paramgen_init")
        _ctrl(context, NID_DSA, _OP_PARAMGEN, _CTRL_DSA_PARAMGEN_BITS, bits)
        _ctrl(context, NID_DSA, _OP_PARAMGEN, _CTRL_DSA_PARAMGEN_Q_BITS, q_bits)
        parameters = c_void_p()
        if lib.EVP_PKEY_paramgen(context, byref(parameters)) != 1 or not parameters.value:
            raise _fail("EVP_PKEY_paramgen")
    finally:
        lib.EVP_PKEY_CTX_free(context)
    try:
        key_context = lib.EVP_PKEY_CTX_new(parameters.value, None)
        if not key_context:
            raise _fail("EVP_PKEY_CTX_new")
        try:
            if lib.EVP_PKEY_keygen_init(key_context) != 1:
                raise _fail("EVP_PKEY_keygen_init")
            return _keygen(key_context)
        finally:
            lib.EVP_PKEY_CTX_free(key_context)
    finally:
        lib.EVP_PKEY_free(parameters.value)


def load_private_key(der: bytes) -> PrivateKey | None:
    """A private key from DER of any common container (PKCS#8, PKCS#1, SEC 1, DSA)."""
    pointer = _d2i(_lib().d2i_AutoPrivateKey, der)
    return PrivateKey(pointer) if pointer else None


class Certificate:
    """The parts of a parsed X.509 certificate that issuing needs."""

    __slots__ = ("subject_der", "subject_key_id")

    def __init__(self, subject_der: bytes, subject_key_id: bytes | None) -> None:
        self.subject_der = subject_der
        self.subject_key_id = subject_key_id


def load_certificate(der: bytes) -> Certificate | None:
    """Parse a DER certificate; None if OpenSSL rejects it."""
    lib = _lib()
    pointer = _d2i(lib.d2i_X509, der)
    if not pointer:
        return None
    try:
        subject = _i2d(lib.i2d_X509_NAME, lib.X509_get_subject_name(pointer))
        key_id = lib.X509_get0_subject_key_id(pointer)
        identifier = None
        if key_id:
            length = lib.ASN1_STRING_length(key_id)
            identifier = ctypes.string_at(lib.ASN1_STRING_get0_data(key_id), length)
        return Certificate(subject, identifier)
    finally:
        lib.X509_free(pointer)


def aes_256_cbc(key: bytes, iv: bytes, data: bytes, encrypt: bool) -> bytes:
    """AES-256-CBC without padding (``data`` is whole blocks; the caller pads)."""
    lib = _lib()
    context = lib.EVP_CIPHER_CTX_new()
    if not context:
        raise _fail("EVP_CIPHER_CTX_new")
    try:
        if lib.EVP_CipherInit_ex(context, lib.EVP_aes_256_cbc(), None, key, iv, int(encrypt)) != 1:
            raise _fail("EVP_CipherInit_ex")
        lib.EVP_CIPHER_CTX_set_padding(context, 0)
        output = ctypes.create_string_buffer(len(data) + 32)
        written, tail = c_int(0), c_int(0)
        if lib.EVP_CipherUpdate(context, output, byref(written), data, len(data)) != 1:
            raise _fail("EVP_CipherUpdate")
        end = ctypes.cast(ctypes.addressof(output) + written.value, c_void_p)
        if lib.EVP_CipherFinal_ex(context, end, byref(tail)) != 1:
            raise _fail("EVP_CipherFinal_ex")
        return output.raw[: written.value + tail.value]
    finally:
        lib.EVP_CIPHER_CTX_free(context)
