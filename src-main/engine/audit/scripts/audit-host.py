# The mirror audit's one remote program: runs on the mirror host, in one command for all pins.
#
# Reads one JSON document on stdin:
#   web          the mirror's served directory (<directory>/web)
#   pins         [{"name", "version"}]: the releases to audit
#   hash         true: find each pin's files in the mirror's index pages and hash them (sha256)
#   upstream     the upstream's base URL, or null to ask it nothing (offline)
#   proxy        the site's proxy for the upstream, or null
#   targets      [{"python": "3.11", "platform": "linux"}]: what the site's workers run
#   osv          null, or OSV records (already narrowed to the pinned projects): they replace
#                the JSON API's `vulnerabilities`
#   concurrency  upstream requests in flight at once; timeout: seconds per request
# Prints one JSON document (see src-main/engine/audit/host-audit.ts for its schema).
#
# The mirror host is the one that reaches the upstream (it syncs from it, through the site's
# proxy), so the JSON API is asked from here; without it, the mirror's own copy of each
# project's JSON (web/json/<project>, saved by bandersnatch at its last sync) stands in.

import concurrent.futures
import hashlib
import html
import json
import os
import re
import stat
import sys
import threading
import urllib.error
import urllib.request
import zipfile

try:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename
    from packaging.version import InvalidVersion, Version
except ImportError:  # pip's own copy, in any venv that has pip
    from pip._vendor.packaging.specifiers import InvalidSpecifier, SpecifierSet
    from pip._vendor.packaging.utils import (
        canonicalize_name,
        parse_sdist_filename,
        parse_wheel_filename,
    )
    from pip._vendor.packaging.version import InvalidVersion, Version

LINK = re.compile(r"<a\s+href=\"([^\"]+)\"([^>]*)>([^<]+)</a>", re.IGNORECASE)
YANKED_ATTR = re.compile(r"data-yanked(?:=\"([^\"]*)\")?", re.IGNORECASE)
CHUNK = 1 << 20


def version_of(value):
    try:
        return Version(value)
    except (InvalidVersion, TypeError):
        return None


def file_version(filename):
    """The release a distribution file belongs to, from its name (wheel or sdist)."""
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except Exception:  # noqa: BLE001 - any name packaging cannot parse is no release
        return None


# ---------------------------------------------------------------------------------------------
# The files on the mirror host


