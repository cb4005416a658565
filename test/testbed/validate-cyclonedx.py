"""Validates a CycloneDX 1.5 JSON document with cyclonedx-python-lib's strict validator.

Usage: validate-cyclonedx.py FILE. Prints one JSON line: {"errors": [{"message", "path"}]}
(empty when valid). The validator is CycloneDX's own library from PyPI, with the 1.5 schemas
it ships (and the SPDX licence list they reference).
"""

import json
import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
found = JsonStrictValidator(SchemaVersion.V1_5).validate_str(text, all_errors=True) or []
errors = [
    {"message": e.data.message, "path": "/".join(str(p) for p in e.data.absolute_path)}
    for e in found
]
print(json.dumps({"errors": errors}))
