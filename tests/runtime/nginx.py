"""A real nginx as the upstream that reads PROXY protocol headers (tests of the forwarder
and of ``mittnite up``): where its binary is, and a one-process config that answers each
request with the client address the header carried."""

from __future__ import annotations

import os
import shutil

import pytest


def nginx_binary() -> str:
    """nginx's path; a CI run without it fails (``.ci/run`` installs it), others skip."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("nginx is missing: CI must install it (apt-get install nginx-light)")
    pytest.skip("nginx is not installed (apt-get install nginx-light)")


def nginx_conf(directory: str, *listens: str) -> str:
    """Foreground, no master, state under ``directory``; one server on ``listens`` (nginx
    ``listen`` arguments, e.g. ``127.0.0.1:8081``) expecting the PROXY header."""
    lines = "".join(f"        listen {where} proxy_protocol;\n" for where in listens)
    return f"""
daemon off;
master_process off;
pid {directory}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    server {{
{lines}        location / {{ return 200 "[$proxy_protocol_addr]:[$proxy_protocol_port]"; }}
    }}
}}
"""
