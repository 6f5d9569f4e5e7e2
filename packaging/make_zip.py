"""Write the zip appended to the static executable (run by the interpreter just built).

    python make_zip.py MANIFEST.json OUTPUT.zip

MANIFEST lists [archive name, source file, optimisation level]: level >= 0 compiles
the source to bytecode at that level (2 drops docstrings and asserts; the standard
library and dependencies get it, mittnite keeps its own), -1 stores the file as it
is. Bytecode is "unchecked hash" .pyc (no timestamps, no source needed); entries are
sorted with a fixed date, so the same sources give the same bytes.
"""

import importlib.util
import json
import os
import sys
import time
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc  # type: ignore[attr-defined]


def main() -> None:
    manifest_path, output = sys.argv[1], sys.argv[2]
    with open(manifest_path) as handle:
        manifest = json.load(handle)
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), 315532800)
    date = time.gmtime(epoch)[:6]
    members: dict[str, bytes] = {}
    for name, path, level in manifest:
        with open(path, "rb") as handle:
            data = handle.read()
        if level < 0:
            members[name] = data
            continue
        try:
            code = compile(data, name, "exec", dont_inherit=True, optimize=level)
        except SyntaxError as error:
            print(f"skipped {name}: {error}", file=sys.stderr)
            continue
        source_hash = importlib.util.source_hash(data)
        members[name[:-3] + ".pyc"] = bytes(_code_to_hash_pyc(code, source_hash, False))
    partial = output + ".partial"
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, members[name], compresslevel=9)
    os.replace(partial, output)
    print(f"{len(members)} members, {os.path.getsize(output)} bytes")


main()
