#!/bin/sh
# Finds OpenLambda's `ol` as root will run it: an absolute path as given, a bare name on root's
# PATH (sudo's secure_path when the login is not root). Prints `found=`, `not-executable=` or
# `missing=` and what was searched. Usage: locate-ol.sh OL
ol=$1
case "$ol" in
  /*)
    if [ -f "$ol" ] && [ -x "$ol" ]; then echo "found=$ol"
    elif [ -e "$ol" ]; then echo "not-executable=$ol"
    else echo "missing=$ol"; fi ;;
  *)
    if found=$(command -v -- "$ol"); then echo "found=$found"
    else echo "missing=$PATH"; fi ;;
esac
