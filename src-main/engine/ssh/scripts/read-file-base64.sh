#!/bin/sh
# A file's exact bytes as one line of base64 (output arrives as text lines); exit 3 when there is
# no such file. Usage: read-file-base64.sh PATH
if [ -e "$1" ]; then base64 -w0 -- "$1"; else exit 3; fi
