#!/bin/sh
# Makes nginx take its configuration, whether or not it runs yet (as on a host where this plan
# installs it): systemd's reload-or-restart where systemd runs; otherwise `nginx -s reload`
# when a master process answers, else start nginx.
set -eu
if [ -d /run/systemd/system ]; then
  exec systemctl reload-or-restart nginx
fi
if [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
  exec nginx -s reload
fi
exec nginx
