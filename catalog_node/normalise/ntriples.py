"""Taking apart and putting together statements in pyoxigraph's N-Triples output."""

from __future__ import annotations

from typing import NamedTuple


class Statement(NamedTuple):
    subject: str
    predicate: str
    object: str


class Literal(NamedTuple):
    lexical: str  # as written between the quotes (escapes kept)
    language: str | None
    datatype: str | None  # IRI without angle brackets


def split_statement(line: str) -> Statement | None:
    """``"S P O ."`` → its three terms; None for what is not one plain statement.

    Statements with an RDF 1.2 triple term in subject position are left alone.
    """
    if not line.endswith(" .") or line.startswith("<<"):
        return None
    first = line.find(" ")
    second = line.find(" ", first + 1)
    if first < 1 or second < 0 or line[first + 1] != "<":
        return None
    return Statement(line[:first], line[first + 1:second], line[second + 1:-2])


def join_statement(statement: Statement) -> str:
    return f"{statement.subject} {statement.predicate} {statement.object} ."


def split_literal(term: str) -> Literal | None:
    """A literal term → lexical form, language and datatype; None for other terms."""
    if not term.startswith('"'):
        return None
    end = term.rfind('"')
    if end < 1:
        return None
    suffix = term[end + 1:]
    if not suffix:
        return Literal(term[1:end], None, None)
    if suffix.startswith("@"):
        return Literal(term[1:end], suffix[1:], None)
    if suffix.startswith("^^<") and suffix.endswith(">"):
        return Literal(term[1:end], None, suffix[3:-1])
    return None


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def literal_term(lexical: str, datatype: str | None) -> str:
    """A literal as pyoxigraph writes it (an ``xsd:string`` one without its datatype)."""
    if datatype and datatype != XSD_STRING:
        return f'"{lexical}"^^<{datatype}>'
    return f'"{lexical}"'


def iri(term: str) -> str | None:
    """The IRI of an ``<…>`` term, None for blank nodes, literals and triple terms."""
    if term.startswith("<") and not term.startswith("<<") and term.endswith(">"):
        return term[1:-1]
    return None
