#!/bin/sh
# The seed manual (/work/shared/seed-pip-mirror.md), its commands in order, as an operator runs
# them on a fresh Debian 13 host over SSH, one phase at a time. A comparison for bench/bare-host.ts
# only, never product code. Where the manual cannot work as written on such a host, the least
# an operator would change, said where it happens:
#   - "pip install bandersnatch": Debian refuses system installs (PEP 668), so a venv, which
#     needs python3-venv; the host reaches PyPI only through the site's proxy (pip --proxy).
#   - "sudo systemctl reload nginx": no systemd here, so `nginx` starts it.
#   - `curl` is not on a minimal host: installed with nginx.
# Usage: seed-manual.sh PHASE PROXY UPSTREAM ADDRESS PACKAGES...
set -eu
phase=$1 proxy=$2 upstream=$3 address=$4
shift 4
mirror=/srv/pypi
venv=/opt/bandersnatch
export DEBIAN_FRONTEND=noninteractive

case $phase in
packages)
  # "sudo apt update; sudo apt install nginx" (+ what pip needs on Debian, + curl)
  apt-get update -q
  apt-get install -y -q python3-venv nginx curl
  ;;
tools)
  # "pip install bandersnatch", and pip-tools for "pip-compile"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --proxy "$proxy" bandersnatch pip-tools
  ;;
resolve)
  # "ensure that any packages you wish to install have all required dependencies within the
  # mirror": the manual's own tool for a closure is pip-compile.
  mkdir -p "$mirror"
  printf '%s\n' "$@" > "$mirror/requirements.in"
  http_proxy=$proxy https_proxy=$proxy "$venv/bin/pip-compile" -q --no-header --no-annotate \
    --index-url "$upstream/simple" --pip-args "--proxy $proxy" \
    -o "$mirror/requirements.txt" "$mirror/requirements.in"
  ;;
sync)
  # "bandersnatch mirror" writes a default config; the operator edits it (an allowlist of the
  # closure's projects, the upstream, the proxy), then runs "bandersnatch mirror" again.
  "$venv/bin/bandersnatch" -c /etc/bandersnatch.conf mirror >/dev/null 2>&1 || true
  {
    printf '[mirror]\ndirectory = %s\nmaster = %s\nproxy = %s\n' "$mirror" "$upstream" "$proxy"
    printf 'allow-non-https = true\njson = false\nrelease-files = true\nworkers = 3\n'
    printf 'timeout = 10\nglobal-timeout = 1800\nstop-on-error = false\nhash-index = false\n'
    printf 'simple-format = ALL\nstorage-backend = filesystem\n\n'
    printf '[plugins]\nenabled =\n    allowlist_project\n\n[allowlist]\npackages =\n'
    sed -n 's/^\([A-Za-z0-9._-]*\)==.*/    \1/p' "$mirror/requirements.txt"
  } > /etc/bandersnatch.conf
  "$venv/bin/bandersnatch" -c /etc/bandersnatch.conf mirror
  ;;
nginx)
  # The manual's site, its link, "sudo nginx -t", then start nginx.
  cat > /etc/nginx/sites-available/pypi <<EOF
server {
            listen $address:80;
            server_name name;
            location /pypi/ {
                alias $mirror/web/;
                autoindex on;
            }
}
EOF
  ln -sf /etc/nginx/sites-available/pypi /etc/nginx/sites-enabled/
  nginx -t
  nginx
  ;;
verify)
  # "curl http://{ip}/pypi/"
  curl -fsS -o /dev/null "http://$address/pypi/"
  curl -fsS -o /dev/null "http://$address/pypi/simple/"
  ;;
esac
