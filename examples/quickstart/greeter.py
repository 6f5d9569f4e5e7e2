"""A tiny service for the quick-start demo: prints its config, reloads on SIGHUP."""

import signal
import sys
import time

path = sys.argv[1]


def load() -> tuple[list[str], float]:
    lines, interval = [], 5.0
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if line.startswith("interval"):
                interval = float(line.split("=", 1)[1])
            elif line and not line.startswith("#"):
                lines.append(line)
    return lines, interval


greetings, interval = load()


def reload(signum: int, frame: object) -> None:
    global greetings, interval
    greetings, interval = load()
    print(f"greeter: reloaded {path}", flush=True)


signal.signal(signal.SIGHUP, reload)
while True:
    for greeting in greetings:
        print(f"greeter: {greeting}", flush=True)
    time.sleep(interval)