def index_links(web, name):
    """Every file the project's index page links: filename -> (path, index sha256, yanked)."""
    page = os.path.join(web, "simple", name, "index.html")
    try:
        with open(page, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    links = {}
    base = os.path.dirname(page)
    for href, attrs, label in LINK.findall(text):
        href = html.unescape(href)
        path_part, _, fragment = href.partition("#")
        digest = fragment[len("sha256=") :] if fragment.startswith("sha256=") else None
        yanked = YANKED_ATTR.search(attrs)
        links[html.unescape(label).strip()] = {
            "path": os.path.normpath(os.path.join(base, path_part)),
            "indexSha256": digest,
            "indexYanked": None if yanked is None else html.unescape(yanked.group(1) or ""),
        }
    return links


def hash_file(web_real, packages, path):
    """sha256 and size of a regular file inside web/packages, reached without a symlink."""
    if not path.startswith(packages + os.sep):
        return {"problem": "outside web/packages"}
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return {"problem": "missing"}
    except OSError as e:
        return {"problem": f"unreadable: {e.strerror}"}
    if stat.S_ISLNK(info.st_mode):
        return {"problem": "a symbolic link"}
    if not stat.S_ISREG(info.st_mode):
        return {"problem": "not a regular file"}
    relative = os.path.relpath(path, os.path.dirname(packages))
    if os.path.realpath(path) != os.path.join(web_real, relative):
        return {"problem": "reached through a symbolic link"}
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while block := f.read(CHUNK):
                digest.update(block)
    except OSError as e:
        return {"problem": f"unreadable: {e.strerror}"}
    return {"sha256": digest.hexdigest(), "size": info.st_size}


def license_from_wheel(path):
    """License-Expression, License and License :: classifiers from a wheel's own METADATA."""
    try:
        with zipfile.ZipFile(path) as wheel:
            names = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
            if not names:
                return None
            text = wheel.read(names[0]).decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - a damaged wheel has no metadata to read
        return None
    header = text.split("\n\n", 1)[0]
    fields = {"License-Expression": None, "License": None}
    classifiers = []
    for line in header.splitlines():
        key, _, value = line.partition(":")
        if key in fields and fields[key] is None:
            fields[key] = value.strip()
        elif key == "Classifier" and value.strip().startswith("License ::"):
            classifiers.append(value.strip())
    if not (fields["License-Expression"] or fields["License"] or classifiers):
        return None
    return {
        "expression": fields["License-Expression"] or None,
        "text": fields["License"] or None,
        "classifiers": classifiers,
        "source": "file",
    }


# ---------------------------------------------------------------------------------------------
# The upstream's JSON API


class Upstream:
    """GETs of the JSON API, counted; after one failure to connect it is not asked again."""

    def __init__(self, url, proxy, timeout):
        self.url = url.rstrip("/") if url else None
        proxies = {"http": proxy, "https": proxy} if proxy else {}
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies))
        self.timeout = timeout
        self.requests = 0
        self.unreachable = None
        self.lock = threading.Lock()

    def get(self, path):
        """(data or None, error or None)."""
        if self.url is None:
            return None, "offline"
        with self.lock:
            if self.unreachable:
                return None, self.unreachable
            self.requests += 1
        url = self.url + path
        try:
            request = urllib.request.Request(
                url, headers={"User-Agent": "pip-mirror-wizard", "Accept": "application/json"}
            )
            with self.opener.open(request, timeout=self.timeout) as response:
                return json.load(response), None
        except urllib.error.HTTPError as e:
            return None, f"HTTP {e.code} from {url}"
        except Exception as e:  # noqa: BLE001 - reported as this URL's error
            reason = f"{url}: {getattr(e, 'reason', None) or e}"
            with self.lock:
                self.unreachable = self.unreachable or reason
            return None, reason


