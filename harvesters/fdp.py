"""FAIR Data Point: follow the FDP's catalogue → dataset → distribution links.

``source.url`` is the FDP's root metadata document. The walk reads it (Accept: Turtle
first), follows its catalogue links (``fdp:metadataCatalog``, ``r3d:dataCatalog``,
``dcat:catalog`` and the members of its LDP containers), each catalogue's ``dcat:dataset``
links (and container members), and for each dataset its ``dcat:distribution`` documents
and the ``dcat:accessService`` documents they name. It yields ONE page per dataset (or
dataset series), in N-Triples: the dataset document's own triples, those of its
distributions and services (see ``fdp_document`` for what "own" means), and the triples
``<catalogue> a dcat:Catalog; dcat:dataset <dataset>`` of the first catalogue that listed it
— never the catalogue's other datasets.

Rules of the walk:

* every URL is fetched at most once (fragments dropped), so loops end and a dataset listed
  by two catalogues (or a series and a catalogue) gives one page; at most
  ``max_documents`` documents (option, default 100000) are fetched, after which the run
  is partial;
* links are resolved against the document's URL (relative IRIs); a link to a loopback host
  (``http://localhost:8080/…``, an FDP behind a proxy that publishes its internal address)
  is fetched from the source's own scheme, host and port, path kept; IRIs stay as published;
* a distribution listed only by an LDP container of the dataset gets the container's
  membership triple ``<dataset> dcat:distribution <it>`` once its document was read;
* a distribution or service whose document calls it by another IRI is renamed to the IRI
  the dataset links, so the record holds it; a dataset keeps its document's own IRI;
* data-service documents are fetched only on the FDP's own origin and when the
  distribution does not describe the service itself;
* a page's bytes depend only on the documents it combines (blank nodes are named from the
  document's URL and their rank in it), so the engine's page digest sees an unchanged page;
* documents are fetched unconditionally: a page combines several documents, so a 304 for
  one of them says nothing about the page. FDP runs rely on the engine's content hashes;
* a document that fails (HTTP error, not RDF, not describing the linked resource) is
  reported with its URL through ``context.page_failed`` and the walk goes on; a dataset
  whose distribution failed is still yielded with what was read — the run is then partial,
  so the engine withdraws nothing.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections import deque
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from catalog_node.errors import CatalogNodeError, ConfigError
from catalog_node.namespaces import DCAT_CATALOG, DCAT_DATASET_PROP, RDF_TYPE
from harvesters.base import HarvestContext, Page, SourceConfig
from harvesters.fdp_document import (
    DCAT_ACCESS_SERVICE,
    DCAT_DISTRIBUTION_PROP,
    FdpDocument,
    Link,
    Role,
    read_document,
)

DEFAULT_MAX_DOCUMENTS = 100_000
#: Data-service documents kept for reuse by other distributions (beyond, they are not cached).
_SERVICE_CACHE = 1_000


class FdpDocumentError(CatalogNodeError):
    """A document of the FDP could not be read; ``place`` is its URL."""


class FdpHarvester:
    """Walks a FAIR Data Point from its root; one page per dataset."""

    source_type = "fdp"

    def __init__(self, source: SourceConfig):
        self.source = source
        self.max_documents = _max_documents(source)

    def pages(self, context: HarvestContext) -> Iterator[Page]:
        yield from _Walk(context, self.max_documents).run()


class _Walk:
    """One run over one FDP: the visited URLs, the document budget, the service cache."""

    def __init__(self, context: HarvestContext, budget: int):
        self.context = context
        self.budget = budget
        self.fetched = 0
        self.stopped = False
        root = urlsplit(context.source.url)
        self.origin = (root.scheme.lower(), root.netloc.lower())
        self.seen: set[str] = set()
        self.yielded: set[str] = set()
        self.services: dict[str, list[Triple]] = {}

    def run(self) -> Iterator[Page]:
        queue = deque([Link(self.context.source.url, Role.LISTING)])
        while queue and not self.stopped:
            link = queue.popleft()
            document = self.fetch(link)
            if document is None:
                continue
            role = document.role(link.role)
            if role is Role.DATASET:
                if document.subject.value not in self.yielded:
                    self.yielded.add(document.subject.value)
                    yield self.dataset_page(document, link.catalog)
                queue.extend(document.series_members())
            elif role is Role.LISTING:
                queue.extend(document.children())

    # -- one dataset ------------------------------------------------------------------
    def dataset_page(self, document: FdpDocument, catalog: NamedNode | None) -> Page:
        triples = document.own_triples()
        for iri in document.distributions():
            part = self.fetch(Link(iri, Role.DISTRIBUTION), of=document.subject.value)
            if part is not None:
                # an LDP member is a distribution by the container's membership triple
                triples.append(Triple(document.subject, DCAT_DISTRIBUTION_PROP, NamedNode(iri)))
                triples += _as_linked(part.own_triples(), part.subject, iri)
        triples += self.service_triples(triples, document.subject.value)
        if catalog is not None:
            triples += [Triple(catalog, RDF_TYPE, DCAT_CATALOG),
                        Triple(catalog, DCAT_DATASET_PROP, document.subject)]
        data = serialize(list(dict.fromkeys(triples)), format=RdfFormat.N_TRIPLES)
        return Page(url=document.url, data=data, input_format="ntriples")

    def service_triples(self, triples: list[Triple], dataset: str) -> list[Triple]:
        """The own triples of services the page names but does not describe (FDP origin)."""
        described = {t.subject for t in triples}
        found: list[Triple] = []
        for triple in triples:
            service = triple.object
            if (triple.predicate != DCAT_ACCESS_SERVICE or not isinstance(service, NamedNode)
                    or service in described):
                continue
            described.add(service)
            url = self.fetch_url(service.value)
            if _origin(url) != self.origin:
                continue
            if url not in self.services:
                part = self.fetch(Link(service.value, Role.SERVICE), of=dataset)
                own = [] if part is None else _as_linked(part.own_triples(), part.subject,
                                                        service.value)
                if len(self.services) < _SERVICE_CACHE:
                    self.services[url] = own
                found += own
            else:
                found += self.services[url]
        return found

    # -- fetching ---------------------------------------------------------------------
    def fetch(self, link: Link, of: str | None = None) -> FdpDocument | None:
        """The linked document, or None when already visited, over budget or failed."""
        url = self.fetch_url(link.iri)
        if url in self.seen or self.stopped:
            return None
        if self.fetched >= self.budget:
            self.stopped = True
            self.context.partial(f"stopped after {self.fetched} documents (max_documents)")
            return None
        self.seen.add(url)
        self.fetched += 1
        try:
            fetched = self.context.get(url, conditional=False)
            self.seen.add(self.fetch_url(fetched.final_url))
            document = read_document(fetched, link, _tag(url))
        except CatalogNodeError as exc:
            what = link.role.value if link.role is not Role.UNKNOWN else "linked"
            whose = f" of <{of}>" if of else ""
            self.context.page_failed(FdpDocumentError(
                f"{what} document{whose}: {exc.message}", place=exc.place or url,
                hint=exc.hint))
            return None
        finally:
            self.context.progress("fetch", self.fetched, None)
        return document

    def fetch_url(self, iri: str) -> str:
        """Where to GET an IRI: no fragment; a loopback host moved to the source's origin."""
        url = iri.split("#", 1)[0]
        parts = urlsplit(url)
        if _is_loopback(parts.hostname) and _origin(url) != self.origin:
            return urlunsplit((self.origin[0], self.origin[1], parts.path, parts.query, ""))
        return url


def _as_linked(triples: list[Triple], subject: NamedNode, iri: str) -> list[Triple]:
    """Triples about ``subject`` restated about the IRI the dataset links, when they differ."""
    if subject.value == iri:
        return triples
    linked = NamedNode(iri)
    return [Triple(linked if t.subject == subject else t.subject, t.predicate,
                   linked if t.object == subject else t.object) for t in triples]


def _tag(url: str) -> str:
    """A blank-node prefix of a document, from its URL (stable whatever the walk's order)."""
    return "b" + hashlib.sha256(url.encode()).hexdigest()[:12] + "x"


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _max_documents(source: SourceConfig) -> int:
    raw = source.options.get("max_documents", str(DEFAULT_MAX_DOCUMENTS))
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(f"option max_documents={raw!r} is not a positive whole number",
                          place=f"source {source.name}",
                          hint="give the source's max_documents option a number such as 100000")
    return value
