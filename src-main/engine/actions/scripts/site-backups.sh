#!/bin/sh
# Prints the backups the wizard kept of a file (FILE.pmw-backup-*), one per line.
# Usage: site-backups.sh FILE
for f in "$1".pmw-backup-*; do [ -e "$f" ] && echo "$f"; done; true
