#!/bin/sh
# The ports probe: which TCP ports something listens on and which process holds each, whether
# Debian's default nginx site is enabled (and still as the package shipped it), and nginx's
# whole configuration. Reads /proc only (no ss, netstat or lsof on a minimal host); run as root
# to see every process. Arguments: the TCP ports to look at (only those are listed, so what the
# plan records does not change when an unrelated program opens a port). Prints three sections:
#   --- listeners      "listen ADDRESS PORT PID COMMAND" (PID and COMMAND "-" when unseen)
#   --- default-site   enabled=yes|no, stock=yes|no
#   --- nginx-config   what `nginx -T` prints (nothing when nginx is not installed)
echo '--- listeners'
tables=
for t in /proc/net/tcp /proc/net/tcp6; do [ -r "$t" ] && tables="$tables $t"; done
# shellcheck disable=SC2086
{ find /proc/[0-9]*/fd -lname 'socket:\[*' -printf '%p %l\n' 2>/dev/null; echo '--- tables'; cat $tables 2>/dev/null; } |
awk -v wanted=" $* " '
function hex(s,   i, n) {
  n = 0; s = toupper(s)
  for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1
  return n
}
# /proc/net/tcp holds addresses as 32-bit words in the host byte order (little-endian here).
function word4(w) {
  return hex(substr(w, 7, 2)) "." hex(substr(w, 5, 2)) "." hex(substr(w, 3, 2)) "." hex(substr(w, 1, 2))
}
function address(a,   i, w, out, b) {
  if (length(a) == 8) return word4(a)
  if (a == "00000000000000000000000000000000") return "::"
  if (a == "00000000000000000000000001000000") return "::1"
  if (substr(a, 1, 24) == "0000000000000000FFFF0000") return "::ffff:" word4(substr(a, 25, 8))
  out = ""
  for (i = 0; i < 4; i++) {
    w = substr(a, i * 8 + 1, 8)
    b = substr(w, 7, 2) substr(w, 5, 2) ":" substr(w, 3, 2) substr(w, 1, 2)
    out = out (i ? ":" : "") tolower(b)
  }
  return out
}
$0 == "--- tables" { tables = 1; next }
!tables {
  split($1, p, "/"); inode = $2; gsub(/[^0-9]/, "", inode)
  holders[inode] = holders[inode] " " p[3]
  next
}
$4 == "0A" {
  split($2, local, ":")
  if (!index(wanted, " " hex(local[2]) " ")) next
  inode = $10
  n = split(holders[inode], pids, " ")
  if (n == 0) { print "listen", address(local[1]), hex(local[2]), "-", "-"; next }
  delete shown
  for (i = 1; i <= n; i++) {
    if (pids[i] in shown) continue
    shown[pids[i]] = 1
    comm = "-"
    if ((getline comm < ("/proc/" pids[i] "/comm")) <= 0) comm = "-"
    close("/proc/" pids[i] "/comm")
    print "listen", address(local[1]), hex(local[2]), pids[i], comm
  }
}'
echo '--- default-site'
link=/etc/nginx/sites-enabled/default
if [ -e "$link" ] || [ -L "$link" ]; then echo enabled=yes; else echo enabled=no; fi
stock=no
shipped=$(dpkg-query -W -f='${Conffiles}\n' nginx-common 2>/dev/null | awk '$1 == "/etc/nginx/sites-available/default" { print $2 }')
if [ -n "$shipped" ] && [ "$(readlink "$link" 2>/dev/null)" = /etc/nginx/sites-available/default ] &&
  [ "$(md5sum < /etc/nginx/sites-available/default 2>/dev/null | cut -d' ' -f1)" = "$shipped" ]; then
  stock=yes
fi
echo "stock=$stock"
echo '--- nginx-config'
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  PATH="$PATH:/usr/sbin" nginx -T 2>/dev/null
fi
true
