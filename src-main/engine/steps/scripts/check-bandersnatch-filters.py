"""Reads bandersnatch.conf the way bandersnatch does (configparser) and checks the filter."""

import configparser
import sys

c = configparser.ConfigParser()
c.read(sys.argv[1])
plugins = c.get("plugins", "enabled").split()
assert "project_requirements_pinned" in plugins and "project_requirements" in plugins, plugins
print(c.get("allowlist", "requirements_path"), c.get("allowlist", "requirements").strip())
