"""sprig's cryptographic functions: passwords, keys, certificates, AES, random values.

Containers render secrets at start-up with these (an htpasswd line, a
self-signed certificate for a sidecar, a derived password), so the outputs
must be usable exactly like the Go original's: same PEM block types and key
encodings, same certificate profile (key usages, extended key usages, basic
constraints, key identifiers, SAN ordering), same AES-CBC layout
(IV + PKCS#7-padded ciphertext, base64), same Master Password algorithm, and
the same error texts and panics for bad input.

``cryptography``, ``bcrypt`` and friends are imported inside the functions:
an init that renders a plain template must not load OpenSSL.
"""

from __future__ import annotations

from typing import Any

from mittnite.gotemplate.errors import GoError, GoPanic
from mittnite.gotemplate.funcs import FuncMap, gofunc
from mittnite.gotemplate.values import GoStruct, define_type

# sprig's ``certificate`` struct: what the gen*/build* functions return and genSigned* take.
CERTIFICATE = define_type("sprig.certificate", "struct", fields=("Cert", "Key"))

# -- Go's base64 (StdEncoding) --------------------------------------------------------------

_B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_VALUES = {ord(char): index for index, char in enumerate(_B64_ALPHABET)}


class Base64Error(ValueError):
    """``base64.CorruptInputError``: ``illegal base64 data at input byte N``."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")


def b64decode_go(text: str) -> tuple[bytes, int]:
    """Go's ``base64.StdEncoding.DecodeString``: (data, capacity of Go's buffer).

    Newlines are skipped, padding is mandatory, and the error offset is
    the one Go reports. The capacity matters because Go's panic messages for
    short inputs quote it.
    """
    source = text.encode("utf-8", "surrogateescape")
    capacity = len(source) // 4 * 3
    out = bytearray()
    index = 0
    while True:
        quantum = [0, 0, 0, 0]
        length = 4
        j = 0
        finished = False
        while j < 4:
            if index == len(source):
                if j == 0:
                    return bytes(out), capacity
                raise Base64Error(index - j)
            byte = source[index]
            index += 1
            value = _B64_VALUES.get(byte)
            if value is not None:
                quantum[j] = value
                j += 1
                continue
            if byte in (0x0A, 0x0D):
                continue
            if byte != 0x3D:  # '='
                raise Base64Error(index - 1)
            if j in (0, 1):
                raise Base64Error(index - 1)
            if j == 2:
                while index < len(source) and source[index] in (0x0A, 0x0D):
                    index += 1
                if index == len(source):
                    raise Base64Error(len(source))
                if source[index] != 0x3D:
                    raise Base64Error(index - 1)
                index += 1
            while index < len(source) and source[index] in (0x0A, 0x0D):
                index += 1
            if index < len(source):
                raise Base64Error(index)
            length = j
            finished = True
            break
        value = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3]
        out += value.to_bytes(3, "big")[: length - 1]
        if finished:
            return bytes(out), capacity


def _b64encode(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


# -- derivePassword (Master Password algorithm) -------------------------------------------

_PASSWORD_TEMPLATES: dict[str, tuple[str, ...]] = {
    "maximum": ("anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"),
    "long": (
        "CvcvnoCvcvCvcv",
        "CvcvCvcvnoCvcv",
        "CvcvCvcvCvcvno",
        "CvccnoCvcvCvcv",
        "CvccCvcvnoCvcv",
        "CvccCvcvCvcvno",
        "CvcvnoCvccCvcv",
        "CvcvCvccnoCvcv",
        "CvcvCvccCvcvno",
        "CvcvnoCvcvCvcc",
        "CvcvCvcvnoCvcc",
        "CvcvCvcvCvccno",
        "CvccnoCvccCvcv",
        "CvccCvccnoCvcv",
        "CvccCvccCvcvno",
        "CvcvnoCvccCvcc",
        "CvcvCvccnoCvcc",
        "CvcvCvccCvccno",
        "CvccnoCvcvCvcc",
        "CvccCvcvnoCvcc",
        "CvccCvcvCvccno",
    ),
    "medium": ("CvcnoCvc", "CvcCvcno"),
    "short": ("Cvcn",),
    "basic": ("aaanaaan", "aannaaan", "aaannaaa"),
    "pin": ("nnnn",),
}
_PASSWORD_CHARACTERS = {
    "V": "AEIOU",
    "C": "BCDFGHJKLMNPQRSTVWXYZ",
    "v": "aeiou",
    "c": "bcdfghjklmnpqrstvwxyz",
    "A": "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
    "a": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
    "n": "0123456789",
    "o": "@&%?,=[]_:-+*$#!'^~;()/.",
    "x": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
}
_MASTER_PASSWORD_SEED = b"com.lyndir.masterpassword"


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


@gofunc("uint32", "string", "string", "string", "string", result="string")
def derive_password(counter: int, kind: str, password: str, user: str, site: str) -> str:
    """A site password derived from a master password (Master Password v3 scheme).

    Deterministic: the same inputs always give the same password, which is
    why configurations use it instead of storing per-site secrets.
    """
    import hashlib
    import hmac

    templates = _PASSWORD_TEMPLATES.get(kind)
    if templates is None:
        return f"cannot find password template {kind}"
    user_bytes = _bytes(user)
    salt = _MASTER_PASSWORD_SEED + len(user_bytes).to_bytes(4, "big") + user_bytes
    try:
        key = hashlib.scrypt(
            _bytes(password), salt=salt, n=32768, r=8, p=2, dklen=64, maxmem=64 * 1024 * 1024
        )
    except (ValueError, MemoryError) as error:
        return f"failed to derive password: {error}"
    site_bytes = _bytes(site)
    message = (
        _MASTER_PASSWORD_SEED
        + len(site_bytes).to_bytes(4, "big")
        + site_bytes
        + (int(counter) & 0xFFFFFFFF).to_bytes(4, "big")
    )
    seed = hmac.new(key, message, hashlib.sha256).digest()
    template = templates[seed[0] % len(templates)]
    characters = []
    for index, klass in enumerate(template):
        choices = _PASSWORD_CHARACTERS[klass]
        characters.append(choices[seed[index + 1] % len(choices)])
    return "".join(characters)


# -- bcrypt / htpasswd -----------------------------------------------------------------------------

_BCRYPT_MAX = 72


def bcrypt_hash(password: str) -> str:
    """A ``$2a$10$`` bcrypt hash, or sprig's failure text (passwords over 72 bytes)."""
    import bcrypt as bcrypt_lib

    data = _bytes(password)
    if len(data) > _BCRYPT_MAX:
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    salt = bcrypt_lib.gensalt(rounds=10, prefix=b"2a")
    return bcrypt_lib.hashpw(data, salt).decode("ascii")


