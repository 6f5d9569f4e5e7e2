"""mittnite.native: the ctypes layer over libc, crypt(3) and OpenSSL's libcrypto.

The same module runs in the static executable, where ``dlsym`` answers only for the
names in ``symbols.py`` (tests/e2e/test_standalone.py exercises that side); here the
pip install's libraries are checked against independent implementations and
published test vectors.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mittnite.native import bcrypt, loader, openssl, symbols

SRC = Path(__file__).resolve().parents[2] / "src" / "mittnite"


def test_every_function_called_through_ctypes_is_in_the_static_symbol_table() -> None:
    """A name missing from symbols.py would work in the pip install and fail in the static
    executable, so the table is checked against the code that calls C."""
    listed = set(symbols.ALL)
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        used |= set(re.findall(r"\blibc\.(\w+)\b", text))
        used |= set(re.findall(r"\blibcrypt\(\)\.(\w+)\b", text))
    used |= set(openssl._PROTOTYPES)
    assert used - listed == set()
    assert len(symbols.ALL) == len(listed)  # no duplicates


def test_pip_install_uses_the_process_libraries() -> None:
    assert not loader.static_executable()
    assert loader.libcrypto().EVP_PKEY_keygen
    assert loader.libcrypt().crypt
    assert loader.libc().prctl


def test_aes_256_cbc_matches_the_nist_vector() -> None:
    """NIST SP 800-38A, F.2.5/F.2.6 (CBC-AES256), first two blocks."""
    key = bytes.fromhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
    iv = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
    plain = bytes.fromhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
    cipher = bytes.fromhex("f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d")
    assert openssl.aes_256_cbc(key, iv, plain, encrypt=True) == cipher
    assert openssl.aes_256_cbc(key, iv, cipher, encrypt=False) == plain


@pytest.mark.parametrize(
    ("make", "kind", "digest"),
    [
        (lambda: openssl.generate_rsa(2048), "rsa", "sha256"),
        (openssl.generate_p256, "ec", "sha384"),
        (openssl.generate_ed25519, "ed25519", None),
    ],
)
def test_signatures_verify_with_an_independent_library(make, kind: str, digest: str | None) -> None:  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding

    key = make()
    assert key.kind == kind
    public = serialization.load_der_public_key(key.public_der())
    private = serialization.load_der_private_key(key.private_der(), password=None)
    assert private.public_key() == public
    message = b"signed by mittnite.native"
    signature = key.sign(message, digest)
    if kind == "rsa":
        public.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr, call-arg]
    elif kind == "ec":
        public.verify(signature, message, ec.ECDSA(hashes.SHA384()))  # type: ignore[union-attr, call-arg]
    else:
        public.verify(signature, message)  # type: ignore[union-attr, call-arg]
    reloaded = openssl.load_private_key(key.private_der())
    assert reloaded is not None and (reloaded.kind, reloaded.bits) == (kind, key.bits)


def test_garbage_is_not_a_key_or_certificate() -> None:
    assert openssl.load_private_key(b"\x30\x03\x02\x01\x00") is None
    assert openssl.load_certificate(b"not a certificate") is None


def test_openssl_failures_carry_openssl_s_reason() -> None:
    with pytest.raises(openssl.OpenSSLError, match="EVP_PKEY"):
        openssl.generate_rsa(16)


def test_bcrypt_rejects_what_crypt_cannot_hash() -> None:
    with pytest.raises(bcrypt.BcryptError, match="NUL"):
        bcrypt.hash_password(b"a\0b")
    with pytest.raises(bcrypt.BcryptError):
        bcrypt.crypt(b"x", "$1$notbcrypt$")
