"""Sets pip_mirror in a config.json that `ol worker init` has just written.

The fresh file holds `"pip_mirror": ""` exactly once (OpenLambda's default); only that value is
replaced, every other byte stays, and the file as ol wrote it is kept at BACKUP (created new:
an existing name, a symlink above all, is never written through). Anything else is refused
rather than guessed at.
Usage: set-fresh-pip-mirror.py CONFIG_JSON URL BACKUP
"""

import json
import os
import sys

path, url, backup = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path, encoding="utf-8") as f:
    text = f.read()
json.loads(text)
token = '"pip_mirror": ""'
if text.count(token) != 1:
    sys.exit(f"{path} does not hold OpenLambda's default pip_mirror once; edit it by hand")
new = text.replace(token, '"pip_mirror": ' + json.dumps(url))
json.loads(new)
mode = os.stat(path).st_mode & 0o7777
fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
with os.fdopen(fd, "w", encoding="utf-8") as f:
    f.write(text)
tmp = path + ".pmw-tmp"
with open(tmp, "w", encoding="utf-8") as f:
    f.write(new)
os.chmod(tmp, mode)
os.rename(tmp, path)
