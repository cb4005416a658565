#!/usr/bin/env python3
"""Generates a bandersnatch-shaped mirror for bench/verify-scale.ts: N projects, one pinned
release each, one wheel of SIZE bytes each, pages as bandersnatch writes them (relative links
with #sha256=, data-requires-python) and the requirements.txt that pins them.

The wheels are real zip files (pip checks their hash and reads them) whose bulk is a stored entry
of zeros written as a hole: 1,000 wheels of 50 MB take almost no disk. Every wheel starts with the
same padding entry, so the hash of that prefix is computed once per size.

Usage: make-mirror.py DIR COUNT SIZE   (prints: bytes=<sum of wheel sizes>)
"""

import hashlib
import struct
import sys
import zlib
from base64 import urlsafe_b64encode
from pathlib import Path

DOS_TIME, DOS_DATE = 0, (2024 - 1980) << 9 | 1 << 5 | 1
PAD = b"pmw_bench_padding.bin"


def local_header(name, crc, size):
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, DOS_TIME, DOS_DATE, crc, size, size, len(name), 0) + name


def central_header(name, crc, size, offset):
    return struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, DOS_TIME, DOS_DATE, crc, size, size, len(name), 0, 0, 0, 0, 0o644 << 16, offset
    ) + name


def record_hash(data):
    return "sha256=" + urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


class Padding:
    """The shared first entry: its CRC and the hash state after it, once per size."""

    def __init__(self, size):
        self.size = size
        crc, sha, zeros = 0, hashlib.sha256(), bytes(1 << 20)
        left = size
        while left:
            chunk = zeros[: min(left, len(zeros))]
            crc = zlib.crc32(chunk, crc)
            sha.update(chunk)
            left -= len(chunk)
        self.crc = crc
        self.record = "pmw_bench_padding.bin,sha256=%s,%d\n" % (urlsafe_b64encode(sha.digest()).rstrip(b"=").decode(), size)
        self.header = local_header(PAD, crc, size)
        self.prefix = hashlib.sha256(self.header)
        left = size
        while left:
            self.prefix.update(zeros[: min(left, len(zeros))])
            left -= min(left, len(zeros))


def write_wheel(path, name, padding):
    dist = f"{name}-1.0.dist-info"
    files = [
        (f"{name}/__init__.py".encode(), b"__version__ = '1.0'\n"),
        (f"{dist}/METADATA".encode(), f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\nRequires-Python: >=3.8\n".encode()),
        (f"{dist}/WHEEL".encode(), b"Wheel-Version: 1.0\nGenerator: make-mirror.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
    ]
    record = padding.record + "".join(f"{n.decode()},{record_hash(d)},{len(d)}\n" for n, d in files) + f"{dist}/RECORD,,\n"
    files.append((f"{dist}/RECORD".encode(), record.encode()))
    offset = len(padding.header) + padding.size
    tail, central = b"", central_header(PAD, padding.crc, padding.size, 0)
    for entry_name, data in files:
        crc = zlib.crc32(data)
        central += central_header(entry_name, crc, len(data), offset + len(tail))
        tail += local_header(entry_name, crc, len(data)) + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(files) + 1, len(files) + 1, len(central), offset + len(tail), 0)
    tail += central + end
    with open(path, "wb") as f:
        f.write(padding.header)
        f.seek(padding.size, 1)  # a hole: zeros that take no disk
        f.write(tail)
    sha = padding.prefix.copy()
    sha.update(tail)
    return sha.hexdigest(), offset + len(tail)


def main(root, count, size):
    web = Path(root) / "web"
    (web / "simple").mkdir(parents=True, exist_ok=True)
    (Path(root) / "requirements").mkdir(exist_ok=True)
    padding = Padding(size)
    names, total = [], 0
    for i in range(count):
        name = f"bench_{i:04d}"
        project = name.replace("_", "-")
        filename = f"{name}-1.0-py3-none-any.whl"
        folder = web / "packages" / f"{i % 256:02x}" / f"{i // 256:02x}" / f"{i:060x}"
        folder.mkdir(parents=True, exist_ok=True)
        digest, length = write_wheel(folder / filename, name, padding)
        total += length
        href = f"../../packages/{i % 256:02x}/{i // 256:02x}/{i:060x}/{filename}#sha256={digest}"
        page = web / "simple" / project
        page.mkdir(exist_ok=True)
        (page / "index.html").write_text(
            "<!DOCTYPE html>\n<html>\n  <head>\n    <title>Links for %s</title>\n  </head>\n  <body>\n"
            '    <h1>Links for %s</h1>\n    <a href="%s" data-requires-python="&gt;=3.8">%s</a><br/>\n'
            "  </body>\n</html>\n" % (project, project, href, filename)
        )
        names.append(project)
    (web / "simple" / "index.html").write_text(
        "<!DOCTYPE html>\n<html>\n  <body>\n"
        + "".join(f'    <a href="{n}/">{n}</a><br/>\n' for n in names)
        + "  </body>\n</html>\n"
    )
    (Path(root) / "requirements" / "requirements.txt").write_text("".join(f"{n}==1.0\n" for n in names))
    print(f"bytes={total}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
