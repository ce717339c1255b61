#!/usr/bin/env python3
"""A Hydra-paged DCAT endpoint on loopback, for harvester tests and benchmarks.

    python bench/paged_endpoint.py FILE [--page-size 1000] [--design view|paged] [--port 0]

``start(catalogue, …)`` serves a catalogue in pages of ``page_size`` datasets at
``{url}`` = ``http://127.0.0.1:PORT/catalog`` (page 1), ``…/catalog?page=N`` after it, in
either Hydra design: ``design="view"`` (a ``hydra:PartialCollectionView`` with IRI
``hydra:next`` links) or ``design="paged"`` (a legacy ``hydra:PagedCollection`` with
``hydra:nextPage`` literals, as CKAN and udata write them). Each page holds the
catalogue's prefixes, the catalogue node linking the page's datasets, the Hydra
statements and the dataset blocks as they are in the source.

A catalogue is a list of dataset blocks (Turtle or N-Triples text, each starting with the
dataset's ``a dcat:Dataset`` statement) or a file split by dataset — the output of
``bench/generate.py`` in either format. A file is indexed, not loaded: only each block's
offset, length and ``dct:modified`` are kept (about 24 bytes per dataset), blocks are
read from disk per request, so 100,000 datasets of ~75 triples are served in a few tens
of MB.

Switches: ``conditional`` (weak ``ETag`` and ``Last-Modified``, 304 answers),
``modified_since`` (a ``hydra:search`` IRI template on every page and the
``?modified_since=`` filter on ``dct:modified``), ``gzip`` (``Content-Encoding: gzip``
when the client accepts it), ``relative_links`` (next links relative to the page URL).
Hooks for tests: ``fail={3: (500, 1)}`` answers page 3 with a 500 once (``0`` times =
always), ``loop={4: 2}`` makes page 4's next link point back to page 2, ``corrupt={5}``
serves page 5 with a syntax error. ``requests`` records every request and its status.

``start_static(documents)`` serves fixed documents by path (query included), with
``ETag`` / 304 when a document has one: for tests that serve corpus files.
"""

from __future__ import annotations

import argparse
import bisect
import gzip as gzip_module
import hashlib
import os
import re
import sys
import threading
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, quote, urlsplit

Design = Literal["view", "paged"]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
HYDRA = "http://www.w3.org/ns/hydra/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DEFAULT_CATALOG = "https://bench.catalog-node.test/catalog"

_DATASET_START = re.compile(
    rb"^<([^>\s]+)>\s+(?:a\s+dcat:Dataset\b|<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>"
    rb"\s+<http://www\.w3\.org/ns/dcat#Dataset>)", re.MULTILINE)
_CATALOG_START = re.compile(
    rb"^<([^>\s]+)>\s+(?:a\s+dcat:Catalog\b|<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>"
    rb"\s+<http://www\.w3\.org/ns/dcat#Catalog>)", re.MULTILINE)
_MODIFIED = re.compile(rb'(?:dct:modified|dcterms:modified|<http://purl\.org/dc/terms/modified>)'
                       rb'\s+"([^"]+)"')
_DIRECTIVE = re.compile(rb"^[ \t]*(?:@prefix|@base|PREFIX|BASE)\b[^\n]*\n?",
                        re.MULTILINE | re.IGNORECASE)
_CHUNK = 16 << 20


# -- the catalogue ----------------------------------------------------------------------

