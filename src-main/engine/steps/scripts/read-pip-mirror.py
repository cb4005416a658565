# What OpenLambda's Go decoder will read: config.json parsed by another JSON parser than the app's.
# argv: the config.json path. Prints {"pip_mirror": value} (null when the file is not an object).
import json
import sys

with open(sys.argv[1], encoding="utf-8") as config:
    value = json.load(config)
print(json.dumps({"pip_mirror": value.get("pip_mirror") if isinstance(value, dict) else None}))
