#!/bin/sh
# Runs a fixed Python program: the wizard's tools venv when it is there (it has pip and, inside it,
# the `packaging` library), else the system's python3.
# Usage: python-wrapper.sh VENV_PYTHON PROGRAM [ARG...]. Exits 127 when there is no python3.
venv_python=$1; program=$2; shift 2
for py in "$venv_python" /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null 2>&1; then exec "$py" -c "$program" "$@"; fi
done
echo "python3 is not installed" >&2
exit 127
