"""RDF terms from CKAN values, checked: a value that does not make a valid term is left out
and a note says which field and why (``Notes``), so one bad field never loses a record."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from catalog_node.namespaces import RDF_TYPE, XSD
from catalog_node.normalise.literals import date_type

Subject = NamedNode | BlankNode
Object = NamedNode | BlankNode | Literal

_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")
_DURATION = re.compile(r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?"
                       r"(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")


@dataclass(frozen=True)
class MappingNote:
    """A value the mapping left out: which package, which field, and why."""

    package: str
    field: str
    problem: str


@dataclass
class Out:
    """The triples of one package as they are built, and the notes about what was left out.

    Blank-node labels come from the package's key and a path inside it, so the same
    package always gives the same bytes (the engine's page digests stay stable).
    """

    key: str
    triples: list[Triple] = field(default_factory=list)
    notes: list[MappingNote] = field(default_factory=list)

    def add(self, subject: Subject, predicate: NamedNode, value: Object | None) -> None:
        if value is not None:
            self.triples.append(Triple(subject, predicate, value))

    def link(self, subject: Subject, predicate: NamedNode, node: Subject | None,
             cls: NamedNode | None = None) -> None:
        """``subject predicate node``, and ``node a cls`` (the typing the ranges expect)."""
        if node is not None:
            self.triples.append(Triple(subject, predicate, node))
            if cls is not None:
                self.triples.append(Triple(node, RDF_TYPE, cls))

    def blank(self, path: str) -> BlankNode:
        digest = hashlib.sha256(f"{self.key}\0{path}".encode()).hexdigest()[:24]
        return BlankNode("c" + digest)

    def note(self, field_name: str, problem: str) -> None:
        self.notes.append(MappingNote(self.key, field_name, problem))

    # -- checked terms ------------------------------------------------------------------
    def iri(self, value: str, field_name: str, schemes: tuple[str, ...] = ("http", "https"),
            quiet: bool = False) -> NamedNode | None:
        """An absolute IRI with one of ``schemes`` (and a host), or None with a note."""
        node = as_iri(value, schemes)
        if node is None and not quiet:
            self.note(field_name, f"{_short(value)!r} is not a valid absolute "
                                  f"{'/'.join(schemes)} IRI")
        return node

    def literal(self, text: str, lang: str | None, field_name: str) -> Literal | None:
        if lang is None:
            return Literal(text)
        try:
            return Literal(text, language=lang)
        except ValueError:
            self.note(field_name, f"{lang!r} is not a language tag; the text was kept untagged")
            return Literal(text)

    def when(self, value: object, field_name: str) -> Literal | None:
        """A date, dateTime, gYear or gYearMonth literal (``2012-05-10T21:04`` gains its
        seconds); None with a note when the value is no date."""
        text = str(value).strip()
        kind = date_type(text)
        if kind is None:
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                self.note(field_name, f"{_short(text)!r} is not a date or date-time")
                return None
            text, kind = parsed.isoformat(), "dateTime"
        return Literal(text, datatype=NamedNode(XSD + kind))

    def count(self, value: object, field_name: str) -> Literal | None:
        """An xsd:nonNegativeInteger (``"12323"``, ``12323``, ``12323.0``)."""
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal(-1)
        if not number.is_finite() or number < 0 or number != number.to_integral_value():
            self.note(field_name, f"{_short(str(value))!r} is not a whole number of bytes")
            return None
        return Literal(str(int(number)), datatype=NamedNode(XSD + "nonNegativeInteger"))

    def decimal(self, value: object, field_name: str) -> Literal | None:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            self.note(field_name, f"{_short(str(value))!r} is not a decimal number")
            return None
        return Literal(format(number, "f"), datatype=NamedNode(XSD + "decimal"))

    def duration(self, value: str, field_name: str) -> Literal | None:
        if not _DURATION.fullmatch(value.strip()):
            self.note(field_name, f"{_short(value)!r} is not an ISO 8601 duration (PT15M)")
            return None
        return Literal(value.strip(), datatype=NamedNode(XSD + "duration"))

    def hex_binary(self, value: str, field_name: str) -> Literal | None:
        if not _HEX.fullmatch(value):
            self.note(field_name, f"{_short(value)!r} is not hexadecimal")
            return None
        return Literal(value.lower(), datatype=NamedNode(XSD + "hexBinary"))

    def mailto(self, value: str, field_name: str) -> NamedNode | None:
        address = value.strip().removeprefix("mailto:")
        if not _EMAIL.fullmatch(address):
            self.note(field_name, f"{_short(value)!r} is not an e-mail address")
            return None
        return as_iri("mailto:" + address, ("mailto",))

    def media_type(self, value: str, field_name: str) -> NamedNode | None:
        """An IANA media-type IRI from ``text/csv`` or from such an IRI."""
        if as_iri(value) is not None:
            return NamedNode(value.strip())
        text = value.strip().lower().split(";", 1)[0].strip()
        if not _MEDIA_TYPE.fullmatch(text):
            self.note(field_name, f"{_short(value)!r} is not a media type")
            return None
        return NamedNode("https://www.iana.org/assignments/media-types/" + text)


def as_iri(value: object, schemes: tuple[str, ...] = ("http", "https")) -> NamedNode | None:
    """``value`` as a NamedNode when it is an absolute IRI with one of ``schemes``."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in schemes or (parts.scheme in ("http", "https")
                                               and not parts.netloc):
        return None
    try:
        return NamedNode(text)
    except ValueError:
        return None


def is_media_type(value: str) -> bool:
    return bool(_MEDIA_TYPE.fullmatch(value.strip().lower().split(";", 1)[0].strip()))


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
