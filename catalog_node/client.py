"""How the CLI reaches the node: in-process when none runs, else through its admin routes.

``serve`` writes ``DATA/serve.json`` (pid and address) and a fresh ``DATA/admin.token``
(mode 0600). A CLI command that finds a live node there sends its job to it, since
pyoxigraph lets only one process open the store.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

import httpx
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

from catalog_node.errors import CatalogNodeError, NodeBusyError
from catalog_node.node import Node
from catalog_node.pipeline import Progress
from catalog_node.rdf.formats import syntax_named
from catalog_node.settings import Settings
from harvesters.base import SourceConfig
from harvesters.files import FileSource


class NodeAPI(Protocol):
    """The node's services as the CLI uses them, with plain data in and out."""

    where: str

    def load(self, paths: list[Path], catalog: str, input_format: str | None, demo: bool,
             progress: Progress, validate: bool = True) -> dict[str, Any]: ...
    def check(self, repair: bool) -> dict[str, Any]: ...
    def stats(self) -> dict[str, Any]: ...
    def sparql(self, query: str) -> tuple[str, bytes]: ...
    def export(self, fmt: str, output: IO[bytes], progress: Progress) -> None: ...
    def validation_summary(self, progress: Progress) -> list[dict[str, Any]]: ...
    def quality(self, check_urls: bool, progress: Progress) -> dict[str, Any]: ...
    def add_source(self, source: dict[str, Any]) -> dict[str, Any]: ...
    def sources(self) -> list[dict[str, Any]]: ...
    def remove_source(self, name: str) -> dict[str, Any]: ...
    def harvest(self, name: str, conditional: bool, progress: Progress,
                validate: bool = True) -> dict[str, Any]: ...
    def runs(self, source: str | None, limit: int) -> list[dict[str, Any]]: ...
    def run_report(self, run_id: int, records: bool) -> dict[str, Any]: ...
    def record_history(self, iri: str) -> dict[str, Any]: ...


class LocalNodeAPI:
    """The services run in this process, on a node opened here."""

    where = "in-process"

    def __init__(self, node: Node):
        self.node = node

    def load(self, paths: list[Path], catalog: str, input_format: str | None, demo: bool,
             progress: Progress, validate: bool = True) -> dict[str, Any]:
        if demo:
            report = self.node.load_demo(progress).to_dict()
        else:
            documents = list(FileSource(paths, input_format).documents())
            report = self.node.load(documents, catalog, progress).to_dict()
        # Nothing else will drain the queue once this process exits: validate now.
        try:
            report["validated"] = self.node.validate_pending(progress) if validate else 0
        except CatalogNodeError as exc:  # the records are stored; they stay pending
            report["validated"] = 0
            report["validation_error"] = exc.to_dict()
        return report

    def check(self, repair: bool) -> dict[str, Any]:
        return (self.node.repair() if repair else self.node.check()).to_dict()

    def stats(self) -> dict[str, Any]:
        return self.node.stats()

    def sparql(self, query: str) -> tuple[str, bytes]:
        result = self.node.sparql(query)
        if isinstance(result, QuerySolutions | QueryBoolean):
            return ("application/sparql-results+json",
                    result.serialize(format=QueryResultsFormat.JSON))
        return "application/n-triples", result.serialize(format=RdfFormat.N_TRIPLES)

    def export(self, fmt: str, output: IO[bytes], progress: Progress) -> None:
        self.node.export(syntax_named(fmt), output, progress)

    def validation_summary(self, progress: Progress) -> list[dict[str, Any]]:
        self.node.validate_pending(progress)
        return self.node.validation_summary()

    def quality(self, check_urls: bool, progress: Progress) -> dict[str, Any]:
        self.node.validate_pending(progress)
        return self.node.quality(check_urls, progress)

    def add_source(self, source: dict[str, Any]) -> dict[str, Any]:
        return self.node.add_source(SourceConfig(**source))

    def sources(self) -> list[dict[str, Any]]:
        return self.node.sources()

    def remove_source(self, name: str) -> dict[str, Any]:
        return self.node.remove_source(name)

    def harvest(self, name: str, conditional: bool, progress: Progress,
                validate: bool = True) -> dict[str, Any]:
        report = self.node.harvest(name, conditional, progress)
        if validate and report.get("committed"):
            try:  # nothing else validates once this process exits
                self.node.validate_pending(progress)
            except CatalogNodeError as exc:
                report["validation_error"] = exc.to_dict()
            report.update({k: v for k, v in self.node.run_report(int(report["run"])).items()
                           if k in ("invalid", "validation_pending")})
        return report

    def runs(self, source: str | None, limit: int) -> list[dict[str, Any]]:
        return self.node.runs(source, limit)

    def run_report(self, run_id: int, records: bool) -> dict[str, Any]:
        return self.node.run_report(run_id, records)

    def record_history(self, iri: str) -> dict[str, Any]:
        return self.node.record_history(iri)


