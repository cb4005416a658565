#!/usr/bin/python3
"""The first process (PID 1) of a bare test host, copied to /usr/local/sbin/pmw-test-init.

What a server's init does for the test: makes the SSH host keys on first boot, starts Debian's
own sshd with Debian's own configuration on port 22, and reaps every orphan, so that a daemon
the product detaches (a sync, nginx) leaves no zombie behind once it exits. It never stops:
the test bed ends the host by killing this process, which ends every process of the host.
"""

import ctypes
import os
import subprocess
import time

# Named as what it is, so that the host's process list (and the product's probes) show no
# python3 the host did not start itself.
ctypes.CDLL(None).prctl(15, b"pmw-test-init", 0, 0, 0)  # PR_SET_NAME

os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
subprocess.run(["ssh-keygen", "-A"], check=True, stdout=subprocess.DEVNULL)
subprocess.Popen(["/usr/sbin/sshd", "-D", "-e"])
print("pmw-test-init: sshd started", flush=True)
while True:
    try:
        os.wait()
    except ChildProcessError:
        # No child at the moment: orphans are reparented to this process later.
        time.sleep(0.5)
