"""Job output through ``mittnite up``, side by side with a direct pipe.

    python bench/output.py [--mbytes 1024] [--runs 3] [--healthz 2000]

Figures (issue 15, item 8), each printed with its peer and the ratio:

* passthrough: MB/s of 100-byte lines from a job through mittnite to a pipe
  (no timestamps, no prefix), versus the same job writing into a pipe
  directly (target: >= 0.5x);
* the same with ``enableTimestamps`` and with ``--prefix-output`` (target:
  >= 100 MB/s of the job's bytes; the direct pipe is the peer again);
* ``/healthz`` latency p50/p99 while a job floods mittnite's stdout, versus
  the same mittnite idle (target: p99 < 50 ms);
* how long a partial line (a prompt, no newline) takes to appear.

The job is a small writer putting 81 lines of 100 bytes in each ``write``
(8,100 bytes, like a C program's stdio buffer). Throughput is measured from
the first to the last byte the reader receives, so start-up is not counted.
"""

from __future__ import annotations

import argparse
import compileall
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = b"x" * 99 + b"\n"
PER_WRITE = 81
WRITER = (
    "import os, sys\n"
    f"block = {LINE * PER_WRITE!r}\n"
    "count = int(sys.argv[1])\n"
    "write = os.write\n"
    "for _ in range(count):\n"
    "    write(1, block)\n"
)
FLOODER = f"import os\nblock = {LINE * PER_WRITE!r}\nwhile True:\n    os.write(1, block)\n"


def writes_for(mbytes: int) -> int:
    return mbytes * 1_000_000 // len(LINE * PER_WRITE)


def drain(fd: int, expected: int, *, lines: bool = False) -> float:
    """Read ``fd`` until ``expected`` bytes (or newlines) arrived; seconds first to last.

    The reader does as little as possible (counting newlines only where the
    output size is not known in advance), so that it is not what limits the pipe.
    """
    received = 0
    first = 0.0
    read = os.read
    while received < expected:
        data = read(fd, 1 << 16)
        if not data:
            raise RuntimeError(f"output ended after {received} of {expected}")
        if not first:
            first = time.perf_counter()
        received += data.count(b"\n") if lines else len(data)
    return time.perf_counter() - first


def direct(script: Path, writes: int) -> float:
    """Seconds for the writer's output through one pipe."""
    read_end, write_end = os.pipe()
    process = subprocess.Popen([sys.executable, str(script), str(writes)], stdout=write_end)
    os.close(write_end)
    try:
        seconds = drain(read_end, writes * PER_WRITE * len(LINE))
    finally:
        os.close(read_end)
        process.wait()
    return seconds


def mittnite_config(workdir: Path, command: list[str], job: str = "", **extra: str) -> Path:
    conf = workdir / "mittnite.d"
    conf.mkdir(parents=True, exist_ok=True)
    args = ", ".join(f'"{arg}"' for arg in command[1:])
    fields = "".join(f"\n {key} = {value}" for key, value in extra.items())
    (conf / "job.hcl").write_text(
        f'job "{job or "out"}" {{\n command = "{command[0]}"\n args = [{args}]{fields}\n}}\n'
    )
    return conf


