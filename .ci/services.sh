#!/usr/bin/env bash
# Start the local servers the integration tests use, if they are installed but down.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 1; done
  echo "service on port $1 did not come up" >&2
  return 1
}

if ! port_open 3306 && command -v mariadbd >/dev/null; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_port 3306
fi
if ! port_open 6379 && command -v redis-server >/dev/null; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port 6379
fi
if ! port_open 5672 && command -v rabbitmq-server >/dev/null; then
  rabbitmq-server -detached
  wait_port 5672
fi
exit 0
