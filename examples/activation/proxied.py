"""An upstream behind mittnite's forwarder that reads the PROXY protocol v1 line.

Usage: python3 proxied.py HOST:PORT
"""

import socket
import sys

host, _, port = sys.argv[1].rpartition(":")
server = socket.create_server((host, int(port)))
while True:
    client, _ = server.accept()
    with client, client.makefile("rb") as stream:
        header = stream.readline().split()  # PROXY TCP4 <client> <dest> <cport> <dport>
        client_address = f"{header[2].decode()}:{header[4].decode()}" if len(header) == 6 else "?"
        while stream.readline().strip():  # the request's head, up to its empty line
            pass
        body = f"hello {client_address}\n".encode()
        client.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
