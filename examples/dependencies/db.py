"""A stand-in database: takes a few seconds to warm up, then answers /health with 200."""

import http.server
import sys
import time


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


print("db: warming up", flush=True)
time.sleep(3)
server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health)
print("db: accepting connections", flush=True)
server.serve_forever()
