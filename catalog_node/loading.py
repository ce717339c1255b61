"""Loading RDF documents (files, uploads, the demo catalogue) through the write pipeline."""

from __future__ import annotations

import io
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import IO

from catalog_node.errors import CatalogNodeError, InputError
from catalog_node.model.record import Record
from catalog_node.normalise import Normaliser
from catalog_node.pipeline import Progress, WritePipeline, WriteReport, _silent, timed
from catalog_node.rdf.formats import Syntax
from catalog_node.rdf.parse import (
    DEFAULT_MAX_BYTES,
    locate_in_text,
    open_document,
    parse_errors,
    quad_parser,
    resolve_syntax,
)
from catalog_node.rdf.split import SubjectIndex

DEMO_CATALOG = "demo"


@dataclass(frozen=True)
class Document:
    """One document to load: a local file, or bytes received under a name."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    input_format: str | None = None

    @property
    def size(self) -> int | None:
        if self.data is not None:
            return len(self.data)
        try:
            return self.path.stat().st_size if self.path else None
        except OSError:
            return None


class _CountingReader(io.RawIOBase):
    """Reports how many bytes were read, for a progress bar over parsing."""

    def __init__(self, inner: IO[bytes], tick: Progress, total: int | None):
        self._inner, self._tick, self._total, self._done = inner, tick, total, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self._inner.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self._done += len(chunk)
        self._tick("parse", self._done, self._total)
        return len(chunk)


def demo_documents() -> list[Document]:
    """The demo catalogue shipped with the package, one Turtle file per dataset."""
    folder = resources.files("catalog_node") / "demo"
    return [Document(name=f"demo/{entry.name}", data=entry.read_bytes())
            for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".ttl")]


def index_document(document: Document, base_iri: str, progress: Progress = _silent,
                   max_bytes: int = DEFAULT_MAX_BYTES, normaliser: Normaliser | None = None,
                   lenient: bool = False) -> SubjectIndex:
    """Parse a whole document into a subject index; raise InputError with its location.

    With a ``normaliser`` (``catalog_node.normalise``) every statement passes through it
    before it is indexed; the index keeps it as ``index.normaliser`` for the records.
    """
    syntax: Syntax = resolve_syntax(document.name, document.input_format)
    if document.data is not None:
        if len(document.data) > max_bytes:
            raise InputError(f"document larger than {max_bytes} bytes", source=document.name)
        raw: IO[bytes] = io.BytesIO(document.data)
    elif document.path is not None:
        try:
            raw = open_document(document.path, max_bytes)
        except OSError as exc:
            raise InputError(f"cannot open: {exc.strerror or exc}", source=document.name) from exc
    else:
        raise InputError("nothing to read", source=document.name)
    stream = io.BufferedReader(_CountingReader(raw, progress, document.size), 1 << 20)
    index = SubjectIndex(normaliser=normaliser)
    try:
        with parse_errors(document.name):
            index.add(quad_parser(stream, syntax, base_iri, lenient),
                      with_graphs=syntax.keeps_graphs)
    except InputError as exc:
        if exc.line is None and (place := _locate(document, syntax, max_bytes)):
            raise InputError(exc.message, source=document.name, line=place[0],
                             column=place[1], hint=exc.hint) from exc
        raise
    finally:
        raw.close()
    if index.triples_read == 0:
        raise InputError("the document holds no triples", source=document.name)
    return index


def _locate(document: Document, syntax: Syntax, max_bytes: int) -> tuple[int, int] | None:
    """Find the line and column of an error the RDF parser gave without them."""
    if syntax.name not in {"rdfxml", "jsonld"}:
        return None
    if document.data is not None:
        return locate_in_text(document.data, syntax)
    if document.path is None:
        return None
    try:
        with open_document(document.path, max_bytes) as handle:
            return locate_in_text(handle.read(), syntax)
    except (OSError, InputError):
        return None


def _batches(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    while batch := list(islice(records, size)):
        yield batch


def _write_overlapped(pipeline: WritePipeline, batches: Iterator[list[Record]],
                      report: WriteReport, tick: Callable[[int], None]) -> None:
    """Store batch N in a writer thread while batch N+1 is built here.

    The store releases the GIL while it writes, so on two cores building and storing
    overlap; batches are still written one at a time, in order, by one thread.
    """
    done = 0
    pending: deque[tuple[Future[None], int]] = deque()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer") as writer:
        try:
            for batch in batches:
                prepared = pipeline.prepare_batch(batch)
                pending.append((writer.submit(pipeline.commit_batch, prepared, report),
                                len(batch)))
                while len(pending) > 2:
                    future, size = pending.popleft()
                    future.result()
                    done += size
                    tick(done)
        finally:
            for future, size in pending:
                future.result()
                done += size
                tick(done)


def load_documents(pipeline: WritePipeline, documents: Sequence[Document], *, catalog: str,
                   base_iri: str, progress: Progress = _silent,
                   source: str | None = None) -> WriteReport:
    """Load each document as a whole: one that fails to parse stores nothing."""
    started = time.monotonic()
    report = WriteReport()
    pipeline.begin_job()
    for document in documents:
        report.documents += 1
        try:
            index = index_document(document, base_iri, progress, normaliser=Normaliser())
        except CatalogNodeError as exc:
            report.add_error(exc)
            report.failed += 1
            continue
        total = len(index.roots)
        if total == 0:
            report.add_error(InputError("no dcat:Dataset in the document", source=document.name,
                                        hint="nothing was stored from it"))
            report.failed += 1
            continue
        records = pipeline.records_from_index(index, source=source or catalog,
                                              catalog=catalog, report=report)
        _write_overlapped(pipeline, _batches(records, pipeline.current_batch_size), report,
                          lambda done, total=total: progress("store", done, total))
        del index
    return timed(report, started)
