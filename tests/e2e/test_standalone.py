"""The static executable (``make standalone`` → dist/mittnite): what only it must do.

The whole e2e suite also runs against it (``MITTNITE_EXE=dist/mittnite``, see harness.py
and .ci/run); these tests cover what is specific to a static, self-contained file: no
dynamic loader, an empty root as PID 1 (jobs can be the same file), no /proc, the
environment passed through untouched, CA certificates found where Go finds them, and
the C parts linked into it (bcrypt, OpenSSL) giving what independent implementations
verify. They use dist/mittnite (or MITTNITE_EXE) and are skipped when it was not built.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import signal
import ssl
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("MITTNITE_EXE") or ROOT / "dist" / "mittnite").resolve()

pytestmark = [
    pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare"),
    pytest.mark.skipif(not BINARY.exists(), reason="no static executable (make standalone)"),
]


@pytest.fixture(scope="session")
def standalone() -> Path:
    return BINARY


def write_config(directory: Path, text: str) -> Path:
    conf = directory / "conf"
    conf.mkdir(parents=True)
    (conf / "a.hcl").write_text(text)
    return conf


UNSHARE = shutil.which("unshare") or "unshare"
CHROOT = shutil.which("chroot") or "chroot"


def empty_root(tmp_path: Path, binary: Path) -> Path:
    """A root file system holding nothing but the executable (and mount points)."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy2(binary, root / "mittnite")
    (root / "mittnitectl").symlink_to("mittnite")
    return root


