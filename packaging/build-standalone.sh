#!/bin/sh
# Build the standalone single-file executable (dist/mittnite) with PyInstaller.
#   sh packaging/build-standalone.sh [PYTHON]
# Needs Python >= 3.11 with pip; builds for the machine's architecture
# (run it on an aarch64 machine for aarch64). The executable unpacks itself to
# /dev/shm (a tmpfs in every container runtime), so it needs no writable /tmp.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
python=${1:-python3}
venv="$root/build/standalone-venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q "$root" "pyinstaller>=6"
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --onefile --name mittnite \
    --runtime-tmpdir /dev/shm \
    --collect-submodules mittnite \
    --exclude-module tkinter --exclude-module unittest --exclude-module pydoc \
    --distpath "$root/dist" --workpath "$root/build/pyinstaller" --specpath "$root/build" \
    "$here/entry.py"
ln -sf mittnite "$root/dist/mittnitectl"
echo "built $root/dist/mittnite ($(du -h "$root/dist/mittnite" | cut -f1))"
