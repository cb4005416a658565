#!/usr/bin/env python3
"""A stand-in for pypi.org on loopback, for tests that have no internet.

Serves the wheels of one directory the way PyPI does, enough for bandersnatch 6.x (XML-RPC +
JSON API), bandersnatch 7.x/8.x (PEP 691 JSON simple index + JSON API), pip and uv:

  POST /pypi                          XML-RPC: list_packages_with_serial, changelog_since_serial,
                                      changelog_last_serial, list_packages
  GET  /pypi/<project>/json           JSON API, X-PyPI-Last-Serial header
  GET  /pypi/<project>/<version>/json
  GET  /simple/ , /simple/<project>/  PEP 503 HTML or PEP 691 JSON, by Accept (or ?format=)
  GET  /packages/xx/yy/<rest>/<file>  the files, and <file>.metadata (PEP 658)

Licences, yanks and advisories of the JSON API come from `--advisories FILE` (advisories.py).

Usage: server.py --wheels DIR [--host 127.0.0.1] [--port 0] [--advisories FILE]
The first line on stdout is the bound port. Requests are logged to stderr.
"""

import argparse
import json
import re
import sys
import threading
import time
import xmlrpc.client
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xmlrpc.server import SimpleXMLRPCDispatcher

sys.path.insert(0, str(Path(__file__).resolve().parent))

from advisories import Advisories, apply_overlay
from catalog import Catalog
from views import (
    changelog_since,
    project_json,
    simple_index_html,
    simple_index_json,
    simple_project_html,
    simple_project_json,
    version_json,
)

LOG_LOCK = threading.Lock()
JSON_V1 = "application/vnd.pypi.simple.v1+json"
HTML_V1 = "application/vnd.pypi.simple.v1+html"
# Accepted media type -> what we answer with, in our order of preference for ties.
SIMPLE_TYPES = {
    JSON_V1: JSON_V1,
    "application/vnd.pypi.simple.latest+json": JSON_V1,
    HTML_V1: HTML_V1,
    "application/vnd.pypi.simple.latest+html": HTML_V1,
    "text/html": "text/html",
    "*/*": "text/html",
}