@gofunc("string", result="string")
def bcrypt_(password: str) -> str:
    return bcrypt_hash(password)


@gofunc("string", "string", result="string")
def htpasswd(username: str, password: str) -> str:
    """An Apache htpasswd line ``user:$2a$10$...``."""
    if ":" in username:
        return f"invalid username: {username}"
    return f"{username}:{bcrypt_hash(password)}"


# -- random values ------------------------------------------------------------------------------


@gofunc("int", result="string", error=True)
def rand_bytes(count: int) -> str:
    """``count`` random bytes, base64 encoded."""
    import secrets

    if count < 0:
        raise GoPanic("runtime error: makeslice: len out of range")
    from mittnite.gotemplate.limits import check_size

    check_size(count)  # mittnite's size limit per value, before allocating
    return _b64encode(secrets.token_bytes(count))


@gofunc(result="string")
def uuidv4() -> str:
    import uuid

    return str(uuid.uuid4())


# -- AES ---------------------------------------------------------------------------------------------


def _aes_key(password: str) -> bytes:
    """The password's bytes, zero-padded or cut to 32 (AES-256), as sprig does."""
    return (_bytes(password) + bytes(32))[:32]


@gofunc("string", "string", result="string", error=True)
def encrypt_aes(password: str, plaintext: str) -> str:
    """AES-256-CBC with a random IV and PKCS#7 padding; base64(IV + ciphertext)."""
    import secrets

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if plaintext == "":
        return ""
    content = _bytes(plaintext)
    padding = 16 - len(content) % 16
    content += bytes([padding]) * padding
    iv = secrets.token_bytes(16)
    encryptor = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).encryptor()
    return _b64encode(iv + encryptor.update(content) + encryptor.finalize())


