"""Splitting a parsed document into self-contained record drafts, one per dataset.

The document is indexed compactly by subject (N-Triples text, one string per run of
triples with the same subject), so a 7-million-triple catalogue fits in well under
2 GB. From each dataset the record takes every node reachable through its outgoing
links — distributions, agents, contact points, data dictionary, the typing and labels
of the concepts it uses — and stops at other datasets, catalogues and catalogue
records (records of their own) and after the own triples of SKOS concepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pyoxigraph import Quad, RdfFormat, Triple, serialize

from catalog_node.errors import RecordError
from catalog_node.namespaces import (
    LEAF_CLASSES,
    RDF_TYPE,
    RECORD_BOUNDARY_CLASSES,
    RECORD_ROOT_CLASSES,
)

if TYPE_CHECKING:
    from catalog_node.normalise import Normaliser

_TYPE = str(RDF_TYPE)  # in N-Triples form, with its angle brackets
_ROOTS = frozenset(c.value for c in RECORD_ROOT_CLASSES)
_BOUNDARY = frozenset(c.value for c in RECORD_BOUNDARY_CLASSES)
_LEAF = frozenset(c.value for c in LEAF_CLASSES)
_WATCHED = _ROOTS | _BOUNDARY | _LEAF
_NO_KINDS: frozenset[str] = frozenset()

#: A record larger than this is refused (bounded input).
MAX_RECORD_TRIPLES = 200_000


@dataclass(frozen=True)
class Draft:
    """The triples of one dataset description: for each subject, its lines.

    ``blocks`` maps a subject (N-Triples term) to its ``"predicate object"`` lines; blank
    nodes still carry the parser's labels.
    """

    root: str
    blocks: dict[str, list[str]]

    def statements(self) -> list[tuple[str, str, str]]:
        return [(s, *line.split(" ", 1)) for s, block in self.blocks.items()  # type: ignore[misc]
                for line in block]


class _NTriplesSink:
    """A binary writer that feeds complete N-Triples lines to an index as they come."""

    def __init__(self, index: SubjectIndex):
        self._index = index
        self._tail = b""
        normaliser = index.normaliser
        self._rewrite = normaliser.rewrite_text if normaliser is not None else None

    def write(self, data: bytes) -> int:
        buffer = self._tail + data
        cut = buffer.rfind(b"\n")
        self._tail = buffer[cut + 1:]
        if cut > 0:
            self._add(buffer[:cut].decode("utf-8"))
        return len(data)

    def _add(self, text: str) -> None:
        if self._rewrite is not None:
            text = self._rewrite(text)
        self._index.add_lines(text.split("\n"))

    def flush(self) -> None:
        """Nothing is buffered beyond an incomplete line."""

    def close(self) -> None:
        if self._tail.strip():
            self._add(self._tail.decode("utf-8"))
        self._tail = b""
        self._index.finish()


class SubjectIndex:
    """A compact index of a document's triples by subject (graph names are dropped)."""

    def __init__(self, normaliser: Normaliser | None = None) -> None:
        #: rewrites the N-Triples text before it is indexed (``catalog_node.normalise``);
        #: it also keeps the changes it made, for the records' reports
        self.normaliser = normaliser
        self._chunks: dict[str, list[str]] = {}
        self._types: dict[str, set[str]] = {}
        self.roots: list[str] = []
        self.triples_read = 0
        self._run_subject: str | None = None
        self._run: list[str] = []

    def add(self, quads: Iterable[Quad], with_graphs: bool = False) -> None:
        """Index a stream of quads; with ``with_graphs`` their graph names are dropped.

        The stream is turned into N-Triples by pyoxigraph and read back line by line,
        which is about twice as fast as converting each term in Python.
        """
        sink = _NTriplesSink(self)
        stream: Iterable[Quad] | Iterable[Triple] = (
            (q.triple for q in quads) if with_graphs else quads)
        try:
            serialize(stream, sink, format=RdfFormat.N_TRIPLES)
        finally:
            sink.close()

    def add_lines(self, lines: list[str]) -> None:
        """Index N-Triples statements; a run of one subject becomes one string."""
        run_subject = self._run_subject
        run = self._run
        types, watched, type_prefix = self._types, _WATCHED, _TYPE + " "
        for line in lines:
            subject, rest = line.split(" ", 1)
            rest = rest[:-2]
            if subject != run_subject:
                if run_subject is not None:
                    self._keep(run_subject, "\n".join(run))
                run_subject, run = subject, []
            run.append(rest)
            if rest.startswith(type_prefix) and (kind := rest[len(type_prefix) + 1:-1]) in watched:
                kinds = types.setdefault(subject, set())
                if kind in _ROOTS and not kinds & _ROOTS:
                    self.roots.append(subject)
                kinds.add(kind)
        self._run_subject, self._run = run_subject, run
        self.triples_read += len(lines)

    def finish(self) -> None:
        """Close the last run."""
        if self._run_subject is not None:
            self._keep(self._run_subject, "\n".join(self._run))
        self._run_subject, self._run = None, []

    def _keep(self, subject: str, chunk: str) -> None:
        """Add a run; a run repeated verbatim (an agent copied in every record) is kept once."""
        chunks = self._chunks.get(subject)
        if chunks is None:
            self._chunks[subject] = [chunk]
        elif chunk not in chunks:
            chunks.append(chunk)
            if len(chunks) > 8:
                self._compact(subject)

    def _compact(self, subject: str) -> None:
        lines = {line for chunk in self._chunks[subject] for line in chunk.split("\n")}
        self._chunks[subject] = ["\n".join(sorted(lines))]

    def block(self, subject: str) -> list[str]:
        """The ``"predicate object"`` lines of a subject (a repeated run counted once)."""
        chunks = self._chunks.get(subject)
        if not chunks:
            return []
        if len(chunks) > 1:
            self._compact(subject)
            chunks = self._chunks[subject]
        return chunks[0].split("\n")

    def kinds(self, subject: str) -> set[str] | frozenset[str]:
        return self._types.get(subject, _NO_KINDS)

    def has(self, subject: str) -> bool:
        return subject in self._chunks

    def __len__(self) -> int:
        return len(self._chunks)


def record_closure(index: SubjectIndex, root: str) -> dict[str, list[str]]:
    """The blocks (subject → its ``"predicate object"`` lines) of the record of ``root``."""
    blocks: dict[str, list[str]] = {}
    queue = [root]
    seen = {root}
    size = 0
    has, kinds = index.has, index.kinds
    while queue:
        subject = queue.pop()
        block = index.block(subject)
        blocks[subject] = block
        size += len(block)
        if subject != root and kinds(subject) & _LEAF:
            continue
        for line in block:
            obj = line[line.index(" ") + 1:]
            if obj[0] in "<_" and obj not in seen and has(obj) and not kinds(obj) & _BOUNDARY:
                seen.add(obj)
                queue.append(obj)
        if size > MAX_RECORD_TRIPLES:
            raise RecordError(f"record has more than {MAX_RECORD_TRIPLES} triples",
                              place=root, hint="split the description or raise the limit")
    return blocks


def split_records(index: SubjectIndex) -> Iterator[Draft]:
    """One draft per dataset of the document, in document order."""
    for root in index.roots:
        yield Draft(root=root, blocks=record_closure(index, root))