def negotiate(accept: str | None, fmt: str | None) -> str | None:
    """PEP 691 content negotiation; None means 406."""
    if fmt:
        return SIMPLE_TYPES.get(fmt)
    if not accept:
        return "text/html"
    offers: list[tuple[float, int, str]] = []
    for item in accept.split(","):
        media, *params = [p.strip() for p in item.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media in SIMPLE_TYPES and q > 0:
            offers.append((q, -list(SIMPLE_TYPES).index(media), SIMPLE_TYPES[media]))
    return max(offers)[2] if offers else None


def make_dispatcher(catalog: Catalog) -> SimpleXMLRPCDispatcher:
    dispatcher = SimpleXMLRPCDispatcher(allow_none=True)

    def list_packages_with_serial() -> dict[str, int]:
        projects = catalog.projects().values()
        return {dists[-1].name: max(d.serial for d in dists) for dists in projects}

    def list_packages() -> list[str]:
        return [dists[-1].name for dists in catalog.projects().values()]

    def changelog_since_serial(serial: int = 0) -> list[list[Any]]:
        return changelog_since(catalog, serial)

    for function in (list_packages_with_serial, list_packages, changelog_since_serial):
        dispatcher.register_function(function)
    dispatcher.register_function(catalog.last_serial, "changelog_last_serial")
    return dispatcher


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pypi-standin/1"
    catalog: Catalog
    advisories: Advisories = Advisories(None)
    dispatcher: SimpleXMLRPCDispatcher
    rpc_method = ""
    file_delay = 0.0

    def base_url(self) -> str:
        host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        return f"http://{host}"

    def send(
        self, status: int, body: bytes, content_type: str, headers: dict | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, str(value))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, data: Any, content_type: str = "application/json", serial: int = 0) -> None:
        headers = {"X-PyPI-Last-Serial": serial, "Vary": "Accept"}
        self.send(200, json.dumps(data, indent=1).encode(), content_type, headers)

    def not_found(self) -> None:
        self.send(404, b"Not Found\n", "text/plain")

    def do_POST(self) -> None:
        if self.path.rstrip("/") not in ("/pypi", "/RPC2"):
            return self.not_found()
        self.catalog.refresh()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            self.rpc_method = xmlrpc.client.loads(body)[1] or ""
        except Exception:  # noqa: BLE001 - any body that is no XML-RPC call is logged as "?"
            self.rpc_method = "?"
        response = self.dispatcher._marshaled_dispatch(body)
        headers = {"X-PyPI-Last-Serial": self.catalog.last_serial()}
        self.send(200, response, "text/xml; charset=utf-8", headers)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        self.rpc_method = ""
        self.catalog.refresh()
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        if match := re.fullmatch(r"/pypi/([^/]+)/json/?", path):
            return self.pypi_json(match[1])
        if match := re.fullmatch(r"/pypi/([^/]+)/([^/]+)/json/?", path):
            return self.pypi_version_json(match[1], match[2])
        if re.fullmatch(r"/simple/?", path):
            return self.simple(None, query)
        if match := re.fullmatch(r"/simple/([^/]+)/?", path):
            return self.simple(match[1], query)
        if match := re.fullmatch(r"/packages/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]+/([^/]+)", path):
            return self.package_file(path, match[1])
        if path == "/_standin/mark":
            # Lets a test know every request before this one is in the log (see pypi-standin.ts).
            return self.send(200, b"ok\n", "text/plain")
        if path == "/":
            return self.send(200, b"pypi stand-in: see /simple/\n", "text/plain")
        self.not_found()

    def pypi_json(self, project: str) -> None:
        data = project_json(self.catalog, project, self.base_url())
        if data is None:
            return self.not_found()
        self.send_json(apply_overlay(data, self.advisories), serial=data["last_serial"])

    def pypi_version_json(self, project: str, version: str) -> None:
        data = version_json(self.catalog, project, version, self.base_url())
        if data is None:
            return self.not_found()
        self.send_json(apply_overlay(data, self.advisories), serial=data["last_serial"])

    def simple(self, project: str | None, query: dict[str, list[str]]) -> None:
        answer = negotiate(self.headers.get("Accept"), (query.get("format") or [None])[0])
        if answer is None:
            return self.send(406, b"Not Acceptable\n", "text/plain")
        serial = self.catalog.project_serial(project) if project else self.catalog.last_serial()
        if answer == JSON_V1:
            data = (
                simple_index_json(self.catalog)
                if project is None
                else simple_project_json(self.catalog, project, self.base_url())
            )
            if data is None:
                return self.not_found()
            return self.send_json(data, JSON_V1, serial)
        page = (
            simple_index_html(self.catalog)
            if project is None
            else simple_project_html(self.catalog, project, self.base_url())
        )
        if page is None:
            return self.not_found()
        headers = {"X-PyPI-Last-Serial": serial, "Vary": "Accept"}
        self.send(200, page.encode(), f"{answer}; charset=utf-8", headers)

    def package_file(self, path: str, filename: str) -> None:
        want_metadata = filename.endswith(".metadata")
        dist = self.catalog.by_filename(filename.removesuffix(".metadata"))
        if dist is None or path.removesuffix(".metadata") != dist.url_path:
            return self.not_found()
        if want_metadata and not dist.is_wheel:
            return self.not_found()
        if want_metadata:
            return self.send(200, dist.metadata, "binary/octet-stream")
        # A slow link for files only, so a test can catch a sync in the middle.
        time.sleep(self.file_delay)
        try:
            body = (self.catalog.wheels_dir / dist.filename).read_bytes()
        except FileNotFoundError:
            return self.not_found()
        self.send(200, body, "binary/octet-stream")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        rpc = f" rpc={self.rpc_method}" if self.rpc_method else ""
        accept = self.headers.get("Accept", "") if self.headers else ""
        log_line(f'standin: {self.command} {self.path} {code}{rpc} accept="{accept}"')

    def log_message(self, format: str, *args: Any) -> None:
        log_line(f"standin-error: {format % args}")


def log_line(line: str) -> None:
    # One write per line under a lock: the handler threads must not interleave their lines.
    with LOG_LOCK:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", required=True, type=Path, help="directory of .whl files")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=0, type=int, help="0 picks a free port")
    parser.add_argument("--file-delay", default=0.0, type=float, help="seconds to wait before each file")
    parser.add_argument("--advisories", type=Path, help="licences, yanks, vulnerabilities (JSON)")
    args = parser.parse_args()
    Handler.file_delay = args.file_delay
    Handler.advisories = Advisories(args.advisories)

    Handler.catalog = Catalog(args.wheels)
    Handler.dispatcher = make_dispatcher(Handler.catalog)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
