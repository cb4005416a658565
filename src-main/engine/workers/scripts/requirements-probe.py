# Reads a requirements file the way pip does and asks the mirror, from the worker host, about
# every project in it: is its page there, which files does it list, and which of them install on
# the sandboxes' Python and this host's platform (wheel tags, Requires-Python). Markers are
# evaluated for that Python. Uses the `packaging` library (from pip's vendored copy in the tools
# venv when it is not installed on its own).
# stdin: {"index", "python", "text"}. Prints one JSON document (requirements-probe.ts has its schema).
import concurrent.futures
import html.parser
import json
import platform
import re
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request

try:
    from packaging import markers, requirements, specifiers, tags, utils, version
except ImportError:
    try:
        from pip._vendor.packaging import markers, requirements, specifiers, tags, utils, version
    except ImportError:
        print(json.dumps({"packaging": False}))
        sys.exit(0)

request = json.load(sys.stdin)
index = request["index"].rstrip("/")
target = tuple(int(part) for part in request["python"].split("."))
running = sys.version_info[:2]
full_version = platform.python_version() if running == target else "%d.%d.0" % target

environment = markers.default_environment()
environment["python_version"] = "%d.%d" % target
environment["python_full_version"] = full_version
supported = set(tags.cpython_tags(python_version=target, platforms=list(tags.platform_tags())))
supported |= set(tags.compatible_tags(python_version=target, platforms=list(tags.platform_tags())))


def logical_lines(text):
    """pip's requirements-file rules: backslash continuations, # comments after whitespace."""
    start, buffer = None, ""
    for number, raw in enumerate(text.splitlines(), 1):
        if start is None:
            start = number
        line = re.sub(r"(^|\s)#.*$", "", raw)
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        if buffer.strip():
            yield start, raw if start == number else buffer.strip(), buffer.strip()
        start, buffer = None, ""


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.files, self._current = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attributes = dict(attrs)
            self._current = {"href": attributes.get("href") or "", "requires": attributes.get("data-requires-python"), "text": ""}

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._current is not None:
            path = urllib.parse.urlparse(self._current["href"]).path
            name = self._current["text"].strip() or path.rsplit("/", 1)[-1]
            self.files.append((name, self._current["requires"]))
            self._current = None


opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch_project(name):
    url = "%s/%s/" % (index, utils.canonicalize_name(name))
    out = {"url": url, "status": 0, "error": None, "files": []}
    try:
        req = urllib.request.Request(url, headers={"Accept": "text/html", "User-Agent": "pip-mirror-wizard"})
        with opener.open(req, timeout=15) as response:
            out["status"] = response.status
            page = Links()
            page.feed(response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as e:
        out["status"], out["error"] = e.code, "HTTP %d %s" % (e.code, e.reason)
        return out
    except (urllib.error.URLError, socket.timeout, OSError) as e:
        out["error"] = str(getattr(e, "reason", e))
        return out
    for filename, requires in page.files:
        entry = {"filename": filename, "version": None, "requiresPython": requires, "compatible": False}
        try:
            if filename.endswith(".whl"):
                _, file_version, _, file_tags = utils.parse_wheel_filename(filename)
                entry["compatible"] = not supported.isdisjoint(file_tags)
            else:
                _, file_version = utils.parse_sdist_filename(filename)
                entry["compatible"] = True
            entry["version"] = str(file_version)
        except Exception:  # noqa: BLE001, S112 - a file name packaging cannot parse is no release
            continue
        if requires and entry["compatible"]:
            try:
                entry["compatible"] = specifiers.SpecifierSet(requires).contains(full_version, prereleases=True)
            except Exception:  # noqa: BLE001, S110 - an unreadable Requires-Python does not exclude
                pass
        out["files"].append(entry)
    return out


lines = []
for number, text, line in logical_lines(request["text"]):
    entry = {"lineNo": number, "text": text, "kind": "requirement", "name": None, "pinned": None, "marker": None, "markerApplies": None, "error": None}
    if line.startswith("-"):
        entry["kind"] = "option"
    else:
        try:
            parsed = requirements.Requirement(line)
            entry["name"] = utils.canonicalize_name(parsed.name)
            specs = list(parsed.specifier)
            if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
                entry["pinned"] = specs[0].version
            if parsed.marker is not None:
                entry["marker"] = str(parsed.marker)
                entry["markerApplies"] = parsed.marker.evaluate(environment)
        except Exception as e:  # noqa: BLE001 - reported as this line's error
            entry["kind"], entry["error"] = "invalid", str(e)
    lines.append(entry)

names = sorted({entry["name"] for entry in lines if entry["name"]})
with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
    projects = dict(zip(names, pool.map(fetch_project, names)))

for entry in lines:
    project = projects.get(entry["name"])
    if not project or entry["pinned"] is None:
        continue
    try:
        wanted = version.Version(entry["pinned"])
    except Exception:  # noqa: BLE001, S112 - a pin packaging cannot parse matches no file
        continue
    matching = [f for f in project["files"] if f["version"] and version.Version(f["version"]) == wanted]
    entry["filesForVersion"] = [f["filename"] for f in matching]
    entry["compatibleFiles"] = [f["filename"] for f in matching if f["compatible"]]

print(json.dumps({
    "packaging": True,
    "python": "%d.%d" % target,
    "platform": "%s %s" % (platform.system().lower(), platform.machine()),
    "lines": lines,
    "projects": projects,
}))