@gofunc("string", "string", result="string", error=True)
def decrypt_aes(password: str, encoded: str) -> str:
    """Inverse of ``encryptAES``; malformed input fails with the Go original's errors/panics."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if encoded == "":
        return ""
    try:
        data, capacity = b64decode_go(encoded)
    except Base64Error as error:
        raise GoError(str(error)) from None
    if capacity < 16:
        raise GoPanic(f"runtime error: slice bounds out of range [:16] with capacity {capacity}")
    if len(data) < 16:  # Go may slice the IV out of spare capacity, then fails here
        raise GoPanic(f"runtime error: slice bounds out of range [16:{len(data)}]")
    iv, body = data[:16], data[16:]
    if len(body) % 16:
        raise GoPanic("crypto/cipher: input not full blocks")
    decryptor = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).decryptor()
    plain = decryptor.update(body) + decryptor.finalize()
    if not plain:
        raise GoPanic("runtime error: index out of range [-1]")
    end = len(plain) - plain[-1]
    if end < 0:
        raise GoPanic(f"runtime error: slice bounds out of range [:{end}]")
    return plain[:end].decode("utf-8", "surrogateescape")


# -- keys ----------------------------------------------------------------------------------------------


def _key_pem(key: Any) -> str:
    """Go's ``pemBlockForKey``: PKCS#1 for RSA, SEC 1 for EC, OpenSSL's DSA form, PKCS#8 else."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

    if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | dsa.DSAPrivateKey):
        key_format = serialization.PrivateFormat.TraditionalOpenSSL
    else:
        key_format = serialization.PrivateFormat.PKCS8
    data: bytes = key.private_bytes(
        serialization.Encoding.PEM, key_format, serialization.NoEncryption()
    )
    return data.decode("ascii")


