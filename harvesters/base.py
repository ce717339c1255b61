"""The interface every source type implements, and what a harvest gives it to work with.

A harvester walks its source and yields :class:`Page` objects: RDF documents (bytes and
their syntax), or "not modified" markers when a conditional GET said so. It never
writes anything: the harvest engine (``catalog_node.harvest``) parses, normalises and
stores pages through the node's one write pipeline. A page the harvester could not get
is reported with :meth:`HarvestContext.page_failed`; the run goes on, and then
withdraws nothing, because part of the source went unseen.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from catalog_node.errors import CatalogNodeError
from catalog_node.net.safe_http import FetchedDocument, FetchError, HttpPolicy, SafeHttpClient

#: Statuses worth another try after a pause (with exponential backoff).
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})

#: The Accept header for RDF documents, Turtle first.
RDF_ACCEPT = ("text/turtle, application/trig;q=0.95, application/n-triples;q=0.9, "
              "application/n-quads;q=0.9, application/rdf+xml;q=0.8, "
              "application/ld+json;q=0.7, */*;q=0.1")


class HttpStatusError(FetchError):
    """A final HTTP error answer; ``body`` holds (the start of) what the server said."""

    def __init__(self, status: int, body: bytes, *, place: str, hint: str):
        super().__init__(f"HTTP status {status}", place=place, hint=hint)
        self.status = status
        self.body = body[:64 * 1024]


@dataclass(frozen=True)
class SourceConfig:
    """One configured source, as ``catalog-node source add`` records it."""

    name: str
    url: str
    type: str
    catalog: str
    schedule: str | None = None
    grace_days: int = 7
    max_bytes: int = 50 * 1024 * 1024
    allow_private: bool = False
    #: ``env:VARIABLE`` or ``file:/path/to/secret`` (mode 0600): a name, never the secret.
    credential: str | None = None
    #: source-type options (``rows`` for CKAN, ``page_size`` for SPARQL…)
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """One document a source gave, or the news that it has not changed since last time."""

    #: where it came from (URL or file path), as errors and reports name it
    url: str
    data: bytes | None = None
    #: syntax name (``turtle``, ``rdfxml``, ``jsonld``, ``ntriples``, ``nquads``, ``trig``)
    input_format: str | None = None
    #: ``ETag`` / ``Last-Modified`` for the next conditional GET of this URL
    etag: str | None = None
    last_modified: str | None = None
    #: True when the server answered 304: the records this URL gave last time still hold
    not_modified: bool = False
    #: the page's next link (paged sources), remembered for a 304 answer next time
    next_url: str | None = None


class HarvestContext:
    """What a harvester may use: the source, a bounded HTTP client, and the run's memory.

    ``since`` is the start of the last complete run (ISO 8601, UTC), for sources that
    offer ``modified_since``; ``conditional`` is False when the run must not use
    conditional GETs or ``modified_since`` (a full re-read, compared by hashes only).
    """

    def __init__(self, source: SourceConfig, *, since: str | None = None,
                 validators: Mapping[str, tuple[str | None, str | None]] | None = None,
                 next_links: Mapping[str, str | None] | None = None,
                 page_digests: Mapping[str, str | None] | None = None,
                 digest_salt: str = "",
                 conditional: bool = True, secret: str | None = None,
                 progress: Callable[[str, int, int | None], None] | None = None,
                 retries: int = 3, backoff: float = 0.5,
                 policy: HttpPolicy | None = None,
                 base_iri: str = "http://127.0.0.1:8000/"):
        self.source = source
        #: the node's base IRI, for sources whose datasets get IRIs minted by the node
        self.base_iri = base_iri
        self.since = since if conditional else None
        self.conditional = conditional
        self._validators = dict(validators or {}) if conditional else {}
        self._next_links_all = dict(next_links or {})
        self._next_links = self._next_links_all if conditional else {}
        # Digests compare bytes, so they hold with or without conditional requests.
        self._page_digests = dict(page_digests or {})
        self._salt = digest_salt
        self._last_digest: tuple[bytes | None, str | None, str] = (None, None, "")
        self._secret = secret
        self.progress = progress or (lambda stage, done, total: None)
        self.retries = retries
        self.backoff = backoff
        self.http = SafeHttpClient(policy or HttpPolicy(
            max_body_bytes=source.max_bytes, allow_private_networks=source.allow_private))
        self.errors: list[CatalogNodeError] = []
        #: False once a page failed or the harvester saw only part of the source by design
        self.complete = True
        self.incomplete_reason: str | None = None

    # -- reporting ----------------------------------------------------------------------
    def page_failed(self, error: CatalogNodeError) -> None:
        """A page (or listing) could not be read: report it; nothing unseen is withdrawn."""
        self.errors.append(error)
        self.partial(f"a page failed: {error}")

    def partial(self, reason: str) -> None:
        """The run sees only part of the source (e.g. ``modified_since``): withdraw nothing."""
        if self.complete:
            self.complete = False
            self.incomplete_reason = reason

    # -- HTTP ---------------------------------------------------------------------------
    def auth_headers(self, scheme: str = "Bearer") -> dict[str, str]:
        """The ``Authorization`` header the source's credential gives (none without one)."""
        if not self._secret:
            return {}
        value = self._secret if " " in self._secret or not scheme else f"{scheme} {self._secret}"
        return {"Authorization": value}

    def previous_validators(self, url: str) -> tuple[str | None, str | None]:
        """``(ETag, Last-Modified)`` this URL answered last time (both None when unknown)."""
        return self._validators.get(url, (None, None))

    def previous_next(self, url: str) -> tuple[bool, str | None]:
        """``(known, next link)`` a page gave at the last committed run.

        Lets a paged harvester go on after a 304 without fetching the page again; ``known``
        is False when the page was not seen before (fetch it unconditionally then).
        """
        if url in self._next_links:
            return True, self._next_links[url]
        return False, None

    def page_digest(self, data: bytes, input_format: str | None) -> str:
        """The digest a page's bytes are remembered by (with the normaliser's version).

        The last answer is kept: the harvester and the engine ask for the same page in turn.
        """
        if self._last_digest[0] is data and self._last_digest[1] == input_format:
            return self._last_digest[2]
        digest = hashlib.sha256(f"{self._salt}|{input_format}|".encode() + data).hexdigest()
        self._last_digest = (data, input_format, digest)
        return digest

    def unchanged_page(self, url: str, data: bytes, input_format: str | None
                       ) -> tuple[bool, str | None]:
        """``(True, next link)`` when ``url`` gave exactly these bytes at the last committed
        run: a paged harvester may then skip parsing the page for its links."""
        remembered = self._page_digests.get(url)
        if remembered is None or url not in self._next_links_all:
            return False, None
        if remembered != self.page_digest(data, input_format):
            return False, None
        return True, self._next_links_all[url]

    def get(self, url: str, *, accept: str = RDF_ACCEPT, conditional: bool = True,
            headers: Mapping[str, str] | None = None) -> FetchedDocument:
        """GET ``url`` with retries and backoff; raise FetchError for a final failure.

        With ``conditional`` (and the run allowing it) the previous validators are sent,
        and a 304 answer is returned as is (``status == 304``, empty body).
        """
        sent = {"Accept": accept, **self.auth_headers(), **(headers or {})}
        if conditional and self.conditional:
            etag, modified = self.previous_validators(url)
            if etag:
                sent["If-None-Match"] = etag
            if modified:
                sent["If-Modified-Since"] = modified
        attempt = 0
        while True:
            try:
                document = self.http.fetch(url, headers=sent)
            except FetchError as exc:
                if attempt >= self.retries or _final(exc):
                    raise
            else:
                if document.status < 300 or document.status == 304:
                    return document
                if document.status not in RETRY_STATUSES or attempt >= self.retries:
                    raise HttpStatusError(document.status, document.body, place=url,
                                          hint=_status_hint(document.status))
            attempt += 1
            time.sleep(self.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 4))

    def page_from(self, document: FetchedDocument, input_format: str | None,
                  next_url: str | None = None) -> Page:
        """A :class:`Page` for a fetched document (a 304 becomes ``not_modified``)."""
        etag = document.headers.get("etag")
        modified = document.headers.get("last-modified")
        if document.status == 304:
            old_etag, old_modified = self.previous_validators(document.url)
            return Page(url=document.url, not_modified=True, etag=etag or old_etag,
                        last_modified=modified or old_modified, next_url=next_url)
        return Page(url=document.url, data=document.body, input_format=input_format,
                    etag=etag, last_modified=modified, next_url=next_url)


def _final(error: FetchError) -> bool:
    """Errors another try cannot mend: refused addresses, too large, malformed URLs."""
    from catalog_node.net.safe_http import AddressRefused

    return isinstance(error, AddressRefused) or "cap" in error.message


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return "the source needs a credential: `source add … --credential env:VAR`"
    if status == 404:
        return "check the URL; the page may have moved"
    return "the server failed; the run goes on with what it could read"


class Harvester(Protocol):
    """A source type: walks its source and yields pages; never writes."""

    #: the ``--type`` name of the source type (``dcat``, ``ckan``, ``sparql``, ``fdp``)
    source_type: str

    def pages(self, context: HarvestContext) -> Iterator[Page]:
        """The source's pages in order; a failed page goes to ``context.page_failed``."""
        ...
