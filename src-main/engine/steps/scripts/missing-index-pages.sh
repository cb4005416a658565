#!/bin/sh
# Prints each project (after the web directory) that has no index page in the mirror.
# Usage: missing-index-pages.sh WEB_DIR PROJECT...
web=$1
shift
cd "$web" || exit 1
for p in "$@"; do
  [ -s "simple/$p/index.html" ] || echo "$p"
done
