#!/usr/bin/env python
# OpenLambda main's go/worker/embedded/packagePullerInstaller.py (a288ce1), as the stand-in embeds
# it: pip_mirror is never used, so pip's own configuration in the sandbox decides the index, and
# a failed pip is raised.
import os, sys, platform, re
import subprocess
import pkgutil

from email.parser import Parser


# top_level.txt cannot be trusted, use pkgutil to get top level packages
def top(dirname):
    return [name for _, name, _ in pkgutil.iter_modules([dirname])]


def deps(dirname):
    path = None
    for name in os.listdir(dirname):
        if name.endswith('-info'):
            path = os.path.join(dirname, name, "METADATA")
    if path == None or not os.path.exists(path):
        return []
    with open(path, encoding='utf-8') as f:
        metadata = Parser().parsestr(f.read())
    # the real installer evaluates markers with pkg_resources; the stand-in keeps unconditional ones
    return sorted({re.split(r'[ ;<>=!~\[(]', d, 1)[0] for d in metadata.get_all('Requires-Dist', []) if ';' not in d})


def f(event):
    pkg = event["pkg"]
    alreadyInstalled = event["alreadyInstalled"]
    if not alreadyInstalled:
        try:
            subprocess.check_output(
                ['pip3', 'install', '--no-deps', pkg, '--cache-dir', '/tmp/.cache', '-t', '/host/files'],
                stderr=subprocess.STDOUT)
        except subprocess.CalledProcessError as e:
            output = e.output.decode('utf-8') if e.output else ''
            raise Exception(f'pip install failed for {pkg} (exit code {e.returncode}): {output}') from None

    name = pkg.split("==")[0]
    d = deps("/host/files")
    t = top("/host/files")
    return {"Deps": d, "TopLevel": t}
