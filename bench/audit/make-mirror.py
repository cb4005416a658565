#!/usr/bin/env python3
"""A bandersnatch-shaped mirror of many small releases, for the audit benchmark.

Usage: make-mirror.py COUNT WHEELS_DIR MIRROR_DIR UPSTREAM_URL
Builds COUNT projects (bench0000 ...), one pure wheel each and a manylinux wheel for every
fourth, into WHEELS_DIR (what the PyPI stand-in serves), and lays them out in MIRROR_DIR as
bandersnatch does: web/packages/<blake2b path>/<file>, web/simple/<project>/index.html with
relative links and #sha256= fragments, web/json/<project> (the upstream's JSON as of the sync),
and requirements/requirements.txt with one pin per project. Prints the number of files.
"""

import json
import shutil
import sys
from pathlib import Path

STANDIN = Path(__file__).resolve().parents[2] / "test" / "standins" / "pypi"
sys.path.insert(0, str(STANDIN))

from build_wheels import build_wheel
from catalog import Catalog
from views import project_json


def main() -> int:
    count, wheels, mirror, upstream = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    wheels.mkdir(parents=True, exist_ok=True)
    pins = []
    for i in range(count):
        name = f"bench{i:04d}"
        build_wheel(wheels, name, "1.0", ">=3.8", [], "py3-none-any")
        if i % 4 == 0:
            build_wheel(wheels, name, "1.0", ">=3.8", [], "py3-none-manylinux2014_x86_64")
        pins.append(f"{name}==1.0")
    catalog = Catalog(wheels)
    web = mirror / "web"
    files = 0
    for project, dists in catalog.projects().items():
        links = []
        for dist in dists:
            target = web / dist.url_path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(wheels / dist.filename, target)
            links.append(
                f'    <a href="../..{dist.url_path}#sha256={dist.sha256}">{dist.filename}</a><br/>\n'
            )
            files += 1
        page = web / "simple" / project / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"<!DOCTYPE html>\n<html>\n  <body>\n    <h1>Links for {project}</h1>\n"
            + "".join(links)
            + "  </body>\n</html>\n"
        )
        (web / "json").mkdir(parents=True, exist_ok=True)
        (web / "json" / project).write_text(json.dumps(project_json(catalog, project, upstream)))
    (mirror / "requirements").mkdir(parents=True, exist_ok=True)
    (mirror / "requirements" / "requirements.txt").write_text("\n".join(pins) + "\n")
    print(files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
