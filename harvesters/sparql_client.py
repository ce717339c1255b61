"""Talking to a SPARQL endpoint: SPARQLWrapper builds each request, the harvest context
sends it.

SPARQLWrapper's own transport (``urllib``) would resolve names itself, follow redirects
anywhere and read without a size cap, so :class:`_ContextWrapper` keeps what it does well
(the SPARQL 1.1 protocol: the ``query`` and ``default-graph-uri`` parameters, content
negotiation, reading SPARQL JSON results) and sends the GET through
:meth:`HarvestContext.get`: public addresses only, pinned connections, timeouts, the
source's size cap, retries with backoff.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from SPARQLWrapper import GET, JSON, TURTLE, SPARQLWrapper

from catalog_node.net.safe_http import FetchedDocument, FetchError
from catalog_node.rdf.formats import syntax_for_media_type
from harvesters.base import HarvestContext, HttpStatusError

#: CONSTRUCT results: N-Triples first (streams, no prefixes), then Turtle, then RDF/XML.
CONSTRUCT_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
#: The syntaxes a CONSTRUCT result may come in.
GRAPH_SYNTAXES = frozenset({"ntriples", "turtle", "rdfxml"})
#: How much of a server's error message a report quotes.
MESSAGE_CHARS = 300

_STATUS = re.compile(r"HTTP status (\d{3})$")


class SparqlEndpointError(FetchError):
    """The endpoint refused a query or answered something that is not a query result."""


class _Response:
    """What SPARQLWrapper's ``QueryResult`` reads of a urllib response, over a fetched one."""

    def __init__(self, document: FetchedDocument):
        self.document = document

    def info(self) -> Mapping[str, str]:
        return self.document.headers

    def geturl(self) -> str:
        return self.document.final_url

    def read(self) -> bytes:
        return self.document.body


class _ContextWrapper(SPARQLWrapper):
    """SPARQLWrapper whose requests go out through the harvest context."""

    def __init__(self, endpoint: str, context: HarvestContext):
        super().__init__(endpoint)
        self.context = context
        self.setMethod(GET)  # SPARQL 1.1 protocol: query via GET, ?query=…
        self.setOnlyConneg(True)  # no non-standard format=/output= parameters
        self.last: FetchedDocument | None = None

    def _query(self) -> tuple[_Response, str]:  # type: ignore[override]
        request = self._createRequest()
        accept = request.get_header("Accept") or "*/*"
        extra = {name: value for name, value in request.header_items()
                 if name.lower() not in ("accept", "user-agent")}
        self.last = self.context.get(request.full_url, accept=accept, conditional=False,
                                     headers=extra)
        return _Response(self.last), self.returnFormat

    def query_url(self) -> str:
        return str(self._createRequest().full_url)


class SparqlEndpoint:
    """SELECT and CONSTRUCT against one endpoint; every failure is a FetchError naming it.

    ``graph`` makes one named graph the query's default graph (``default-graph-uri``).
    """

    def __init__(self, context: HarvestContext, url: str, graph: str | None = None):
        self.context = context
        self.url = url
        self.graph = graph

    def select(self, query: str, what: str) -> list[dict[str, dict[str, str]]]:
        """The bindings of a SELECT (SPARQL 1.1 JSON results)."""
        wrapper = self._wrapper(query, JSON)
        result = self._run(wrapper, what)
        media = (wrapper.last.content_type if wrapper.last else None) or ""
        if "json" not in media:
            raise self._error(f"{what}: the endpoint answered {media or 'no media type'}, "
                              "not SPARQL JSON results",
                              "check that the URL is the endpoint's query URL")
        try:
            converted: Any = result.convert()
            bindings = converted["results"]["bindings"]
        except (ValueError, TypeError, KeyError) as exc:
            raise self._error(f"{what}: unreadable SPARQL JSON results ({exc})",
                              "the endpoint answered something else than query results"
                              ) from None
        if not isinstance(bindings, list):
            raise self._error(f"{what}: unreadable SPARQL JSON results", "check the endpoint")
        return bindings

    def construct(self, query: str, what: str) -> tuple[bytes, str]:
        """The graph a CONSTRUCT returned, as (bytes, syntax name)."""
        wrapper = self._wrapper(query, TURTLE)
        wrapper.addCustomHttpHeader("Accept", CONSTRUCT_ACCEPT)
        self._run(wrapper, what)
        assert wrapper.last is not None
        media = wrapper.last.content_type or "text/turtle"
        syntax = syntax_for_media_type(media)
        if syntax is None or syntax.name not in GRAPH_SYNTAXES:
            raise self._error(f"{what}: the endpoint answered {media}, not N-Triples, "
                              "Turtle or RDF/XML", "check the endpoint's CONSTRUCT results")
        return wrapper.last.body, syntax.name

    # -- one request --------------------------------------------------------------------
    def _wrapper(self, query: str, return_format: str) -> _ContextWrapper:
        wrapper = _ContextWrapper(self.url, self.context)
        if self.graph:
            wrapper.addDefaultGraph(self.graph)
        wrapper.setQuery(query)
        wrapper.setReturnFormat(return_format)
        return wrapper

    def _run(self, wrapper: _ContextWrapper, what: str) -> Any:
        try:
            return wrapper.query()
        except FetchError as exc:
            status = _STATUS.match(exc.message)
            if status is None:  # refused, unreachable, too slow, too large: keep the kind
                raise type(exc)(f"{what}: {exc.message}", place=self.url,
                                hint=exc.hint) from None
            body = exc.body if isinstance(exc, HttpStatusError) else b""
            message = shorten(body.decode("utf-8", errors="replace"))
            said = f": {message}" if message else ""
            raise self._error(f"{what}: the endpoint answered HTTP {status.group(1)}{said}",
                              _hint(int(status.group(1)))) from None

    def _error(self, message: str, hint: str) -> SparqlEndpointError:
        return SparqlEndpointError(message, place=self.url, hint=hint)


def shorten(text: str, limit: int = MESSAGE_CHARS) -> str:
    """One line of at most ``limit`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _hint(status: int) -> str:
    if status == 400:
        return "the endpoint did not accept the query; it may not support SPARQL 1.1"
    if status in (401, 403):
        return "the endpoint needs a credential: `source add … --credential env:VAR`"
    if status == 404:
        return "check the endpoint URL (often …/sparql or …/query)"
    if status in (413, 414, 431):
        return "the query URL is too long for this endpoint; lower the source's depth option"
    return "the endpoint failed; try again later"
