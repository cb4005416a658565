/**
 * Root adds permission bits inside a tree that a less trusted user (the mirror's owner) can
 * rewrite. A plain `chmod path` as root follows symlinks: swap a file or a directory on the path
 * for a link to /etc between the scan and the chmod, and root opens /etc/shadow to the world.
 * This helper walks every path from `/` with O_NOFOLLOW, one component at a time, and changes
 * only a regular file or a directory it reached without a symlink, through its O_PATH
 * descriptor. Python because the shell tools cannot refuse a symlink on every component; the
 * mirror host has it (bandersnatch runs on it; Debian and Ubuntu keep it in /usr/bin).
 *
 * Arguments: a grant such as `o+r`, then absolute paths without symlinks.
 */
export const SAFE_CHMOD_PY = `import os, stat, sys
shift = {"u": 6, "g": 3, "o": 0}
value = {"r": 4, "w": 2, "x": 1}
who, _, what = sys.argv[1].partition("+")
add = sum(value[b] << shift[c] for c in who for b in what)
failed = 0
for path in sys.argv[2:]:
    fd = os.open("/", os.O_PATH | os.O_DIRECTORY)
    try:
        for part in [p for p in path.split("/") if p]:
            child = os.open(part, os.O_PATH | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = child
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise OSError("not a file or a directory (a symlink?): left alone")
        if stat.S_IMODE(mode) | add != stat.S_IMODE(mode):
            os.chmod("/proc/self/fd/%d" % fd, stat.S_IMODE(mode) | add)
    except OSError as error:
        failed = 1
        print("%s: %s" % (path, error), file=sys.stderr)
    finally:
        os.close(fd)
sys.exit(failed)
`

/** The distribution's Python (as the facts probe prefers): not a user's pyenv or conda one. */
export const SYSTEM_PYTHON = '/usr/bin/python3'

/** The command that adds `grant` to each path, refusing any path that crosses a symlink. */
export function safeChmodArgv(grant: string, paths: readonly string[]): string[] {
  return [SYSTEM_PYTHON, '-c', SAFE_CHMOD_PY, grant, ...paths]
}
