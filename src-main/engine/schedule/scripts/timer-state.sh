#!/bin/sh
# Whether a systemd timer is enabled and active: two lines, as systemctl prints them.
# Usage: timer-state.sh TIMER_UNIT
systemctl is-enabled "$1" 2>/dev/null || true
systemctl is-active "$1" 2>/dev/null || true
