"""PyPI's response formats, rendered from the catalog: JSON API, simple index, XML-RPC data."""

import html
from typing import Any

from catalog import Catalog, Dist, version_key
from yanks import html_attribute, json_api_fields, simple_json_value

SIMPLE_API_VERSION = "1.1"


def iso(dist: Dist) -> str:
    return dist.upload_time.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def latest_version(dists: list[Dist]) -> str:
    versions = {d.version for d in dists}
    finals = [v for v in versions if version_key(v)[1] == 0]
    return max(finals or versions, key=version_key)


def json_file(dist: Dist, base: str, yank: str | None = None) -> dict[str, Any]:
    return {
        "comment_text": "",
        "core-metadata": {"sha256": dist.metadata_sha256} if dist.is_wheel else False,
        "digests": {"blake2b_256": dist.blake2b_256, "md5": dist.md5, "sha256": dist.sha256},
        "downloads": -1,
        "filename": dist.filename,
        "has_sig": False,
        "md5_digest": dist.md5,
        "packagetype": dist.packagetype,
        "python_version": dist.python_tag,
        "requires_python": dist.requires_python,
        "size": dist.size,
        "upload_time": dist.upload_time.strftime("%Y-%m-%dT%H:%M:%S"),
        "upload_time_iso_8601": iso(dist),
        "url": base + dist.url_path,
        **json_api_fields(yank),
    }


def json_info(dist: Dist, base: str, yank: str | None = None) -> dict[str, Any]:
    project_url = f"{base}/project/{dist.project}/"
    return {
        "author": "",
        "author_email": "",
        "classifiers": [],
        "description": "",
        "description_content_type": None,
        "home_page": "",
        "license": "",
        "name": dist.name,
        "package_url": project_url,
        "project_url": project_url,
        "project_urls": None,
        "release_url": f"{project_url}{dist.version}/",
        "requires_dist": list(dist.requires_dist) or None,
        "requires_python": dist.requires_python,
        "summary": dist.summary,
        "version": dist.version,
        **json_api_fields(yank),
    }


def project_json(catalog: Catalog, project: str, base: str) -> dict[str, Any] | None:
    """/pypi/<project>/json"""
    dists = catalog.project_dists(project)
    if not dists:
        return None
    # PyPI's "latest" skips yanked releases while any other is left.
    latest = latest_version([d for d in dists if catalog.yank_reason(d) is None] or dists)
    releases: dict[str, list[dict[str, Any]]] = {}
    for version in sorted({d.version for d in dists}, key=version_key):
        releases[version] = [
            json_file(d, base, catalog.yank_reason(d)) for d in dists if d.version == version
        ]
    first_latest = next(d for d in dists if d.version == latest)
    return {
        "info": json_info(first_latest, base),
        "last_serial": catalog.project_serial(project),
        "releases": releases,
        "urls": releases[latest],
        "vulnerabilities": [],
    }


def version_json(catalog: Catalog, project: str, version: str, base: str) -> dict[str, Any] | None:
    """/pypi/<project>/<version>/json: like PyPI, without the "releases" key."""
    dists = [d for d in catalog.project_dists(project) if d.version == version]
    if not dists:
        return None
    yank = catalog.yank_reason(dists[0])
    return {
        "info": json_info(dists[0], base, yank),
        "last_serial": catalog.project_serial(project),
        "urls": [json_file(d, base, yank) for d in dists],
        "vulnerabilities": [],
    }


def simple_index_json(catalog: Catalog) -> dict[str, Any]:
    """PEP 691 root; "_last-serial" per project is what bandersnatch 7+ lists projects by."""
    return {
        "meta": {"api-version": SIMPLE_API_VERSION, "_last-serial": catalog.last_serial()},
        "projects": [
            {"name": dists[-1].name, "_last-serial": max(d.serial for d in dists)}
            for dists in catalog.projects().values()
        ],
    }


def simple_index_html(catalog: Catalog) -> str:
    links = "".join(
        f'    <a href="/simple/{project}/">{html.escape(project)}</a>\n'
        for project in catalog.projects()
    )
    return (
        "<!DOCTYPE html>\n<html>\n  <head>\n"
        '    <meta name="pypi:repository-version" content="1.1">\n'
        "    <title>Simple index</title>\n  </head>\n  <body>\n"
        f"{links}  </body>\n</html>\n<!--SERIAL {catalog.last_serial()}-->\n"
    )


def simple_project_json(catalog: Catalog, project: str, base: str) -> dict[str, Any] | None:
    dists = catalog.project_dists(project)
    if not dists:
        return None
    files = [
        {
            "filename": d.filename,
            "url": base + d.url_path,
            "hashes": {"sha256": d.sha256},
            "requires-python": d.requires_python,
            "core-metadata": {"sha256": d.metadata_sha256} if d.is_wheel else False,
            "size": d.size,
            "upload-time": iso(d),
            "yanked": simple_json_value(catalog.yank_reason(d)),
        }
        for d in sorted(dists, key=lambda d: d.filename)
    ]
    # Only PEP 714's "core-metadata": some pip releases crash on the legacy "dist-info-metadata".
    serial = catalog.project_serial(project)
    return {
        "meta": {"api-version": SIMPLE_API_VERSION, "_last-serial": serial},
        "name": dists[0].project,
        "files": files,
        "versions": sorted({d.version for d in dists}, key=version_key),
    }


def simple_project_html(catalog: Catalog, project: str, base: str) -> str | None:
    dists = catalog.project_dists(project)
    if not dists:
        return None
    links = []
    for d in sorted(dists, key=lambda d: d.filename):
        attrs = ""
        if d.is_wheel:
            attrs += f' data-dist-info-metadata="sha256={d.metadata_sha256}"'
            attrs += f' data-core-metadata="sha256={d.metadata_sha256}"'
        if d.requires_python:
            attrs += f' data-requires-python="{html.escape(d.requires_python)}"'
        attrs += html_attribute(catalog.yank_reason(d))
        href = f"{base}{d.url_path}#sha256={d.sha256}"
        links.append(f'    <a href="{href}"{attrs}>{d.filename}</a><br/>\n')
    return (
        "<!DOCTYPE html>\n<html>\n  <head>\n"
        '    <meta name="pypi:repository-version" content="1.1">\n'
        f"    <title>Links for {dists[0].project}</title>\n  </head>\n  <body>\n"
        f"    <h1>Links for {dists[0].project}</h1>\n"
        f"{''.join(links)}  </body>\n</html>\n"
        f"<!--SERIAL {catalog.project_serial(project)}-->\n"
    )


def changelog_since(catalog: Catalog, serial: int) -> list[list[Any]]:
    """XML-RPC changelog_since_serial rows: [name, version, timestamp, action, serial]."""
    rows = []
    for d in catalog.dists():
        if d.serial > serial:
            action = f"add {d.python_tag} file {d.filename}"
            rows.append([d.name, d.version, int(d.upload_time.timestamp()), action, d.serial])
    return rows
