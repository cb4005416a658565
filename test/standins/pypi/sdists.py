"""Source distributions (`.tar.gz`, `.zip`) for the stand-in: what read_wheel is for wheels.

Their metadata is the PKG-INFO at the top of the archive (`<name>-<version>/PKG-INFO`), which is
what PyPI shows for an sdist-only release. PEP 658 metadata is never offered for them, as on PyPI.
"""

import email.parser
import hashlib
import re
import tarfile
import zipfile
from pathlib import Path

SDIST_SUFFIXES = (".tar.gz", ".zip")


def is_sdist(name: str) -> bool:
    return name.endswith(SDIST_SUFFIXES)


def _pkg_info(path: Path) -> bytes:
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path) as zf:
            names = sorted(n for n in zf.namelist() if n.count("/") == 1 and n.endswith("/PKG-INFO"))
            if names:
                return zf.read(names[0])
    else:
        with tarfile.open(path, "r:gz") as tf:
            for member in tf:
                if member.name.count("/") == 1 and member.name.endswith("/PKG-INFO"):
                    extracted = tf.extractfile(member)
                    if extracted:
                        return extracted.read()
    raise ValueError(f"{path.name} has no top-level PKG-INFO")


def read_sdist(path: Path, serial: int):
    """A Dist for an sdist; imported lazily by catalog.py, so Dist comes from there."""
    from catalog import Dist, canonicalize

    data = path.read_bytes()
    metadata = _pkg_info(path)
    fields = email.parser.BytesParser().parsebytes(metadata, headersonly=True)
    name = str(fields["Name"])
    version = str(fields["Version"])
    stem = path.name.removesuffix(".tar.gz").removesuffix(".zip")
    if not re.fullmatch(re.escape(version), stem.rsplit("-", 1)[-1]):
        raise ValueError(f"{path.name}: the file name does not end in its version {version}")
    return Dist(
        filename=path.name,
        name=name,
        project=canonicalize(name),
        version=version,
        python_tag="source",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        md5=hashlib.md5(data).hexdigest(),
        blake2b_256=hashlib.blake2b(data, digest_size=32).hexdigest(),
        metadata=metadata,
        metadata_sha256="",
        summary=str(fields.get("Summary", "")),
        requires_python=fields.get("Requires-Python"),
        requires_dist=tuple(str(r) for r in fields.get_all("Requires-Dist", [])),
        serial=serial,
        packagetype="sdist",
    )
