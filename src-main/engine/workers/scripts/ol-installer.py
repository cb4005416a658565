# Finds OpenLambda's pip-install lambda inside the `ol` binary: Go embeds
# packagePullerInstaller.py there verbatim (go:embed), so its text says what this build's
# installer runs. argv: the ol path. stdout: one JSON line
# {"found", "passesPipMirror", "argvText", "bytes"}.
import json
import re
import sys

path = sys.argv[1]
with open(path, "rb") as f:
    data = f.read()
marker = b"'/host/files'"
at = data.find(b"'-t', " + marker)
if at < 0:
    at = data.find(marker)
out = {"found": at >= 0, "passesPipMirror": False, "argvText": None, "bytes": len(data)}
if at >= 0:
    # The installer's own text: from its `def f(event)` (or a window before the marker) on.
    start = data.rfind(b"def f(event)", 0, at)
    start = start if start >= 0 and at - start < 4000 else max(0, at - 1500)
    end = data.find(b"\x00", at)
    text = data[start : (end if 0 <= end - at < 4000 else at + 1500)].decode("utf-8", "replace")
    out["passesPipMirror"] = "--index-url" in text and "--trusted-host" in text
    call = re.search(r"\[\s*'pip3', 'install'[^\]]*\]", text)
    out["argvText"] = call.group(0) if call else None
print(json.dumps(out))
