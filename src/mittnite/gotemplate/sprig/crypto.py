"""sprig's cryptographic functions: passwords, keys, certificates, AES, random values.

Containers render secrets at start-up with these (an htpasswd line, a
self-signed certificate for a sidecar, a derived password), so the outputs
must be usable exactly like the Go original's: same PEM block types and key
encodings, same certificate profile (key usages, extended key usages, basic
constraints, key identifiers, SAN ordering), same AES-CBC layout
(IV + PKCS#7-padded ciphertext, base64), same Master Password algorithm, and
the same error texts and panics for bad input.

Keys, signatures and AES run in OpenSSL's libcrypto and bcrypt in crypt(3), both
through :mod:`mittnite.native` (the same code in the pip install and the static
executable); certificate bodies, names and PEM are built here, in Go's layout.
They are imported inside the functions: an init that renders a plain template must
not load OpenSSL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from mittnite.gotemplate.errors import GoError, GoPanic
from mittnite.gotemplate.funcs import FuncMap, gofunc
from mittnite.gotemplate.values import GoStruct, define_type

if TYPE_CHECKING:
    from mittnite.native.openssl import Certificate, PrivateKey

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
    from mittnite.native.bcrypt import BcryptError, hash_password

    data = _bytes(password)
    if len(data) > _BCRYPT_MAX:
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    try:
        return hash_password(data, cost=10)
    except (BcryptError, OSError) as error:
        return f"failed to encrypt string with bcrypt: {error}"


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

    from mittnite.native.openssl import aes_256_cbc

    if plaintext == "":
        return ""
    content = _bytes(plaintext)
    padding = 16 - len(content) % 16
    content += bytes([padding]) * padding
    iv = secrets.token_bytes(16)
    return _b64encode(iv + aes_256_cbc(_aes_key(password), iv, content, encrypt=True))


@gofunc("string", "string", result="string", error=True)
def decrypt_aes(password: str, encoded: str) -> str:
    """Inverse of ``encryptAES``; malformed input fails with the Go original's errors/panics."""
    from mittnite.native.openssl import aes_256_cbc

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
    plain = aes_256_cbc(_aes_key(password), iv, body, encrypt=False)
    if not plain:
        raise GoPanic("runtime error: index out of range [-1]")
    end = len(plain) - plain[-1]
    if end < 0:
        raise GoPanic(f"runtime error: slice bounds out of range [:{end}]")
    return plain[:end].decode("utf-8", "surrogateescape")


# -- keys ----------------------------------------------------------------------------------------------


_PEM_TYPES = {"rsa": "RSA PRIVATE KEY", "ec": "EC PRIVATE KEY", "dsa": "DSA PRIVATE KEY"}


def _key_pem(key: PrivateKey) -> str:
    """Go's ``pemBlockForKey``: PKCS#1 for RSA, SEC 1 for EC, OpenSSL's DSA form, PKCS#8 else
    (OpenSSL's ``i2d_PrivateKey`` picks the same containers)."""
    return _pem(_PEM_TYPES.get(key.kind, "PRIVATE KEY"), key.private_der())


@gofunc("string", result="string")
def gen_private_key(kind: str) -> str:
    """A new PEM private key: ``rsa`` (4096 bits, the default), ``dsa`` (L2048N256),
    ``ecdsa`` (P-256), ``ed25519``; an unknown kind gives ``Unknown type KIND``."""
    from mittnite.native import openssl

    if kind in ("", "rsa"):
        key = openssl.generate_rsa(4096)
    elif kind == "dsa":
        key = openssl.generate_dsa(2048, 256)
    elif kind == "ecdsa":
        key = openssl.generate_p256()
    elif kind == "ed25519":
        key = openssl.generate_ed25519()
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

    kind = "unusable dsa"
    bits = 0


_USE_INSTEAD = "x509: failed to parse private key (use {} instead for this key format)"