@gofunc("string", result="string")
def gen_private_key(kind: str) -> str:
    """A new PEM private key: ``rsa`` (4096 bits, the default), ``dsa``, ``ecdsa`` (P-256),
    ``ed25519``; an unknown kind gives ``Unknown type KIND``."""
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa

    key: Any
    if kind in ("", "rsa"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    elif kind == "dsa":
        key = dsa.generate_private_key(key_size=2048)
    elif kind == "ecdsa":
        key = ec.generate_private_key(ec.SECP256R1())
    elif kind == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
    else:
        return "Unknown type " + kind
    return _key_pem(key)


class PEMBlock:
    """One decoded PEM block (``pem.Decode``'s result)."""

    __slots__ = ("data", "kind")

    def __init__(self, kind: str, data: bytes) -> None:
        self.kind = kind
        self.data = data


def pem_decode(text: str | bytes) -> PEMBlock | None:
    """The first well-formed PEM block in ``text``, like Go's ``pem.Decode``."""
    import base64
    import re

    raw = text if isinstance(text, bytes) else _bytes(text)
    pattern = re.compile(
        rb"(?:^|\n)-----BEGIN ([^\r\n]*?)-----[ \t]*\r?\n(.*?)(?:\r?\n)?-----END \1-----",
        re.DOTALL,
    )
    for match in pattern.finditer(raw):
        body = match.group(2)
        lines = body.split(b"\n")
        if lines and b":" in lines[0]:  # RFC 1421 headers, up to the blank line
            while lines and lines[0].strip():
                lines.pop(0)
        payload = b"".join(line.strip() for line in lines)
        try:
            data = base64.b64decode(payload, validate=True)
        except ValueError:
            continue
        return PEMBlock(match.group(1).decode("utf-8", "surrogateescape"), data)
    return None


_ASN1_PARAMS = (
    "{optional:false explicit:false application:false private:false defaultValue:<nil> "
    "tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}"
)


def _asn1_header(der: bytes, offset: int) -> tuple[int, int, bool, int, int] | None:
    """(class, tag, compound, length, content offset) of the DER element at ``offset``."""
    if offset + 2 > len(der):
        return None
    first = der[offset]
    length = der[offset + 1]
    start = offset + 2
    if first & 0x1F == 0x1F:
        return None
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or start + count > len(der):
            return None
        length = int.from_bytes(der[start : start + count], "big")
        start += count
    return first >> 6, first & 0x1F, bool(first & 0x20), length, start


def _tags_mismatch(
    expected: int, header: tuple[int, int, bool, int, int], name: str, offset: int
) -> str:
    klass, tag, compound, length, _ = header
    return (
        f"asn1: structure error: tags don't match ({expected} vs {{class:{klass} tag:{tag} "
        f"length:{length} isCompound:{str(compound).lower()}}}) {_ASN1_PARAMS} {name} @{offset}"
    )


_INTEGER, _OCTETS, _SEQUENCE = 2, 4, 16
# The leading fields of the ASN.1 structures Go unmarshals keys into, as (tag, Go type
# name as asn1 errors print it, whether the field is a machine int that must fit 64 bits).
_KEY_STRUCTURES: dict[str, tuple[tuple[int, str, bool], ...]] = {
    "pkcs8": ((_INTEGER, "int", True), (_SEQUENCE, "AlgorithmIdentifier", False),
              (_OCTETS, "", False)),
    "pkcs1PrivateKey": ((_INTEGER, "int", True), (_INTEGER, "", False), (_INTEGER, "int", True),
                        (_INTEGER, "", False), (_INTEGER, "", False), (_INTEGER, "", False)),
    "ecPrivateKey": ((_INTEGER, "int", True), (_OCTETS, "", False)),
    "DSAKeyFormat": ((_INTEGER, "int", True),) + ((_INTEGER, "", False),) * 5,
}  # fmt: skip


def _asn1_hint(der: bytes, structure: str) -> str:
    """Go's ``encoding/asn1`` complaint about DER that does not fit the key ``structure``:
    not a SEQUENCE, truncated, a field of the wrong type, an int too large."""
    header = _asn1_header(der, 0)
    if header is None:
        return "asn1: syntax error: data truncated"
    klass, tag, compound, length, start = header
    if not (klass == 0 and tag == _SEQUENCE and compound):
        return _tags_mismatch(_SEQUENCE, header, structure, start)
    if start + length > len(der):
        return "asn1: syntax error: data truncated"
    end = start + length
    offset = start
    for expected, name, machine_int in _KEY_STRUCTURES[structure]:
        if offset >= end:
            return "asn1: syntax error: sequence truncated"
        field = _asn1_header(der, offset)
        if field is None or field[4] + field[3] > end:
            return "asn1: syntax error: data truncated"
        expect_compound = expected == _SEQUENCE
        if not (field[0] == 0 and field[1] == expected and field[2] == expect_compound):
            return _tags_mismatch(expected, field, name, field[4] - start)
        if machine_int and field[3] > 8:
            return "asn1: structure error: integer too large"
        offset = field[4] + field[3]
    return "asn1: structure error: tags don't match"


class _UnusableDSAKey:
    """What Go makes of a non-DSA key in a ``DSA PRIVATE KEY`` block: a DSA key that
    cannot sign or be certified (the errors come later, from certificate creation)."""


_USE_INSTEAD = "x509: failed to parse private key (use {} instead for this key format)"


def _load_any_der(der: bytes) -> Any:
    """The key in ``der`` whatever its container (PKCS#8, PKCS#1, SEC 1, DSA), or None."""
    from cryptography.hazmat.primitives import serialization

    try:
        return serialization.load_der_private_key(der, password=None)
    except Exception:  # malformed or unsupported: the caller reports it Go's way
        return None


def _parse_key_der(der: bytes, kind: str) -> Any:
    """Parse a private key of PEM type ``kind`` the way sprig's helper does.

    Each PEM type accepts exactly one container format; a key in another
    format gets Go's "use ParseXxx instead" hint.
    """
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa

    key = _load_any_der(der)
    pkcs8 = key is not None and _is_pkcs8(der)
    if kind == "PRIVATE KEY":
        if pkcs8 and isinstance(
            key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
        ):
            return key
        if isinstance(key, rsa.RSAPrivateKey) and not pkcs8:
            reason = _USE_INSTEAD.format("ParsePKCS1PrivateKey")
        elif isinstance(key, ec.EllipticCurvePrivateKey) and not pkcs8:
            reason = _USE_INSTEAD.format("ParseECPrivateKey")
        elif isinstance(key, dsa.DSAPrivateKey) and pkcs8:
            reason = (
                "x509: PKCS#8 wrapping contained private key with unknown algorithm: "
                "1.2.840.10040.4.1"
            )
        else:
            reason = _asn1_hint(der, "pkcs8")
        raise ValueError(f"decoding PEM as PKCS#8: {reason}")
    if not kind.endswith(" PRIVATE KEY"):
        raise ValueError(f"no private key data in PEM block of type {kind}")
    family = kind[: -len(" PRIVATE KEY")]
    if family == "RSA":
        if isinstance(key, rsa.RSAPrivateKey) and not pkcs8:
            return key
        if isinstance(key, ec.EllipticCurvePrivateKey) and not pkcs8:
            reason = _USE_INSTEAD.format("ParseECPrivateKey")
        elif pkcs8:
            reason = _USE_INSTEAD.format("ParsePKCS8PrivateKey")
        else:
            reason = _asn1_hint(der, "pkcs1PrivateKey")
        raise ValueError(f"parsing RSA private key from PEM: {reason}")
    if family == "EC":
        if isinstance(key, ec.EllipticCurvePrivateKey) and not pkcs8:
            return key
        if pkcs8:
            reason = _USE_INSTEAD.format("ParsePKCS8PrivateKey")
        elif isinstance(key, rsa.RSAPrivateKey):
            reason = _USE_INSTEAD.format("ParsePKCS1PrivateKey")
        else:
            reason = "x509: failed to parse EC private key: " + _asn1_hint(der, "ecPrivateKey")
        raise ValueError(f"parsing EC private key from PEM: {reason}")
    if family == "DSA":
        if isinstance(key, dsa.DSAPrivateKey) and not pkcs8:
            return key
        if isinstance(key, rsa.RSAPrivateKey) and not pkcs8:
            return _UnusableDSAKey()  # its first six integers read as a DSA key
        raise ValueError("parsing DSA private key from PEM: " + _asn1_hint(der, "DSAKeyFormat"))
    raise ValueError(f"invalid private key type {kind}")


def _is_pkcs8(der: bytes) -> bool:
    """Whether a DER private key is a PKCS#8 wrapper (SEQUENCE { INTEGER, SEQUENCE ... })."""
    try:
        offset = _skip_header(der, 0)
        offset = _skip_element(der, offset)  # version INTEGER
        return der[offset] == 0x30  # AlgorithmIdentifier; PKCS#1/SEC 1 continue with INTEGER/OCTETS
    except IndexError:
        return False


def _skip_header(der: bytes, offset: int) -> int:
    length = der[offset + 1]
    offset += 2
    if length & 0x80:
        offset += length & 0x7F
    return offset


def _skip_element(der: bytes, offset: int) -> int:
    length = der[offset + 1]
    start = offset + 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(der[start : start + count], "big")
        start += count
    return start + length


def parse_private_key_pem(text: str) -> Any:
    """sprig's ``parsePrivateKeyPEM``: the key in the first PEM block (ValueError on failure)."""
    block = pem_decode(text)
    if block is None:
        raise ValueError("no PEM data in input")
    return _parse_key_der(block.data, block.kind)


# -- certificates ----------------------------------------------------------------------------------


def certificate(cert: str, key: str) -> GoStruct:
    """sprig's ``certificate`` struct (``.Cert`` and ``.Key``, PEM strings)."""
    return GoStruct(CERTIFICATE, {"Cert": cert, "Key": key})


def _parse_ips(values: list[Any] | None) -> list[Any]:
    import ipaddress

    result: list[Any] = []
    for value in values or ():
        if not isinstance(value, str):
            from mittnite.gotemplate.gofmt import sprint_value

            raise GoError(f"error parsing ip: {sprint_value(value)} is not a string")
        try:
            if "%" in value:
                raise ValueError(value)
            address = ipaddress.ip_address(value)
        except ValueError:
            raise GoError(f"error parsing ip: {value}") from None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        result.append(address)
    return result


def _parse_dns(values: list[Any] | None) -> list[str]:
    result: list[str] = []
    for value in values or ():
        if not isinstance(value, str):
            from mittnite.gotemplate.gofmt import sprint_value

            raise GoError(
                f"error processing alternate dns name: {sprint_value(value)} is not a string"
            )
        result.append(value)
    return result


def _go_printable(text: str) -> bool:
    """Whether Go's asn1 would encode ``text`` as a PrintableString (else UTF8String)."""
    allowed = " '()+,-./:=?"
    return all((char.isascii() and char.isalnum()) or char in allowed for char in text)


def _name(common_name: str) -> Any:
    from cryptography import x509
    from cryptography.x509.name import _ASN1Type
    from cryptography.x509.oid import NameOID

    if common_name == "":
        return x509.Name([])
    kind = _ASN1Type.PrintableString if _go_printable(common_name) else _ASN1Type.UTF8String
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name, _type=kind)])


