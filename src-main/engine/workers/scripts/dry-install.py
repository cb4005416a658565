# Installs each line as OpenLambda's pip-install lambda does (`pip install --no-deps <line>
# --cache-dir <fresh> -t <fresh>`), with the mirror as the only index, verbose, from the worker
# host. pip's own configuration and PIP_* settings are left out: inside a sandbox there are none,
# and a host's pip.conf (extra indexes, find-links) would make the proof worthless.
# stdin: {"index", "trustedHost", "pythonVersion", "args"}. Prints one JSON document
# (dry-install.ts has its schema).
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import pip
except ImportError:
    print(json.dumps({"pip": False, "python": sys.executable}))
    sys.exit(0)
request = json.load(sys.stdin)
env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
noise = re.compile(r"^\s*(Skipping link|Found link|Link requires|Given no hashes|Created temporary|Removed |Looking up|Updating cache|Caching|No cache entry|etag|Request header|Starting new|Non-user|Initialized|Entered build|Added .* to build tracker)")

def install(arg):
    work = tempfile.mkdtemp(prefix="pmw-dry-install-")
    command = [sys.executable, "-m", "pip", "install", "--no-deps", arg,
               "--cache-dir", os.path.join(work, "cache"), "-t", os.path.join(work, "files"),
               "--index-url", request["index"], "--trusted-host", request["trustedHost"], "-vvv"]
    if request.get("pythonVersion"):
        command += ["--python-version", request["pythonVersion"]]
    try:
        # check=False: pip's exit code is the result, reported for each line.
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=600, text=True, errors="replace", check=False)
        output, code = done.stdout, done.returncode
    except subprocess.TimeoutExpired as e:
        output, code = (e.stdout or "") if isinstance(e.stdout, str) else "", -1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    source = re.search(r"Added \S+ from (\S+) to build tracker", output) or re.search(r"Downloading (\S+)", output)
    installed = re.search(r"^Successfully installed (.+)$", output, re.MULTILINE)
    skipped = re.search(r"^Ignoring (\S+): markers", output, re.MULTILINE)
    lines = [line for line in output.splitlines() if line.strip() and not noise.match(line)]
    return {"arg": arg, "code": code, "source": source.group(1) if source else None,
            "installed": installed.group(1) if installed else None, "skipped": bool(skipped),
            "tail": lines[-12:]}

with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
    results = list(pool.map(install, request["args"]))
print(json.dumps({"pip": True, "python": sys.executable, "pipVersion": pip.__version__, "results": results}))
