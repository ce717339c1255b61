"""Which RDF syntax a page is in, or which non-RDF format it is (refused, named).

The declared syntax comes from the ``Content-Type`` (``text/plain`` and
``application/octet-stream`` declare nothing), else from the file or URL extension
(``.gz`` looked through). The first bytes then give the content's family: HTML, XML,
JSON or text. The declared syntax is used when it belongs to that family; otherwise the
content wins (a Turtle body behind ``application/rdf+xml`` is read as Turtle, an HTML
error page behind ``text/turtle`` is refused as HTML). Text with nothing declared is told
apart as N-Quads, N-Triples, TriG or Turtle from its first statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from catalog_node.errors import InputError
from catalog_node.rdf.formats import syntax_for_media_type, syntax_for_path
from harvesters.jsonld import load_json, prepare_jsonld
from harvesters.payload import gunzip_if_compressed
from harvesters.xml_check import check_rdfxml

TEXT_SYNTAXES = frozenset({"turtle", "trig", "ntriples", "nquads"})
_SILENT_MEDIA = frozenset({"text/plain", "application/octet-stream", "binary/octet-stream",
                           "application/gzip", "application/x-gzip", "application/unknown"})
_HEAD = 8192
_BOM = b"\xef\xbb\xbf"
_HTML = re.compile(rb"(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                   re.IGNORECASE | re.DOTALL)
_TRIPLE_START = re.compile(rb"<[^\s<>\"{}|^`\\]*>\s*(?:<|_:|\"|a\s|[A-Za-z][\w-]*:|\[|\(|\{)")
_TERM = rb"(?:<[^>]*>|_:\S+)"
_OBJECT = rb"(?:<[^>]*>|_:\S+|\"(?:[^\"\\]|\\.)*\"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)"
_NTRIPLE = re.compile(rb"^" + _TERM + rb"\s+<[^>]*>\s+" + _OBJECT + rb"\s*\.\s*$")
_NQUAD = re.compile(rb"^" + _TERM + rb"\s+<[^>]*>\s+" + _OBJECT + rb"\s+" + _TERM
                    + rb"\s*\.\s*$")
_GRAPH_BLOCK = re.compile(rb"^\s*(?:GRAPH\s+)?(?:<[^>]*>|[\w-]*:[\w.-]*|_:\S+)?\s*\{",
                          re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Prepared:
    """A page's bytes ready for the RDF parser, and their syntax name."""

    data: bytes
    syntax: str


def prepare(data: bytes, *, place: str, content_type: str | None, name: str,
            max_bytes: int) -> Prepared:
    """Decompress, classify and make safe one document; raise InputError when refused."""
    data = gunzip_if_compressed(data, place, max_bytes)
    data = data.removeprefix(_BOM)
    declared = declared_syntax(content_type, name)
    head = data[:_HEAD].lstrip()
    if _HTML.match(head):
        raise InputError("HTML page, not DCAT RDF", source=place,
                         hint="point the source at the catalogue's RDF export (Turtle, "
                              "RDF/XML, JSON-LD), not at a web page")
    if head.startswith(b"<") and not _TRIPLE_START.match(head):
        check_rdfxml(data, place, max_bytes)
        return Prepared(data, "rdfxml")
    if head[:1] in (b"{", b"["):
        if declared == "jsonld":
            return Prepared(prepare_jsonld(data, place), "jsonld")
        try:
            document = load_json(data, place)
        except InputError:
            pass  # a TriG default graph or a Turtle blank node, not JSON
        else:
            return Prepared(prepare_jsonld(data, place, document), "jsonld")
    complete = len(data) <= _HEAD
    syntax = declared if declared in TEXT_SYNTAXES else sniff_text(head, complete)
    return Prepared(data, syntax)


def declared_syntax(content_type: str | None, name: str) -> str | None:
    """The syntax the Content-Type, or else the name's extension, declares."""
    if content_type:
        media = content_type.split(";", 1)[0].strip().lower()
        if media not in _SILENT_MEDIA:
            syntax = syntax_for_media_type(media)
            if syntax:
                return syntax.name
            if media.endswith(("/json", "+json")):
                return "jsonld"
            if media.endswith(("/xml", "+xml")):
                return "rdfxml"
    path = urlsplit(name).path if "://" in name else name
    syntax = syntax_for_path(path)
    return syntax.name if syntax else None


def sniff_text(head: bytes, complete: bool = True) -> str:
    """N-Quads, N-Triples, TriG or Turtle, from the first statements of a text document.

    ``complete`` says whether ``head`` is the whole document (else its last line may be cut).
    """
    lines = head.splitlines()
    lines = [line.strip() for line in (lines if complete else lines[:-1])]
    statements = [line for line in lines if line and not line.startswith(b"#")][:20]
    if statements and all(_NTRIPLE.match(s) or _NQUAD.match(s) for s in statements):
        return "nquads" if any(_NQUAD.match(s) for s in statements) else "ntriples"
    return "trig" if _GRAPH_BLOCK.search(head) else "turtle"
