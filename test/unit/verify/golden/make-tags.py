#!/usr/bin/env python3
"""Writes the wheel tags `packaging.tags` gives for each test target, one file per target.

Run with a Python that has `packaging` (the test tools venv has 26.x):
  .cache/bandersnatch-venv/bin/python test/unit/verify/golden/make-tags.py test/unit/verify/golden
The glibc / musl version is forced, as packaging would find it on the worker itself.
"""

import sys
from pathlib import Path

from packaging import _manylinux, _musllinux, tags

TARGETS = {
    "cp3.10-linux-x86_64-glibc2.35": ((3, 10), "linux", "x86_64", ("glibc", 2, 35)),
    "cp3.13-linux-aarch64-glibc2.17": ((3, 13), "linux", "aarch64", ("glibc", 2, 17)),
    "cp3.11-linux-x86_64-musl1.2": ((3, 11), "linux", "x86_64", ("musl", 1, 2)),
    "cp3.12-macos-aarch64": ((3, 12), "macos", "arm64", None),
    "cp3.12-macos-x86_64": ((3, 12), "macos", "x86_64", None),
    "cp3.11-windows-x86_64": ((3, 11), "windows", "x86_64", None),
}


def linux_platforms(arch, libc):
    kind, major, minor = libc
    platforms = [f"linux_{arch}"]
    if kind == "glibc":
        _manylinux._get_glibc_version = lambda: _manylinux._GLibCVersion(major, minor)
        _manylinux._have_compatible_abi = lambda executable, archs: True
        _manylinux._get_manylinux_module = lambda: None
        platforms += list(_manylinux.platform_tags([arch]))
    else:
        _musllinux._get_musl_version = lambda executable: _musllinux._MuslVersion(major, minor)
        platforms += list(_musllinux.platform_tags([arch]))
    return platforms


def platforms_for(os_name, arch, libc):
    if os_name == "linux":
        return linux_platforms(arch, libc)
    if os_name == "macos":
        return list(tags.mac_platforms((14, 0), arch))
    return ["win_amd64" if arch == "x86_64" else "win_arm64"]


def main(out):
    for name, (version, os_name, arch, libc) in TARGETS.items():
        platforms = platforms_for(os_name, arch, libc)
        interpreter = "cp%d%d" % version
        found = list(tags.cpython_tags(version, [interpreter], platforms))
        found += list(tags.compatible_tags(version, interpreter, platforms))
        (Path(out) / f"tags-{name}.txt").write_text("".join(f"{t}\n" for t in found))


if __name__ == "__main__":
    main(sys.argv[1])
