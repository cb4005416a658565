#!/usr/bin/env python
# The seed manual's packagePullerInstaller.py (OpenLambda pull request #261), as the stand-in
# embeds it: the worker passes config.json's pip_mirror in the event; pip gets it as the only
# index, with its host trusted and -vvv; a failed pip is swallowed, so what fails is the listing
# of /host/files afterwards ("unable to find /host/files").
import os, sys, platform, re
import subprocess
import pkgutil
from urllib.parse import urlparse

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
    pip_mirror = event.get("pip_mirror", "")
    if not alreadyInstalled:
        try:
            args = ['pip3', 'install', '--no-deps', pkg, '--cache-dir', '/tmp/.cache', '-t', '/host/files']
            if pip_mirror:
                host = urlparse(pip_mirror).netloc
                args += ['--index-url=' + pip_mirror.rstrip('/') + '/simple/', '--trusted-host=' + host, '-vvv']
            print(subprocess.check_output(args, stderr=subprocess.STDOUT).decode('utf-8'))
        except Exception as e:
            print(e)

    name = pkg.split("==")[0]
    d = deps("/host/files")
    t = top("/host/files")
    return {"Deps": d, "TopLevel": t}