def run_in_root(root: Path, *argv: str, proc: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """Run ``argv`` chrooted into ``root`` as PID 1 of new PID and mount namespaces."""
    if proc:
        (root / "proc").mkdir(exist_ok=True)
        command = [UNSHARE, "-m", "-p", "-f", f"--mount-proc={root}/proc", CHROOT, str(root)]
    else:
        command = [UNSHARE, "-m", "-p", "-f", CHROOT, str(root)]
    return subprocess.run(
        [*command, *argv], capture_output=True, text=True, timeout=timeout,
        env={"PATH": "/"},
    )  # fmt: skip


def test_is_one_static_file_without_loader(standalone: Path) -> None:
    """No PT_INTERP program header: the kernel runs it without any dynamic loader."""
    with standalone.open("rb") as elf:
        header = elf.read(64)
        assert header[:4] == b"\x7fELF" and header[4] == 2  # 64-bit
        (phoff,) = struct.unpack_from("<Q", header, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", header, 0x36)
        elf.seek(phoff)
        table = elf.read(phentsize * phnum)
    kinds = [struct.unpack_from("<I", table, i * phentsize)[0] for i in range(phnum)]
    assert 3 not in kinds  # PT_INTERP
    assert 2 not in kinds  # PT_DYNAMIC
    assert standalone.stat().st_size <= 15 * 2**20


def test_help_and_ctl_alias(standalone: Path, tmp_path: Path) -> None:
    result = subprocess.run([str(standalone), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Available Commands:" in result.stdout
    ctl = subprocess.run([str(standalone.parent / "mittnitectl"), "--help"],
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert ctl.returncode == 0 and "mittnitectl" in ctl.stdout
    copy = tmp_path / "mittnitectl-copy"  # a copy or hard link works as well as a symlink
    shutil.copy2(standalone, copy)
    ctl = subprocess.run([str(copy), "job", "--help"], capture_output=True, text=True, timeout=60)
    assert ctl.returncode == 0 and "mittnitectl job" in ctl.stdout


def test_runs_in_an_empty_root_as_pid1_with_itself_as_jobs(
    standalone: Path, tmp_path: Path
) -> None:
    root = empty_root(tmp_path, standalone)
    conf = root / "etc" / "mittnite.d"
    conf.mkdir(parents=True)
    (root / "etc" / "hello.tpl").write_text(
        '{{ htpasswd "alice" "wonder land" }}\n{{ $ca := genCA "ca" 3 }}{{ $ca.Cert }}'
        '{{ (genSignedCert "srv" (list "127.0.0.1") (list "srv.example") 2 $ca).Cert }}'
        '{{ encryptAES "k" "secret" | decryptAES "k" }}\n'
    )
    (conf / "jobs.hcl").write_text(
        'file "/out/rendered" {\n from = "/etc/hello.tpl"\n}\n'
        'boot "where" {\n command = "/mittnite"\n args = ["version"]\n}\n'
        'job "ctl" {\n command = "mittnitectl"\n args = ["--help"]\n oneTime = true\n}\n'
        'job "again" {\n command = "/mittnite"\n args = ["validate", "-c", "/etc/mittnite.d"]\n'
        " oneTime = true\n}\n"
    )
    result = run_in_root(root, "/mittnite", "up", "-c", "/etc/mittnite.d", "-p", "0")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "mittnite" in output and "Available Commands:" in output
    assert 'msg="job stopped" job.name=again' in output or "job.name=again" in output

    rendered = (root / "out" / "rendered").read_text()
    htpasswd_line, rest = rendered.split("\n", 1)
    user, _, hashed = htpasswd_line.partition(":")
    assert user == "alice" and hashed.startswith("$2a$10$")
    import bcrypt  # an independent implementation checks the executable's own bcrypt

    assert bcrypt.checkpw(b"wonder land", hashed.encode())
    from cryptography import x509

    ca_pem, leaf_pem = rest.split("-----END CERTIFICATE-----\n")[:2]
    ca = x509.load_pem_x509_certificate((ca_pem + "-----END CERTIFICATE-----\n").encode())
    leaf = x509.load_pem_x509_certificate((leaf_pem + "-----END CERTIFICATE-----\n").encode())
    leaf.verify_directly_issued_by(ca)
    assert rendered.rstrip().endswith("secret")


def test_scratch_image_recipe(standalone: Path, tmp_path: Path) -> None:
    """examples/docker/Dockerfile.scratch, without Docker: the release tarball unpacked into
    an empty root's /usr/bin, the example configuration, ``mittnite up`` as PID 1."""
    import tarfile

    tarball = standalone.parent / "mittnite.tar.gz"
    if not tarball.exists():
        pytest.skip("no release tarball next to the executable")
    root = tmp_path / "root"
    (root / "usr" / "bin").mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        assert sorted(archive.getnames()) == ["mittnite", "mittnitectl"]
        archive.extractall(root / "usr" / "bin", filter="tar")
    assert (root / "usr" / "bin" / "mittnitectl").readlink() == Path("mittnite")
    shutil.copytree(
        ROOT / "examples" / "docker" / "scratch" / "mittnite.d", root / "etc" / "mittnite.d"
    )
    result = run_in_root(
        root, "/usr/bin/mittnite", "up", "--config-dir", "/etc/mittnite.d", "-p", "0"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    greeting, _, line = (root / "etc" / "hello.txt").read_text().strip().partition(": ")
    assert greeting == "Hello from an empty image" and line.startswith("admin:$2a$10$")


def test_finds_itself_without_proc(standalone: Path, tmp_path: Path) -> None:
    root = empty_root(tmp_path, standalone)
    result = run_in_root(root, "/mittnite", "version", proc=False)
    assert result.returncode == 0, result.stderr
    result = run_in_root(root, "/mittnitectl", "--help", proc=False)
    assert result.returncode == 0 and "mittnitectl" in result.stdout, result.stderr


def test_jobs_get_exactly_the_containers_environment(standalone: Path, tmp_path: Path) -> None:
    """No locale coercion (LC_CTYPE), no PYTHON* additions: ``env -i`` in, the same out."""
    env_binary = shutil.which("env")
    assert env_binary
    conf = write_config(tmp_path, f'job "env" {{\n command = "{env_binary}"\n oneTime = true\n}}\n')
    for environment in ({}, {"LANG": "C", "FOO": "bär"}, {"LC_ALL": "POSIX", "PATH": "/bin"}):
        result = subprocess.run(
            [str(standalone), "up", "-c", str(conf), "-p", "0"],
            env=environment, capture_output=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        printed = [line for line in result.stdout.decode().splitlines() if line]
        assert sorted(printed) == sorted(f"{k}={v}" for k, v in environment.items())


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_database_and_broker_probes_use_the_bundled_drivers(
    standalone: Path, tmp_path: Path
) -> None:
    """The drivers (PyMySQL, redis wire protocol, aiormq) work from the appended zip."""
    services = {3306: "MariaDB", 6379: "Redis", 5672: "RabbitMQ"}
    missing = [name for port, name in services.items() if not _listening(port)]
    if missing:
        pytest.skip(f"not running: {', '.join(missing)} (.ci/services.sh starts them)")
    conf = write_config(
        tmp_path,
        'probe "db" {\n wait = true\n mysql {\n  host {\n   hostname = "127.0.0.1"\n  }\n'
        '  credentials {\n   user = "root"\n   password = ""\n  }\n'
        '  allowNativePassword = "true"\n }\n}\n'
        'probe "cache" {\n wait = true\n redis {\n  host {\n   hostname = "127.0.0.1"\n  }\n }\n}\n'
        'probe "mq" {\n wait = true\n amqp {\n  host {\n   hostname = "127.0.0.1"\n  }\n'
        '  credentials {\n   user = "guest"\n   password = "guest"\n  }\n }\n}\n'
        f'probe "fs" {{\n wait = true\n filesystem = "{tmp_path}"\n}}\n'
        'job "after" {\n command = "/bin/echo"\n args = ["probes ok"]\n oneTime = true\n}\n',
    )
    result = subprocess.run(
        [str(standalone), "up", "-c", str(conf), "-p", "0"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "probes ok" in result.stdout


def _make_ca(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 (made with the test-only library)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test ca")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    ca_file, cert_file, key_file = tmp_path / "ca.pem", tmp_path / "srv.pem", tmp_path / "srv.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_file, cert_file, key_file


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """An HTTPS server on 127.0.0.1 whose certificate only the test CA vouches for."""
    ca_file, cert_file, key_file = _make_ca(tmp_path_factory.mktemp("tls"))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], ca_file
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("place", "environment"),
    [
        ("etc/ssl/certs/ca-certificates.crt", {}),  # Debian, Ubuntu
        ("etc/pki/tls/certs/ca-bundle.crt", {}),  # Fedora, RHEL
        ("etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", {}),  # RHEL 7+
        ("etc/ssl/cert.pem", {}),  # Alpine
        ("custom/bundle.pem", {"SSL_CERT_FILE": "/custom/bundle.pem"}),
        (None, {}),  # nowhere: the probe must keep failing
    ],
)
def test_https_probe_finds_ca_certificates_where_go_does(
    standalone: Path, tmp_path: Path, tls_server: tuple[int, Path], place: str | None,
    environment: dict[str, str],
) -> None:  # fmt: skip
    port, ca_file = tls_server
    root = empty_root(tmp_path, standalone)
    if place is not None:
        (root / place).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ca_file, root / place)
    conf = root / "etc" / "mittnite.d"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "a.hcl").write_text(
        'probe "tls" {\n wait = true\n http {\n  scheme = "https"\n'
        f'  host {{\n   hostname = "127.0.0.1"\n   port = "{port}"\n  }}\n }}\n}}\n'
        'job "after" {\n command = "/mittnite"\n args = ["version"]\n oneTime = true\n}\n'
    )
    (root / "proc").mkdir()
    command = [UNSHARE, "-m", "-p", "-f", f"--mount-proc={root}/proc", CHROOT, str(root),
               "/mittnite", "up", "-c", "/etc/mittnite.d", "-p", "0"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={"PATH": "/", **environment}, start_new_session=True)  # fmt: skip
    try:
        output, _ = process.communicate(timeout=8 if place is None else 60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
    text = output.decode(errors="replace")
    if place is None:
        assert process.returncode != 0 and "certificate" in text, text
    else:
        assert process.returncode == 0, text


def test_pid1_reaps_orphans_and_stops_on_sigterm(standalone: Path, tmp_path: Path) -> None:
    spawner = (
        "for i in $(seq 50); do sh -c 'sleep 0.2 &'; done; sleep 1.5; "
        "z=0; for s in /proc/[0-9]*/stat; do st=$(cut -d' ' -f3 $s 2>/dev/null); "
        '[ \\"$st\\" = Z ] && z=$((z+1)); done; echo zombies=$z; exec sleep 1040'
    )
    conf = write_config(
        tmp_path, f'job "spawner" {{\n command = "/bin/sh"\n args = ["-c", "{spawner}"]\n}}\n'
    )
    # A private mount namespace with a read-only /tmp: the executable must not need it.
    script = (
        "mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp && "
        "! touch /tmp/.mittnite-write-probe 2>/dev/null && "
        f"exec unshare --pid --fork --mount-proc {standalone} up -c {conf} -p 0"
    )
    out = tmp_path / "out.log"
    process = subprocess.Popen(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        stdout=out.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while "zombies=" not in out.read_text(errors="replace") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "zombies=0" in out.read_text(errors="replace"), out.read_text(errors="replace")
        pid1 = _namespace_init(process.pid)
        os.kill(pid1, signal.SIGTERM)
        assert process.wait(30) == 0
        log = out.read_text(errors="replace")
        assert "received event terminated" in log and 'msg="job stopped" job.name=spawner' in log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _namespace_init(root_pid: int) -> int:
    """The pid of the first process of the new PID namespace (child of unshare --fork)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for candidate in Path("/proc").iterdir():
            if not candidate.name.isdigit():
                continue
            try:
                status = (candidate / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            nspid = fields.get("NSpid", "").split()
            if (
                len(nspid) > 1
                and nspid[-1] == "1"
                and _is_descendant(int(candidate.name), root_pid)
            ):
                return int(candidate.name)
        time.sleep(0.05)
    raise AssertionError("no PID 1 found")


def _is_descendant(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        stat = Path(f"/proc/{pid}/stat").read_text()
        pid = int(stat.rsplit(")", 1)[1].split()[1])
    return False