def _signing_hash(key: Any) -> Any:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(key, rsa.RSAPrivateKey):
        return hashes.SHA256()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        bits = key.curve.key_size
        if bits >= 521:
            return hashes.SHA512()
        if bits >= 384:
            return hashes.SHA384()
        return hashes.SHA256()
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return None
    raise GoError(
        "error creating certificate: x509: certificate private key does not implement crypto.Signer"
    )


def _check_public_key(key: Any) -> None:
    from cryptography.hazmat.primitives.asymmetric import dsa

    if isinstance(key, dsa.DSAPrivateKey | _UnusableDSAKey):
        raise GoError(
            "error creating certificate: x509: unsupported public key type: *dsa.PublicKey"
        )


class _Template:
    """The fields of sprig's base certificate template."""

    def __init__(
        self, common_name: str, ips: list[Any], dns: list[str], days: int, is_ca: bool
    ) -> None:
        import datetime
        import secrets

        from mittnite.gotemplate.sprig.math import wrap_int64

        self.common_name = common_name
        self.ips = ips
        self.dns = dns
        self.is_ca = is_ca
        self.serial = secrets.randbelow(1 << 128) or 1
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        self.not_before = now
        validity = wrap_int64(days * 24 * 3600 * 10**9) // 1000
        try:
            self.not_after = now + datetime.timedelta(microseconds=validity)
        except OverflowError:
            raise GoError(
                "error creating certificate: x509: validity period out of range"
            ) from None


