#!/bin/sh
# The quick-start demo: the bundled example stack, with the control API on a
# socket under this directory. `make demo` runs this; Ctrl-C stops it cleanly
# and the demo (and `make`) exit with status 0.
# MITTNITE may name the mittnite executable to use (default: the one in PATH),
# PYTHON the Python that runs foreground.py (default: python3).
cd "$(dirname "$0")" || exit 1
set -- "${MITTNITE:-mittnite}" up -c mittnite.d \
  --api --api-listen-address "unix://$PWD/run/mittnite.sock"
if [ -t 0 ]; then
  # On a terminal, mittnite becomes the foreground job: Ctrl-C reaches it alone,
  # so `make` is not interrupted and reports mittnite's own exit status.
  exec "${PYTHON:-python3}" foreground.py "$@"
fi
exec "$@"
