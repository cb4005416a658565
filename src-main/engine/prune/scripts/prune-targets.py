# What a prune would delete on the mirror host, read without changing anything.
#
# Reads one JSON document on stdin:
#   web    the mirror's served directory (<directory>/web)
#   prune  [{"name", "version"}]: releases no longer pinned (an update replaced them)
#   keep   project names still pinned: their pages stay (the sync rewrites them)
# Prints {"files": [{"pin", "path", "size"}], "pages": [path], "refused": [{"path", "reason"}]}:
# each file of a pruned release that is a regular file inside web/packages, reached without a
# symbolic link (found through the mirror's saved JSON and its index page), and the index pages
# and JSON of projects no pin names any more.

import html
import json
import os
import re
import stat
import sys
import urllib.parse

try:
    from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename
    from packaging.version import InvalidVersion, Version
except ImportError:
    from pip._vendor.packaging.utils import (
        canonicalize_name,
        parse_sdist_filename,
        parse_wheel_filename,
    )
    from pip._vendor.packaging.version import InvalidVersion, Version

LINK = re.compile(r"<a\s+href=\"([^\"]+)\"[^>]*>([^<]+)</a>", re.IGNORECASE)


def version_of(value):
    try:
        return Version(value)
    except (InvalidVersion, TypeError):
        return None


def release_of(filename):
    try:
        if filename.endswith(".whl"):
            name, version = parse_wheel_filename(filename)[:2]
        else:
            name, version = parse_sdist_filename(filename)
        return canonicalize_name(name), version
    except Exception:  # noqa: BLE001 - any name packaging cannot parse is no release
        return None, None


def candidates(web, name, version):
    """Paths (relative to web) of the release's files, as the saved JSON and the index give them."""
    found = set()
    try:
        with open(os.path.join(web, "json", name), encoding="utf-8") as f:
            saved = json.load(f)
        for key, files in (saved.get("releases") or {}).items():
            if version_of(key) != version:
                continue
            for entry in files or []:
                path = urllib.parse.urlsplit(entry.get("url") or "").path
                at = path.find("/packages/")
                if at >= 0:
                    found.add(os.path.normpath(path[at + 1 :]))
    except (OSError, ValueError, AttributeError):
        pass
    try:
        page_dir = os.path.join(web, "simple", name)
        with open(os.path.join(page_dir, "index.html"), encoding="utf-8", errors="replace") as f:
            for href, _ in LINK.findall(f.read()):
                target = os.path.normpath(os.path.join(page_dir, html.unescape(href).split("#")[0]))
                found.add(os.path.relpath(target, web))
    except OSError:
        pass
    return found


def check(web, web_real, relative, kinds):
    """(absolute path, size) of a regular file reached without a symlink; or a refusal reason."""
    if relative.startswith("..") or os.path.isabs(relative):
        return None, "outside the mirror's web directory"
    if not any(relative.startswith(kind + os.sep) for kind in kinds):
        return None, f"outside {', '.join('web/' + k for k in kinds)}"
    path = os.path.join(web, relative)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None, None
    if stat.S_ISLNK(info.st_mode):
        return None, "a symbolic link"
    if not stat.S_ISREG(info.st_mode):
        return None, "not a regular file"
    if os.path.realpath(path) != os.path.join(web_real, relative):
        return None, "reached through a symbolic link"
    return (path, info.st_size), None


def main():
    job = json.load(sys.stdin)
    web = job["web"].rstrip("/")
    web_real = os.path.realpath(web)
    keep = {canonicalize_name(n) for n in job["keep"]}
    out = {"files": [], "pages": [], "refused": []}
    orphans = set()
    for pin in job["prune"]:
        name, version = canonicalize_name(pin["name"]), version_of(pin["version"])
        if version is None:
            continue
        for relative in sorted(candidates(web, name, version)):
            if release_of(os.path.basename(relative)) != (name, version):
                continue
            found, reason = check(web, web_real, relative, ["packages"])
            if reason:
                out["refused"].append({"path": os.path.join(web, relative), "reason": reason})
            elif found:
                out["files"].append({"pin": f"{pin['name']}=={pin['version']}", "path": found[0], "size": found[1]})
        if name not in keep:
            orphans.add(name)
    for name in sorted(orphans):
        for relative in (
            os.path.join("simple", name, "index.html"),
            os.path.join("simple", name, "index.v1_html"),
            os.path.join("simple", name, "index.v1_json"),
            os.path.join("json", name),
            os.path.join("pypi", name, "json"),
        ):
            found, reason = check(web, web_real, relative, ["simple", "json", "pypi"])
            if reason:
                out["refused"].append({"path": os.path.join(web, relative), "reason": reason})
            elif found:
                out["pages"].append(found[0])
    print(json.dumps(out))


main()
