"""The permission repair of a pip mirror, run as root on the mirror host, confined to the mirror.

Root changes modes inside a tree that a less trusted account (the mirror's owner, bandersnatch)
can rewrite. A plain `chmod` as root follows symlinks: a `web` that is a link to /etc, or a file
swapped for a link between the plan and the run, would open /etc/shadow to the world. So this
helper checks every rule itself, at run time, whatever the plan said:

- the mirror directory and the served directory (`--web`, a real path) are not, and are not
  inside, a system location or another person's home; `--via` (the served directory as
  configured) still resolves to `--web`, and the mirror directory still belongs to `--owner`;
- every path is walked from / one component at a time with O_NOFOLLOW: a symlink anywhere is
  refused, never followed; changes go through the descriptor of what was checked;
- inside `--web`, only the top-level names of bandersnatch's layout (`--names`) are entered;
  anything else there is foreign and left alone; no directory of another filesystem (a mount
  point) is entered or changed; a file with more than one hard link that someone other than
  `--owner` owns is left alone (it may be /etc/shadow under another name); only regular files
  and directories change.

Verbs (each prints one JSON line: what changed and what was left alone, and why):
  traverse RULES --add o+x DIR...   bits on the directories leading to the served directory:
                                    only x on the way, r and x on the served directory itself
  tree RULES --names N,... --for UID:GID,... --add file:o+r --add dir:o+rx CONFINED
                                    the least repair: adds the bits to the entries whose
                                    permission class for nginx's user (UID, GIDs) lacks them
  seed RULES --names N,... --mode 0755 --chown UID:GID CONFINED
                                    the seed's fix, on the served directory only
RULES: --mirror DIR --via WEB --web REAL_WEB --owner UID
CONFINED: --one-file-system --no-follow --shared-links owner-only (required: never relaxed)

Exit status: 0 done, 1 some entries could not be changed, 2 refused (nothing was changed).
Python 3.7 or newer (Debian 10, Ubuntu 20.04, RHEL 8 and later).
"""

import argparse
import json
import os
import pwd
import stat
import sys

SYSTEM_LOCATIONS = (
    "/etc", "/root", "/boot", "/usr", "/var/lib", "/proc", "/sys", "/dev",
    "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
)
FIRST_LOGIN_UID = 1000
NOBODY_UID = 65534
SHIFT = {"u": 6, "g": 3, "o": 0}
BITS = {"r": 4, "x": 1}
EXAMPLES = 5


class Refused(Exception):
    pass


def inside(path, top):
    return path == top or path.startswith(top.rstrip("/") + "/")


def forbidden(path, owner):
    """Why root must not change anything at this real path; None when it may."""
    if path == "/":
        return "/ is the root of the whole system"
    for top in SYSTEM_LOCATIONS:
        if inside(path, top):
            return "%s is a system location" % top
    for user in pwd.getpwall():
        if user.pw_uid < FIRST_LOGIN_UID or user.pw_uid in (NOBODY_UID, owner):
            continue
        home = os.path.realpath(user.pw_dir) if user.pw_dir else "/"
        if home != "/" and inside(path, home):
            return "%s is the home of %s, who does not own the mirror" % (home, user.pw_name)
    return None


