"""Streaming the catalogue out in any RDF syntax, record graph after record graph.

Nothing is built in memory as one graph: quads flow from the store to the serialiser.
Dataset syntaxes (TriG, N-Quads) keep the record graphs; triple syntaxes merge them,
writing a triple shared by several records (an agent, a concept) once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from pyoxigraph import NamedNode, Quad, Triple, serialize

from catalog_node.namespaces import PREFIXES
from catalog_node.rdf.formats import Syntax


def _own(subject: str, record_iri: str, dataset_iri: str) -> bool:
    for own in (record_iri, dataset_iri):
        if subject == own or subject.startswith((own + "/", own + "#")):
            return True
    return False


def merged_triples(quads: Iterable[Quad], datasets: dict[str, str]) -> Iterator[Triple]:
    """Triples of many record graphs; repeated triples about shared nodes written once.

    ``datasets`` maps a record IRI to its dataset IRI, to tell a record's own nodes
    (never repeated elsewhere) from shared ones.
    """
    shared_seen: set[int] = set()
    for quad in quads:
        graph = quad.graph_name
        record = graph.value if isinstance(graph, NamedNode) else ""
        subject = quad.subject
        if isinstance(subject, NamedNode) and record in datasets and _own(
                subject.value, record, datasets[record]):
            yield quad.triple
            continue
        key = hash(str(quad.triple))
        if key not in shared_seen:
            shared_seen.add(key)
            yield quad.triple


def write_export(quads: Iterable[Quad], syntax: Syntax, output: IO[bytes],
                 datasets: dict[str, str] | None = None) -> None:
    """Serialise a stream of quads to ``output`` in ``syntax``."""
    stream: Iterable[Quad] | Iterable[Triple] = quads if syntax.keeps_graphs else (
        merged_triples(quads, datasets or {}))
    serialize(stream, output, format=syntax.rdf_format, prefixes=PREFIXES)
