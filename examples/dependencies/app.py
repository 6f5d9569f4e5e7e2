"""The application: reports its progress and readiness the systemd way (sd_notify)."""

import os
import socket
import time


def notify(message: str) -> None:
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:  # run without notify support (e.g. by the original mittnite)
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.sendto(message.encode(), address)


notify("STATUS=loading caches")
time.sleep(1)
notify("READY=1\nSTATUS=serving requests")
print("app: ready", flush=True)
while True:
    time.sleep(60)
