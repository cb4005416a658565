"""What the stand-in PyPI knows: the wheels in one directory, their metadata and serials.

Serials work like PyPI's: every file is one event with its own serial, a project's serial is
that of its newest file, and the index's serial is the highest of all. The directory is
rescanned on each request, so a test can drop in a new wheel and watch an incremental sync.
"""

import email.parser
import hashlib
import re
import threading
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sdists import is_sdist, read_sdist
from yanks import load_yanks

# Upload times derive from serials so that every run reports the same ones.
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def canonicalize(name: str) -> str:
    """PEP 503 normalized project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(version: str) -> tuple:
    """Enough of PEP 440 ordering for the stand-in: release numbers, pre-releases first."""
    match = re.match(r"^(\d+(?:\.\d+)*)(.*)$", version)
    if not match:
        return ((), -1, version)
    release = tuple(int(part) for part in match.group(1).split("."))
    while release and release[-1] == 0:
        release = release[:-1]
    suffix = match.group(2)
    return (release, 0 if not suffix else -1, suffix)


@dataclass(frozen=True)
class Dist:
    filename: str
    name: str
    project: str
    version: str
    python_tag: str
    size: int
    sha256: str
    md5: str
    blake2b_256: str
    metadata: bytes
    metadata_sha256: str
    summary: str
    requires_python: str | None
    requires_dist: tuple[str, ...]
    serial: int
    packagetype: str = "bdist_wheel"

    @property
    def is_wheel(self) -> bool:
        """PEP 658 metadata is served for wheels only."""
        return self.packagetype == "bdist_wheel"

    @property
    def upload_time(self) -> datetime:
        return EPOCH + timedelta(hours=self.serial)

    @property
    def url_path(self) -> str:
        """Where PyPI would serve the file: /packages/<blake2b split 2/2/rest>/<name>."""
        h = self.blake2b_256
        return f"/packages/{h[:2]}/{h[2:4]}/{h[4:]}/{self.filename}"


def _dist(path: Path, data: bytes, metadata: bytes, python_tag: str, serial: int) -> Dist:
    fields = email.parser.BytesParser().parsebytes(metadata, headersonly=True)
    name = str(fields["Name"])
    return Dist(
        filename=path.name,
        name=name,
        project=canonicalize(name),
        version=str(fields["Version"]),
        python_tag=python_tag,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        md5=hashlib.md5(data).hexdigest(),
        blake2b_256=hashlib.blake2b(data, digest_size=32).hexdigest(),
        metadata=metadata,
        metadata_sha256=hashlib.sha256(metadata).hexdigest(),
        summary=str(fields.get("Summary", "")),
        requires_python=fields.get("Requires-Python"),
        requires_dist=tuple(str(r) for r in fields.get_all("Requires-Dist", [])),
        serial=serial,
    )


def read_wheel(path: Path, serial: int) -> Dist:
    data = path.read_bytes()
    # Wheel names are {distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl
    parts = path.name[: -len(".whl")].split("-")
    if len(parts) not in (5, 6):
        raise ValueError(f"not a wheel file name: {path.name}")
    version, python_tag = parts[1], parts[-3]
    with zipfile.ZipFile(path) as zf:
        metadata_name = f"{parts[0]}-{version}.dist-info/METADATA"
        names = [n for n in zf.namelist() if n.lower() == metadata_name.lower()]
        if not names:
            raise ValueError(f"{path.name} has no {metadata_name}")
        metadata = zf.read(names[0])
    return _dist(path, data, metadata, python_tag, serial)


class Catalog:
    def __init__(self, wheels_dir: Path) -> None:
        self.wheels_dir = wheels_dir
        self._lock = threading.Lock()
        self._dists: dict[str, Dist] = {}
        self._yanks: dict[tuple[str, str], str] = {}
        self.refresh()

    def refresh(self) -> None:
        """Add files that appeared since the last scan, each with the next serial."""
        with self._lock:
            new = sorted(
                p
                for p in self.wheels_dir.iterdir()
                if (p.name.endswith(".whl") or is_sdist(p.name)) and p.name not in self._dists
            )
            serial = self.last_serial()
            for path in new:
                serial += 1
                read = read_sdist if is_sdist(path.name) else read_wheel
                self._dists[path.name] = read(path, serial)
            self._yanks = load_yanks(self.wheels_dir)

    def yank_reason(self, dist: Dist) -> str | None:
        """None when the release is not yanked; the reason ("" for none given) when it is."""
        return self._yanks.get((dist.project, dist.version))

    def last_serial(self) -> int:
        return max((d.serial for d in self._dists.values()), default=0)

    def dists(self) -> list[Dist]:
        return sorted(self._dists.values(), key=lambda d: d.serial)

    def by_filename(self, filename: str) -> Dist | None:
        return self._dists.get(filename)

    def project_dists(self, project: str) -> list[Dist]:
        wanted = canonicalize(project)
        return [d for d in self.dists() if d.project == wanted]

    def projects(self) -> dict[str, list[Dist]]:
        result: dict[str, list[Dist]] = {}
        for dist in self.dists():
            result.setdefault(dist.project, []).append(dist)
        return dict(sorted(result.items()))

    def project_serial(self, project: str) -> int:
        return max((d.serial for d in self.project_dists(project)), default=0)
