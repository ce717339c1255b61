"""Literal clean-up: datatypes of dates and byte sizes, and misspelt XSD datatype IRIs.

Each rule changes a datatype only when the lexical form is valid for the new one, so the
value stays the same:

- the date properties DCAT-AP 3 types as ``xsd:date``, ``xsd:dateTime``, ``xsd:gYear`` or
  ``xsd:gYearMonth``: an untyped (``xsd:string``) value, or one typed with the wrong one
  of the four (``"2020-01-01"^^xsd:dateTime``), gets the datatype its lexical form has
  (``literal/date-datatype``). Surrounding spaces are dropped (those datatypes collapse
  whitespace, so the value is the same). Anything else (``"01/02/2020"``, a language tag,
  an impossible date) is left for validation to report.
- ``dcat:byteSize`` given as digits, untyped or typed as another integer or decimal type,
  becomes ``xsd:nonNegativeInteger``, the DCAT-AP 3 range (``literal/byteSize``).
- a datatype written as a CURIE (``<xsd:date>``) or with the wrong case
  (``XMLSchema#datetime``) becomes the XSD IRI (``xsd/datatype``); XSD namespace variants
  (https, ``XMLSchema/``) are the namespace rule's.

Deliberately not done: language tags (pyoxigraph already lowercases them while parsing and
refuses malformed ones, and the store keeps them lowercase, so a BCP 47 ``en-GB`` would not
survive a round trip), and trimming or otherwise editing free text such as ``dct:title``.
"""

from __future__ import annotations

import calendar
import re

XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"

DATE_PREDICATES = frozenset(
    [DCT + name for name in ("issued", "modified", "created", "date", "available", "valid",
                             "dateAccepted", "dateCopyrighted", "dateSubmitted")]
    + [DCAT + "startDate", DCAT + "endDate"])
BYTE_SIZE = DCAT + "byteSize"
DATE_TYPES = ("date", "dateTime", "gYear", "gYearMonth")
_DATE_DATATYPES = frozenset(XSD + name for name in (*DATE_TYPES, "string"))
#: datatypes a byte size written as digits may come with (``string``: explicitly untyped)
_NUMBER_TYPES = frozenset(XSD + name for name in (
    "integer", "decimal", "int", "long", "short", "positiveInteger", "unsignedLong",
    "unsignedInt", "unsignedShort", "double", "float", "string"))

XSD_TYPES = (
    "string", "boolean", "decimal", "integer", "double", "float", "date", "time", "dateTime",
    "dateTimeStamp", "duration", "dayTimeDuration", "yearMonthDuration", "gYear",
    "gYearMonth", "gMonth", "gMonthDay", "gDay", "hexBinary", "base64Binary", "anyURI",
    "QName", "NOTATION", "normalizedString", "token", "language", "Name", "NCName",
    "NMTOKEN", "NMTOKENS", "ID", "IDREF", "IDREFS", "ENTITY", "ENTITIES",
    "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
    "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    "positiveInteger", "anySimpleType", "anyAtomicType")
_BY_LOWER = {name.lower(): name for name in XSD_TYPES}

_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"(?!0000)\d{4}"
_FORMS = {
    "gYear": re.compile(rf"(?:{_YEAR}){_TZ}"),
    "gYearMonth": re.compile(rf"(?:{_YEAR})-(?:0[1-9]|1[0-2]){_TZ}"),
    "date": re.compile(rf"(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01]){_TZ}"),
    "dateTime": re.compile(
        rf"(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
        rf"T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|24:00:00(?:\.0+)?){_TZ}"),
}


def date_type(lexical: str) -> str | None:
    """The one of xsd:date, dateTime, gYear, gYearMonth whose lexical form this is."""
    for name, form in _FORMS.items():
        match = form.fullmatch(lexical)
        if match is None:
            continue
        if name in ("date", "dateTime"):
            year, month, day = (int(match.group(g)) for g in ("y", "m", "d"))
            if day > calendar.monthrange(year, month)[1]:
                return None
        return name
    return None


def fix_datatype(datatype: str) -> str | None:
    """The XSD IRI a misspelt datatype IRI (CURIE, wrong case) means, or None."""
    if datatype.startswith("xsd:"):
        local = datatype[4:]
    elif datatype.startswith(XSD):
        local = datatype[len(XSD):]
    else:
        return None
    name = _BY_LOWER.get(local.lower())
    if name is None or XSD + name == datatype:
        return None
    return XSD + name


def retype(predicate: str, lexical: str, datatype: str | None) -> tuple[str, str, str] | None:
    """(new lexical, new datatype, rule) for a literal of ``predicate``, or None.

    ``lexical`` is the N-Triples form between the quotes; ``datatype`` the datatype IRI,
    or None for an untyped literal (language-tagged literals are never passed).
    """
    if predicate in DATE_PREDICATES:
        if datatype is not None and datatype not in _DATE_DATATYPES:
            return None
        value = lexical.strip(" ")
        found = date_type(value)
        if found is None or (XSD + found == datatype and value == lexical):
            return None
        return value, XSD + found, "literal/date-datatype"
    if predicate == BYTE_SIZE:
        if datatype is not None and datatype not in _NUMBER_TYPES:
            return None
        value = lexical.strip(" ")
        if not value.isascii() or not value.isdigit():
            return None
        return value, XSD + "nonNegativeInteger", "literal/byteSize"
    return None


def trigger_keys() -> list[tuple[str, str]]:
    """(literal, tail) pairs that any literal these rules change starts with."""
    canonical_dates = "|".join(
        re.sub(r"\(\?P<\w+>", "(?:", form.pattern) + rf'"\^\^<{re.escape(XSD + name)}>'
        for name, form in _FORMS.items())
    keys = [(f"<{p}> ", f'(?="(?!(?:{canonical_dates}) \\.))') for p in DATE_PREDICATES]
    keys.append((f"<{BYTE_SIZE}> ", rf'(?="(?!\d+"\^\^<{re.escape(XSD)}nonNegativeInteger>))'))
    keys.append(("<xsd:", ""))
    known = "|".join(sorted(XSD_TYPES, key=len, reverse=True))
    keys.append((f"<{XSD}", f"(?!(?:{known})>)"))
    return keys
