"""The ``Store`` protocol: record-level operations; nothing else talks to the store.

A remote SPARQL 1.1 backend implements the same protocol (a replace becomes one
Graph Store Protocol PUT or one update request).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from pyoxigraph import Quad, QueryBoolean, QuerySolutions, QueryTriples


@dataclass(frozen=True)
class RecordGraph:
    """A named graph to write: its IRI and its statements as N-Triples lines."""

    iri: str
    lines: list[str]


QueryResult = QuerySolutions | QueryTriples | QueryBoolean


class Store(Protocol):
    """What the node needs from a quad store."""

    def write(self, new: Sequence[RecordGraph], replaced: Sequence[RecordGraph],
              bulk: bool = False) -> None:
        """Add ``new`` graphs and replace ``replaced`` ones, all in one transaction.

        ``bulk`` (only new graphs, into a store with no records yet) may use a faster,
        non-transactional loader; the caller's write intent then allows a roll-back.
        """

    def encode(self, new: Sequence[RecordGraph], replaced: Sequence[RecordGraph],
               bulk: bool = False) -> object:
        """Prepare what :meth:`write_encoded` sends (so another thread can do the work)."""

    def write_encoded(self, encoded: object) -> None:
        """Apply a payload from :meth:`encode`, in one transaction (unless bulk)."""

    def drop(self, iris: Sequence[str]) -> None:
        """Remove whole graphs, in one transaction."""

    def graph_quads(self, iri: str) -> list[Quad]:
        """Every quad of one named graph."""

    def has_graph(self, iri: str) -> bool:
        """Whether a named graph exists."""

    def graph_of(self, subject_iri: str) -> str | None:
        """The named graph where ``subject_iri`` is described, if any (an indexed lookup)."""

    def record_checksums(self) -> Iterator[tuple[str, str]]:
        """``(record IRI, checksum)`` of every record graph, from the store itself."""

    def query(self, sparql: str) -> QueryResult:
        """Run a read-only SPARQL query over the published records."""

    def iter_graph_quads(self, iris: Iterable[str]) -> Iterator[Quad]:
        """Stream the quads of many graphs, graph after graph."""

    def quad_count(self) -> int:
        """Number of quads (may scan: for stats only)."""

    def close(self) -> None:
        """Flush and release the store."""