def _parse_key_der(der: bytes, kind: str) -> PrivateKey | _UnusableDSAKey:
    """Parse a private key of PEM type ``kind`` the way sprig's helper does.

    Each PEM type accepts exactly one container format; a key in another
    format gets Go's "use ParseXxx instead" hint.
    """
    from mittnite.native.openssl import load_private_key

    key = load_private_key(der)
    family = key.kind if key is not None else None
    pkcs8 = key is not None and _is_pkcs8(der)
    if kind == "PRIVATE KEY":
        if pkcs8 and key is not None and family in ("rsa", "ec", "ed25519"):
            return key
        if family == "rsa" and not pkcs8:
            reason = _USE_INSTEAD.format("ParsePKCS1PrivateKey")
        elif family == "ec" and not pkcs8:
            reason = _USE_INSTEAD.format("ParseECPrivateKey")
        elif family == "dsa" and pkcs8:
            reason = (
                "x509: PKCS#8 wrapping contained private key with unknown algorithm: "
                "1.2.840.10040.4.1"
            )
        else:
            reason = _asn1_hint(der, "pkcs8")
        raise ValueError(f"decoding PEM as PKCS#8: {reason}")
    if not kind.endswith(" PRIVATE KEY"):
        raise ValueError(f"no private key data in PEM block of type {kind}")
    name = kind[: -len(" PRIVATE KEY")]
    if name == "RSA":
        if key is not None and family == "rsa" and not pkcs8:
            return key
        if family == "ec" and not pkcs8:
            reason = _USE_INSTEAD.format("ParseECPrivateKey")
        elif pkcs8:
            reason = _USE_INSTEAD.format("ParsePKCS8PrivateKey")
        else:
            reason = _asn1_hint(der, "pkcs1PrivateKey")
        raise ValueError(f"parsing RSA private key from PEM: {reason}")
    if name == "EC":
        if key is not None and family == "ec" and not pkcs8:
            return key
        if pkcs8:
            reason = _USE_INSTEAD.format("ParsePKCS8PrivateKey")
        elif family == "rsa":
            reason = _USE_INSTEAD.format("ParsePKCS1PrivateKey")
        else:
            reason = "x509: failed to parse EC private key: " + _asn1_hint(der, "ecPrivateKey")
        raise ValueError(f"parsing EC private key from PEM: {reason}")
    if name == "DSA":
        if key is not None and family == "dsa" and not pkcs8:
            return key
        if family == "rsa" and not pkcs8:
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


def parse_private_key_pem(text: str) -> PrivateKey | _UnusableDSAKey:
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


_OID_COMMON_NAME = bytes.fromhex("550403")
_OID_KEY_USAGE = bytes.fromhex("551d0f")
_OID_EXT_KEY_USAGE = bytes.fromhex("551d25")
_OID_BASIC_CONSTRAINTS = bytes.fromhex("551d13")
_OID_SUBJECT_KEY_ID = bytes.fromhex("551d0e")
_OID_AUTHORITY_KEY_ID = bytes.fromhex("551d23")
_OID_SUBJECT_ALT_NAME = bytes.fromhex("551d11")
_OID_SERVER_AUTH = bytes.fromhex("2b06010505070301")
_OID_CLIENT_AUTH = bytes.fromhex("2b06010505070302")
# AlgorithmIdentifier DER of the signature algorithms Go picks for each issuer key.
_SIGNATURE_ALGORITHMS = {
    ("rsa", "sha256"): bytes.fromhex("300d06092a864886f70d01010b0500"),
    ("ec", "sha256"): bytes.fromhex("300a06082a8648ce3d040302"),
    ("ec", "sha384"): bytes.fromhex("300a06082a8648ce3d040303"),
    ("ec", "sha512"): bytes.fromhex("300a06082a8648ce3d040304"),
    ("ed25519", None): bytes.fromhex("300506032b6570"),
}
_TAG_BOOLEAN, _TAG_INTEGER, _TAG_BIT_STRING, _TAG_OCTETS, _TAG_OID = 1, 2, 3, 4, 6
_TAG_UTF8, _TAG_PRINTABLE, _TAG_SEQUENCE, _TAG_SET = 0x0C, 0x13, 0x30, 0x31


def _name(common_name: str) -> bytes:
    """The DER Name Go's pkix marshals for a subject holding only a common name."""
    if common_name == "":
        return _der(_TAG_SEQUENCE, b"")
    tag = _TAG_PRINTABLE if _go_printable(common_name) else _TAG_UTF8
    attribute = _der(
        _TAG_SEQUENCE, _der(_TAG_OID, _OID_COMMON_NAME) + _der(tag, _bytes(common_name))
    )
    return _der(_TAG_SEQUENCE, _der(_TAG_SET, attribute))


def _signing_hash(key: PrivateKey | _UnusableDSAKey) -> str | None:
    """The digest Go's x509 signs with for ``key`` (None: Ed25519 signs the message)."""
    if key.kind == "rsa":
        return "sha256"
    if key.kind == "ec":
        if key.bits >= 521:
            return "sha512"
        if key.bits >= 384:
            return "sha384"
        return "sha256"
    if key.kind == "ed25519":
        return None
    raise GoError(
        "error creating certificate: x509: certificate private key does not implement crypto.Signer"
    )


def _check_public_key(key: PrivateKey | _UnusableDSAKey) -> PrivateKey:
    if key.kind not in ("rsa", "ec", "ed25519"):
        raise GoError(
            "error creating certificate: x509: unsupported public key type: *dsa.PublicKey"
        )
    return cast("PrivateKey", key)


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


def _extension(oid: bytes, critical: bool, value: bytes) -> bytes:
    body = _der(_TAG_OID, oid)
    if critical:
        body += _der(_TAG_BOOLEAN, b"\xff")
    return _der(_TAG_SEQUENCE, body + _der(_TAG_OCTETS, value))