class RemoteNodeAPI:
    """The services of a node serving on loopback, through its admin routes."""

    def __init__(self, url: str, token: str):
        self.where = f"through the node at {url}"
        self._client = httpx.Client(base_url=url, timeout=httpx.Timeout(30, read=None),
                                    headers={"Authorization": f"Bearer {token}"})

    def _fail(self, response: httpx.Response) -> None:
        if response.is_success:
            return
        try:
            detail = response.json()
        except ValueError:
            detail = {"message": response.text}
        error = CatalogNodeError(str(detail.get("message") or detail.get("detail")),
                                 place=detail.get("place"), hint=detail.get("hint"))
        raise error

    def load(self, paths: list[Path], catalog: str, input_format: str | None, demo: bool,
             progress: Progress, validate: bool = True) -> dict[str, Any]:
        # The serving node validates in the background whatever ``validate`` says.
        job = {"paths": [str(p.resolve()) for p in paths], "catalog": catalog,
               "input_format": input_format, "demo": demo}
        return self._events("POST", "/admin/load", progress, json=job)

    def check(self, repair: bool) -> dict[str, Any]:
        response = self._client.post("/admin/check", params={"repair": str(repair).lower()})
        self._fail(response)
        return response.json()

    def stats(self) -> dict[str, Any]:
        response = self._client.get("/admin/stats")
        self._fail(response)
        return response.json()

    def validation_summary(self, progress: Progress) -> list[dict[str, Any]]:
        # The serving node validates in the background; this reports where it stands.
        response = self._client.get("/admin/validation")
        self._fail(response)
        return response.json()

    def quality(self, check_urls: bool, progress: Progress) -> dict[str, Any]:
        response = self._client.post("/admin/quality",
                                     params={"check_urls": str(check_urls).lower()},
                                     timeout=None)
        self._fail(response)
        return response.json()

    def _events(self, method: str, path: str, progress: Progress, **kwargs: Any
                ) -> dict[str, Any]:
        """Follow an NDJSON job stream: progress events, then its result or error."""
        with self._client.stream(method, path, **kwargs) as response:
            if not response.is_success:
                response.read()
                self._fail(response)
            for line in response.iter_lines():
                event = json.loads(line)
                if event["event"] == "progress":
                    progress(event["stage"], event["done"], event["total"])
                elif event["event"] == "result":
                    return event["result"]
                elif event["event"] == "error":
                    e = event["error"]
                    raise CatalogNodeError(e["message"], place=e.get("place"),
                                           hint=e.get("hint"))
        raise CatalogNodeError("the node closed the job without a result")

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._client.request(method, path, **kwargs)
        self._fail(response)
        return response.json()

    def add_source(self, source: dict[str, Any]) -> dict[str, Any]:
        return self._json("POST", "/admin/sources", json=source)

    def sources(self) -> list[dict[str, Any]]:
        return self._json("GET", "/admin/sources")

    def remove_source(self, name: str) -> dict[str, Any]:
        return self._json("DELETE", f"/admin/sources/{name}")

    def harvest(self, name: str, conditional: bool, progress: Progress,
                validate: bool = True) -> dict[str, Any]:
        # The serving node validates in the background whatever ``validate`` says.
        return self._events("POST", f"/admin/harvest/{name}", progress,
                            params={"conditional": str(conditional).lower()})

    def runs(self, source: str | None, limit: int) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": limit}
        if source:
            params["source"] = source
        return self._json("GET", "/admin/runs", params=params)

    def run_report(self, run_id: int, records: bool) -> dict[str, Any]:
        return self._json("GET", f"/admin/runs/{run_id}",
                          params={"records": str(records).lower()})

    def record_history(self, iri: str) -> dict[str, Any]:
        return self._json("GET", "/admin/history", params={"iri": iri})

    def sparql(self, query: str) -> tuple[str, bytes]:
        response = self._client.post("/admin/sparql", content=query.encode())
        self._fail(response)
        return response.headers["content-type"].split(";")[0], response.content

    def export(self, fmt: str, output: IO[bytes], progress: Progress) -> None:
        with self._client.stream("GET", "/admin/export", params={"format": fmt}) as response:
            if not response.is_success:
                response.read()
                self._fail(response)
            received = 0
            for chunk in response.iter_bytes():
                output.write(chunk)
                received += len(chunk)
                progress("receive", received, None)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_node(settings: Settings, wait: float = 10.0) -> RemoteNodeAPI | None:
    """The node serving this data directory, if one runs; None when none does."""
    try:
        info = json.loads(settings.lock_path.read_text(encoding="utf-8"))
        pid, url = int(info["pid"]), str(info["admin_url"])
    except (OSError, ValueError, KeyError):
        return None
    if pid == os.getpid() or not _alive(pid):
        return None
    deadline = time.monotonic() + wait
    while True:
        try:
            token = settings.token_path.read_text(encoding="utf-8").strip()
            if httpx.get(f"{url}/health", timeout=2).is_success:
                return RemoteNodeAPI(url, token)
        except (OSError, httpx.HTTPError):
            pass
        if time.monotonic() > deadline or not _alive(pid):
            break
        time.sleep(0.2)
    if _alive(pid):
        raise NodeBusyError(f"a node (pid {pid}) owns this data directory but does not answer "
                            f"at {url}", place=str(settings.data_dir),
                            hint="wait for it to start, or stop it")
    return None


@contextmanager
def connect(settings: Settings) -> Iterator[NodeAPI]:
    """The running node's API if there is one, else a node opened in this process."""
    remote = running_node(settings)
    if remote is not None:
        yield remote
        return
    with Node(settings) as node:
        yield LocalNodeAPI(node)
