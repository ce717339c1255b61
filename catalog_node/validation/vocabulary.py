"""Controlled vocabularies: SKOS concepts merged into a record before it is validated.

The shipped subset lives in ``vocabularies/``; ``--vocabularies DIR`` loads every RDF file of a
directory instead (the full official tables). Concepts get ``rdf:type skos:Concept`` when they
only state ``skos:inScheme`` (compact extracts lack the typing the shapes check).
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from catalog_node.errors import ConfigError, InputError

Triple = tuple[Node, Node, Node]
_SYNTAX = {".ttl": "turtle", ".rdf": "xml", ".xml": "xml", ".owl": "xml", ".nt": "nt",
           ".n3": "n3", ".jsonld": "json-ld", ".trig": "trig"}


def vocabularies_dir() -> Path:
    """``CATALOG_NODE_VOCABULARIES``, or the ``vocabularies/`` folder of this checkout."""
    env = os.environ.get("CATALOG_NODE_VOCABULARIES")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "vocabularies"


class Vocabularies:
    """Concepts by IRI, each with the triples that describe it."""

    def __init__(self, concepts: dict[str, tuple[Triple, ...]],
                 schemes: dict[str, tuple[Triple, ...]], files: list[Path], fingerprint: str):
        self._concepts = concepts
        self._schemes = schemes
        self.files = files
        self.fingerprint = fingerprint

    def __len__(self) -> int:
        return len(self._concepts)

    def __contains__(self, iri: object) -> bool:
        return str(iri) in self._concepts

    def concept_triples(self, iri: str) -> tuple[Triple, ...]:
        """The triples describing one concept (empty when it is not known)."""
        return self._concepts.get(iri, ())

    def triples_for(self, graph: Graph) -> Iterator[Triple]:
        """The description of every concept the graph uses as an object, and of its schemes."""
        seen: set[str] = set()
        for obj in graph.objects():
            if isinstance(obj, URIRef):
                key = str(obj)
                if key not in seen and key in self._concepts:
                    seen.add(key)
                    yield from self._concepts[key]
                    for _, predicate, scheme in self._concepts[key]:
                        name = str(scheme)
                        if predicate == SKOS.inScheme and name not in seen:
                            seen.add(name)
                            yield from self._schemes.get(name, ())

    def label(self, iri: str, lang: str = "en") -> str | None:
        fallback = None
        for _, predicate, obj in self._concepts.get(iri, ()):
            if predicate == SKOS.prefLabel and isinstance(obj, Literal):
                if obj.language == lang:
                    return str(obj)
                if obj.language in ("en", None) and fallback is None:
                    fallback = str(obj)
        return fallback

    def iris(self) -> Iterable[str]:
        return self._concepts.keys()


def _files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise ConfigError("no such vocabulary directory", place=str(directory),
                          hint="give a directory holding SKOS files (.ttl, .rdf, .nt, .jsonld)")
    files = sorted(p for p in directory.rglob("*") if p.suffix.lower() in _SYNTAX and p.is_file())
    if not files:
        raise ConfigError("no RDF file in the vocabulary directory", place=str(directory))
    return files


def _parse(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format=_SYNTAX[path.suffix.lower()])
    except Exception as exc:  # rdflib raises many types for bad syntax
        raise InputError(f"unreadable vocabulary file: {exc}", place=str(path)) from exc
    return graph


@cache
def load_vocabularies(directory: Path | None = None) -> Vocabularies:
    """Every concept of the RDF files under ``directory`` (default: the shipped subset)."""
    directory = directory or vocabularies_dir()
    files = _files(directory)
    digest = hashlib.sha256()
    by_subject: dict[str, list[Triple]] = defaultdict(list)
    concepts: set[str] = set()
    schemes: set[str] = set()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        graph = _parse(path)
        for s, p, o in graph:
            if isinstance(s, URIRef):
                by_subject[str(s)].append((s, p, o))
                if p == SKOS.inScheme or (p == RDF.type and o == SKOS.Concept):
                    concepts.add(str(s))
                if p == SKOS.inScheme:
                    schemes.add(str(o))
                elif p == RDF.type and o == SKOS.ConceptScheme:
                    schemes.add(str(s))
    index: dict[str, tuple[Triple, ...]] = {}
    for iri in concepts:
        triples = list(dict.fromkeys(by_subject[iri]))
        typed = (URIRef(iri), RDF.type, SKOS.Concept)
        if typed not in triples:
            triples.append(typed)
        index[iri] = tuple(triples)
    scheme_index = {iri: tuple(dict.fromkeys(by_subject.get(iri, ()))) for iri in schemes}
    return Vocabularies(index, scheme_index, files, digest.hexdigest()[:16])
