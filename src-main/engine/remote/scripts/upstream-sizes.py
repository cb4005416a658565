# Asks the upstream's JSON API, from the mirror host itself (it is the one that must reach the
# upstream), how big the files of each requested release are. Standard library only; honours
# HTTP(S)_PROXY from the environment.
# argv: upstream, platforms kept (comma list), then name or name==version per project.
# Prints one JSON document: {"projects": {item: {version, bytes, files}}, "errors": {item: text}}.
import json
import sys
import urllib.error
import urllib.request

upstream, kept = sys.argv[1].rstrip("/"), set(sys.argv[2].split(","))
def platform_of(name):
    n = name.lower()
    if "-win" in n or "win32" in n or "win_" in n: return "windows"
    if "macosx" in n: return "macos"
    if "linux" in n: return "linux"
    return None
out = {"projects": {}, "errors": {}}
for item in sys.argv[3:]:
    name, _, version = item.partition("==")
    url = upstream + "/pypi/" + name + ("/" + version if version else "") + "/json"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            data = json.load(response)
    except urllib.error.HTTPError as e:
        out["errors"][item] = "HTTP %d from %s" % (e.code, url)
        continue
    except Exception as e:  # noqa: BLE001 - reported as this project's error
        out["errors"][item] = "%s: %s" % (url, e)
        continue
    files = data.get("urls") or []
    kept_files = [f for f in files if platform_of(f.get("filename", "")) in (None, *kept)]
    out["projects"][item] = {"version": data.get("info", {}).get("version"), "bytes": sum(int(f.get("size") or 0) for f in kept_files), "files": len(kept_files)}
print(json.dumps(out))