def open_nofollow(path, last_flags):
    """A descriptor for an absolute path reached from / without following any symlink."""
    if not path.startswith("/") or os.path.normpath(path) != path:
        raise Refused("%s: not an absolute, normalised path" % path)
    fd = os.open("/", os.O_PATH | os.O_DIRECTORY)
    try:
        parts = [p for p in path.split("/") if p]
        for i, part in enumerate(parts):
            flags = last_flags if i == len(parts) - 1 else os.O_PATH | os.O_DIRECTORY
            try:
                child = os.open(part, flags | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as error:
                raise Refused("%s: %s (a symlink on the way is refused)" % (path, error.strerror))
            os.close(fd)
            fd = child
        return fd
    except BaseException:
        os.close(fd)
        raise


def fd_path(fd):
    return "/proc/self/fd/%d" % fd


def check_rules(args):
    """The rules the plan was made under, checked again now; the served directory's descriptor."""
    real_mirror = os.path.realpath(args.mirror)
    why = forbidden(real_mirror, args.owner)
    if why:
        raise Refused(
            "the mirror directory %s resolves to %s, and %s" % (args.mirror, real_mirror, why)
        )
    if os.lstat(real_mirror).st_uid != args.owner:
        raise Refused("%s no longer belongs to uid %d, as planned" % (real_mirror, args.owner))
    real_web = os.path.realpath(args.via)
    if real_web != args.web:
        raise Refused("%s now resolves to %s, not %s as planned" % (args.via, real_web, args.web))
    why = forbidden(args.web, args.owner)
    if why:
        raise Refused("the served directory %s resolves to %s, and %s" % (args.via, args.web, why))
    return open_nofollow(args.web, os.O_RDONLY | os.O_DIRECTORY)


class Report:
    def __init__(self):
        self.changed = 0
        self.left = {}
        self.examples = {}
        self.failed = []

    def leave(self, why, rel):
        self.left[why] = self.left.get(why, 0) + 1
        examples = self.examples.setdefault(why, [])
        if len(examples) < EXAMPLES:
            examples.append(rel)

    def print(self):
        print(json.dumps({"changed": self.changed, "left": self.left, "examples": self.examples,
                          "failed": self.failed[:20], "failedCount": len(self.failed)}))
        for line in self.failed[:20]:
            print(line, file=sys.stderr)
        return 1 if self.failed else 0


def parse_grant(text):
    who, plus, what = text.partition("+")
    valid = plus == "+" and who in SHIFT and len(who) == 1 and what
    if not valid or any(b not in BITS for b in what):
        raise Refused("%s: only u+, g+ or o+ with r and x is allowed" % text)
    return who, sum(BITS[b] for b in set(what))


def traverse(args):
    who, bits = parse_grant(args.add)
    report = Report()
    os.close(check_rules(args))
    for path in args.dirs:
        try:
            served_root = path == args.web
            on_the_way = inside(args.web, path) or inside(args.via, path)
            if not served_root and not on_the_way:
                raise Refused("%s is not on the path to %s" % (path, args.web))
            if not served_root and bits != BITS["x"]:
                raise Refused("%s: only x (to pass through) is added on the way" % path)
            why = forbidden(path, args.owner)
            if why:
                raise Refused("%s: %s" % (path, why))
            fd = open_nofollow(path, os.O_PATH)
            try:
                mode = os.fstat(fd).st_mode
                if not stat.S_ISDIR(mode):
                    raise Refused("%s: not a directory" % path)
                wanted = stat.S_IMODE(mode) | (bits << SHIFT[who])
                if wanted != stat.S_IMODE(mode):
                    os.chmod(fd_path(fd), wanted)
                    report.changed += 1
            finally:
                os.close(fd)
        except Refused as error:
            report.failed.append(str(error))
        except OSError as error:
            report.failed.append("%s: %s" % (path, error))
    return report.print()


def class_of(st, uid, gids):
    if st.st_uid == uid:
        return "u"
    return "g" if st.st_gid in gids else "o"


def least_change(args):
    """The mode each entry needs, from --for and --add: only the bits its class lacks."""
    uid_text, _, gid_text = args.accessor.partition(":")
    uid = int(uid_text)
    gids = {int(g) for g in gid_text.split(",") if g}
    grants = {}
    for text in args.add:
        kind, _, grant = text.partition(":")
        if kind not in ("file", "dir"):
            raise Refused("%s: file:GRANT or dir:GRANT" % text)
        who, bits = parse_grant(grant)
        grants[(kind, who)] = bits

    def change(st, kind):
        who = class_of(st, uid, gids)
        bits = grants.get((kind, who), 0) << SHIFT[who]
        mode = stat.S_IMODE(st.st_mode)
        return ((mode | bits) if (mode & bits) != bits else None), None

    return change


def seed_change(args):
    mode = int(args.mode, 8)
    if mode & ~0o755:
        raise Refused("--mode %s: at most 0755 (no write for others, no setuid)" % args.mode)
    uid, _, gid = args.chown.partition(":")
    owner = (int(uid), int(gid))

    def change(st, kind):
        new_mode = mode if stat.S_IMODE(st.st_mode) != mode else None
        new_owner = owner if (st.st_uid, st.st_gid) != owner else None
        return new_mode, new_owner

    return change


def apply_change(fd, st, change, kind, report, rel):
    mode, owner = change(st, kind)
    if mode is None and owner is None:
        return
    try:
        if owner is not None:
            os.chown(fd_path(fd), owner[0], owner[1])
        if mode is not None:
            os.chmod(fd_path(fd), mode)
        report.changed += 1
    except OSError as error:
        report.failed.append("%s: %s" % (rel, error))


def visit(parent, name, rel, ctx):
    """One entry of the layout, by name in its parent's descriptor; directories recursively."""
    report, change, dev, owner = ctx
    try:
        st = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        return  # removed meanwhile (a sync running beside the repair)
    if stat.S_ISLNK(st.st_mode):
        return report.leave("symlink", rel)
    if stat.S_ISDIR(st.st_mode):
        # As find -xdev: a directory of another filesystem (a mount point) is not entered.
        # Only directories: on overlayfs, files report the device of the layer they are in.
        if st.st_dev != dev:
            return report.leave("other-filesystem", rel)
        flags, kind = os.O_RDONLY | os.O_DIRECTORY, "dir"
    elif stat.S_ISREG(st.st_mode):
        if st.st_nlink > 1 and st.st_uid != owner:
            return report.leave("shared-link", rel)
        flags, kind = os.O_PATH, "file"
        mode, new_owner = change(st, kind)
        if mode is None and new_owner is None:
            return
    else:
        return report.leave("special", rel)
    try:
        fd = os.open(name, flags | os.O_NOFOLLOW, dir_fd=parent)
    except OSError:
        return report.leave("changed-during-repair", rel)
    try:
        now = os.fstat(fd)
        same = (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)
        if not same or stat.S_IFMT(now.st_mode) != stat.S_IFMT(st.st_mode):
            return report.leave("changed-during-repair", rel)
        if kind == "file" and now.st_nlink > 1 and now.st_uid != owner:
            return report.leave("shared-link", rel)
        apply_change(fd, now, change, kind, report, rel)
        if kind == "dir":
            try:
                with os.scandir(fd) as entries:
                    names = [entry.name for entry in entries]
            except OSError as error:
                report.failed.append("%s: %s" % (rel, error))
                return
            for child in names:
                visit(fd, child, rel + "/" + child, ctx)
    finally:
        os.close(fd)


def walk_layout(args, change, include_root):
    if not (args.one_file_system and args.no_follow and args.shared_links == "owner-only"):
        raise Refused("--one-file-system --no-follow --shared-links owner-only are required")
    names = [n for n in args.names.split(",") if n]
    if any("/" in n or n in ("", ".", "..") for n in names):
        raise Refused("--names: plain names only")
    report = Report()
    root = check_rules(args)
    try:
        st = os.fstat(root)
        if include_root:
            apply_change(root, st, change, "dir", report, ".")
        with os.scandir(root) as entries:
            top = sorted(entry.name for entry in entries)
        ctx = (report, change, st.st_dev, args.owner)
        for name in top:
            if name in names:
                visit(root, name, name, ctx)
            else:
                report.leave("foreign", name)
    finally:
        os.close(root)
    return report.print()


def parser():
    main = argparse.ArgumentParser(prog="confined-repair.py")
    verbs = main.add_subparsers(dest="verb", required=True)
    for verb in ("traverse", "tree", "seed"):
        sub = verbs.add_parser(verb)
        sub.add_argument("--mirror", required=True)
        sub.add_argument("--via", required=True)
        sub.add_argument("--web", required=True)
        sub.add_argument("--owner", required=True, type=int)
        if verb == "traverse":
            sub.add_argument("--add", required=True)
            sub.add_argument("dirs", nargs="+")
            continue
        sub.add_argument("--names", required=True)
        sub.add_argument("--one-file-system", action="store_true")
        sub.add_argument("--no-follow", action="store_true")
        sub.add_argument("--shared-links", default="")
        if verb == "tree":
            sub.add_argument("--for", dest="accessor", required=True)
            sub.add_argument("--add", action="append", required=True)
        else:
            sub.add_argument("--mode", required=True)
            sub.add_argument("--chown", required=True)
    return main


def main():
    args = parser().parse_args()
    try:
        if args.verb == "traverse":
            return traverse(args)
        change = least_change(args) if args.verb == "tree" else seed_change(args)
        return walk_layout(args, change, include_root=args.verb == "seed")
    except (Refused, OSError) as error:
        print("refused, nothing changed: %s" % error, file=sys.stderr)
        return 2


sys.exit(main())
