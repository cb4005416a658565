#!/bin/sh
# Generates a bandersnatch-shaped mirror tree for bench/permissions.ts:
#   <dir>/web/simple/<project>/index.html, index.v1_html, index.v1_json
#   <dir>/web/packages/<xx>/<yy>/<hash>/<file>.whl
# with directories 0755 and files 0644 (empty files: the benchmark is about metadata), then
# breaks a fraction of the files (to 0600) and of the directories (to 0700). The broken entries
# are picked by index (i * 7919 mod 100), so every run breaks the same ones, spread over the tree.
#
# Usage: sh bench/make-mirror-tree.sh <dir> [files=200000] [directories=20000] [percent-broken=1]
# Prints: files=N directories=N broken_files=N broken_directories=N
set -eu
root=${1:?usage: make-mirror-tree.sh <dir> [files] [directories] [percent-broken]}
files=${2:-200000}
directories=${3:-20000}
percent=${4:-1}
umask 022
mkdir -p "$root/web"
cd "$root/web"
list=$(mktemp)
trap 'rm -f "$list"' EXIT

# One line per entry, parents before children: "d <path>" or "f <path>". web/ itself counts as
# one of the directories.
awk -v files="$files" -v directories="$directories" '
  function hex2(n) { return sprintf("%02x", n) }
  BEGIN {
    print "d simple"; print "d packages"; made = 3
    for (a = 0; a < 16; a++) {
      first = "packages/" hex2(a * 16 + 1); print "d " first; made++
      for (b = 0; b < 16; b++) { prefix[n_prefix++] = first "/" hex2(b * 16 + 2); print "d " prefix[n_prefix - 1]; made++ }
    }
    remaining = directories - made
    projects = int(remaining / 5); hashes = remaining - projects
    print "f simple/index.html"; n_files = 1
    for (p = 0; p < projects; p++) {
      print "d simple/project-" p
      print "f simple/project-" p "/index.html"
      print "f simple/project-" p "/index.v1_html"
      print "f simple/project-" p "/index.v1_json"
      n_files += 3
    }
    for (h = 0; h < hashes; h++) { hash[h] = sprintf("%s/%060x", prefix[h % n_prefix], h); print "d " hash[h] }
    for (f = 0; n_files < files; f++) { print "f " hash[f % hashes] "/project_" f "-1.0-py3-none-any.whl"; n_files++ }
  }' > "$list"

sed -n 's/^d //p' "$list" | xargs mkdir
sed -n 's/^f //p' "$list" | xargs touch

# Every (100 / percent)-th entry by a stride coprime with 100; the top three directories stay.
sed -n 's/^f //p' "$list" | awk -v p="$percent" '(NR * 7919) % 100 < p' > "$list.files"
sed -n 's/^d //p' "$list" | awk -v p="$percent" 'NR > 2 && (NR * 7919) % 100 < p' > "$list.dirs"
xargs chmod 0600 < "$list.files"
xargs chmod 0700 < "$list.dirs"
printf 'files=%s directories=%s broken_files=%s broken_directories=%s\n' \
  "$(grep -c '^f ' "$list")" "$(($(grep -c '^d ' "$list") + 1))" \
  "$(wc -l < "$list.files" | tr -d ' ')" "$(wc -l < "$list.dirs" | tr -d ' ')"
rm -f "$list.files" "$list.dirs"
