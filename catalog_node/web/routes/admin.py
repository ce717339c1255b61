"""Admin routes: how the CLI writes through a running node. Loopback and token only."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import queue
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

from catalog_node.errors import CatalogNodeError
from catalog_node.node import Node
from catalog_node.rdf.formats import syntax_named
from catalog_node.web.render import streamed_export
from harvesters.base import SourceConfig
from harvesters.files import FileSource


def require_admin(request: Request) -> Node:
    """Refuse anyone but a loopback client bearing the node's local token."""
    client = request.client.host if request.client else ""
    try:
        loopback = ipaddress.ip_address(client).is_loopback
    except ValueError:
        loopback = client in {"testclient", "localhost"}
    if not loopback:
        raise HTTPException(403, "admin routes answer loopback clients only")
    expected = request.app.state.admin_token
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not expected or not secrets.compare_digest(given, expected):
        raise HTTPException(401, "missing or wrong admin token (see DATA/admin.token)")
    return request.app.state.node


router = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)],
                   include_in_schema=False)


class LoadJob(BaseModel):
    paths: list[str] = []
    catalog: str = "local"
    input_format: str | None = None
    demo: bool = False


def _events(job: Any) -> Iterator[bytes]:
    """Run ``job(progress)`` in a thread; stream its progress and result as NDJSON."""
    events: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=1000)

    def progress(stage: str, done: int, total: int | None) -> None:
        with contextlib.suppress(queue.Full):
            events.put_nowait({"event": "progress", "stage": stage, "done": done,
                               "total": total})

    def run() -> None:
        try:
            result = job(progress)
            events.put({"event": "result", "result": result})
        except CatalogNodeError as exc:
            events.put({"event": "error", "error": exc.to_dict()})
        except Exception as exc:  # reported to the client, never swallowed silently
            events.put({"event": "error", "error": {"error": type(exc).__name__,
                                                    "message": str(exc)}})
        finally:
            events.put(None)

    threading.Thread(target=run, name="admin-job", daemon=True).start()
    while (event := events.get()) is not None:
        yield (json.dumps(event, ensure_ascii=False) + "\n").encode()


@router.post("/load")
def load(job: LoadJob, node: Node = Depends(require_admin)) -> StreamingResponse:
    def run(progress: Any) -> dict[str, object]:
        if job.demo:
            return node.load_demo(progress).to_dict()
        source = FileSource([Path(p) for p in job.paths], job.input_format)
        documents = list(source.documents())
        return node.load(documents, job.catalog, progress).to_dict()

    return StreamingResponse(_events(run), media_type="application/x-ndjson")


class SourceJob(BaseModel):
    name: str
    url: str
    type: str
    catalog: str
    schedule: str | None = None
    grace_days: int = 7
    max_bytes: int = 50 * 1024 * 1024
    allow_private: bool = False
    credential: str | None = None
    options: dict[str, str] = {}


def _answer(call: Any) -> Any:
    """Run a service call; a CatalogNodeError becomes a JSON error naming its place."""
    try:
        return call()
    except CatalogNodeError as exc:
        status = 404 if exc.exit_code == 1 else 400
        return JSONResponse(exc.to_dict(), status_code=status)


@router.post("/sources")
def add_source(job: SourceJob, node: Node = Depends(require_admin)) -> Any:
    return _answer(lambda: node.add_source(SourceConfig(**job.model_dump())))


@router.get("/sources")
def sources(node: Node = Depends(require_admin)) -> list[dict[str, object]]:
    return node.sources()


@router.delete("/sources/{name}")
def remove_source(name: str, node: Node = Depends(require_admin)) -> Any:
    return _answer(lambda: node.remove_source(name))


@router.post("/harvest/{name}")
def harvest(name: str, conditional: bool = True,
            node: Node = Depends(require_admin)) -> StreamingResponse:
    return StreamingResponse(_events(lambda progress: node.harvest(name, conditional,
                                                                    progress)),
                             media_type="application/x-ndjson")


@router.get("/runs")
def runs(source: str | None = None, limit: int = 20,
         node: Node = Depends(require_admin)) -> list[dict[str, object]]:
    return node.runs(source, min(limit, 1000))


@router.get("/runs/{run_id}")
def run_report(run_id: int, records: bool = False, node: Node = Depends(require_admin)) -> Any:
    return _answer(lambda: node.run_report(run_id, records))


@router.get("/history")
def history(iri: str, node: Node = Depends(require_admin)) -> Any:
    return _answer(lambda: node.record_history(iri))


@router.post("/check")
def check(repair: bool = False, node: Node = Depends(require_admin)) -> dict[str, object]:
    return (node.repair() if repair else node.check()).to_dict()


@router.get("/stats")
def stats(node: Node = Depends(require_admin)) -> dict[str, object]:
    return node.stats()


@router.get("/validation")
def validation(node: Node = Depends(require_admin)) -> list[dict[str, object]]:
    return node.validation_summary()


@router.post("/quality")
def quality(check_urls: bool = False, node: Node = Depends(require_admin)) -> dict[str, object]:
    return node.quality(check_urls)


@router.post("/sparql")
async def sparql(request: Request, node: Node = Depends(require_admin)) -> Response:
    query = (await request.body()).decode("utf-8")
    result = node.sparql(query)
    if isinstance(result, QuerySolutions | QueryBoolean):
        body = result.serialize(format=QueryResultsFormat.JSON)
        return Response(body, media_type="application/sparql-results+json")
    return Response(result.serialize(format=RdfFormat.N_TRIPLES),
                    media_type="application/n-triples")


@router.get("/export")
def export(format: str = "trig", node: Node = Depends(require_admin)) -> StreamingResponse:
    return streamed_export(node, syntax_named(format))
