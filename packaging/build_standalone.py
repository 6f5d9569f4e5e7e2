"""Build ``dist/mittnite``: one static x86-64 executable, CPython + mittnite, no loader.

    python3 packaging/build_standalone.py        (or: make standalone)

Route: a fully static CPython linked against musl, with mittnite, its dependencies and
the standard library appended to the executable as a zip of compiled bytecode.

1. Sources come from Debian only (zlib, libffi, OpenSSL 3, CPython 3.11 of
   ``bookworm``), fetched with ``apt-get source`` through a private apt configuration
   (the system's apt setup is left alone; its mirror is reused), and from PyPI for the
   Python dependencies (``pip download``, versions pinned in standalone-constraints.txt).
2. ``musl-gcc`` (Debian's musl-tools) builds static zlib, libffi and OpenSSL (unused
   algorithms off), then CPython with every needed extension module built in
   (Modules/Setup.local) and nothing loaded at run time.
3. native/main.c and native/native.c are linked with libpython into the executable:
   an isolated interpreter that imports only from the zip appended to its own file,
   plus what static musl lacks (a symbol table behind dlsym for ctypes, glibc's error
   texts, bcrypt's crypt).
4. The zip holds bytecode compiled by the interpreter just built, with sorted entries
   and fixed dates; pure-Python fallbacks stand in for the dependencies' C speedups.

Every stage is cached under $MITTNITE_BUILD_CACHE (default /var/cache/mittnite-build),
keyed by the hashes of its inputs, and always built at the same path, so the same
sources give the same bytes; a missing cache just means a full build (about 4 minutes
on 2 quiet cores, longer on a busy machine). Needs: Debian/Ubuntu with apt (the
mirror's deb-src reachable), musl-tools, dpkg-dev, patch, perl, make, and a host
Python >= 3.11 with pip to run this script (.ci/run installs what is missing).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
NATIVE = PACKAGING / "native"
CACHE = Path(os.environ.get("MITTNITE_BUILD_CACHE", "/var/cache/mittnite-build"))
WORK = CACHE / "work"
DIST = ROOT / "dist"
SUITE = "bookworm"
PACKAGES = ("zlib", "libffi", "openssl", "python3.11")
JOBS = str(os.cpu_count() or 2)


def _commit_epoch() -> str | None:
    """The checked-out commit's time: a stable default for SOURCE_DATE_EPOCH."""
    try:
        done = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, timeout=10, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    value = done.stdout.strip()
    return value if done.returncode == 0 and value.isdigit() else None


# Every timestamp in the build (zip entries, tarball, `mittnite version`'s build time):
# the same sources give the same bytes.
SOURCE_DATE_EPOCH = os.environ.get("SOURCE_DATE_EPOCH") or _commit_epoch() or "1700000000"
PYTHON_SHORT = "3.11"

