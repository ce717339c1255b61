"""Documents to validate, read as given: any RDF syntax, errors that name the place."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from catalog_node.errors import InputError
from catalog_node.rdf.formats import Syntax
from catalog_node.rdf.parse import (
    locate_in_text,
    open_document,
    parse_errors,
    quad_parser,
    resolve_syntax,
)
from catalog_node.validation.engine import datasets_of

#: Largest document accepted for validation (bytes, after decompression).
MAX_VALIDATION_BYTES = 64 * 1024**2


def to_rdflib(term: object) -> Node:
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected RDF term {term!r}")


def graph_from_quads(quads: list[Quad]) -> Graph:
    """All quads' triples in one rdflib graph (named graphs merged, as a validator sees them)."""
    graph = Graph()
    for quad in quads:
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def read_document(data: bytes, source: str, syntax: Syntax, base_iri: str | None = None) -> Graph:
    """Parse ``data``; an unusable document (bad syntax, empty, no dataset) is an InputError."""
    try:
        with parse_errors(source):
            quads = list(quad_parser(data, syntax, base_iri or _base_for(source)))
    except InputError as exc:
        where = (exc.line, exc.column) if exc.line is not None else locate_in_text(data, syntax)
        line, column = where or (None, None)
        raise InputError(exc.message, source=source, line=line, column=column,
                         hint="fix the document's syntax; nothing was validated") from exc
    if not quads:
        raise InputError("the document holds no RDF statement", source=source,
                         hint="is it the right file, in the syntax its name says?")
    graph = graph_from_quads(quads)
    if not datasets_of(graph):
        raise InputError("the document describes no dcat:Dataset", source=source,
                         hint="a profile validates dataset descriptions: type one with "
                              "`a dcat:Dataset`")
    return graph


def _base_for(source: str) -> str:
    """A local file's own IRI as base; anything else (stdin, a request body) gets a URN."""
    path = Path(source)
    if source not in ("-", "") and "://" not in source and path.is_file():
        return path.resolve().as_uri()
    return "urn:catalog-node:validate:"


def read_file(path: Path, input_format: str | None = None) -> Graph:
    """A local file (``.gz`` too) as given."""
    source = str(path)
    syntax = resolve_syntax(source.removesuffix(".gz"), input_format)
    try:
        with open_document(path, MAX_VALIDATION_BYTES) as stream:
            data = stream.read()
    except FileNotFoundError as exc:
        raise InputError("no such file", source=source) from exc
    except OSError as exc:
        if isinstance(exc.__context__, InputError):
            raise exc.__context__ from None
        raise InputError(f"cannot read: {exc}", source=source) from exc
    return read_document(data, source, syntax)
