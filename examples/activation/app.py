import os
import socket

assert os.environ["LISTEN_PID"] == str(os.getpid())   # these sockets are for this process
server = socket.socket(fileno=3)                        # the first activated listen block
while True:
    client, (host, port, *_) = server.accept()          # the client's real address
    client.recv(65536)                                  # the request (not looked at here)
    body = f"hello {host}:{port}\n".encode()
    client.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    client.close()
