#!/bin/sh
# The mirror's pin files, read in one command for the audit, the update and the prune.
# Usage: read-pin-files.sh REQUIREMENTS_TXT RETAINED_TXT
# Prints one line per file: its content as base64, or "-" when it is not there.
for f in "$1" "$2"; do
  if [ -f "$f" ]; then base64 < "$f" | tr -d '\n'; echo; else echo -; fi
done
