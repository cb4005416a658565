#!/usr/bin/env python3
"""Writes what packaging decides for version specifiers and markers, for pep440/markers tests.

  .cache/bandersnatch-venv/bin/python test/unit/verify/golden/make-pep440.py test/unit/verify/golden
"""

import json
import sys
from pathlib import Path

from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.version import Version

SPECS = [
    ">=3.8", ">=3.10", ">3.10", "<3.11", "<=3.10", "==3.10.*", "!=3.10.*", "==3.*", "~=3.10",
    "~=3.10.2", ">=3.9.2", "!=3.10.0", ">=3.8, <4", ">=3.7,!=3.10.*,<3.14", "==3.10",
    "==3.10.0", "<3.10.1", ">3.10.0", ">=3.11.0a1", "<3.11.0rc1", "===3.10.0", ">=2.7,!=3.0.*,!=3.1.*",
    "~=1.4.5a4", "==1.0.*", ">1.0.post1", "==1.0+local", "!=1.0",
]
VERSIONS = [
    "3.8.0", "3.9.1", "3.9.2", "3.10.0", "3.10.1", "3.10.99", "3.11.0", "3.11.0a1", "3.11.0rc1",
    "3.13.0", "4.0", "1.0", "1.0.post1", "1.0.post2", "1.0+local", "1.0a1", "1.4.5", "1.4.5a4", "1.5",
]
ORDER = [
    "1.0.dev1", "1.0a1.dev1", "1.0a1", "1.0a2", "1.0b1", "1.0rc1", "1.0", "1.0+abc", "1.0+5",
    "1.0.post1.dev1", "1.0.post1", "1!0.1", "1.1", "1.0.0.1", "1.0.0",
]
MARKERS = [
    "python_version < \"3.11\"",
    "python_full_version < '3.13'",
    "python_full_version >= '3.10.1'",
    "sys_platform == 'win32'",
    "sys_platform != 'win32' and python_version >= '3.10'",
    "platform_machine == 'x86_64' or platform_machine == 'aarch64'",
    "'linux' in sys_platform",
    "os_name == 'nt' or (python_version < '3.9' and platform_system == 'Linux')",
    "implementation_name == 'cpython' and python_version ~= '3.10'",
    "platform_python_implementation != 'PyPy'",
    "python_version in '3.10 3.11'",
    "python_version not in '3.10 3.11'",
    "extra == 'test'",
]
ENVIRONMENTS = {
    "cp310-linux-x86_64-0": {"python_version": "3.10", "python_full_version": "3.10.0", "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64", "platform_python_implementation": "CPython", "implementation_name": "cpython", "implementation_version": "3.10.0", "platform_release": "", "platform_version": "", "extra": ""},
    "cp310-linux-x86_64-99": {"python_version": "3.10", "python_full_version": "3.10.99", "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64", "platform_python_implementation": "CPython", "implementation_name": "cpython", "implementation_version": "3.10.99", "platform_release": "", "platform_version": "", "extra": ""},
    "cp313-linux-aarch64-0": {"python_version": "3.13", "python_full_version": "3.13.0", "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "aarch64", "platform_python_implementation": "CPython", "implementation_name": "cpython", "implementation_version": "3.13.0", "platform_release": "", "platform_version": "", "extra": ""},
    "cp311-windows-amd64-0": {"python_version": "3.11", "python_full_version": "3.11.0", "os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64", "platform_python_implementation": "CPython", "implementation_name": "cpython", "implementation_version": "3.11.0", "platform_release": "", "platform_version": "", "extra": ""},
}


def main(out):
    specifiers = {s: {v: SpecifierSet(s).contains(v, prereleases=True) for v in VERSIONS} for s in SPECS}
    order = sorted(ORDER, key=Version)
    markers = {m: {name: Marker(m).evaluate(env) for name, env in ENVIRONMENTS.items()} for m in MARKERS}
    data = {"specifiers": specifiers, "order": order, "markers": markers, "environments": ENVIRONMENTS}
    (Path(out) / "pep440.json").write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