def mirror_json(web, name):
    try:
        with open(os.path.join(web, "json", name), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def license_of(info):
    classifiers = [c for c in info.get("classifiers") or [] if c.startswith("License ::")]
    expression = info.get("license_expression") or None
    text = info.get("license") or None
    if text and len(text) > 200:
        text = text[:200] + "…"
    if not (expression or text or classifiers):
        return None
    return {"expression": expression, "text": text, "classifiers": classifiers}


def vulnerability(v, source):
    return {
        "id": str(v.get("id")),
        "aliases": [str(a) for a in v.get("aliases") or []],
        "summary": (v.get("summary") or v.get("details") or "")[:1000],
        "fixedIn": [str(f) for f in v.get("fixed_in") or []],
        "withdrawn": v.get("withdrawn") or None,
        "link": v.get("link") or f"https://osv.dev/vulnerability/{v.get('id')}",
        "source": source,
    }


# ---------------------------------------------------------------------------------------------
# OSV records (an export the operator points at)


def osv_affected(record, name, version):
    """Whether an OSV record affects name==version; and the versions it says fix it."""
    affected, fixes = False, []
    for entry in record.get("affected") or []:
        package = entry.get("package") or {}
        if package.get("ecosystem") != "PyPI" or canonicalize_name(package.get("name", "")) != name:
            continue
        listed = {version_of(v) for v in entry.get("versions") or []}
        if version in listed:
            affected = True
        for span in entry.get("ranges") or []:
            if span.get("type") != "ECOSYSTEM":
                continue
            introduced = None
            for event in span.get("events") or []:
                if "introduced" in event:
                    introduced = Version("0") if event["introduced"] == "0" else version_of(event["introduced"])
                elif "fixed" in event or "last_affected" in event:
                    end = version_of(event.get("fixed") or event.get("last_affected"))
                    if "fixed" in event and end is not None:
                        fixes.append(str(end))
                    if (
                        introduced is not None
                        and end is not None
                        and introduced <= version
                        and (version < end or ("last_affected" in event and version <= end))
                    ):
                        affected = True
                    introduced = None
            if introduced is not None and introduced <= version:
                affected = True
    return affected, fixes


def osv_vulnerabilities(records, name, version):
    found = []
    for record in records:
        affected, fixes = osv_affected(record, name, version)
        if not affected:
            continue
        found.append(
            vulnerability(
                {
                    "id": record.get("id"),
                    "aliases": record.get("aliases"),
                    "summary": record.get("summary") or record.get("details"),
                    "fixed_in": sorted(set(fixes), key=lambda v: version_of(v) or Version("0")),
                    "withdrawn": record.get("withdrawn"),
                    "link": f"https://osv.dev/vulnerability/{record.get('id')}",
                },
                "osv-export",
            )
        )
    return found


# ---------------------------------------------------------------------------------------------
# What the site's workers can install


def wheel_fits(filename, python, platform):
    try:
        tags = parse_wheel_filename(filename)[3]
    except Exception:  # noqa: BLE001 - a name packaging cannot parse fits nothing
        return False
    minor = int(python.split(".")[1])
    for tag in tags:
        interpreter, abi, plat = tag.interpreter, tag.abi, tag.platform
        match = re.fullmatch(r"(py|cp)(\d)(\d*)", interpreter)
        if not match or match.group(2) != "3":
            continue
        kind, wanted = match.group(1), match.group(3)
        if kind == "py" and wanted and int(wanted) != minor:
            continue
        if kind == "cp" and wanted:
            if abi == "abi3" and int(wanted) > minor:
                continue
            if abi != "abi3" and int(wanted) != minor:
                continue
        if plat == "any":
            return True
        if platform == "linux" and (plat.startswith(("manylinux", "musllinux", "linux"))):
            return True
        if platform == "macos" and plat.startswith("macosx"):
            return True
        if platform == "windows" and plat.startswith("win"):
            return True
    return False


def installable(files, targets):
    """Every target has a file: not yanked, its Requires-Python admits it, its tags fit."""
    for target in targets:
        python = Version(target["python"])
        ok = False
        for f in files:
            if f.get("yanked"):
                continue
            spec = f.get("requires_python")
            try:
                if spec and python not in SpecifierSet(spec):
                    continue
            except InvalidSpecifier:
                pass
            name = f.get("filename", "")
            if not name.endswith(".whl") or wheel_fits(name, target["python"], target["platform"]):
                ok = True
                break
        if not ok:
            return False
    return True


def newest_release(project, pin, targets):
    """The newest release the targets can install, and the newest at all (no pre-releases)."""
    best, latest = None, None
    for raw, files in (project.get("releases") or {}).items():
        version = version_of(raw)
        if version is None or not files or (version.is_prerelease and not pin.is_prerelease):
            continue
        if all(f.get("yanked") for f in files):
            continue
        if latest is None or version > latest[0]:
            latest = (version, raw)
        if installable(files, targets) and (best is None or version > best[0]):
            best = (version, raw)
    return best, latest


def with_fixes(vulns, pin, newest):
    for v in vulns:
        fixes = sorted(
            f for f in (version_of(x) for x in v["fixedIn"]) if f is not None and f > pin
        )
        v["fixVersion"] = str(fixes[0]) if fixes else None
        v["newestFixes"] = bool(fixes) and newest is not None and newest >= fixes[0]
    return vulns


# ---------------------------------------------------------------------------------------------


def audit_release(job, pin, upstream, projects, osv, web, web_real, packages):
    name, raw_version = canonicalize_name(pin["name"]), pin["version"]
    version = version_of(raw_version)
    out = {
        "name": name,
        "version": raw_version,
        "source": "none",
        "files": [],
        "yanked": False,
        "yankedReason": None,
        "uploadTime": None,
        "license": None,
        "vulnerabilities": None,
        "newest": None,
        "latest": None,
        "outdated": False,
        "fixFloor": None,
        "errors": [],
    }
    if version is None:
        out["errors"].append(f"{raw_version} is not a PEP 440 version")
        return out

    release, error = upstream.get(f"/pypi/{name}/{raw_version}/json")
    project = projects.get(name)
    if release is not None:
        out["source"] = "upstream"
        info = release.get("info") or {}
        reference = {f.get("filename"): f for f in release.get("urls") or []}
        vulns = [vulnerability(v, "pypi") for v in release.get("vulnerabilities") or []]
    else:
        if error and error != "offline":
            out["errors"].append(error)
        saved = mirror_json(web, name)
        files = ((saved or {}).get("releases") or {}).get(raw_version)
        info = (saved or {}).get("info") or {}
        if files is None:
            # The saved JSON keys releases as the upstream spells them.
            for key, value in ((saved or {}).get("releases") or {}).items():
                if version_of(key) == version:
                    files = value
        reference = {f.get("filename"): f for f in files or []}
        same = version_of(info.get("version")) == version
        info = info if same else {}
        vulns = (
            [vulnerability(v, "mirror-json") for v in (saved or {}).get("vulnerabilities") or []]
            if same
            else None
        )
        if saved is not None:
            out["source"] = "mirror-json"
            if project is None:
                project = saved
    if osv is not None:
        vulns = osv_vulnerabilities(osv, name, version)

    out["yanked"] = bool(info.get("yanked")) or any(f.get("yanked") for f in reference.values())
    reasons = [info.get("yanked_reason")] + [f.get("yanked_reason") for f in reference.values()]
    out["yankedReason"] = next((r for r in reasons if r), None)
    out["license"] = license_of(info)
    if out["license"] is not None:
        out["license"]["source"] = out["source"]

    if job["hash"]:
        links = index_links(web, name)
        if links is None:
            out["errors"].append(f"no index page at {os.path.join(web, 'simple', name)}/index.html")
            links = {}
        for filename, link in sorted(links.items()):
            if file_version(filename) != version:
                continue
            entry = {"filename": filename, "path": os.path.relpath(link["path"], web)}
            entry.update(hash_file(web_real, packages, link["path"]))
            entry["indexSha256"] = link["indexSha256"]
            entry["indexYanked"] = link["indexYanked"]
            ref = reference.get(filename)
            entry["reference"] = (
                None
                if ref is None
                else {
                    "sha256": (ref.get("digests") or {}).get("sha256"),
                    "uploadTime": ref.get("upload_time_iso_8601") or ref.get("upload_time"),
                    "yanked": bool(ref.get("yanked")),
                    "yankedReason": ref.get("yanked_reason") or None,
                }
            )
            out["files"].append(entry)
        if out["license"] is None:
            for entry in out["files"]:
                if entry["filename"].endswith(".whl") and "sha256" in entry:
                    out["license"] = license_from_wheel(os.path.join(web, entry["path"]))
                    if out["license"]:
                        break
    times = [f.get("upload_time_iso_8601") or f.get("upload_time") for f in reference.values()]
    times = [t for t in times if t]
    out["uploadTime"] = min(times) if times else None

    newest = None
    if project is not None:
        best, latest = newest_release(project, version, job["targets"])
        newest = best[0] if best else None
        out["newest"] = best[1] if best else None
        out["latest"] = latest[1] if latest else None
        out["outdated"] = newest is not None and newest > version
    out["vulnerabilities"] = None if vulns is None else with_fixes(vulns, version, newest)
    floors = [
        Version(v["fixVersion"])
        for v in out["vulnerabilities"] or []
        if v["fixVersion"] and not v["withdrawn"]
    ]
    out["fixFloor"] = str(max(floors)) if floors else None
    return out


def main():
    job = json.load(sys.stdin)
    web = job["web"].rstrip("/")
    web_real = os.path.realpath(web)
    packages = os.path.join(web, "packages")
    upstream = Upstream(job.get("upstream"), job.get("proxy"), float(job.get("timeout") or 30))
    osv = job.get("osv")
    pins = job["pins"]
    names = sorted({canonicalize_name(p["name"]) for p in pins})
    workers = max(1, int(job.get("concurrency") or 8))
    projects = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        if upstream.url is not None:
            for name, (data, _) in zip(names, pool.map(lambda n: upstream.get(f"/pypi/{n}/json"), names)):
                if data is not None:
                    projects[name] = data
        releases = list(
            pool.map(
                lambda p: audit_release(job, p, upstream, projects, osv, web, web_real, packages),
                pins,
            )
        )
    print(
        json.dumps(
            {
                "upstream": {
                    "url": upstream.url,
                    "requests": upstream.requests,
                    "unreachable": upstream.unreachable,
                },
                "releases": releases,
            }
        )
    )


main()
