"""sprig's crypto, UUID and network functions: Go's recorded answers where they are
deterministic, verification with ``cryptography``/``bcrypt`` where they are random.

Those two packages are test-only: an implementation independent of ours (which
runs on OpenSSL's libcrypto and crypt(3) through mittnite.native) checks what ours
makes. ``data/sprig_bcrypt.json`` (``data/gen_sprig_bcrypt.py``) holds hashes Go made.

``data/sprig_crypto.json`` (recorded by ``data/gen_sprig_values.py``) holds
deterministic cases (``derivePassword``, ``decryptAES`` errors and panics, key
and certificate parsing errors, type checks), and values Go generated at random:
keys of every kind, a CA, AES ciphertexts, and sample certificates whose
structure (profile, extensions, names, signature algorithm) ours must repeat.
"""

from __future__ import annotations

import base64
import re
import socket
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mittnite.gotemplate.exec import parse
from mittnite.gotemplate.sprig.crypto import b64decode_go
from mittnite.render import template_data

from .cases import check, funcs, load, render

DATA = load("sprig_crypto.json")
BCRYPT = load("sprig_bcrypt.json")


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["template"][:70] for c in DATA["cases"]])
def test_matches_go(case: dict[str, Any]) -> None:
    check(case, DATA)


def test_cases_cover_every_function() -> None:
    listed = (
        "derivePassword bcrypt htpasswd genPrivateKey genCA genCAWithKey genSelfSignedCert "
        "genSelfSignedCertWithKey genSignedCert genSignedCertWithKey buildCustomCert "
        "encryptAES decryptAES randBytes uuidv4 getHostByName"
    )
    names = listed.split()
    text = " ".join(case["template"] for case in DATA["cases"])
    assert [name for name in names if not re.search(rf"(?<![\w.]){name} ", text)] == []


def _ok(template: str, params: dict[str, Any] | None = None) -> str:
    return parse("t", template, funcs()).render(template_data(params or {}, {}))


# -- AES ---------------------------------------------------------------------------------


@pytest.mark.parametrize("item", DATA["encrypted"], ids=lambda item: item["encrypted"][:20])
def test_decrypts_what_go_encrypted(item: dict[str, str]) -> None:
    template = "{{ decryptAES .Params.password .Params.encrypted }}"
    assert _ok(template, item) == item["plaintext"]


@settings(max_examples=50)
@given(st.text(max_size=40), st.text(min_size=1, max_size=100))
def test_encrypt_decrypt_round_trip(password: str, plaintext: str) -> None:
    params = {"password": password, "plaintext": plaintext}
    encrypted = _ok("{{ encryptAES .Params.password .Params.plaintext }}", params)
    raw = base64.b64decode(encrypted)
    assert len(raw) % 16 == 0 and len(raw) >= 32
    assert (
        _ok("{{ decryptAES .Params.password .Params.e }}", {**params, "e": encrypted}) == plaintext
    )


def test_encrypt_is_aes_256_cbc_with_pkcs7_and_random_iv() -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    first = base64.b64decode(_ok('{{ encryptAES "key" "hello" }}'))
    second = base64.b64decode(_ok('{{ encryptAES "key" "hello" }}'))
    assert first[:16] != second[:16]
    key = b"key" + bytes(29)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(first[:16])).decryptor()
    assert decryptor.update(first[16:]) + decryptor.finalize() == b"hello" + bytes([11]) * 11


@given(st.binary(max_size=60))
def test_go_base64_decodes_what_it_should(data: bytes) -> None:
    text = base64.b64encode(data).decode()
    assert b64decode_go(text)[0] == data
    wrapped = "\n".join(text[i : i + 8] for i in range(0, len(text), 8)) + "\r\n"
    assert b64decode_go(wrapped)[0] == data


# -- passwords -----------------------------------------------------------------------------


def test_bcrypt_hashes_verify() -> None:
    import bcrypt

    hashed = _ok('{{ bcrypt "s3cr3t" }}')
    assert hashed.startswith("$2a$10$") and len(hashed) == 60
    assert bcrypt.checkpw(b"s3cr3t", hashed.encode())
    assert not bcrypt.checkpw(b"other", hashed.encode())
    assert hashed != _ok('{{ bcrypt "s3cr3t" }}')  # salted


