"""XML documents: RDF/XML that is safe to parse, or refused with the format they are.

The root element tells RDF/XML (``rdf:RDF``, or a node element in a document that
declares the RDF namespace) from the XML formats catalogues also publish: OGC CSW
``GetRecords`` envelopes (DCAT records inside a CSW answer are not a document of their
own), OGC exception reports, ISO 19139 metadata, Atom feeds, OAI-PMH answers, XHTML.

Entities: no external entity (``SYSTEM`` / ``PUBLIC``) and no parameter entity is ever
resolved; such a DOCTYPE refuses the document with a message naming the entity. Internal
entities may not refer to other entities (that is how entity-expansion bombs grow), and
their expansion is bounded by the source's byte cap. pyoxigraph itself never reads an
external entity (it fails on the declaration); the check here gives the clear message and
closes the expansion hole.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from catalog_node.errors import InputError
from catalog_node.namespaces import RDF

_REFUSED_ROOTS: dict[str, tuple[str, str]] = {
    "http://www.opengis.net/cat/csw/2.0.2": (
        "OGC CSW {local} (XML envelope), not DCAT RDF",
        "the dcat source type does not read CSW services; harvest the portal's DCAT "
        "endpoint (Turtle, RDF/XML or JSON-LD) instead"),
    "http://www.opengis.net/cat/csw/3.0": (
        "OGC CSW {local} (XML envelope), not DCAT RDF",
        "the dcat source type does not read CSW services; harvest the portal's DCAT "
        "endpoint instead"),
    "http://www.opengis.net/ows": ("OGC service exception report, not DCAT RDF",
                                   "the service refused the request; check the URL"),
    "http://www.opengis.net/ows/1.1": ("OGC service exception report, not DCAT RDF",
                                       "the service refused the request; check the URL"),
    "http://www.isotc211.org/2005/gmd": (
        "ISO 19139 metadata ({local}), not DCAT RDF",
        "convert ISO 19139 to DCAT-AP (GeoDCAT-AP) first, or harvest a DCAT endpoint"),
    "http://www.w3.org/2005/Atom": ("Atom feed, not DCAT RDF",
                                    "point the source at the catalogue's RDF export"),
    "http://www.openarchives.org/OAI/2.0/": ("OAI-PMH answer, not DCAT RDF",
                                             "point the source at a DCAT RDF endpoint"),
    "http://www.w3.org/1999/xhtml": ("HTML page, not DCAT RDF",
                                     "point the source at the catalogue's RDF export "
                                     "(Turtle, RDF/XML, JSON-LD), not at a web page"),
}
_PROLOG_WINDOW = 1 << 20
_DOCTYPE = re.compile(rb"<!DOCTYPE\b[^\[>]*(?:\[(.*?)\]\s*)?>", re.S)
_ENTITY = re.compile(
    rb"<!ENTITY\s+(%\s+)?(\S+)\s+(?:(SYSTEM|PUBLIC)\b|\"([^\"]*)\"|'([^']*)')", re.S)


class _Stop(Exception):
    pass


def check_rdfxml(data: bytes, place: str, max_bytes: int) -> None:
    """Raise InputError unless ``data`` is RDF/XML without dangerous entities."""
    namespace, local = root_element(data)
    if namespace in _REFUSED_ROOTS:
        message, hint = _REFUSED_ROOTS[namespace]
        raise InputError(message.format(local=local), source=place, hint=hint)
    if local.lower() == "html" and namespace != RDF:
        raise InputError("HTML page, not DCAT RDF", source=place,
                         hint=_REFUSED_ROOTS["http://www.w3.org/1999/xhtml"][1])
    if not (namespace == RDF or RDF.encode() in data[:_PROLOG_WINDOW]):
        shown = f"{{{namespace}}}{local}" if namespace else local
        raise InputError(f"XML document with root element {shown}, not RDF/XML",
                         source=place, hint="point the source at a DCAT RDF document")
    _check_entities(data, place, max_bytes)


def root_element(data: bytes) -> tuple[str, str]:
    """(namespace, local name) of the document's first element; ("", "") if none."""
    found: list[str] = []

    def start(name: str, _attributes: object) -> None:
        found.append(name)
        raise _Stop

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    try:
        parser.Parse(data[:_PROLOG_WINDOW], False)
    except _Stop:
        pass
    except expat.ExpatError:
        match = re.search(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]",
                          _skip_prolog(data[:_PROLOG_WINDOW]))
        return ("", match.group(2).decode("ascii", "replace")) if match else ("", "")
    if not found:
        return "", ""
    namespace, _, local = found[0].rpartition(" ")
    return namespace, local


def _skip_prolog(head: bytes) -> bytes:
    return re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE\b[^\[>]*(?:\[.*?\]\s*)?>", b"", head,
                  flags=re.S)


def _check_entities(data: bytes, place: str, max_bytes: int) -> None:
    doctype = _DOCTYPE.search(data[:_PROLOG_WINDOW])
    if not doctype or not doctype.group(1):
        return
    expansion = 0
    for entity in _ENTITY.finditer(doctype.group(1)):
        name = entity.group(2).decode("utf-8", "replace")
        line = data.count(b"\n", 0, doctype.start(1) + entity.start()) + 1
        if entity.group(1):
            raise InputError(f"XML parameter entity %{name}; is never read", source=place,
                             line=line, hint="remove the DOCTYPE's entity declarations")
        if entity.group(3):
            raise InputError(
                f"external XML entity &{name}; ({entity.group(3).decode()}) is never "
                "resolved", source=place, line=line,
                hint="remove the DOCTYPE's external entities; the node reads nothing the "
                     "document points to")
        value = entity.group(4) if entity.group(4) is not None else entity.group(5)
        if b"&" in value or b"%" in value:
            raise InputError(f"XML entity &{name}; refers to other entities", source=place,
                             line=line, hint="nested entities are not expanded; write the "
                                             "text out")
        expansion += data.count(b"&" + entity.group(2) + b";") * len(value)
        if expansion > max_bytes:
            raise InputError(f"XML entities would expand the document past {max_bytes:,} "
                             "bytes", source=place, line=line,
                             hint="write the text out instead of using entities")