# Built into the interpreter (Modules/Setup.local); everything else that CPython's
# configure would build is disabled. The bootstrap modules (posix, _io, _sre, ...) are
# always built in.
BUILTIN_MODULES = """
array arraymodule.c
_asyncio _asynciomodule.c
_bisect _bisectmodule.c
_contextvars _contextvarsmodule.c
_csv _csv.c
_heapq _heapqmodule.c
_json _json.c
_opcode _opcode.c
_queue _queuemodule.c
_random _randommodule.c
_struct _struct.c
_typing _typingmodule.c
_zoneinfo _zoneinfo.c
math mathmodule.c
_datetime _datetimemodule.c
binascii binascii.c
_md5 md5module.c
_sha1 sha1module.c
_sha256 sha256module.c
_sha512 sha512module.c
_sha3 _sha3/sha3module.c
_blake2 _blake2/blake2module.c _blake2/blake2b_impl.c _blake2/blake2s_impl.c
unicodedata unicodedata.c
fcntl fcntlmodule.c
grp grpmodule.c
_posixsubprocess _posixsubprocess.c
resource resource.c
select selectmodule.c
_socket socketmodule.c
termios termios.c
zlib zlibmodule.c -lz
_ssl _ssl.c -lssl -lcrypto
_hashlib _hashopenssl.c -lcrypto
_ctypes _ctypes/_ctypes.c _ctypes/callbacks.c _ctypes/callproc.c _ctypes/stgdict.c _ctypes/cfield.c -DHAVE_FFI_PREP_CIF_VAR -DHAVE_FFI_PREP_CLOSURE_LOC -DHAVE_FFI_CLOSURE_ALLOC -lffi
"""
DISABLED_MODULES = """
_lsprof _pickle _xxsubinterpreters audioop cmath _statistics _decimal _bz2 _lzma _gdbm
_dbm _codecs_cn _codecs_hk _codecs_iso2022 _codecs_jp _codecs_kr _codecs_tw
_multibytecodec pyexpat _elementtree _crypt mmap nis ossaudiodev spwd syslog
_posixshmem _multiprocessing _sqlite3 _uuid _tkinter _scproxy _curses _curses_panel
readline _testbuffer _testinternalcapi _testcapi _testclinic _testimportmultiple
_testmultiphase _ctypes_test xxlimited xxlimited_35 _xxtestfuzz xxsubtype
"""

OPENSSL_OPTIONS = [
    "no-shared",
    "no-dso",
    "no-engine",
    "no-module",
    "no-legacy",
    "no-tests",
    "no-autoload-config",
    "no-ui-console",
    "no-comp",
    "no-ssl3",
    "no-dtls",
    "no-srp",
    "no-srtp",
    "no-sctp",
    "no-ct",
    "no-rfc3779",
    "no-cms",
    "no-ts",
    "no-ocsp",
    "no-ec2m",
    "no-gost",
    "no-idea",
    "no-seed",
    "no-camellia",
    "no-aria",
    "no-sm2",
    "no-sm3",
    "no-sm4",
    "no-rc2",
    "no-rc4",
    "no-rc5",
    "no-md4",
    "no-mdc2",
    "no-whirlpool",
    "no-rmd160",
    "no-cast",
    "no-bf",
    "no-blake2",
    "no-siphash",
    "no-siv",
    "no-afalgeng",
    "no-capieng",
    "no-padlockeng",
    "no-devcryptoeng",
]

# Standard library parts an init system never imports (tests, GUIs, tools, databases).
STDLIB_EXCLUDED = {
    "test", "idlelib", "tkinter", "turtledemo", "lib2to3", "ensurepip", "distutils",
    "pydoc_data", "unittest", "sqlite3", "dbm", "curses", "venv", "msilib", "xmlrpc",
    "xml", "wsgiref", "__phello__", "multiprocessing", "site-packages", "turtle.py", "pydoc.py", "doctest.py",
    "pdb.py", "idle.py", "tabnanny.py", "antigravity.py", "this.py", "_pydecimal.py.skip",
    "config-3.11-x86_64-linux-gnu", "lib-dynload",
}  # fmt: skip


def log(message: str) -> None:
    print(f"[standalone] {message}", flush=True)


