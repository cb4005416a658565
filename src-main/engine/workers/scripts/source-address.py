# The address this host's packets to the mirror leave from (what the mirror's nginx logs as the
# client). argv: the mirror's host name or address, port. stdout: {"address": "10.0.0.7"}.
import json
import socket
import sys

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.connect((sys.argv[1], int(sys.argv[2])))
    print(json.dumps({"address": s.getsockname()[0]}))
