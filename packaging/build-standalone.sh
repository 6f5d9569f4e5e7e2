#!/bin/sh
# Build the static single-file executable dist/mittnite (+ dist/mittnitectl link).
#   sh packaging/build-standalone.sh [PYTHON]
# See packaging/build_standalone.py for the route; PYTHON (>= 3.11 with pip) runs it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "${1:-python3}" "$here/build_standalone.py"
