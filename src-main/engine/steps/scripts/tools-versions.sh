#!/bin/sh
# Prints "bandersnatch VERSION" and "uv VERSION" (or "-") as installed in the tools venv.
# Usage: tools-versions.sh VENV_PYTHON
[ -x "$1" ] || exit 0
"$1" - <<'PY'
import importlib.metadata as m
for name in ("bandersnatch", "uv"):
    try:
        print(name, m.version(name))
    except m.PackageNotFoundError:
        print(name, "-")
PY
