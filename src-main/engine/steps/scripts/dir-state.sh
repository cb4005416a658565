#!/bin/sh
# For each directory argument, one line: "missing", "writable" or "not-writable" (for the login).
for dir in "$@"; do
  if [ ! -d "$dir" ]; then echo missing
  elif [ -w "$dir" ]; then echo writable
  else echo not-writable
  fi
done
