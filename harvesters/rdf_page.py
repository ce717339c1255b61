"""Parsing one page as the loader will, keeping its Hydra statements; errors located.

Each page is parsed strictly with pyoxigraph, as ``catalog_node.loading`` parses it
later, so a page the harvester yields is a page the engine can read, and a broken one is
reported here with its place (file:line:column where the parser or the XML/JSON layer
gives one, else the line of the first quoted fragment of the message, such as the invalid
IRI, found in the text).
"""

from __future__ import annotations

import re

from pyoxigraph import parse

from catalog_node.errors import InputError
from catalog_node.rdf.formats import syntax_named
from catalog_node.rdf.parse import is_iri_error, locate_in_text, parse_errors
from harvesters.hydra import Paging
from harvesters.jsonld import remote_context_error

_QUOTED = re.compile(r"'([^'\n]{3,200})'")
_JSONLD_TERM = re.compile(r"expansion of (\S+) between")
_NO_LOADER = "LoadDocumentCallback"


def read_paging(data: bytes, syntax_name: str, base: str, place: str) -> Paging:
    """Parse ``data`` (base IRI ``base``); its Hydra statements, or InputError at ``place``."""
    syntax = syntax_named(syntax_name)
    paging = Paging(base)
    try:
        with parse_errors(place):
            paging.add(parse(data, format=syntax.rdf_format, base_iri=base))
    except InputError as exc:
        if is_iri_error(exc):  # the engine skips the records with invalid IRIs, not the page
            paging = Paging(base)
            with parse_errors(place):
                paging.add(parse(data, format=syntax.rdf_format, base_iri=base, lenient=True))
            return paging
        if _NO_LOADER in exc.message:
            raise remote_context_error("(named in the document)", place) from None
        if exc.line is not None:
            raise
        where = locate_in_text(data, syntax) or _locate_fragment(data, exc.message)
        if where is None:
            raise
        raise InputError(exc.message, source=place, line=where[0], column=where[1],
                         hint=exc.hint) from None
    return paging


def _locate_fragment(data: bytes, message: str) -> tuple[int, int] | None:
    """Line and column of the text ``message`` quotes (or the JSON-LD term it names)."""
    if match := _QUOTED.search(message):
        fragment = match.group(1)
    elif match := _JSONLD_TERM.search(message):
        fragment = f'"{match.group(1)}"'
    else:
        return None
    text = data.decode("utf-8", "replace")
    at = text.find(fragment)
    if at < 0:
        return None
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1