def _create_certificate(template: _Template, key: Any, issuer: Any | None, issuer_key: Any) -> str:
    """x509.CreateCertificate for sprig's profile; returns the certificate PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID

    algorithm = _signing_hash(issuer_key)
    _check_public_key(key)
    public_key = key.public_key()
    subject = _name(template.common_name)
    builder = (
        x509.CertificateBuilder()
        .serial_number(template.serial)
        .subject_name(subject)
        .issuer_name(subject if issuer is None else issuer.subject)
        .public_key(public_key)
        .not_valid_before(template.not_before)
        .not_valid_after(max(template.not_after, template.not_before))
    )
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=True,
            content_commitment=False,
            key_encipherment=True,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=template.is_ca,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    builder = builder.add_extension(
        x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
        critical=False,
    )
    builder = builder.add_extension(x509.BasicConstraints(ca=template.is_ca, path_length=None),
                                    critical=True)  # fmt: skip
    if template.is_ca:
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False
        )
    if issuer is not None and issuer.subject != subject:
        try:
            ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        except x509.ExtensionNotFound:
            ski = None
        if ski is not None:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier(ski.value.digest, None, None), critical=False
            )
    names: list[x509.GeneralName] = [x509.DNSName(name) for name in template.dns]
    names += [x509.IPAddress(address) for address in template.ips]
    if names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(names), critical=len(subject) == 0
        )
    cert = builder.sign(issuer_key, algorithm)
    der = cert.public_bytes(serialization.Encoding.DER)
    if template.not_after < template.not_before:
        der = _resign_with_validity(cert, template, issuer_key, algorithm)
    return _pem("CERTIFICATE", der)


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _der(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_length(len(body)) + body


def _der_time(moment: Any) -> bytes:
    if 1950 <= moment.year < 2050:
        return _der(0x17, moment.strftime("%y%m%d%H%M%SZ").encode())
    return _der(0x18, moment.strftime("%Y%m%d%H%M%SZ").encode())


def _resign_with_validity(cert: Any, template: _Template, key: Any, algorithm: Any) -> bytes:
    """Re-sign ``cert`` with a notAfter before notBefore (Go allows negative validity;
    ``cryptography``'s builder does not)."""
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    tbs = cert.tbs_certificate_bytes
    old = _der_time(template.not_before) * 2
    new = _der_time(template.not_before) + _der_time(template.not_after)
    body_start = _skip_header(tbs, 0)
    body = tbs[body_start:].replace(old, new, 1)
    tbs = _der(0x30, body)
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(tbs, padding.PKCS1v15(), algorithm)
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(tbs, ec.ECDSA(algorithm))
    else:
        signature = key.sign(tbs)
    from cryptography.hazmat.primitives import serialization

    der = cert.public_bytes(serialization.Encoding.DER)
    outer = _skip_header(der, 0)
    algorithm_start = _skip_element(der, outer)
    algorithm_der = der[algorithm_start : _skip_element(der, algorithm_start)]
    return _der(0x30, tbs + algorithm_der + _der(0x03, b"\x00" + signature))


def _pem(kind: str, der: bytes) -> str:
    import base64

    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----\n"


def _rsa_2048() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_from_pem(text: str, prefix: str = "parsing private key: ") -> Any:
    try:
        return parse_private_key_pem(text)
    except ValueError as error:
        raise GoError(prefix + str(error)) from None


def _issue(
    common_name: str,
    ips: list[Any] | None,
    dns: list[Any] | None,
    days: int,
    key: Any,
    ca: GoStruct | None,
    is_ca: bool = False,
) -> GoStruct:
    issuer = issuer_key = None
    if ca is not None:
        issuer, issuer_key = _load_ca(ca)
    template = _Template(common_name, _parse_ips(ips), _parse_dns(dns), days, is_ca)
    cert = _create_certificate(template, key, issuer, key if ca is None else issuer_key)
    return certificate(cert, _key_pem(key))


def _load_ca(ca: GoStruct) -> tuple[Any, Any]:
    from cryptography import x509

    block = pem_decode(str(ca.go_fields["Cert"]))
    if block is None:
        raise GoError("unable to decode certificate")
    try:
        issuer = x509.load_der_x509_certificate(block.data)
    except ValueError:
        raise GoError(
            "error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate"
        ) from None
    issuer_key = _key_from_pem(str(ca.go_fields["Key"]), "error parsing private key: ")
    return issuer, issuer_key


@gofunc("string", "int", result="sprig.certificate", error=True)
def gen_ca(common_name: str, days: int) -> GoStruct:
    """A self-signed CA certificate with a new 2048-bit RSA key."""
    return _issue(common_name, None, None, days, _rsa_2048(), None, is_ca=True)


@gofunc("string", "int", "string", result="sprig.certificate", error=True)
def gen_ca_with_key(common_name: str, days: int, key_pem: str) -> GoStruct:
    return _issue(common_name, None, None, days, _key_from_pem(key_pem), None, is_ca=True)


@gofunc("string", "[]interface {}", "[]interface {}", "int", result="sprig.certificate", error=True)
def gen_self_signed_cert(
    common_name: str, ips: list[Any] | None, dns: list[Any] | None, days: int
) -> GoStruct:
    return _issue(common_name, ips, dns, days, _rsa_2048(), None)


@gofunc(
    "string",
    "[]interface {}",
    "[]interface {}",
    "int",
    "string",
    result="sprig.certificate",
    error=True,
)
def gen_self_signed_cert_with_key(
    common_name: str, ips: list[Any] | None, dns: list[Any] | None, days: int, key_pem: str
) -> GoStruct:
    return _issue(common_name, ips, dns, days, _key_from_pem(key_pem), None)


@gofunc(
    "string",
    "[]interface {}",
    "[]interface {}",
    "int",
    "sprig.certificate",
    result="sprig.certificate",
    error=True,
)
def gen_signed_cert(
    common_name: str, ips: list[Any] | None, dns: list[Any] | None, days: int, ca: GoStruct
) -> GoStruct:
    """A certificate (new 2048-bit RSA key) signed by ``ca`` (from ``genCA``)."""
    return _issue(common_name, ips, dns, days, _rsa_2048(), ca)


@gofunc(
    "string",
    "[]interface {}",
    "[]interface {}",
    "int",
    "sprig.certificate",
    "string",
    result="sprig.certificate",
    error=True,
)
def gen_signed_cert_with_key(
    common_name: str,
    ips: list[Any] | None,
    dns: list[Any] | None,
    days: int,
    ca: GoStruct,
    key_pem: str,
) -> GoStruct:
    return _issue(common_name, ips, dns, days, _key_from_pem(key_pem), ca)


@gofunc("string", "string", result="sprig.certificate", error=True)
def build_custom_cert(cert_b64: str, key_b64: str) -> GoStruct:
    """A ``certificate`` from base64-encoded PEM certificate and key (both are checked)."""
    from cryptography import x509

    try:
        cert_pem, _ = b64decode_go(cert_b64)
    except Base64Error:
        raise GoError("unable to decode base64 certificate") from None
    try:
        key_pem, _ = b64decode_go(key_b64)
    except Base64Error:
        raise GoError("unable to decode base64 private key") from None
    block = pem_decode(cert_pem)
    if block is None:
        raise GoError("unable to decode certificate")
    try:
        x509.load_der_x509_certificate(block.data)
    except ValueError:
        raise GoError(
            "error parsing certificate: decodedCert.Bytes: x509: malformed certificate"
        ) from None
    key_text = key_pem.decode("utf-8", "surrogateescape")
    _key_from_pem(key_text, "error parsing private key: ")
    return certificate(cert_pem.decode("utf-8", "surrogateescape"), key_text)


FUNCS: FuncMap = {
    "derivePassword": derive_password,
    "bcrypt": bcrypt_,
    "htpasswd": htpasswd,
    "randBytes": rand_bytes,
    "uuidv4": uuidv4,
    "encryptAES": encrypt_aes,
    "decryptAES": decrypt_aes,
    "genPrivateKey": gen_private_key,
    "genCA": gen_ca,
    "genCAWithKey": gen_ca_with_key,
    "genSelfSignedCert": gen_self_signed_cert,
    "genSelfSignedCertWithKey": gen_self_signed_cert_with_key,
    "genSignedCert": gen_signed_cert,
    "genSignedCertWithKey": gen_signed_cert_with_key,
    "buildCustomCert": build_custom_cert,
}