def test_htpasswd_line_verifies() -> None:
    import bcrypt

    user, _, hashed = _ok('{{ htpasswd "alice" "wonder land" }}').partition(":")
    assert user == "alice"
    assert bcrypt.checkpw(b"wonder land", hashed.encode())


@pytest.mark.parametrize("item", BCRYPT["hashes"], ids=lambda item: item["hash"][-8:])
def test_bcrypt_recomputes_go_hashes(item: dict[str, str]) -> None:
    """The same password and salt give Go's hash byte for byte (what verifying needs)."""
    from mittnite.native.bcrypt import crypt

    assert crypt(item["password"].encode(), item["hash"]) == item["hash"]
    assert crypt(b"wrong" + item["password"].encode()[:60], item["hash"]) != item["hash"]


def test_bcrypt_salt_encoding_round_trips() -> None:
    """Our salts are written in bcrypt's own base64, so crypt(3) echoes them unchanged."""
    from mittnite.native.bcrypt import encode_salt, hash_password

    salt = bytes(range(16))
    hashed = hash_password(b"pw", cost=4, salt=salt)
    assert hashed.startswith("$2a$04$" + encode_salt(salt)) and len(hashed) == 60


def test_bcrypt_refuses_passwords_over_72_bytes() -> None:
    """golang.org/x/crypto (>= 0.14, as mittnite links) rejects them instead of truncating."""
    message = "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    assert _ok('{{ bcrypt (printf "%073d" 0) }}') == message
    assert _ok('{{ htpasswd "u" (printf "%080d" 0) }}') == "u:" + message


# -- random values --------------------------------------------------------------------------


def test_uuidv4_and_rand_bytes() -> None:
    first, second, raw = _ok("{{ uuidv4 }} {{ uuidv4 }} {{ randBytes 33 }}").split()
    pattern = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    assert re.fullmatch(pattern, first) and re.fullmatch(pattern, second)
    assert first != second
    assert len(base64.b64decode(raw, validate=True)) == 33


# -- keys and certificates -----------------------------------------------------------------


def _load_key(pem: str) -> Any:
    """Parse a key with the independent library (it deprecates DSA, which sprig still makes)."""
    import warnings

    from cryptography.hazmat.primitives import serialization

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated")
        return serialization.load_pem_private_key(pem.encode(), password=None)