class Catalogue:
    """Dataset blocks in order, in memory or indexed in a file, with their modification times."""

    def __init__(self, header: bytes, catalog_iri: str, modified: array,
                 blocks: list[bytes] | None = None, path: Path | None = None,
                 offsets: array | None = None):
        self.header = header
        self.catalog_iri = catalog_iri
        self.modified = modified  # epoch seconds, -1 when unknown
        self._blocks = blocks
        self._offsets = offsets  # start of block i; one more entry: the end of the last
        self._fd = os.open(path, os.O_RDONLY) if path is not None else None

    @classmethod
    def from_blocks(cls, blocks: Sequence[str], *, prefixes: str = "",
                    catalog_iri: str = DEFAULT_CATALOG) -> Catalogue:
        encoded = [block.encode() if block.endswith("\n") else (block + "\n").encode()
                   for block in blocks]
        modified = array("d", (_modified_of(block) for block in encoded))
        return cls(prefixes.encode(), catalog_iri, modified, blocks=encoded)

    @classmethod
    def from_file(cls, path: str | Path) -> Catalogue:
        """Index a file whose datasets are contiguous blocks (``bench/generate.py`` output)."""
        path = Path(path)
        starts, modified = array("q"), array("d")
        header = b""
        catalog_iri = DEFAULT_CATALOG
        with path.open("rb") as stream:
            base, carry = 0, b""
            while chunk := stream.read(_CHUNK):
                text = carry + chunk
                cut = text.rfind(b"\n") + 1 or len(text)
                text, carry = text[:cut], text[cut:]
                for match in _DATASET_START.finditer(text):
                    if not starts:
                        header += text[:match.start()]
                    starts.append(base + match.start())
                    modified.append(-1.0)
                if not starts:
                    header += text
                for match in _MODIFIED.finditer(text):
                    _assign_modified(starts, modified, base + match.start(), match.group(1))
                base += len(text)
            if carry:
                base += len(carry)
        starts.append(base)
        if found := _CATALOG_START.search(header):
            catalog_iri = found.group(1).decode()
        prefixes = b"".join(m.group(0).rstrip(b"\n") + b"\n" for m in _DIRECTIVE.finditer(header))
        return cls(prefixes, catalog_iri, modified, path=path, offsets=starts)

    def __len__(self) -> int:
        return len(self.modified)

    def block(self, index: int) -> bytes:
        if self._blocks is not None:
            return self._blocks[index]
        assert self._offsets is not None and self._fd is not None
        start, end = self._offsets[index], self._offsets[index + 1]
        return os.pread(self._fd, end - start, start)

    def iri(self, index: int, block: bytes | None = None) -> str:
        """The IRI of dataset ``index`` (``block``: its bytes, when already read)."""
        match = _DATASET_START.match((block or self.block(index))[:4096])
        return match.group(1).decode() if match else f"{self.catalog_iri}#dataset-{index}"

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _modified_of(block: bytes) -> float:
    match = _MODIFIED.search(block)
    return _epoch(match.group(1)) if match else -1.0


def _assign_modified(starts: array, modified: array, at: int, value: bytes) -> None:
    """Give the block holding offset ``at`` its first ``dct:modified`` (the dataset's own)."""
    index = bisect.bisect_right(starts, at) - 1
    if index >= 0 and modified[index] < 0:
        modified[index] = _epoch(value)


def _epoch(value: bytes | str) -> float:
    text = value.decode() if isinstance(value, bytes) else value
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return -1.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


# -- pages ------------------------------------------------------------------------------

@dataclass
class Settings:
    page_size: int = 100
    design: Design = "view"
    conditional: bool = True
    modified_since: bool = True
    gzip: bool = True
    relative_links: bool = False
    fail: dict[int, tuple[int, int]] = field(default_factory=dict)
    loop: dict[int, int] = field(default_factory=dict)
    corrupt: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class RequestRecord:
    """One request answered: its path, the status, its headers and the answer's (lower case)."""

    path: str
    status: int
    headers: dict[str, str]
    sent: dict[str, str]


