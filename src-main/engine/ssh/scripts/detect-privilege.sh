#!/bin/sh
# Prints the login's uid, then one of the Privilege words: root, sudo-nopasswd, sudo-password or
# none. `sudo -n` never prompts, so this cannot hang.
id -u
if [ "$(id -u)" = 0 ]; then echo root
elif ! command -v sudo >/dev/null 2>&1; then echo none
elif sudo -n true >/dev/null 2>&1; then echo sudo-nopasswd
else echo sudo-password
fi
