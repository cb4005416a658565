"""Yanked releases (PEP 592) for the stand-in, as PyPI serves them.

A distributions directory may hold `yanked.json`: {"<project>==<version>": "the reason", ...}
(an empty reason is a yank without one). PyPI yanks whole releases, so every file of a listed
release is yanked. Each format says so its own way:

  PEP 503 HTML   data-yanked="<reason>" on the file's link (an empty value when no reason)
  PEP 691 JSON   "yanked": "<reason>" on the file, or true when there is no reason
  JSON API       "yanked": true and "yanked_reason" on each file of the release (and on `info`
                 of /pypi/<project>/<version>/json)
"""

import html
import json
from pathlib import Path
from typing import Any

YANKED_FILE = "yanked.json"


def load_yanks(directory: Path) -> dict[tuple[str, str], str]:
    """(canonical project, version) -> reason."""
    from catalog import canonicalize

    path = directory / YANKED_FILE
    if not path.exists():
        return {}
    yanks = {}
    for key, reason in json.loads(path.read_text()).items():
        project, _, version = key.partition("==")
        yanks[(canonicalize(project), version)] = str(reason or "")
    return yanks


def html_attribute(reason: str | None) -> str:
    return "" if reason is None else f' data-yanked="{html.escape(reason)}"'


def simple_json_value(reason: str | None) -> bool | str:
    if reason is None:
        return False
    return reason or True


def json_api_fields(reason: str | None) -> dict[str, Any]:
    return {"yanked": reason is not None, "yanked_reason": reason or None}
