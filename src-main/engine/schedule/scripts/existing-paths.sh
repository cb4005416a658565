#!/bin/sh
# Prints each argument that exists on the host (a file, a directory or a symlink, dangling too).
# Usage: existing-paths.sh PATH...
for p in "$@"; do if [ -e "$p" ] || [ -L "$p" ]; then echo "$p"; fi; done