def run(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
        log_name: str | None = None) -> None:  # fmt: skip
    """Run a build command; its output goes to a log file, shown in part on failure."""
    full_env = {**os.environ, **(env or {})}
    if log_name is None:
        subprocess.run(argv, cwd=cwd, env=full_env, check=True)
        return
    log_path = CACHE / "logs" / f"{log_name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as out:
        out.write(f"\n$ {' '.join(argv)}\n".encode())
        out.flush()
        result = subprocess.run(argv, cwd=cwd, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        tail = log_path.read_text(errors="replace").splitlines()[-40:]
        sys.stderr.write("\n".join(tail) + "\n")
        raise SystemExit(f"build step failed ({' '.join(argv[:3])}...), see {log_path}")


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()[:16]


def files_digest(paths: list[Path]) -> str:
    return digest(*(p.name.encode() + b"\0" + p.read_bytes() for p in sorted(paths)))


# -- 1. sources -----------------------------------------------------------------------------


def debian_mirror() -> str:
    """The Debian mirror the system's apt already uses for the suite (no host is named here)."""
    listing = subprocess.run(
        ["apt-get", "indextargets", "--format", "$(REPO_URI) $(RELEASE)"],
        capture_output=True, text=True, check=True,
    ).stdout.split("\n")  # fmt: skip
    candidates = [line.split()[0] for line in listing if line.split()[1:] == [SUITE]]
    if not candidates:
        candidates = [line.split()[0] for line in listing if line and "-" not in line.split()[-1]]
    if not candidates:
        raise SystemExit("no Debian repository in the apt configuration to fetch sources from")
    return candidates[0]


def fetch_sources() -> dict[str, Path]:
    """Download the Debian source packages (private apt state) and unpack them once each."""
    apt = CACHE / "apt"
    (apt / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (apt / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    signed_by = f" [signed-by={keyring}]" if Path(keyring).exists() else ""
    (apt / "sources.list").write_text(f"deb-src{signed_by} {debian_mirror()} {SUITE} main\n")
    (apt / "apt.conf").write_text(
        f'Dir::Etc::sourcelist "{apt}/sources.list";\n'
        'Dir::Etc::sourceparts "/nonexistent";\n'
        f'Dir::State::Lists "{apt}/lists";\n'
        f'Dir::Cache "{apt}/cache";\n'
        'APT::Sandbox::User "root";\n'
    )
    env = {"APT_CONFIG": str(apt / "apt.conf")}
    run(["apt-get", "update", "-qq"], env=env, log_name="apt")
    downloads = CACHE / "downloads"
    downloads.mkdir(exist_ok=True)
    sources: dict[str, Path] = {}
    for package in PACKAGES:
        uris = subprocess.run(
            ["apt-get", "source", "--print-uris", "-qq", f"{package}/{SUITE}"],
            env={**os.environ, **env}, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        files = re.findall(r"^'[^']+' (\S+) \d+", uris, re.M)
        dsc = next(name for name in files if name.endswith(".dsc"))
        if not all((downloads / name).exists() for name in files):
            log(f"downloading {package} sources")
            run(["apt-get", "source", "--download-only", "-qq", f"{package}/{SUITE}"],
                cwd=downloads, env=env, log_name="apt")  # fmt: skip
        target = WORK / "src" / dsc.removesuffix(".dsc")
        if not (target / ".unpacked").exists():
            shutil.rmtree(target, ignore_errors=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            run(["dpkg-source", "--no-check", "-x", str(downloads / dsc), str(target)],
                log_name="unpack")  # fmt: skip
            (target / ".unpacked").touch()
        sources[package] = target
    return sources


# -- 2. toolchain and libraries ----------------------------------------------------------


def toolchain() -> Path:
    """musl-gcc behind a wrapper: kernel headers in reach, and an empty --print-multiarch
    answer (CPython's configure compares it with its own triplet)."""
    musl_gcc = shutil.which("musl-gcc")
    if musl_gcc is None:
        raise SystemExit("musl-gcc not found: apt-get install musl-tools")
    headers = WORK / "kernel-headers"
    if not (headers / ".copied").exists():
        shutil.rmtree(headers, ignore_errors=True)
        headers.mkdir(parents=True)
        for name, source in (("linux", "/usr/include/linux"),
                             ("asm-generic", "/usr/include/asm-generic"),
                             ("asm", "/usr/include/x86_64-linux-gnu/asm")):  # fmt: skip
            shutil.copytree(source, headers / name)
        (headers / ".copied").touch()
    wrapper = WORK / "bin" / "cc"
    wrapper.parent.mkdir(parents=True, exist_ok=True)
    wrapper.write_text(
        "#!/bin/sh\n"
        'case "$1" in --print-multiarch) exit 0;; esac\n'
        f'exec {musl_gcc} -isystem {headers} "$@"\n'
    )
    wrapper.chmod(0o755)
    return wrapper


def common_flags(source: Path) -> str:
    return f"-O2 -ffunction-sections -fdata-sections -ffile-prefix-map={source}=/src"


def build_stage(name: str, key: str, build: callable) -> Path:  # type: ignore[valid-type]
    """Run ``build(prefix)`` unless a finished prefix with this key exists."""
    prefix = WORK / f"{name}-{key}"
    if (prefix / ".done").exists():
        log(f"{name}: cached ({prefix.name})")
        return prefix
    log(f"{name}: building ({prefix.name})")
    started = time.monotonic()
    shutil.rmtree(prefix, ignore_errors=True)
    build(prefix)
    (prefix / ".done").touch()
    log(f"{name}: done in {time.monotonic() - started:.0f} s")
    return prefix


def fresh_copy(source: Path, name: str) -> Path:
    """A clean copy of an unpacked source tree at a fixed path (builds write into it)."""
    tree = WORK / "build" / name
    shutil.rmtree(tree, ignore_errors=True)
    tree.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, tree, symlinks=True)
    return tree


def build_libraries(sources: dict[str, Path], cc: Path) -> Path:
    dsc_hash = digest(*(str(sources[p].name) for p in ("zlib", "libffi", "openssl")))
    patch = PACKAGING / "native" / "openssl-go-cert-paths.patch"
    key = digest(dsc_hash, " ".join(OPENSSL_OPTIONS), patch.read_bytes(), cc.read_text(), "v1")

    def build(prefix: Path) -> None:
        env = {"CC": str(cc), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
        tree = fresh_copy(sources["zlib"], "zlib")
        env_z = {**env, "CFLAGS": common_flags(tree)}
        run(["./configure", "--static", f"--prefix={prefix}"], cwd=tree, env=env_z, log_name="zlib")
        run(["make", f"-j{JOBS}", "libz.a"], cwd=tree, env=env_z, log_name="zlib")
        run(["make", "install"], cwd=tree, env=env_z, log_name="zlib")

        tree = fresh_copy(sources["libffi"], "libffi")
        env_f = {**env, "CFLAGS": common_flags(tree)}
        run(["./configure", f"--prefix={prefix}", "--disable-shared", "--enable-static",
             "--disable-docs", "--disable-multi-os-directory", "--with-pic"],
            cwd=tree, env=env_f, log_name="libffi")  # fmt: skip
        run(["make", f"-j{JOBS}"], cwd=tree, env=env_f, log_name="libffi")
        run(["make", "install"], cwd=tree, env=env_f, log_name="libffi")

        tree = fresh_copy(sources["openssl"], "openssl")
        run(["patch", "-p1", "-i", str(patch)], cwd=tree, log_name="openssl")
        run(["./Configure", "linux-x86_64", f"--prefix={prefix}", "--libdir=lib",
             "--openssldir=/etc/ssl", *OPENSSL_OPTIONS, common_flags(tree)],
            cwd=tree, env=env, log_name="openssl")  # fmt: skip
        run(["make", f"-j{JOBS}", "build_libs"], cwd=tree, env=env, log_name="openssl")
        run(["make", "install_dev"], cwd=tree, env=env, log_name="openssl")

    return build_stage("libs", key, build)


# -- 3. CPython --------------------------------------------------------------------------


def build_python(sources: dict[str, Path], cc: Path, libs: Path) -> Path:
    key = digest(libs.name, sources["python3.11"].name, BUILTIN_MODULES, DISABLED_MODULES, "v1")

    def build(prefix: Path) -> None:
        tree = fresh_copy(sources["python3.11"], "python")
        setup_local = "*static*\n" + BUILTIN_MODULES + "\n*disabled*\n"
        setup_local += "\n".join(DISABLED_MODULES.split()) + "\n"
        (tree / "Modules" / "Setup.local").write_text(setup_local)
        env = {
            "CC": str(cc),
            "CFLAGS": common_flags(tree),
            "CPPFLAGS": f"-I{libs}/include",
            "LDFLAGS": f"-static -L{libs}/lib",
            "LIBFFI_CFLAGS": f"-I{libs}/include",
            "LIBFFI_LIBS": f"-L{libs}/lib -lffi",
            "ZLIB_CFLAGS": f"-I{libs}/include",
            "ZLIB_LIBS": f"-L{libs}/lib -lz",
            "PKG_CONFIG_PATH": "",
            "PKG_CONFIG_LIBDIR": f"{libs}/lib/pkgconfig",
            "MODULE_BUILDTYPE": "static",
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        }
        run(["./configure", "--prefix=/usr/lib/mittnite", "--disable-shared",
             "--disable-test-modules", "--without-ensurepip", "--without-doc-strings",
             f"--with-openssl={libs}", "--with-openssl-rpath=no",
             "--with-ssl-default-suites=openssl"],
            cwd=tree, env=env, log_name="python")  # fmt: skip
        run(["make", f"-j{JOBS}", "python"], cwd=tree, env=env, log_name="python")
        prefix.mkdir(parents=True)
        shutil.copy2(tree / "libpython3.11.a", prefix / "libpython3.11.a")
        shutil.copy2(tree / "python", prefix / "python")
        shutil.copytree(tree / "Include", prefix / "include")
        shutil.copy2(tree / "pyconfig.h", prefix / "include" / "pyconfig.h")
        shutil.copytree(tree / "Lib", prefix / "lib" / f"python{PYTHON_SHORT}", symlinks=True)
        (prefix / "lib" / f"python{PYTHON_SHORT}" / "lib-dynload").mkdir(exist_ok=True)

    return build_stage("python", key, build)


# -- 4. the executable -------------------------------------------------------------------------


def blowfish_header() -> str:
    """Blowfish's initial P-array and S-boxes: the first 1042 32-bit words of pi's
    fractional part in hexadecimal, computed (Machin's formula) rather than transcribed."""
    words = 18 + 4 * 256
    bits = 32 * words + 64

    def arctan_inverse(x: int) -> int:
        total = term = (1 << bits) // x
        square, n, sign = x * x, 1, -1
        while term:
            term //= square
            n += 2
            total += sign * (term // n)
            sign = -sign
        return total

    pi = 16 * arctan_inverse(5) - 4 * arctan_inverse(239)
    fraction = (pi - (3 << bits)) >> 64
    values = [(fraction >> (32 * (words - 1 - i))) & 0xFFFFFFFF for i in range(words)]
    assert values[0] == 0x243F6A88 and values[18] == 0xD1310BA6
    lines = ["/* Generated by build_standalone.py: pi's hexadecimal fraction. */",
             f"static const uint32_t blowfish_pi[{words}] = {{"]  # fmt: skip
    for start in range(0, words, 6):
        lines.append("    " + ", ".join(f"0x{v:08x}" for v in values[start : start + 6]) + ",")
    lines.append("};")
    return "\n".join(lines) + "\n"


def symbols_header() -> str:
    namespace: dict[str, object] = {}
    exec((ROOT / "src" / "mittnite" / "native" / "symbols.py").read_text(), namespace)
    names = namespace["ALL"]
    assert isinstance(names, tuple)
    return "".join(f"SYMBOL({name})\n" for name in names if name != "crypt") + "SYMBOL(crypt)\n"


def link_executable(cc: Path, libs: Path, python: Path) -> Path:
    generated = {"blowfish_pi.h": blowfish_header(), "symbols.h": symbols_header()}
    inputs = [NATIVE / "main.c", NATIVE / "native.c", NATIVE / "symtab.c", NATIVE / "libc_texts.h"]
    include = python / "include"
    compile_flags = ["-O2", "-DNDEBUG", "-Wall", f"-I{include}", f"-I{include}/internal",
                     f"-ffile-prefix-map={WORK}=/build"]  # fmt: skip
    link_flags = ["-static", "-s", "-Wl,--gc-sections", "-Wl,--build-id=none"]
    libraries = [f"-L{libs}/lib", "-lssl", "-lcrypto", "-lffi", "-lz", "-lm"]
    recipe = " ".join(compile_flags + link_flags + libraries)
    key = digest(python.name, files_digest(inputs), *generated.values(), recipe)

    def build(prefix: Path) -> None:
        prefix.mkdir(parents=True)
        for name, text in generated.items():
            (prefix / name).write_text(text)
        for source in inputs:
            shutil.copy2(source, prefix / source.name)
        env = {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
        objects = []
        for source in ("main.c", "native.c", "symtab.c"):
            objects.append(source.replace(".c", ".o"))
            run([str(cc), *compile_flags, f"-I{prefix}", "-c", source, "-o", objects[-1]],
                cwd=prefix, env=env, log_name="link")  # fmt: skip
        run([str(cc), *link_flags, "-o", "mittnite-core", *objects,
             str(python / "libpython3.11.a"), *libraries],
            cwd=prefix, env=env, log_name="link")  # fmt: skip

    return build_stage("exe", key, build) / "mittnite-core"


# -- 5. the zip -----------------------------------------------------------------------------------


def dependency_wheels() -> list[Path]:
    """Wheels of mittnite's dependencies (pyproject.toml), pinned by the constraints file."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    constraints = PACKAGING / "standalone-constraints.txt"
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    marker = wheels / f"resolved-{digest(json.dumps(requirements), constraints.read_bytes())}"
    if not marker.exists():
        with tempfile.TemporaryDirectory() as scratch:
            run([sys.executable, "-m", "pip", "download", "-q", "--dest", scratch,
                 "--only-binary=:all:", "--platform", "manylinux2014_x86_64",
                 "--platform", "manylinux_2_17_x86_64", "--python-version", PYTHON_SHORT,
                 "--implementation", "cp", "-c", str(constraints), *requirements],
                log_name="pip")  # fmt: skip
            names = sorted(p.name for p in Path(scratch).glob("*.whl"))
            for name in names:
                shutil.copy2(Path(scratch) / name, wheels / name)
        marker.write_text("\n".join(names) + "\n")
    return [wheels / name for name in marker.read_text().split()]


def build_record() -> str:
    """``mittnite version``'s commit (this checkout's) and build time (SOURCE_DATE_EPOCH)."""
    sys.path.insert(0, str(ROOT / "build_backend"))
    try:
        from buildinfo import current_commit, record_text
    finally:
        sys.path.pop(0)
    return record_text(current_commit(ROOT), SOURCE_DATE_EPOCH)


def zip_manifest(python: Path, wheels: list[Path], staging: Path) -> list[tuple[str, str, int]]:
    """(archive name, file to compile or copy, optimisation level) for every member."""
    import zipfile

    manifest: list[tuple[str, str, int]] = []
    stdlib = python / "lib" / f"python{PYTHON_SHORT}"
    for path in sorted(stdlib.rglob("*")):
        relative = path.relative_to(stdlib)
        if relative.parts[0] in STDLIB_EXCLUDED or "__pycache__" in relative.parts:
            continue
        if "test" in relative.parts or "tests" in relative.parts or "idle_test" in relative.parts:
            continue
        if path.suffix == ".py" and path.is_file():
            manifest.append((relative.as_posix(), str(path), 2))
    for wheel in wheels:
        target = staging / wheel.stem
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(target)
        for path in sorted(target.rglob("*")):
            if not path.is_file():
                continue
            relative = path.relative_to(target).as_posix()
            if path.suffix == ".py":
                manifest.append((relative, str(path), 2))
            elif re.search(r"\.dist-info/(METADATA|entry_points\.txt|top_level\.txt)$", relative):
                manifest.append((relative, str(path), -1))
    source = ROOT / "src"
    for path in sorted((source / "mittnite").rglob("*.py")):
        if path.name != "_build_info.py":  # an editable install's record may be stale
            manifest.append((path.relative_to(source).as_posix(), str(path), 0))
    record = staging / "_build_info.py"
    record.write_text(build_record())
    manifest.append(("mittnite/_build_info.py", str(record), 0))
    manifest.append(("_mittnite_entry.py", str(PACKAGING / "entry.py"), 0))
    return manifest


def build_zip(python: Path, wheels: list[Path]) -> Path:
    with tempfile.TemporaryDirectory() as scratch:
        staging = Path(scratch)
        manifest = zip_manifest(python, wheels, staging)
        manifest_file = staging / "manifest.json"
        manifest_file.write_text(json.dumps(manifest))
        output = WORK / "app.zip"
        env = {"PYTHONHOME": str(python), "PYTHONNOUSERSITE": "1", "PYTHONPATH": "",
               "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}  # fmt: skip
        run([str(python / "python"), "-S", str(PACKAGING / "make_zip.py"), str(manifest_file),
             str(output)], env=env, log_name="zip")  # fmt: skip
    return output


def main() -> None:
    started = time.monotonic()
    if sys.platform != "linux" or os.uname().machine != "x86_64":
        raise SystemExit("the static build targets x86-64 Linux")
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "logs").mkdir(exist_ok=True)
    for old in (CACHE / "logs").glob("*.log"):
        old.unlink()
    sources = fetch_sources()
    cc = toolchain()
    libs = build_libraries(sources, cc)
    python = build_python(sources, cc, libs)
    core = link_executable(cc, libs, python)
    archive = build_zip(python, dependency_wheels())
    DIST.mkdir(exist_ok=True)
    executable = DIST / "mittnite"
    partial = DIST / ".mittnite.partial"
    with partial.open("wb") as out:
        out.write(core.read_bytes())
        out.write(archive.read_bytes())
    partial.chmod(0o755)
    partial.replace(executable)
    ctl = DIST / "mittnitectl"
    if ctl.is_symlink() or ctl.exists():
        ctl.unlink()
    ctl.symlink_to("mittnite")
    tarball = write_tarball(executable)
    size = executable.stat().st_size
    sha = hashlib.sha256(executable.read_bytes()).hexdigest()
    log(f"built {executable} ({size / 2**20:.1f} MiB, sha256 {sha[:16]}) and {tarball.name} "
        f"({tarball.stat().st_size / 2**20:.1f} MiB) in {time.monotonic() - started:.0f} s")  # fmt: skip


def write_tarball(executable: Path) -> Path:
    """dist/mittnite.tar.gz: the executable and a ``mittnitectl`` symlink, as the original's
    release tarball holds them (``tar xz -C /usr/bin``); reproducible like the executable."""
    import gzip
    import tarfile

    tarball = executable.parent / "mittnite.tar.gz"
    epoch = int(SOURCE_DATE_EPOCH)
    with (
        open(tarball, "wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=epoch) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as archive,
    ):
        member = tarfile.TarInfo("mittnite")
        member.size, member.mode, member.mtime = executable.stat().st_size, 0o755, epoch
        with executable.open("rb") as data:
            archive.addfile(member, data)
        link = tarfile.TarInfo("mittnitectl")
        link.type, link.linkname, link.mtime = tarfile.SYMTYPE, "mittnite", epoch
        link.mode = 0o777
        archive.addfile(link)
    return tarball


if __name__ == "__main__":
    main()
