#!/usr/bin/env python3
"""Build the stand-in PyPI's wheels: small, real and byte-for-byte reproducible.

The graph (see GRAPH) exercises what a pinned mirror must get right:
  alpha 1.0, 1.1   -> beta>=1.0                 (transitive dependency not in the input)
  beta 1.0, 2.0    -> gamma ; python_version < "3.13"
                      winhelper ; sys_platform == "win32"   (marker dependencies)
  gamma 1.0        -> one wheel each for manylinux x86_64, win_amd64 and macOS
  winhelper 1.0    -> pure python
  outsider 1.0     -> required by nobody: must never reach a filtered mirror

Besides GRAPH, the module builds on request (test/testbed/extra-wheel.ts): wheels with any tag,
sdists whose pyproject.toml names a build backend (build_sdist), and that backend itself:
pmw-build, a real PEP 517 backend (pmw_build.py) that requires pmw-build-support.

Usage: build_wheels.py OUT_DIR   (prints the file names it wrote)
"""

import base64
import gzip
import hashlib
import io
import sys
import tarfile
import zipfile
from pathlib import Path

# A fixed timestamp and file mode keep every build identical.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
FILE_MODE = 0o644 << 16

PURE = ["py3-none-any"]
GAMMA_PLATFORMS = [
    "py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "py3-none-win_amd64",
    "py3-none-macosx_11_0_arm64",
]

BETA_DEPS = ['gamma; python_version < "3.13"', 'winhelper; sys_platform == "win32"']

# (project, version, requires_python, requires_dist, wheel tags)
GRAPH = [
    ("alpha", "1.0", ">=3.8", ["beta>=1.0"], PURE),
    ("alpha", "1.1", ">=3.8", ["beta>=1.0"], PURE),
    ("beta", "1.0", ">=3.8", BETA_DEPS, PURE),
    ("beta", "2.0", ">=3.9", BETA_DEPS, PURE),
    ("gamma", "1.0", ">=3.8", [], GAMMA_PLATFORMS),
    ("winhelper", "1.0", ">=3.8", [], PURE),
    ("outsider", "1.0", ">=3.8", [], PURE),
]


def record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def expand_tags(tag: str) -> list[str]:
    """'py3-none-a.b' is the compressed form of two tags: py3-none-a and py3-none-b."""
    pythons, abis, platforms = tag.split("-")
    return [
        f"{py}-{abi}-{plat}"
        for py in pythons.split(".")
        for abi in abis.split(".")
        for plat in platforms.split(".")
    ]


def metadata(name: str, version: str, requires_python: str, requires_dist: list[str]) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: Stand-in project {name} for the pip mirror tests",
        f"Requires-Python: {requires_python}",
    ]
    lines += [f"Requires-Dist: {req}" for req in requires_dist]
    return "\n".join(lines) + "\n"


def wheel_file(tag: str) -> str:
    pure = tag.endswith("-any")
    lines = [
        "Wheel-Version: 1.0",
        "Generator: pip-mirror-wizard build_wheels.py",
        f'Root-Is-Purelib: {"true" if pure else "false"}',
    ]
    lines += [f"Tag: {t}" for t in expand_tags(tag)]
    return "\n".join(lines) + "\n"


def build_wheel(
    out_dir: Path,
    name: str,
    version: str,
    requires_python: str,
    requires_dist: list[str],
    tag: str,
    modules: dict[str, bytes] | None = None,
) -> Path:
    dist_info = f"{name.replace('-', '_')}-{version}.dist-info"
    module = f"__version__ = {version!r}\nWHEEL_TAG = {tag!r}\n"
    package = name.replace("-", "_")
    files = [
        *(modules or {f"{package}/__init__.py": module.encode()}).items(),
        (f"{dist_info}/METADATA", metadata(name, version, requires_python, requires_dist).encode()),
        (f"{dist_info}/WHEEL", wheel_file(tag).encode()),
    ]
    record = "".join(f"{path},{record_hash(data)},{len(data)}\n" for path, data in files)
    record += f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode()))

    path = out_dir / f"{name.replace('-', '_')}-{version}-{tag}.whl"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for arcname, data in files:
            info = zipfile.ZipInfo(arcname, date_time=ZIP_DATE)
            info.external_attr = FILE_MODE
            zf.writestr(info, data)
    return path


def build_sdist(
    out_dir: Path,
    name: str,
    version: str,
    requires_python: str,
    requires_dist: list[str],
    build_requires: list[str] | None,
) -> Path:
    """name-version.tar.gz with PKG-INFO, a package, and a pyproject.toml naming pmw_build (or,
    with build_requires None, no pyproject.toml at all: pip's legacy setuptools default)."""
    root = f"{name}-{version}"
    package = name.replace("-", "_")
    files = [
        (f"{root}/PKG-INFO", metadata(name, version, requires_python, requires_dist).encode()),
        (f"{root}/{package}/__init__.py", f"__version__ = {version!r}\nFROM_SDIST = True\n".encode()),
    ]
    if build_requires is not None:
        requires = ", ".join(f'"{r}"' for r in build_requires)
        pyproject = f'[build-system]\nrequires = [{requires}]\nbuild-backend = "pmw_build"\n'
        files.append((f"{root}/pyproject.toml", pyproject.encode()))
    path = out_dir / f"{root}.tar.gz"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for arcname, data in files:
            info = tarfile.TarInfo(arcname)
            info.size, info.mode, info.mtime = len(data), 0o644, 1704067200
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(gzip.compress(raw.getvalue(), mtime=0))
    return path


def build_backend_wheels(out_dir: Path) -> list[Path]:
    """pmw-build 1.0 (the PEP 517 backend in pmw_build.py) and its dependency pmw-build-support."""
    backend = (Path(__file__).parent / "pmw_build.py").read_bytes()
    return [
        build_wheel(out_dir, "pmw-build", "1.0", ">=3.8", ["pmw-build-support"], "py3-none-any", {"pmw_build.py": backend}),
        build_wheel(out_dir, "pmw-build-support", "1.0", ">=3.8", [], "py3-none-any"),
    ]


def build_all(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        build_wheel(out_dir, name, version, requires_python, requires_dist, tag)
        for name, version, requires_python, requires_dist, tags in GRAPH
        for tag in tags
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    for path in build_all(Path(argv[1])):
        print(path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
