"""The codes a template may use, their IRIs, and the typing a record carries for them.

A code names a concept of one of the node's vocabularies (``vocabularies/index.toml``): in a
complete table, only its codes are accepted (in any case); in a partial one (countries,
languages, licences) a well-formed code is accepted too. A record types every concept it
uses itself, as the demo records and the official example do: the class its property's
range expects (``dct:LinguisticSystem`` for a language…), and the concept's SKOS description
(scheme, French and English labels) from the vocabulary.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pyoxigraph import Literal, NamedNode, Triple
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral

from catalog_node.namespaces import DCT, RDF, SKOS
from catalog_node.validation.vocabulary import load_vocabularies, vocabularies_dir
from harvesters.ckan_codes import file_type_code, language_code, licence_code

#: well-formed codes of the tables the node ships only in part
PATTERNS = {"country": re.compile(r"[A-Z]{3}"), "language": re.compile(r"[A-Z]{3}"),
            "licence": re.compile(r"[A-Z0-9][A-Z0-9_.-]*")}
#: what a value of these tables is turned into before it is looked up
_CONVERT = {"language": language_code, "file-type": file_type_code, "licence": licence_code}
_KEEP = frozenset({RDF + "type", SKOS + "inScheme", SKOS + "prefLabel", DCT + "title"})


@dataclass(frozen=True)
class Scheme:
    name: str
    iri: str
    complete: bool


@cache
def schemes() -> dict[str, Scheme]:
    """The node's vocabularies by name (``data-theme``, ``healthcategories``…)."""
    with (vocabularies_dir() / "index.toml").open("rb") as stream:
        index = tomllib.load(stream)
    return {s["name"]: Scheme(s["name"], s["iri"], bool(s.get("complete")))
            for s in index["scheme"]}


@cache
def codes(name: str) -> dict[str, str]:
    """Upper-cased code → code, for the concepts of one vocabulary."""
    prefix = schemes()[name].iri + "/"
    return {iri[len(prefix):].upper(): iri[len(prefix):]
            for iri in load_vocabularies().iris() if iri.startswith(prefix)}


def code_iri(name: str, value: str) -> str | None:
    """The IRI a code (or the concept's IRI) stands for in a vocabulary; None if unknown."""
    scheme = schemes()[name]
    text = value.strip()
    if text.startswith(scheme.iri + "/"):
        text = text[len(scheme.iri) + 1:]
    convert = _CONVERT.get(name)
    if convert is not None and (converted := convert(text)):
        text = converted
    known = codes(name).get(text.upper())
    if known is not None:
        return f"{scheme.iri}/{known}"
    pattern = PATTERNS.get(name)
    if not scheme.complete and pattern is not None and pattern.fullmatch(text.upper()):
        return f"{scheme.iri}/{text.upper()}"
    return None


def some_codes(name: str, count: int = 40) -> str:
    """A few codes of a vocabulary, for a hint."""
    known = sorted(codes(name).values())
    more = ", …" if len(known) > count else ""
    return ", ".join(known[:count]) + more


def concept_typing(used: dict[str, set[str]]) -> Iterator[Triple]:
    """Each concept's classes, and its SKOS description and scheme's from the vocabulary
    (a concept of a partial table the node does not ship gets its scheme and its code)."""
    vocabularies = load_vocabularies()
    probe = Graph()
    for iri_ in used:
        probe.add((URIRef("urn:probe"), URIRef(RDF + "value"), URIRef(iri_)))
    for s, p, o in vocabularies.triples_for(probe):
        if str(p) in _KEEP and (str(p) != DCT + "title" or str(s) not in used):
            yield Triple(NamedNode(str(s)), NamedNode(str(p)), _term(o))
    for iri_, classes in sorted(used.items()):
        node = NamedNode(iri_)
        for cls in sorted(classes):
            yield Triple(node, NamedNode(RDF + "type"), NamedNode(cls))
        scheme = _scheme_of(iri_)
        if scheme is not None and iri_ not in vocabularies:
            yield Triple(node, NamedNode(RDF + "type"), NamedNode(SKOS + "Concept"))
            yield Triple(node, NamedNode(SKOS + "inScheme"), NamedNode(scheme.iri))
            yield Triple(node, NamedNode(SKOS + "prefLabel"), Literal(iri_.rsplit("/", 1)[-1]))


def _scheme_of(iri_: str) -> Scheme | None:
    return next((s for s in schemes().values() if iri_.startswith(s.iri + "/")), None)


def _term(value: object) -> NamedNode | Literal:
    if isinstance(value, RdfLiteral):
        if value.language:
            return Literal(str(value), language=value.language)
        if value.datatype:
            return Literal(str(value), datatype=NamedNode(str(value.datatype)))
        return Literal(str(value))
    return NamedNode(str(value))
