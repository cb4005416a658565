#!/bin/sh
# pip's configuration files inside a sandbox root, in the order pip reads them (site, then user;
# later wins), with the lines that choose an index. argv: the sandbox base.
base=$1
for file in etc/xdg/pip/pip.conf etc/pip.conf root/.config/pip/pip.conf root/.pip/pip.conf; do
  if [ -f "$base/$file" ]; then
    lines=$(grep -iE '^[[:space:]]*(index|extra|find|no)[-_]' "$base/$file" | tr '\n' ';')
    echo "/$file: ${lines:-no index setting}"
  fi
done
