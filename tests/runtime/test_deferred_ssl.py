"""OpenSSL stays out of an idle mittnite, and comes back when a probe needs TLS."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_asyncio_without_ssl_then_tls_works(tmp_path: Path) -> None:
    out = run_python(
        f"""
        import datetime, sys
        from mittnite.runtime.deferred_ssl import defer_ssl, require_ssl, ssl_loaded
        assert defer_ssl()
        import asyncio
        assert not ssl_loaded()
        maps = open('/proc/self/maps').read()
        print('libssl mapped before:', 'libssl' in maps)

        ssl = require_ssl()
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'localhost')])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(key.public_key()).serial_number(1)
                .not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=1))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName('localhost')]), False)
                .sign(key, hashes.SHA256()))
        open('{tmp_path}/c.pem', 'wb').write(cert.public_bytes(serialization.Encoding.PEM))
        open('{tmp_path}/k.pem', 'wb').write(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))

        async def main():
            server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            server_ctx.load_cert_chain('{tmp_path}/c.pem', '{tmp_path}/k.pem')
            async def handle(reader, writer):
                writer.write(await reader.readline()); await writer.drain(); writer.close()
            server = await asyncio.start_server(handle, '127.0.0.1', 0, ssl=server_ctx)
            port = server.sockets[0].getsockname()[1]
            client_ctx = ssl.create_default_context(cafile='{tmp_path}/c.pem')
            reader, writer = await asyncio.open_connection(
                '127.0.0.1', port, ssl=client_ctx, server_hostname='localhost')
            writer.write(b'over tls\\n'); await writer.drain()
            print('echo:', (await reader.readline()).decode().strip())
            writer.close(); server.close()
        asyncio.run(main())
        """
    )
    assert out.splitlines() == ["libssl mapped before: False", "echo: over tls"]


def test_idle_mittnite_does_not_map_openssl(tmp_path: Path) -> None:
    config = tmp_path / "conf"
    config.mkdir()
    (config / "a.hcl").write_text('job "s" {\n command = "sleep"\n args = ["1020"]\n}\n')
    process = subprocess.Popen(
        [sys.executable, "-m", "mittnite", "up", "-c", str(config), "-p", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if "starting job" in line:
                break
        maps = Path(f"/proc/{process.pid}/maps").read_text()
        assert "libssl" not in maps and "libcrypto" not in maps
    finally:
        process.terminate()
        process.wait(30)
