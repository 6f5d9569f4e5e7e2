#!/bin/sh
# The quick-start demo: the bundled example stack, with the control API on a
# socket under this directory. `make demo` runs this; Ctrl-C stops it cleanly.
# MITTNITE may name the mittnite executable to use (default: the one in PATH).
cd "$(dirname "$0")" || exit 1
exec "${MITTNITE:-mittnite}" up -c mittnite.d \
  --api --api-listen-address "unix://$PWD/run/mittnite.sock"
