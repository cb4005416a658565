#!/bin/sh
# Reads, in one round trip, everything a plan is computed from: the facts (the facts probe's
# text comes as $1, run with $2 as its argument), then each request:
#   f PATH                       a file: sha256, mode, owner, size and its content (base64)
#   l PATH                       a symlink's target
#   p NAME NARGS SCRIPT ARGS...  a read-only probe script, run with its NARGS arguments
# Output: the facts' key=value lines, then one record per request, in order:
#   @f I ok SHA MODE OWNER SIZE  followed by a line of base64 content ("-" when over 4 MiB)
#   @f I absent | @f I unreadable | @f I notfile
#   @l I target B64 | @l I absent | @l I notlink
#   @p I EXIT                    followed by a line of the probe's output in base64
facts=$1 facts_arg=$2
shift 2
if [ -n "$facts" ]; then sh -c "$facts" facts "$facts_arg"; fi
i=0
while [ $# -gt 0 ]; do
  kind=$1
  case "$kind" in
    f)
      path=$2
      shift 2
      if [ -L "$path" ] || { [ -e "$path" ] && [ ! -f "$path" ]; }; then
        echo "@f $i notfile"
      elif [ ! -e "$path" ]; then
        # Absent only if the login could have seen it: the nearest directory above it that it
        # can see must let it in (a file under a root-only 0700 directory is merely unreadable).
        above=$(dirname -- "$path")
        while [ ! -e "$above" ]; do above=$(dirname -- "$above"); done
        if [ -x "$above" ]; then echo "@f $i absent"; else echo "@f $i unreadable"; fi
      elif [ ! -r "$path" ]; then
        echo "@f $i unreadable"
      else
        sum=$(sha256sum -- "$path" 2>/dev/null | cut -d' ' -f1)
        if [ -z "$sum" ]; then
          echo "@f $i unreadable"
        else
          meta=$(stat -c '%a %U %s' -- "$path")
          echo "@f $i ok $sum $meta"
          size=${meta##* }
          if [ "$size" -le 4194304 ]; then base64 -w0 -- "$path"; echo; else echo -; fi
        fi
      fi
      ;;
    l)
      path=$2
      shift 2
      if [ -L "$path" ]; then
        target=$(readlink -- "$path")
        echo "@l $i target $(printf '%s' "$target" | base64 -w0)"
      elif [ -e "$path" ]; then
        echo "@l $i notlink"
      else
        echo "@l $i absent"
      fi
      ;;
    p)
      count=$3 script=$4
      shift 4
      out=$(mktemp)
      # The probe's own arguments are the next $count words.
      (
        # Keep only the probe's own arguments: the first $count of what is left.
        total=$# n=0
        for a in "$@"; do
          if [ "$n" -lt "$count" ]; then set -- "$@" "$a"; fi
          n=$((n + 1))
        done
        shift "$total"
        sh -c "$script" probe "$@"
      ) >"$out" 2>/dev/null </dev/null
      code=$?
      echo "@p $i $code"
      base64 -w0 <"$out"
      echo
      rm -f -- "$out"
      shift "$count"
      ;;
    *)
      echo "read-state: unknown request $kind" >&2
      exit 2
      ;;
  esac
  i=$((i + 1))
done
