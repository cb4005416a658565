#!/bin/sh
# The mirror's nginx access log: `size` prints its length in bytes (0 when there is none yet),
# `since OFFSET` prints what was written after that many bytes. argv: size|since, path, offset.
set -eu
what=$1 path=$2
if [ ! -e "$path" ]; then
  [ "$what" = size ] && echo 0
  exit 0
fi
case "$what" in
  size) wc -c <"$path" | tr -d ' ' ;;
  since) tail -c +"$(($3 + 1))" -- "$path" ;;
esac