def through_mittnite(workdir: Path, script: Path, writes: int, *flags: str, **fields: str) -> float:
    """Seconds for the same output through ``mittnite up`` into a pipe."""
    conf = mittnite_config(
        workdir, [sys.executable, str(script), str(writes)], oneTime="true", **fields
    )
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-m", "mittnite", "up", "-c", str(conf), "-p", "0", *flags],
        stdout=write_end,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        if fields or flags:  # heads make the output longer: count its lines
            seconds = drain(read_end, writes * PER_WRITE, lines=True)
        else:
            seconds = drain(read_end, writes * PER_WRITE * len(LINE))
        while os.read(read_end, 1 << 16):
            pass
    finally:
        os.close(read_end)
        process.wait(60)
    return seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def healthz_latencies(port: int, count: int) -> list[float]:
    request = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(request)
            answer = b""
            while chunk := conn.recv(4096):
                answer += chunk
        samples.append(time.perf_counter() - started)
        if not answer.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"/healthz answered {answer[:40]!r}")
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def healthz_under(
    workdir: Path, command: list[str], count: int, **fields: str
) -> tuple[list[float], float]:
    """/healthz latencies of a mittnite running ``command``, and its output rate (MB/s)."""
    conf = mittnite_config(workdir, command, **fields)
    port = free_port()
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-m", "mittnite", "up", "-c", str(conf), "-p", str(port)],
        stdout=write_end,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    flowed = [0]

    def consume() -> None:
        while data := os.read(read_end, 1 << 16):
            flowed[0] += len(data)

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                healthz_latencies(port, 1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        time.sleep(0.5)  # the job is flooding by now
        before, started = flowed[0], time.perf_counter()
        samples = healthz_latencies(port, count)
        rate = (flowed[0] - before) / (time.perf_counter() - started) / 1e6
        return samples, rate
    finally:
        process.terminate()
        process.wait(30)
        thread.join(10)
        os.close(read_end)


def partial_line_latency(workdir: Path, runs: int) -> list[float]:
    """Seconds from a job writing ``prompt> `` (no newline) until it reaches the reader."""
    marker = workdir / "written"
    script = workdir / "prompt.py"
    script.write_text(
        "import os, sys, time\n"
        "os.write(1, b'prompt> ')\n"
        f"open({str(marker)!r}, 'w').write(repr(time.time()))\n"
        "time.sleep(30)\n"
    )
    samples = []
    for run in range(runs):
        marker.unlink(missing_ok=True)
        conf = mittnite_config(workdir / f"p{run}", [sys.executable, str(script)])
        read_end, write_end = os.pipe()
        process = subprocess.Popen(
            [sys.executable, "-m", "mittnite", "up", "-c", str(conf), "-p", "0"],
            stdout=write_end,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_end)
        data = b""
        while b"prompt> " not in data:
            data += os.read(read_end, 4096)
        arrived = time.time()
        while not marker.exists() or not marker.read_text():
            time.sleep(0.001)
        samples.append(arrived - float(marker.read_text()))
        process.terminate()
        process.wait(30)
        os.close(read_end)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mbytes", type=int, default=1024, help="output volume per run (MB)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--healthz", type=int, default=2000, help="/healthz requests per case")
    options = parser.parse_args()
    compileall.compile_dir(str(ROOT / "src" / "mittnite"), quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="bench-output-"))
    script = tmp / "writer.py"
    script.write_text(WRITER)
    writes = writes_for(options.mbytes)
    volume = writes * PER_WRITE * len(LINE) / 1e6

    print(f"== {volume:.0f} MB of 100-byte lines, best of {options.runs} (MB/s of the job's bytes)")
    cases = [
        ("passthrough", (), {}, 0.5),
        ("timestamps", (), {"enableTimestamps": "true"}, None),
        ("prefix", ("--prefix-output",), {}, None),
    ]
    for name, flags, fields, target in cases:
        ours = peer = 0.0
        for run in range(options.runs):
            peer = max(peer, volume / direct(script, writes))
            workdir = tmp / f"{name}-{run}"
            ours = max(ours, volume / through_mittnite(workdir, script, writes, *flags, **fields))
        goal = f"target >= {target}x" if target else "target >= 100 MB/s"
        print(
            f"{name:<12} mittnite={ours:8.0f}  direct pipe={peer:8.0f}  "
            f"ratio={ours / peer:.2f}x   ({goal})"
        )

    print(f"\n== /healthz latency, {options.healthz} requests (ms)")
    flooder = tmp / "flooder.py"
    flooder.write_text(FLOODER)
    idle = healthz_under(tmp / "idle", ["sleep", "1000"], options.healthz)
    busy = healthz_under(tmp / "flood", [sys.executable, str(flooder)], options.healthz)
    stamped = healthz_under(
        tmp / "flood-ts", [sys.executable, str(flooder)], options.healthz, enableTimestamps="true"
    )
    cases = (("idle", idle), ("job flooding", busy), ("... timestamps", stamped))
    for name, (samples, rate) in cases:
        print(
            f"{name:<15} p50={percentile(samples, 0.5) * 1000:6.2f}  "
            f"p99={percentile(samples, 0.99) * 1000:6.2f}  max={max(samples) * 1000:6.2f}"
            f"   (output meanwhile: {rate:.0f} MB/s)"
        )
    worst = max(percentile(busy[0], 0.99), percentile(stamped[0], 0.99))
    print(
        f"flooding/idle p99 ratio={worst / percentile(idle[0], 0.99):.2f}x  "
        "(target: p99 < 50 ms while flooding)"
    )

    print("\n== a partial line (prompt without newline) reaching the reader (ms)")
    samples = partial_line_latency(tmp, options.runs * 3)
    print(
        f"median={statistics.median(samples) * 1000:.1f}  max={max(samples) * 1000:.1f}  "
        "(direct pipe: immediate; target < 100 ms)"
    )


if __name__ == "__main__":
    main()