def _integer(value: int) -> bytes:
    return _der(_TAG_INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


def _public_key_bits(spki: bytes) -> bytes:
    """The subjectPublicKey BIT STRING's content (unused-bits byte dropped) of an SPKI."""
    offset = _skip_header(spki, 0)
    offset = _skip_element(spki, offset)  # the AlgorithmIdentifier
    return spki[_skip_header(spki, offset) + 1 : _skip_element(spki, offset)]


def _extensions(template: _Template, public_bits: bytes, authority_key_id: bytes | None,
                subject: bytes) -> bytes:  # fmt: skip
    """Go's ``buildCertExtensions`` for sprig's templates, in Go's order."""
    import hashlib

    # digitalSignature | keyEncipherment (| keyCertSign), as Go's minimal BIT STRING
    usage = _der(_TAG_BIT_STRING, b"\x02\xa4" if template.is_ca else b"\x05\xa0")
    purposes = _der(
        _TAG_SEQUENCE, _der(_TAG_OID, _OID_SERVER_AUTH) + _der(_TAG_OID, _OID_CLIENT_AUTH)
    )
    constraints = _der(_TAG_SEQUENCE, _der(_TAG_BOOLEAN, b"\xff") if template.is_ca else b"")
    extensions = [
        _extension(_OID_KEY_USAGE, True, usage),
        _extension(_OID_EXT_KEY_USAGE, False, purposes),
        _extension(_OID_BASIC_CONSTRAINTS, True, constraints),
    ]
    if template.is_ca:
        key_id = hashlib.sha1(public_bits).digest()
        extensions.append(_extension(_OID_SUBJECT_KEY_ID, False, _der(_TAG_OCTETS, key_id)))
    if authority_key_id:
        value = _der(_TAG_SEQUENCE, _der(0x80, authority_key_id))
        extensions.append(_extension(_OID_AUTHORITY_KEY_ID, False, value))
    names = [_der(0x82, _bytes(name)) for name in template.dns]
    names += [_der(0x87, address.packed) for address in template.ips]
    if names:
        critical = subject == _name("")
        extensions.append(
            _extension(_OID_SUBJECT_ALT_NAME, critical, _der(_TAG_SEQUENCE, b"".join(names)))
        )
    return _der(0xA3, _der(_TAG_SEQUENCE, b"".join(extensions)))


def _create_certificate(
    template: _Template,
    key: PrivateKey | _UnusableDSAKey,
    issuer: Certificate | None,
    issuer_key: PrivateKey | _UnusableDSAKey,
) -> str:
    """x509.CreateCertificate for sprig's profile; returns the certificate PEM."""
    digest = _signing_hash(issuer_key)
    signer = cast("PrivateKey", issuer_key)
    public_key = _check_public_key(key).public_der()
    subject = _name(template.common_name)
    issuer_name = subject if issuer is None else issuer.subject_der
    authority_key_id = None
    if issuer is not None and issuer_name != subject:
        authority_key_id = issuer.subject_key_id
    algorithm = _SIGNATURE_ALGORITHMS[(signer.kind, digest)]
    tbs = _der(
        _TAG_SEQUENCE,
        _der(0xA0, _integer(2))
        + _integer(template.serial)
        + algorithm
        + issuer_name
        + _der(_TAG_SEQUENCE, _der_time(template.not_before) + _der_time(template.not_after))
        + subject
        + public_key
        + _extensions(template, _public_key_bits(public_key), authority_key_id, subject),
    )
    signature = signer.sign(tbs, digest)
    der = _der(_TAG_SEQUENCE, tbs + algorithm + _der(_TAG_BIT_STRING, b"\x00" + signature))
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


def _pem(kind: str, der: bytes) -> str:
    import base64

    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----\n"


def _rsa_2048() -> PrivateKey:
    from mittnite.native.openssl import generate_rsa

    return generate_rsa(2048)


def _key_from_pem(text: str, prefix: str = "parsing private key: ") -> PrivateKey | _UnusableDSAKey:
    try:
        return parse_private_key_pem(text)
    except ValueError as error:
        raise GoError(prefix + str(error)) from None


def _issue(
    common_name: str,
    ips: list[Any] | None,
    dns: list[Any] | None,
    days: int,
    key: PrivateKey | _UnusableDSAKey,
    ca: GoStruct | None,
    is_ca: bool = False,
) -> GoStruct:
    issuer = None
    issuer_key = key
    if ca is not None:
        issuer, issuer_key = _load_ca(ca)
    template = _Template(common_name, _parse_ips(ips), _parse_dns(dns), days, is_ca)
    cert = _create_certificate(template, key, issuer, issuer_key)
    return certificate(cert, _key_pem(cast("PrivateKey", key)))


def _load_ca(ca: GoStruct) -> tuple[Certificate, PrivateKey | _UnusableDSAKey]:
    from mittnite.native.openssl import load_certificate

    block = pem_decode(str(ca.go_fields["Cert"]))
    if block is None:
        raise GoError("unable to decode certificate")
    issuer = load_certificate(block.data)
    if issuer is None:
        raise GoError(
            "error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate"
        )
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
    from mittnite.native.openssl import load_certificate

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
    if load_certificate(block.data) is None:
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
