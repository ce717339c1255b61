"""Renderers: the same data as HTML (Jinja2) or as RDF in the negotiated syntax."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates
from pyoxigraph import Quad, serialize

from catalog_node.model.iris import IriMinter
from catalog_node.namespaces import PREFIXES
from catalog_node.node import Node
from catalog_node.rdf.formats import Syntax
from catalog_node.web.i18n import translator

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def local_href(minter: IriMinter, dataset_iri: str, record_iri: str) -> str:
    """A server-relative link to a dataset page: its own IRI when minted here, else its record."""
    iri = dataset_iri if minter.is_minted(dataset_iri) else record_iri
    return "/" + iri[len(minter.base):]


templates.env.filters["local_href"] = local_href


def rdf_response(quads: Iterable[Quad], syntax: Syntax, status_code: int = 200) -> Response:
    """Serialise quads (graphs merged for triple syntaxes) as a response body."""
    items = list(quads)
    data = items if syntax.keeps_graphs else list(dict.fromkeys(q.triple for q in items))
    body = serialize(data, format=syntax.rdf_format, prefixes=PREFIXES)
    return Response(body, status_code=status_code,
                    media_type=syntax.media_type + ("; charset=utf-8"
                                                    if syntax.name != "rdfxml" else ""),
                    headers={"Vary": "Accept"})


def html_response(request: Request, template: str, lang: str, context: dict[str, Any],
                  status_code: int = 200) -> HTMLResponse:
    """Render a page; every page gets the reader's language and the translator."""
    full = {"lang": lang, "t": translator(lang), "request": request, **context}
    response = templates.TemplateResponse(request, template, full, status_code=status_code)
    response.headers["Vary"] = "Accept, Accept-Language"
    return response


def streamed_export(node: Node, syntax: Syntax) -> StreamingResponse:
    """The whole catalogue, streamed through a pipe: a thread serialises, the response reads.

    Nothing is held in memory beyond a pipe's worth, whatever the catalogue's size.
    """
    read_fd, write_fd = os.pipe()

    def produce() -> None:
        with os.fdopen(write_fd, "wb") as sink, contextlib.suppress(BrokenPipeError):
            node.export(syntax, sink)

    threading.Thread(target=produce, name="export", daemon=True).start()

    def chunks() -> Iterator[bytes]:
        with os.fdopen(read_fd, "rb") as source:
            while chunk := source.read(1 << 16):
                yield chunk

    charset = "" if syntax.name == "rdfxml" else "; charset=utf-8"
    return StreamingResponse(chunks(), media_type=syntax.media_type + charset,
                             headers={"Vary": "Accept"})
