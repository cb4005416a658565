# Reads build-system.requires from sdists, as pip does before building them: the sdist's
# top-level pyproject.toml, or none (pip's legacy setuptools default then applies).
# stdin: {"sdists": {"<key>": "<url>"}, "proxy": url|null, "timeout": seconds}
# stdout: one JSON line {"<key>": {"requires": [...]|null, "backend": str|null,
#                                  "source": "pyproject.toml"|"legacy default", "error": str|null}}
import json
import re
import sys
import tarfile
import tempfile
import urllib.request
import zipfile

try:
    import tomllib
except ImportError:  # Python 3.10: pip vendors the same parser
    try:
        from pip._vendor import tomli as tomllib
    except ImportError:
        tomllib = None

request = json.load(sys.stdin)
proxy = request.get("proxy")
opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({"http": proxy, "https": proxy} if proxy else {})
)


def pyproject_text(path, url):
    """The sdist's top-level pyproject.toml (name-version/pyproject.toml), or None."""
    if url.lower().split("#")[0].endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if re.fullmatch(r"[^/]+/pyproject\.toml", n)]
            return archive.read(names[0]).decode("utf-8") if names else None
    with tarfile.open(path, "r:*") as archive:
        for member in archive.getmembers():
            if member.isfile() and re.fullmatch(r"(\./)?[^/]+/pyproject\.toml", member.name):
                return archive.extractfile(member).read().decode("utf-8")
    return None


def build_system(text):
    if tomllib is not None:
        return tomllib.loads(text).get("build-system")
    # No TOML parser at all: the common one-array form is enough to name the backend.
    section = re.search(r"^\[build-system\]\s*$(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
    if not section:
        return None
    requires = re.search(r"^requires\s*=\s*\[(.*?)\]", section.group(1), re.MULTILINE | re.DOTALL)
    backend = re.search(r"^build-backend\s*=\s*[\"']([^\"']+)", section.group(1), re.MULTILINE)
    return {
        "requires": re.findall(r"[\"']([^\"']+)[\"']", requires.group(1)) if requires else [],
        "build-backend": backend.group(1) if backend else None,
    }


def read(url):
    with tempfile.NamedTemporaryFile() as f:
        req = urllib.request.Request(url, headers={"User-Agent": "pip-mirror-wizard"})
        with opener.open(req, timeout=request["timeout"]) as response:
            while True:
                chunk = response.read(1 << 20)
                if not chunk:
                    break
                f.write(chunk)
        f.flush()
        text = pyproject_text(f.name, url)
    system = build_system(text) if text is not None else None
    if not system or "requires" not in system:
        return {"requires": None, "backend": None, "source": "legacy default", "error": None}
    return {
        "requires": [str(r) for r in system["requires"]],
        "backend": system.get("build-backend"),
        "source": "pyproject.toml",
        "error": None,
    }


out = {}
for key, url in request["sdists"].items():
    try:
        out[key] = read(url)
    except Exception as e:  # noqa: BLE001 - an unreadable sdist is reported, not guessed
        out[key] = {"requires": None, "backend": None, "source": "legacy default", "error": str(e) or type(e).__name__}
print(json.dumps(out))
