"""A loopback CKAN Action API for harvest tests, replaying recorded CKAN answers.

``package_search`` pages over a list of package dicts (``start``/``rows`` honoured, or
ignored to play a broken server); other requests are answered from WireMock mappings
(``gdi-dataset-discovery-ckan-api``: request ``url`` / ``urlPattern`` / ``urlPath`` +
``queryParameters``, response ``status`` + ``jsonBody``), then 404 (an HTML page, as a
web server that is no CKAN would answer).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

API = "/api/3/action/"


@dataclass(frozen=True)
class Replayed:
    """One WireMock GET mapping: how it matches, and what it answers."""

    url: str | None
    pattern: re.Pattern[str] | None
    path: str | None
    query: dict[str, str]
    status: int
    body: Any

    def matches(self, path: str, query: str) -> bool:
        full = f"{path}?{query}" if query else path
        if self.url is not None:
            return full == self.url
        if self.pattern is not None:
            return self.pattern.fullmatch(full) is not None
        params = {k: v[0] for k, v in parse_qs(query).items()}
        return path == self.path and all(params.get(k) == v for k, v in self.query.items())


def wiremock_mappings(folder: Path) -> list[Replayed]:
    """The GET mappings of a WireMock folder. The GDI portal calls its extension's
    ``enhanced_package_show``, which answers like core ``package_show``: the replay
    answers the core action's URL with it."""
    found = []
    for path in sorted(folder.glob("*.json")):
        mapping = json.loads(path.read_text(encoding="utf-8"))
        request, response = mapping["request"], mapping["response"]
        if request.get("method") != "GET" or "jsonBody" not in response:
            continue

        def core(text: str | None) -> str | None:
            return text.replace("enhanced_package_", "package_") if text else text

        pattern = core(request.get("urlPattern"))
        query = {k: v["equalTo"] for k, v in request.get("queryParameters", {}).items()}
        found.append(Replayed(core(request.get("url")), re.compile(pattern) if pattern else None,
                              core(request.get("urlPath")), query, response.get("status", 200),
                              response["jsonBody"]))
    return found


@dataclass
class CkanServer:
    """The state of the fake site: what it pages over, what it replays, what it was asked."""

    packages: list[Mapping[str, Any]] = field(default_factory=list)
    count: int | None = None
    ignore_start: bool = False
    replay: list[Replayed] = field(default_factory=list)
    #: action name → (status, body) answered instead of the normal answer
    broken: dict[str, tuple[int, Any]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)
    root: str = ""

    def answer(self, path: str, query: str) -> tuple[int, bytes, str]:
        action = path[len(API):] if path.startswith(API) else None
        if action in self.broken:
            status, body = self.broken[action]
            return status, json.dumps(body).encode(), "application/json"
        if action == "package_search":
            params = {k: v[0] for k, v in parse_qs(query).items()}
            rows, start = int(params.get("rows", "10")), int(params.get("start", "0"))
            begin = 0 if self.ignore_start else start
            body = {"help": f"{self.root}api/3/action/help_show?name=package_search",
                    "success": True,
                    "result": {"count": len(self.packages) if self.count is None
                               else self.count,
                               "results": list(self.packages[begin:begin + rows])}}
            return 200, json.dumps(body).encode(), "application/json"
        for mapping in self.replay:
            if mapping.matches(path, query):
                return mapping.status, json.dumps(mapping.body).encode(), "application/json"
        return 404, b"<html><body>Not found</body></html>", "text/html"

    def searches(self) -> list[dict[str, str]]:
        return [params for path, params, _ in self.requests if path.endswith("package_search")]

    def shown(self) -> list[str]:
        return [params.get("id", "") for path, params, _ in self.requests
                if path.endswith("package_show")]


@contextmanager
def ckan_server(state: CkanServer) -> Iterator[CkanServer]:
    """Serve ``state`` on 127.0.0.1 (a free port) while the block runs."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            state.requests.append((parts.path, params, dict(self.headers.items())))
            status, body, media = state.answer(parts.path, parts.query)
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.root = f"http://127.0.0.1:{httpd.server_address[1]}/"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