class _Listing:
    """The datasets of one listing (all, or those changed since a date), in pages."""

    def __init__(self, catalogue: Catalogue, since: str | None, page_size: int):
        self.since = since
        if since is None:
            self.indices: Sequence[int] = range(len(catalogue))
        else:
            limit = _epoch(since)
            self.indices = array("q", (i for i, m in enumerate(catalogue.modified)
                                       if m < 0 or m >= limit))
        self.pages = max(1, -(-len(self.indices) // page_size))


def _nt(subject: str, predicate: str, obj: str) -> bytes:
    return f"{subject} <{predicate}> {obj} .\n".encode()


def _literal(value: str | int, datatype: str | None = None) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"' + (f"^^<{datatype}>" if datatype else "")


class _Server(ThreadingHTTPServer):
    """A threaded loopback server that records every request it answers."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]):
        super().__init__(address, handler)
        self.requests: list[RequestRecord] = []


class PagedServer(_Server):
    def __init__(self, address: tuple[str, int], catalogue: Catalogue, settings: Settings):
        super().__init__(address, _PagedHandler)
        self.catalogue = catalogue
        self.settings = settings
        self.started = datetime.now(UTC).replace(microsecond=0)
        self._failures: dict[int, int] = {}
        self._listings: dict[str | None, _Listing] = {}
        self._lock = threading.Lock()

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def listing(self, since: str | None) -> _Listing:
        with self._lock:
            if since not in self._listings:
                self._listings[since] = _Listing(self.catalogue, since, self.settings.page_size)
            return self._listings[since]

    def should_fail(self, page: int) -> int | None:
        rule = self.settings.fail.get(page)
        if rule is None:
            return None
        status, times = rule
        with self._lock:
            done = self._failures.get(page, 0)
            if times and done >= times:
                return None
            self._failures[page] = done + 1
        return status

    def page_url(self, page: int, since: str | None = None, relative: bool = False) -> str:
        query = [f"modified_since={quote(since, safe='')}"] if since else []
        query.append(f"page={page}")
        return ("" if relative else f"{self.base}/catalog") + "?" + "&".join(query)

    def render(self, listing: _Listing, page: int) -> tuple[bytes, float]:
        """The page's bytes and the latest modification time of its datasets."""
        settings, catalogue = self.settings, self.catalogue
        size = settings.page_size
        chosen = listing.indices[(page - 1) * size: page * size]
        cat = f"<{catalogue.catalog_iri}>"
        here = f"<{self.page_url(page, listing.since)}>"
        out = [catalogue.header, b"\n", _nt(cat, RDF_TYPE, f"<{DCAT}Catalog>")]
        blocks = [catalogue.block(i) for i in chosen]
        out += [_nt(cat, DCAT + "dataset", f"<{catalogue.iri(i, block)}>")
                for i, block in zip(chosen, blocks, strict=True)]
        out += self._hydra(cat, here, listing, page)
        if page in settings.corrupt:
            out.append(b"<this-page-is-broken\n")
        out += blocks
        latest = max((catalogue.modified[i] for i in chosen), default=-1.0)
        return b"".join(out), latest

    def _hydra(self, cat: str, here: str, listing: _Listing, page: int) -> list[bytes]:
        settings = self.settings
        target = settings.loop.get(page, page + 1 if page < listing.pages else None)
        relative = settings.relative_links

        def link(n: int) -> str:
            url = self.page_url(n, listing.since, relative)
            return f"<{url}>" if settings.design == "view" else _literal(url)

        total = _literal(len(listing.indices), XSD + "integer")
        if settings.design == "view":
            lines = [_nt(cat, RDF_TYPE, f"<{HYDRA}Collection>"), _nt(cat, HYDRA + "view", here),
                     _nt(cat, HYDRA + "totalItems", total),
                     _nt(here, RDF_TYPE, f"<{HYDRA}PartialCollectionView>"),
                     _nt(here, HYDRA + "first", link(1)),
                     _nt(here, HYDRA + "last", link(listing.pages))]
            if target is not None:
                lines.append(_nt(here, HYDRA + "next", link(target)))
            if page > 1:
                lines.append(_nt(here, HYDRA + "previous", link(page - 1)))
        else:
            lines = [_nt(here, RDF_TYPE, f"<{HYDRA}PagedCollection>"),
                     _nt(here, HYDRA + "firstPage", link(1)),
                     _nt(here, HYDRA + "lastPage", link(listing.pages)),
                     _nt(here, HYDRA + "itemsPerPage",
                         _literal(settings.page_size, XSD + "integer")),
                     _nt(here, HYDRA + "totalItems", total)]
            if target is not None:
                lines.append(_nt(here, HYDRA + "nextPage", link(target)))
        if settings.modified_since:
            template = _literal(f"{self.base}/catalog{{?modified_since}}")
            lines += [_nt(cat, HYDRA + "search", "_:search"),
                      _nt("_:search", RDF_TYPE, f"<{HYDRA}IriTemplate>"),
                      _nt("_:search", HYDRA + "template", template),
                      _nt("_:search", HYDRA + "variableRepresentation",
                          f"<{HYDRA}BasicRepresentation>"),
                      _nt("_:search", HYDRA + "mapping", "_:since"),
                      _nt("_:since", RDF_TYPE, f"<{HYDRA}IriTemplateMapping>"),
                      _nt("_:since", HYDRA + "variable", _literal("modified_since")),
                      _nt("_:since", HYDRA + "property", f"<{DCT}modified>"),
                      _nt("_:since", HYDRA + "required", _literal("false", XSD + "boolean"))]
        return lines


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _record(self, status: int, sent: Mapping[str, str]) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        answer = {k.lower(): v for k, v in sent.items()}
        self.server.requests.append(RequestRecord(self.path, status, headers, answer))

    def _answer(self, status: int, body: bytes, headers: Mapping[str, str],
                compress: bool = False) -> None:
        sent = dict(headers)
        if compress and body and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip_module.compress(body, 5)
            sent["Content-Encoding"] = "gzip"
            sent["Vary"] = "Accept-Encoding"
        self._record(status, sent)
        self.send_response(status)
        for name, value in sent.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_modified(self, etag: str | None, modified: datetime | None) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag is not None and (match.strip() == "*" or etag in
                                         [tag.strip() for tag in match.split(",")])
        since = self.headers.get("If-Modified-Since")
        if since and modified is not None:
            try:
                return modified <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def do_HEAD(self) -> None:
        self.do_GET()


class _PagedHandler(_Handler):
    server: PagedServer

    def do_GET(self) -> None:
        server, settings = self.server, self.server.settings
        parts = urlsplit(self.path)
        if parts.path != "/catalog":
            self._answer(404, b"not found\n", {"Content-Type": "text/plain"})
            return
        query = parse_qs(parts.query)
        since = query.get("modified_since", [None])[0] if settings.modified_since else None
        try:
            page = int(query.get("page", ["1"])[0])
        except ValueError:
            page = 0
        listing = server.listing(since)
        if not 1 <= page <= listing.pages:
            self._answer(404, b"no such page\n", {"Content-Type": "text/plain"})
            return
        if (status := server.should_fail(page)) is not None:
            self._answer(status, b"failing on purpose\n", {"Content-Type": "text/plain"})
            return
        body, latest = server.render(listing, page)
        turtle = bool(server.catalogue.header.strip()) or settings.relative_links
        headers = {"Content-Type": "text/turtle; charset=utf-8" if turtle
                   else "application/n-triples"}
        if settings.conditional:
            etag = f'W/"{hashlib.sha1(body).hexdigest()[:20]}"'
            modified = (datetime.fromtimestamp(latest, UTC).replace(microsecond=0)
                        if latest >= 0 else server.started)
            headers |= {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
            if self._not_modified(etag, modified):
                self._answer(304, b"", {"ETag": etag})
                return
        self._answer(200, body, headers, compress=settings.gzip)


# -- static documents -------------------------------------------------------------------

@dataclass(frozen=True)
class StaticDocument:
    body: bytes
    content_type: str | None = None
    etag: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


class StaticServer(_Server):
    def __init__(self, address: tuple[str, int], documents: Mapping[str, StaticDocument]):
        super().__init__(address, _StaticHandler)
        self.documents = dict(documents)


class _StaticHandler(_Handler):
    server: StaticServer

    def do_GET(self) -> None:
        document = self.server.documents.get(self.path)
        if document is None:
            self._answer(404, b"not found\n", {"Content-Type": "text/plain"})
            return
        headers = dict(document.headers)
        if document.content_type:
            headers["Content-Type"] = document.content_type
        if document.etag:
            headers["ETag"] = document.etag
            if self._not_modified(document.etag, None):
                self._answer(304, b"", {"ETag": document.etag})
                return
        self._answer(200, document.body, headers)


# -- running ----------------------------------------------------------------------------

class Endpoint:
    """A running loopback server: ``url``, ``requests``, ``stop()``."""

    def __init__(self, server: PagedServer | StaticServer, path: str, owns: bool = False):
        self.server = server
        self._owns_catalogue = owns
        self.url = f"http://{server.server_address[0]}:{server.server_address[1]}{path}"
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,),
                                        daemon=True, name="paged-endpoint")
        self._thread.start()

    @property
    def requests(self) -> list[RequestRecord]:
        return self.server.requests

    def page_url(self, page: int, since: str | None = None) -> str:
        assert isinstance(self.server, PagedServer)
        return self.server.page_url(page, since)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
        if self._owns_catalogue and isinstance(self.server, PagedServer):
            self.server.catalogue.close()

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(catalogue: Catalogue | Sequence[str] | str | Path, *, page_size: int = 100,
          design: Design = "view", conditional: bool = True, modified_since: bool = True,
          gzip: bool = True, relative_links: bool = False,
          fail: Mapping[int, tuple[int, int]] | None = None, loop: Mapping[int, int] | None = None,
          corrupt: set[int] | None = None, prefixes: str = "", host: str = "127.0.0.1",
          port: int = 0) -> Endpoint:
    """Serve ``catalogue`` (a Catalogue, a file path, or dataset blocks) in Hydra pages."""
    if design not in ("view", "paged"):
        raise ValueError(f"design must be 'view' or 'paged', not {design!r}")
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    owns = not isinstance(catalogue, Catalogue)
    if isinstance(catalogue, str | Path):
        catalogue = Catalogue.from_file(catalogue)
    elif not isinstance(catalogue, Catalogue):
        catalogue = Catalogue.from_blocks(catalogue, prefixes=prefixes)
    settings = Settings(page_size, design, conditional, modified_since, gzip, relative_links,
                        dict(fail or {}), dict(loop or {}), set(corrupt or ()))
    return Endpoint(PagedServer((host, port), catalogue, settings), "/catalog", owns)


def start_static(documents: Mapping[str, StaticDocument | bytes], *, host: str = "127.0.0.1",
                 port: int = 0) -> Endpoint:
    """Serve fixed documents by request path (query included); ``url`` is the server root."""
    docs = {path: doc if isinstance(doc, StaticDocument) else StaticDocument(doc)
            for path, doc in documents.items()}
    return Endpoint(StaticServer((host, port), docs), "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="catalogue file (bench/generate.py output)")
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--design", choices=("view", "paged"), default="view")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--no-gzip", action="store_true")
    parser.add_argument("--no-conditional", action="store_true")
    parser.add_argument("--no-modified-since", action="store_true")
    args = parser.parse_args(argv)
    endpoint = start(args.file, page_size=args.page_size, design=args.design, port=args.port,
                     gzip=not args.no_gzip, conditional=not args.no_conditional,
                     modified_since=not args.no_modified_since)
    print(endpoint.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        endpoint.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
