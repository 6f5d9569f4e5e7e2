"""Template rendering speed: a container's typical config files, warm and from a cold start.

    python bench/render.py [--iterations 200]

Figures:

* warm throughput: templates rendered per second (parse + execute) for a
  realistic set (nginx site, php-fpm pool, my.cnf, an env-driven list);
* cold start: ``mittnite renderfiles`` rendering 10 files, from process start
  to exit (target: under 50 ms), next to the classic peer of shell images,
  ``envsubst`` run 10 times, and the interpreter floor ``python3 -c pass``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TEMPLATES = {
    "nginx.conf": """server {
    listen {{ .Params.port | default 80 }};
    server_name {{ .Params.hosts | join " " }};
    root {{ .Params.root }};
{{- range $path, $upstream := .Params.proxies }}
    location {{ $path }} {
        proxy_pass http://{{ $upstream }};
        proxy_set_header Host $host;
    }
{{- end }}
    client_max_body_size {{ .Env.MAX_BODY | default "10m" }};
}
""",
    "www.conf": """[www]
user = {{ .Env.FPM_USER | default "www-data" }}
pm = {{ .Params.pm }}
pm.max_children = {{ .Params.children }}
pm.start_servers = {{ div .Params.children 4 | max 1 }}
{{- range $key, $value := .Env }}{{ if hasPrefix "PHP_" $key }}
env[{{ $key }}] = {{ $value | quote }}{{ end }}{{ end }}
""",
    "my.cnf": """[mysqld]
bind-address = {{ .Params.bind | default "0.0.0.0" }}
max_connections = {{ .Params.connections }}
innodb_buffer_pool_size = {{ mul .Params.buffer_mb 1024 1024 }}
{{ if .Params.replica }}read_only = 1
server-id = {{ .Params.server_id }}{{ end }}
""",
    "hosts.list": """{{- range $i, $host := splitList "," .Env.BACKENDS }}
{{ $i }}: {{ $host | trim | upper }}{{ if eq $i 0 }} (primary){{ end }}
{{- end }}
""",
}

PARAMS = """
  port = 8080
  hosts = ["example.org", "www.example.org"]
  root = "/var/www/html"
  proxies = { "/api" = "backend:9000", "/ws" = "ws:9001" }
  pm = "dynamic"
  children = 20
  connections = 200
  buffer_mb = 512
  replica = true
  server_id = 7
"""

ENV = {
    "MAX_BODY": "64m",
    "PHP_MEMORY_LIMIT": "256M",
    "PHP_TIMEZONE": "UTC",
    "BACKENDS": "db1.internal, db2.internal,db3.internal",
}


def setup(directory: Path, count: int = 10) -> Path:
    """A config dir with ``count`` file directives cycling through the templates."""
    conf = directory / "mittnite.d"
    conf.mkdir(parents=True)
    names = list(TEMPLATES)
    blocks = []
    for index in range(count):
        name = names[index % len(names)]
        (directory / name).write_text(TEMPLATES[name])
        blocks.append(
            f'file "{directory}/out/{index}-{name}" {{\n from = "{directory / name}"\n'
            f" params = {{{PARAMS}}}\n}}\n"
        )
    (conf / "files.hcl").write_text("".join(blocks))
    return conf


def warm_throughput(iterations: int) -> float:
    from mittnite.config.hcl import Decoder, MapType, parse_any
    from mittnite.gotemplate import parse
    from mittnite.gotemplate.sprig import FUNCS
    from mittnite.render import template_data

    params = Decoder().decode("p", parse_any(PARAMS), MapType(), None)
    data = template_data(params, {**os.environ, **ENV})
    function_map = FUNCS
    started = time.perf_counter()
    rendered = 0
    for _ in range(iterations):
        for name, text in TEMPLATES.items():
            parse(name, text, function_map).render(data)
            rendered += 1
    return rendered / (time.perf_counter() - started)


def timed(argv: list[str], env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    compileall.compile_dir(str(ROOT / "src" / "mittnite"), quiet=1)
    env = {**os.environ, **ENV}

    rate = warm_throughput(options.iterations)
    print(f"warm: {rate:,.0f} templates/s (parse + execute, {len(TEMPLATES)} realistic templates)")

    with tempfile.TemporaryDirectory() as tmp:
        conf = setup(Path(tmp))
        ours = timed(
            [sys.executable, "-m", "mittnite", "renderfiles", "-c", str(conf)], env, options.runs
        )
        floor = timed([sys.executable, "-c", "pass"], env, options.runs)
        peer = None
        if os.path.exists("/usr/bin/envsubst"):
            names = list(TEMPLATES)
            script = " ".join(
                f"envsubst < {tmp}/{names[i % len(names)]} > {tmp}/peer-{i};" for i in range(10)
            )
            peer = timed(["sh", "-c", script], env, options.runs)
    print(
        f"cold start, 10 files via `mittnite renderfiles`: {ours * 1000:.1f} ms "
        f"(target < 50 ms; interpreter floor {floor * 1000:.1f} ms)"
    )
    if peer is not None:
        print(
            f"peer: 10 x envsubst (no logic, variable substitution only): {peer * 1000:.1f} ms; "
            f"ratio ours/envsubst {ours / peer:.2f}x"
        )


if __name__ == "__main__":
    main()
