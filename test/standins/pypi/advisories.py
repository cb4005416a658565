"""What the stand-in says about releases beyond their files: licences, yanks and advisories.

PyPI's JSON API carries, per release, the licence fields of its metadata (`info.license`,
`info.license_expression`, the `License ::` classifiers), whether the release (and so each of
its files) is yanked and why, and the known vulnerabilities (`vulnerabilities`: id, aliases,
summary, details, fixed_in, link, source, withdrawn). The stand-in takes them from a JSON file
that tests write (`--advisories FILE`, re-read whenever it changes), over a few defaults:

  {
    "licenses": {"alpha": {"license": "...", "license_expression": "MIT", "classifiers": [...]},
                 "alpha==1.0": {...}},                 # per project, or per release
    "yanked": {"alpha==1.0": "the reason"},           # a whole release, as PyPI yanks
    "vulnerabilities": {"alpha==1.0": [{"id": "PYSEC-...", "fixed_in": ["1.1"], ...}]}
  }

Kept apart from views.py: `apply_overlay` edits a JSON API answer after it is rendered.
"""

import json
import threading
from pathlib import Path
from typing import Any

from catalog import canonicalize

# Licences as real projects declare them: an SPDX expression (PEP 639), only the old free-text
# field, or only a trove classifier. winhelper and outsider declare none.
DEFAULT_LICENSES: dict[str, dict[str, Any]] = {
    "alpha": {
        "license": None,
        "license_expression": "MIT",
        "classifiers": ["License :: OSI Approved :: MIT License"],
    },
    "beta": {"license": "Apache License 2.0", "license_expression": None, "classifiers": []},
    "gamma": {
        "license": "",
        "license_expression": None,
        "classifiers": ["License :: OSI Approved :: BSD License"],
    },
}

NO_LICENSE = {"license": None, "license_expression": None, "classifiers": []}


class Advisories:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._data: dict[str, Any] = {}

    def _load(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        with self._lock:
            try:
                stat = self.path.stat()
            except FileNotFoundError:
                self._stamp, self._data = None, {}
                return self._data
            # Tests replace the file by a rename: a new inode, whatever the clock says.
            stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            if stamp != self._stamp:
                self._data = json.loads(self.path.read_text() or "{}")
                self._stamp = stamp
            return self._data

    def license(self, project: str, version: str) -> dict[str, Any]:
        data = self._load().get("licenses", {})
        key = canonicalize(project)
        return (
            data.get(f"{key}=={version}")
            or data.get(key)
            or DEFAULT_LICENSES.get(key)
            or NO_LICENSE
        )

    def yanked(self, project: str, version: str) -> str | None:
        """The reason ("" when none was given) if the release is yanked, else None."""
        reason = self._load().get("yanked", {}).get(f"{canonicalize(project)}=={version}")
        return None if reason is None else str(reason)

    def vulnerabilities(self, project: str, version: str) -> list[dict[str, Any]]:
        found = self._load().get("vulnerabilities", {}).get(f"{canonicalize(project)}=={version}")
        return [
            {
                "aliases": v.get("aliases", []),
                "details": v.get("details", v.get("summary", "")),
                "fixed_in": v.get("fixed_in", []),
                "id": v["id"],
                "link": v.get("link", f"https://osv.dev/vulnerability/{v['id']}"),
                "source": v.get("source", "osv"),
                "summary": v.get("summary"),
                "withdrawn": v.get("withdrawn"),
            }
            for v in found or []
        ]


def _yank(entry: dict[str, Any], reason: str | None) -> None:
    """Yanked by the advisories file; a release the catalog's yanks file yanked stays yanked."""
    if reason is not None:
        entry["yanked"] = True
        entry["yanked_reason"] = reason or None


def apply_overlay(data: dict[str, Any], advisories: Advisories) -> dict[str, Any]:
    """Licence, yank and vulnerabilities of a /pypi/<project>[/<version>]/json answer, in place."""
    info = data["info"]
    project, version = info["name"], info["version"]
    info.update(advisories.license(project, version))
    reason = advisories.yanked(project, version)
    _yank(info, reason)
    for release_version, release_files in data.get("releases", {}).items():
        release_reason = advisories.yanked(project, release_version)
        for file in release_files:
            _yank(file, release_reason)
    for file in data.get("urls", []):
        _yank(file, reason)
    data["vulnerabilities"] = advisories.vulnerabilities(project, version)
    return data
