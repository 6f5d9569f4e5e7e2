"""Layer-4 forwarding, socket activation and lazy start-up, side by side with a direct
connection and socat.

    python bench/proxy.py [--gib 1] [--runs 3] [--seconds 3] [--lazy-runs 10]

Figures (each with the peer's figure and the ratio):

(a) throughput of a 1 GiB one-way transfer: direct, through a real ``mittnite up`` whose
    job has ``listen { forward = ... }`` (mittnite copies), the same forwarder in
    ``splice`` mode (the runtime's ``Forwarder`` alone: not a configuration option), a
    ``mittnite up`` job with ``listen { activate = true }`` (mittnite binds the socket and
    hands it to the job as fd 3 with ``LISTEN_FDS``: it should equal direct), and
    ``socat TCP-LISTEN:...,fork,reuseaddr TCP:...``; target: forwarding >= 0.5x direct
    and faster than socat. Medians of ``--runs`` rounds, modes interleaved so background
    load hits all of them alike;
(b) new connections per second, each a short request/response (``ping``/``pong``, the
    upstream closes): direct, forwarded, forwarded with ``proxyProtocol = "v2"`` (the
    ``pong`` upstream takes the header as part of its request), activated, socat, all
    through ``mittnite up`` where mittnite is involved; target >= 2,000/s forwarded (the
    original manages about 50/s because of its 20 ms dial delay and its info log line
    per connection), activated = direct;
(c) latency added to the first connection of a lazy job beyond the job's own start-up
    time (target < 20 ms): the job's own time is spawn-to-first-answer when the bench
    starts the same upstream itself and dials it every 0.5 ms; the lazy times are
    connect-to-first-answer through a ``mittnite up`` lazy job whose process has cooled
    down, forwarded (mittnite dials the starting upstream) and activated (the connection
    waits in the accept queue until the job accepts it).

Every component is a separate process, as in production: the upstream (sink or
``pong`` server, written below) as a job of ``mittnite up`` (or alone, for the direct
figures), socat, and the load generators. mittnite's own CPU time is that of the
``mittnite up`` process alone, not of its jobs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

CHUNK = 1 << 20


# ---- roles (each runs in its own process) ------------------------------------------------------


def activated_socket() -> socket.socket | None:
    """The listening socket handed over by ``LISTEN_FDS`` (systemd's protocol), if any."""
    if os.environ.get("LISTEN_PID") != str(os.getpid()) or os.environ.get("LISTEN_FDS") != "1":
        return None
    return socket.socket(fileno=3)


def serve_sink(port: int) -> None:
    """Count bytes until EOF on each connection, answer with the count."""
    server = activated_socket()
    if server is None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(64)
    print(server.getsockname()[1], flush=True)
    buffer = bytearray(CHUNK)
    while True:
        client, _ = server.accept()
        total = 0
        while True:
            count = client.recv_into(buffer)
            if not count:
                break
            total += count
        client.sendall(str(total).encode())
        client.close()


class _Pong(asyncio.Protocol):
    """Answers once ``ping`` arrived (a PROXY header may come first, maybe on its own)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.received = b""

    def data_received(self, data: bytes) -> None:
        self.received += data
        if self.received.endswith(b"ping"):
            self.transport.write(b"pong")
            self.transport.close()


def serve_pong(port: int) -> None:
    """Answer ``pong`` to the first bytes of each connection and close (we close first)."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        handed = activated_socket()
        if handed is not None:
            server = await loop.create_server(_Pong, sock=handed, backlog=4096)
        else:
            server = await loop.create_server(
                _Pong, "127.0.0.1", port, backlog=4096, reuse_address=True
            )
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


class _QuietLogger:
    def log(self, level: str, msg: str, fields: object = None) -> None:
        if level in ("error", "warning"):
            print(f"forwarder: {msg} {fields}", file=sys.stderr, flush=True)


def run_forwarder(listen_port: int, forward: str, use_splice: bool, proxy_protocol: int = 0) -> None:
    from mittnite.config.addresses import parse_address
    from mittnite.runtime.forward import Forwarder

    async def main() -> None:
        forwarder = Forwarder(
            parse_address(f"127.0.0.1:{listen_port}"),
            parse_address(forward),
            logger=_QuietLogger(),
            spin_up_timeout=5.0,
            timeout_error="upstream did not start after 5s",
            use_splice=use_splice,
        )
        forwarder.send_proxy_header(proxy_protocol)
        forwarder.open()
        print(forwarder.address.rpartition(":")[2], flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


def send_bytes(port: int, total: int) -> None:
    """Send ``total`` bytes, half-close, wait for the sink's count; print the seconds."""
    client = socket.create_connection(("127.0.0.1", port))
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    block = os.urandom(CHUNK)
    began = time.perf_counter()
    sent = 0
    while sent < total:
        client.sendall(block)
        sent += len(block)
    client.shutdown(socket.SHUT_WR)
    answer = client.recv(64)
    elapsed = time.perf_counter() - began
    if int(answer) != total:
        raise SystemExit(f"sink counted {answer!r}, expected {total}")
    print(f"{elapsed:.6f}", flush=True)


def request_loop(port: int, seconds: float, concurrency: int) -> None:
    """Open, ping, read pong, close, as fast as possible; print the count per second."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        done = 0
        failed = 0

        async def worker() -> None:
            nonlocal done, failed
            while loop.time() < deadline:
                sock = socket.socket()
                sock.setblocking(False)
                try:
                    await loop.sock_connect(sock, ("127.0.0.1", port))
                    await loop.sock_sendall(sock, b"ping")
                    answer = b""
                    while True:
                        data = await loop.sock_recv(sock, 16)
                        if not data:
                            break
                        answer += data
                    if answer == b"pong":
                        done += 1
                    else:
                        failed += 1
                except OSError:
                    failed += 1
                finally:
                    sock.close()

        began = loop.time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        print(f"{done / (loop.time() - began):.1f} {failed}", flush=True)

    asyncio.run(main())


# ---- orchestration ---------------------------------------------------------------------------------


def me(*args: object) -> list[str]:
    return [sys.executable, __file__, *(str(a) for a in args)]


def fixed_port() -> int:
    """A free port below the ephemeral range (configurations name their ports; a port
    from ``bind(0)`` could be handed out again to anybody's next ``bind(0)``)."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as handle:
        low = int(handle.read().split()[0])
    while True:
        port = random.randrange(10000, low)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


class Up:
    """A real ``mittnite up`` running one job (``job`` is the HCL); clients use ``port``.

    ``ready``: a text in mittnite's stderr that says clients may come (a lazy job must
    not be started by a readiness check); by default, the job's first output line (the
    upstream says its port) and then a connection to ``port``.
    """

    def __init__(self, job: str, port: int, ready: str | None = None) -> None:
        self.port = port
        self.directory = tempfile.TemporaryDirectory(prefix="mittnite-bench-")
        config = Path(self.directory.name, "mittnite.d")
        config.mkdir()
        (config / "bench.hcl").write_text(job)
        self.stderr_path = Path(self.directory.name, "stderr.log")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        with self.stderr_path.open("wb") as stderr:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mittnite", "up", "-c", str(config), "-p", "0"],
                stdout=subprocess.PIPE,
                stderr=stderr,
                stdin=subprocess.DEVNULL,
                env=env,
                text=True,
            )
        assert self.proc.stdout is not None
        if ready is None:
            if not self.proc.stdout.readline():
                raise SystemExit(f"mittnite up did not start its job:\n{self.stderr}")
            wait_listening(port)
        else:
            self.wait_for(ready)

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def wait_for(self, text: str, count: int = 1, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while self.stderr.count(text) < count:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"mittnite up never said {text!r}:\n{self.stderr}")
            time.sleep(0.005)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.directory.cleanup()


def job(role: str, *, upstream: int = 0, front: int, mode: str, lazy: str = "") -> str:
    """The HCL of one job running ``role`` of this script behind ``front`` (``mode``:
    ``forward``, ``forward-v2`` with a PROXY v2 header, or ``activate``)."""
    args = ", ".join(f'"{arg}"' for arg in [__file__, role, str(upstream)])
    if mode == "activate":
        listen = "activate = true"
    else:
        listen = f'forward = "127.0.0.1:{upstream}"'
        if mode == "forward-v2":
            listen += '\n    proxyProtocol = "v2"'
    return (
        f'job "bench" {{\n  command = "{sys.executable}"\n  args = [{args}]\n{lazy}'
        f'  listen "127.0.0.1:{front}" {{\n    {listen}\n  }}\n}}\n'
    )


class Service:
    """A background role process that prints its port on the first line."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line:
            raise SystemExit(f"{argv} did not start")
        self.port = int(line)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Socat:
    def __init__(self, upstream_port: int) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.proc = subprocess.Popen(
            [
                "socat",
                f"TCP-LISTEN:{self.port},bind=127.0.0.1,fork,reuseaddr,backlog=4096",
                f"TCP:127.0.0.1:{upstream_port}",
            ],
            stderr=subprocess.DEVNULL,
        )
        wait_listening(self.port)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def wait_listening(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.01)
    raise SystemExit(f"nothing listens on {port}")


def one_line(argv: list[str]) -> str:
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (``/proc/<pid>/stat``)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(gib: float, runs: int, have_socat: bool) -> tuple[dict[str, float], dict[str, float]]:
    """Median GB/s per peer, and mittnite's own CPU seconds per GiB moved (load-proof)."""
    total = int(gib * (1 << 30))
    sink = Service(me("serve-sink"))
    upstream, front = fixed_port(), fixed_port()
    ours = Up(job("serve-sink", upstream=upstream, front=front, mode="forward"), front)
    spliced = Service(me("forward", 0, f"127.0.0.1:{sink.port}", "splice"))
    activated_port = fixed_port()
    activated = Up(job("serve-sink", front=activated_port, mode="activate"), activated_port)
    peers = {
        "direct": sink.port,
        "mittnite": ours.port,
        "mittnite (splice)": spliced.port,
        "activated": activated.port,
    }
    ours_by_name: dict[str, Service | Up] = {
        "mittnite": ours,
        "mittnite (splice)": spliced,
        "activated": activated,
    }
    socat = Socat(sink.port) if have_socat else None
    if socat is not None:
        peers["socat"] = socat.port
    results: dict[str, list[float]] = {name: [] for name in peers}
    cpu: dict[str, float] = dict.fromkeys(ours_by_name, 0.0)
    try:
        for _ in range(runs):
            for name, port in peers.items():
                service = ours_by_name.get(name)
                before = cpu_seconds(service.proc.pid) if service is not None else 0.0
                seconds = float(one_line(me("send", port, total)))
                if service is not None:
                    cpu[name] += cpu_seconds(service.proc.pid) - before
                results[name].append(total / seconds / 1e9)
    finally:
        for service in (ours, spliced, activated, sink):
            service.stop()
        if socat is not None:
            socat.stop()
    moved = gib * runs
    per_gib = {name: seconds / moved for name, seconds in cpu.items()}
    return {name: statistics.median(values) for name, values in results.items()}, per_gib


def connection_rate(
    seconds: float, rounds: int, have_socat: bool
) -> tuple[dict[str, float], dict[str, float]]:
    """Median connections/s per peer over ``rounds``, the order rotated each round.

    Every connection leaves a ``TIME_WAIT`` entry on loopback, and ``connect()`` slows down
    as they pile up, so whoever runs later in a round is handicapped; rotating spreads it.
    Also returns mittnite's own CPU milliseconds per connection, for its processes.
    """
    pong = Service(me("serve-pong", 0))
    upstream, front = fixed_port(), fixed_port()
    ours = Up(job("serve-pong", upstream=upstream, front=front, mode="forward"), front)
    upstream, front = fixed_port(), fixed_port()
    with_header = Up(job("serve-pong", upstream=upstream, front=front, mode="forward-v2"), front)
    activated_port = fixed_port()
    activated = Up(job("serve-pong", front=activated_port, mode="activate"), activated_port)
    peers = {
        "direct": pong.port,
        "mittnite": ours.port,
        "mittnite (PROXY v2)": with_header.port,
        "activated": activated.port,
    }
    socat = Socat(pong.port) if have_socat else None
    if socat is not None:
        peers["socat"] = socat.port
    ours_by_name: dict[str, Up] = {
        "mittnite": ours,
        "mittnite (PROXY v2)": with_header,
        "activated": activated,
    }
    cpu = dict.fromkeys(ours_by_name, 0.0)
    served = dict.fromkeys(ours_by_name, 0.0)
    rates: dict[str, list[float]] = {name: [] for name in peers}
    order = list(peers)
    try:
        for round_index in range(rounds):
            shift = round_index % len(order)
            for name in order[shift:] + order[:shift]:
                service = ours_by_name.get(name)
                before = cpu_seconds(service.proc.pid) if service is not None else 0.0
                rate, failed = one_line(me("requests", peers[name], seconds, 32)).split()
                if service is not None:
                    cpu[name] += cpu_seconds(service.proc.pid) - before
                    served[name] += float(rate) * seconds
                rates[name].append(float(rate))
                if int(failed):
                    print(f"  ({name}: {failed} failed requests)")
                time.sleep(1.0)  # let TIME_WAIT sockets of the previous peer drain a little
    finally:
        for up in (ours, with_header, activated):
            up.stop()
        pong.stop()
        if socat is not None:
            socat.stop()
    per_connection = {name: cpu[name] * 1e3 / max(served[name], 1.0) for name in cpu}
    return {name: statistics.median(values) for name, values in rates.items()}, per_connection


def ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"ping")
            return sock.recv(16) == b"pong"
    except OSError:
        return False


def own_start_up(port: int) -> float:
    """Spawn the upstream ourselves; dial it every 0.5 ms until it answers."""
    began = time.perf_counter()
    proc = subprocess.Popen(me("serve-pong", port), stdout=subprocess.DEVNULL)
    try:
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                    sock.sendall(b"ping")
                    if sock.recv(16) == b"pong":
                        return time.perf_counter() - began
            except OSError:
                time.sleep(0.0005)
    finally:
        proc.terminate()
        proc.wait()


def wait_refused(port: int) -> None:
    """Until nothing accepts on ``port`` (the lazy job cooled down)."""
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return
        time.sleep(0.02)


def lazy_latency(runs: int) -> tuple[float, float, float]:
    """Medians: the job's own start-up, and the first answer through a cooled-down lazy
    job that forwards, and through one with an activated socket."""
    upstream, front = fixed_port(), fixed_port()
    cooling = '  lazy {\n    coolDownTimeout = "200ms"\n    spinUpTimeout = "30s"\n  }\n'
    holding = "holding off starting job bench until first request"
    forwarded = Up(
        job("serve-pong", upstream=upstream, front=front, mode="forward", lazy=cooling),
        front,
        ready=holding,
    )
    activated_port = fixed_port()
    activated = Up(
        job("serve-pong", front=activated_port, mode="activate", lazy=cooling),
        activated_port,
        ready=holding,
    )
    own: list[float] = []
    through: list[float] = []
    through_activated: list[float] = []
    try:
        for run in range(1, runs + 1):
            wait_refused(upstream)
            own.append(own_start_up(upstream))
            wait_refused(upstream)
            for lazy, times in ((forwarded, through), (activated, through_activated)):
                began = time.perf_counter()
                if not ping(lazy.port):
                    raise SystemExit(f"lazy job did not answer:\n{lazy.stderr}")
                times.append(time.perf_counter() - began)
                lazy.wait_for('msg="process terminated"', count=run)  # cooled down again
    finally:
        forwarded.stop()
        activated.stop()
    medians = (statistics.median(own), statistics.median(through))
    return (*medians, statistics.median(through_activated))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gib", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--lazy-runs", type=int, default=10)
    options = parser.parse_args()
    have_socat = shutil.which("socat") is not None
    if not have_socat:
        print("socat not found: its figures are skipped")

    print(f"(a) throughput, {options.gib:g} GiB one way, median of {options.runs} (GB/s)")
    rates, cpu_per_gib = throughput(options.gib, options.runs, have_socat)
    direct = rates["direct"]
    for name, value in rates.items():
        print(f"    {name:20s} {value:6.2f}   {value / direct:4.2f}x direct")
    print("    mittnite's own CPU time per GiB (independent of the machine's load):")
    for name, value in cpu_per_gib.items():
        print(f"      {name:18s} {value:6.3f} s")
    if "socat" in rates:
        print(f"    mittnite / socat     {rates['mittnite'] / rates['socat']:6.2f}x")
    print(f"    activated / forwarded {rates['activated'] / rates['mittnite']:6.2f}x")

    print(
        f"(b) new connections per second, ping/pong, {options.seconds:g} s, 32 in flight,"
        f" median of {options.runs} (order rotated)"
    )
    conns, cpu_per_connection = connection_rate(options.seconds, options.runs, have_socat)
    for name, value in conns.items():
        print(f"    {name:20s} {value:8.0f}/s   {value / conns['direct']:4.2f}x direct")
    print("    mittnite's own CPU time per connection (independent of the machine's load):")
    for name, value in cpu_per_connection.items():
        print(f"      {name:20s} {value:6.3f} ms")
    if "socat" in conns:
        print(f"    mittnite / socat     {conns['mittnite'] / conns['socat']:8.2f}x")
    print(f"    activated / forwarded {conns['activated'] / conns['mittnite']:8.2f}x")
    print("    (the original: about 50/s, 20 ms dial delay per connection)")

    print(f"(c) first connection to a cooled-down lazy job, median of {options.lazy_runs}")
    own, through, through_activated = lazy_latency(options.lazy_runs)
    print(f"    job's own start-up (spawn to first answer)         {own * 1e3:7.1f} ms")
    print(f"    through the lazy job, forwarded (connect to answer) {through * 1e3:7.1f} ms")
    print(f"    through the lazy job, activated (connect to answer) {through_activated * 1e3:7.1f} ms")
    print(f"    added by mittnite, forwarded                       {(through - own) * 1e3:7.1f} ms")
    print(
        "    added by mittnite, activated                       "
        f"{(through_activated - own) * 1e3:7.1f} ms"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in (
        "serve-sink",
        "serve-pong",
        "forward",
        "send",
        "requests",
    ):
        role, args = sys.argv[1], sys.argv[2:]
        if role == "serve-sink":
            serve_sink(int(args[0]) if args else 0)
        elif role == "serve-pong":
            serve_pong(int(args[0]))
        elif role == "forward":
            mode, _, proxy = args[2].partition("-v")
            run_forwarder(int(args[0]), args[1], mode == "splice", int(proxy or 0))
        elif role == "send":
            send_bytes(int(args[0]), int(args[1]))
        else:
            request_loop(int(args[0]), float(args[1]), int(args[2]))
    else:
        main()