@pytest.mark.parametrize(
    ("kind", "header", "check_key"),
    [
        ("rsa", "RSA PRIVATE KEY", lambda k: k.key_size == 4096),
        ("", "RSA PRIVATE KEY", lambda k: k.key_size == 4096),
        ("ecdsa", "EC PRIVATE KEY", lambda k: k.curve.name == "secp256r1"),
        ("ed25519", "PRIVATE KEY", lambda k: type(k).__name__.startswith("Ed25519")),
        ("dsa", "DSA PRIVATE KEY",
         lambda k: (k.key_size, k.parameters().parameter_numbers().q.bit_length()) == (2048, 256)),
    ],
)  # fmt: skip
def test_gen_private_key(
    kind: str, header: str, check_key: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    pem = _ok(f'{{{{ genPrivateKey "{kind}" }}}}')
    assert capfd.readouterr().err == ""  # issue 15: no deprecation warning on stderr
    assert pem.startswith(f"-----BEGIN {header}-----\n")
    assert pem.endswith(f"-----END {header}-----\n")
    assert all(len(line) <= 64 for line in pem.splitlines())
    assert check_key(_load_key(pem))


def _cert(pem: str) -> Any:
    from cryptography import x509

    return x509.load_pem_x509_certificate(pem.encode())


def test_gen_ca_is_a_self_signed_ca() -> None:
    from cryptography import x509

    cert_pem, key_pem = _ok('{{ $c := genCA "my-ca" 365 }}{{ $c.Cert }}|{{ $c.Key }}').split("|")
    cert = _cert(cert_pem)
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert cert.subject == cert.issuer
    cert.verify_directly_issued_by(cert)
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 365
    key = _load_key(key_pem)
    assert key.key_size == 2048
    assert cert.public_key() == key.public_key()


def test_gen_signed_cert_verifies_against_its_ca() -> None:
    import ipaddress

    from cryptography import x509

    output = _ok(
        '{{ $ca := genCA "ca" 30 }}{{ $c := genSignedCert "srv" (list "10.0.0.1" "::1") '
        '(list "a.example") 10 $ca }}{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}'
    )
    ca_pem, cert_pem, key_pem = output.split("|")
    ca, cert = _cert(ca_pem), _cert(cert_pem)
    cert.verify_directly_issued_by(ca)
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["a.example"]
    assert san.get_values_for_type(x509.IPAddress) == [
        ipaddress.ip_address("10.0.0.1"),
        ipaddress.ip_address("::1"),
    ]
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    assert cert.public_key() == _load_key(key_pem).public_key()


def test_negative_validity_is_kept_and_signed() -> None:
    cert = _cert(_ok('{{ (genCA "past" -2).Cert }}'))
    assert (cert.not_valid_before_utc - cert.not_valid_after_utc).days == 2
    cert.verify_directly_issued_by(cert)


def _structure(pem: str) -> dict[str, Any]:
    from cryptography import x509

    cert = _cert(pem)
    extensions = []
    for extension in cert.extensions:
        value: Any = extension.value
        if isinstance(value, x509.SubjectKeyIdentifier):
            value = "subject key id"
        elif isinstance(value, x509.AuthorityKeyIdentifier):
            value = ("authority key id", value.key_identifier is not None)
        extensions.append((extension.oid.dotted_string, extension.critical, repr(value)))
    return {
        "version": cert.version,
        "signature": cert.signature_algorithm_oid.dotted_string,
        "subject": cert.subject.public_bytes(),
        "issuer": cert.issuer.public_bytes(),
        "validity": cert.not_valid_after_utc - cert.not_valid_before_utc,
        "extensions": extensions,
        "public key": type(cert.public_key()).__name__,
        "serial fits 128 bits": 0 < cert.serial_number < 2**128,
    }


@pytest.mark.parametrize("sample", DATA["samples"], ids=lambda s: s["template"][:60])
def test_certificates_have_go_structure(sample: dict[str, str]) -> None:
    params = dict(re.findall(r'(\w+) = ("(?:[^"\\]|\\.)*")', DATA["sample_params_hcl"]))
    keys = {
        name: bytes(text[1:-1], "utf-8").decode("unicode_escape") for name, text in params.items()
    }
    assert _structure(_ok(sample["template"], keys)) == _structure(sample["cert"])


def test_go_made_keys_sign_certificates() -> None:
    """Keys Go generated (every kind genPrivateKey makes) load and issue as sprig's would."""
    keys = DATA["keys"]
    for kind in ("rsa", "ecdsa", "ed25519"):
        cert = _cert(_ok('{{ (genSelfSignedCertWithKey "k" nil nil 1 .Params.k).Cert }}',
                         {"k": keys[kind]}))  # fmt: skip
        assert cert.public_key() == _load_key(keys[kind]).public_key()
        cert.verify_directly_issued_by(cert)
    _, error = render('{{ genCAWithKey "d" 1 .Env.K }}', {"K": keys["dsa"]}, None)
    assert "x509: certificate private key does not implement crypto.Signer" in str(error)


def test_build_custom_cert_returns_the_decoded_pem() -> None:
    ca = DATA["ca"]
    params = {
        "cert": base64.b64encode(ca["cert"].encode()).decode(),
        "key": base64.b64encode(ca["key"].encode()).decode(),
    }
    output = _ok(
        "{{ $c := buildCustomCert .Params.cert .Params.key }}{{ $c.Cert }}|{{ $c.Key }}|"
        '{{ (genSignedCert "leaf" nil nil 1 $c).Cert }}',
        params,
    )
    cert_pem, key_pem, leaf_pem = output.split("|")
    assert (cert_pem, key_pem) == (ca["cert"], ca["key"])
    _cert(leaf_pem).verify_directly_issued_by(_cert(ca["cert"]))


# -- network --------------------------------------------------------------------------------


def test_get_host_by_name_picks_one_of_the_addresses() -> None:
    try:
        expected = {info[4][0] for info in socket.getaddrinfo("localhost", None)}
    except OSError:
        pytest.skip("no resolver for localhost")
    output, error = render('{{ getHostByName "localhost" }}', {}, None)
    assert error is None
    assert output in expected
