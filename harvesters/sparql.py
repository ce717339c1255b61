"""A SPARQL 1.1 endpoint as a source: a paged listing, then one CONSTRUCT per dataset.

The listing is a SELECT of dataset IRIs in a stable order (``ORDER BY``), paged with
``LIMIT``/``OFFSET`` until a page comes back empty. Each dataset is then described by one
CONSTRUCT (``sparql_queries.describe_query``: its nodes up to ``depth`` links away, by
the node's record rules); descriptions are gathered into pages of ``batch`` datasets,
each as one N-Triples document whose blank nodes are relabelled per query, since two
answers may reuse the same labels for different nodes. One CONSTRUCT per dataset, not one
per batch (``VALUES``): measured on Oxigraph 0.5, ten datasets in one query cost as much
per dataset as ten queries, and a batch's IRIs, repeated in every branch, soon pass the
8 kB request head Oxigraph accepts; one dataset's failure also stays its own.

Blank-node datasets cannot be named in a second query, so they cannot be listed and then
described one by one; they are all described together by one CONSTRUCT that finds them
again by their typing (option ``blank_datasets=skip`` leaves them out, reported).

Source options (``SourceConfig.options``):

``page_size``      datasets per listing page (500)
``batch``          datasets per page handed to the harvest engine (50)
``depth``          links followed from a dataset (4; 0 to 6)
``parallel``       CONSTRUCT requests in flight at once (2; 1 to 8)
``catalog_iri``    only the datasets of this catalogue and its sub-catalogues
``graph``          query this named graph as the default graph (``default-graph-uri``)
``modified_filter`` ``on`` (default): with a previous complete run (``context.since``),
                   list only datasets whose ``dct:modified`` is on or after the day
                   before it, and undated ones (nothing says they did not change)
``blank_datasets`` ``describe`` (default) or ``skip``
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, parse, serialize

from catalog_node.errors import CatalogNodeError, ConfigError, RecordError
from catalog_node.namespaces import RDF_TYPE, RECORD_ROOT_CLASSES
from catalog_node.rdf.formats import syntax_named
from harvesters.base import HarvestContext, Page, SourceConfig
from harvesters.sparql_client import SparqlEndpoint, SparqlEndpointError
from harvesters.sparql_queries import (
    DEFAULT_DEPTH,
    MAX_DEPTH,
    Selection,
    blank_count_query,
    describe_blank_query,
    describe_query,
    listing_query,
)

_ROOT_TYPES = frozenset(RECORD_ROOT_CLASSES)


@dataclass(frozen=True)
class SparqlOptions:
    """The source options this harvester reads, checked."""

    page_size: int = 500
    batch: int = 50
    depth: int = DEFAULT_DEPTH
    parallel: int = 2
    catalog_iri: str | None = None
    graph: str | None = None
    modified_filter: bool = True
    describe_blank: bool = True

    @classmethod
    def of(cls, source: SourceConfig) -> SparqlOptions:
        options = source.options
        return cls(
            page_size=_int(options, "page_size", 500, 1, 10_000, source),
            batch=_int(options, "batch", 50, 1, 1_000, source),
            depth=_int(options, "depth", DEFAULT_DEPTH, 0, MAX_DEPTH, source),
            parallel=_int(options, "parallel", 2, 1, 8, source),
            catalog_iri=_iri(options, "catalog_iri", source),
            graph=_iri(options, "graph", source),
            modified_filter=_choice(options, "modified_filter", ("on", "off"), source) == "on",
            describe_blank=_choice(options, "blank_datasets", ("describe", "skip"),
                                   source) == "describe",
        )


class SparqlHarvester:
    """Harvests the DCAT datasets a SPARQL 1.1 endpoint holds."""

    source_type = "sparql"

    def __init__(self, source: SourceConfig):
        self.source = source
        self.options = SparqlOptions.of(source)
        self._unreachable = False

    def pages(self, context: HarvestContext) -> Iterator[Page]:
        self._unreachable = False
        endpoint = SparqlEndpoint(context, self.source.url, self.options.graph)
        selection = Selection(self.options.catalog_iri, self._modified_from(context))
        pages = _Pages(endpoint.url, self.options.batch, self.source.max_bytes)
        described = 0
        pool = ThreadPoolExecutor(self.options.parallel, thread_name_prefix="sparql-construct")
        try:
            for iris in self._listing(endpoint, selection, context):
                answers = pool.map(lambda iri: self._describe(endpoint, iri), iris)
                for answer in answers:
                    if isinstance(answer, CatalogNodeError):
                        context.page_failed(answer)
                    elif page := pages.add(answer):
                        yield page
                    described += 1
                    context.progress("datasets", described, None)
        finally:  # a consumer that stops early leaves no queries running behind it
            pool.shutdown(wait=True, cancel_futures=True)
        if page := pages.flush():
            yield page
        if not self._unreachable:
            yield from self._blank_datasets(endpoint, selection, context)

    # -- listing ------------------------------------------------------------------------
    def _modified_from(self, context: HarvestContext) -> str | None:
        """The first day whose datasets are listed, when the run may list only changes."""
        if not (context.since and self.options.modified_filter):
            return None
        try:
            since = datetime.fromisoformat(context.since)
        except ValueError:
            raise ConfigError(f"the previous run's time {context.since!r} is not ISO 8601",
                              place=self.source.name, hint="run a full harvest") from None
        day = (since - timedelta(days=1)).date().isoformat()  # a day's slack for time zones
        context.partial(f"only datasets modified since {day} (or undated) were listed")
        return day

    def _listing(self, endpoint: SparqlEndpoint, selection: Selection,
                 context: HarvestContext) -> Iterator[list[str]]:
        """Pages of new dataset IRIs; a failed page is reported and ends the listing (when
        the first one failed, the endpoint is taken as unreachable: nothing more is asked)."""
        size, offset, seen = self.options.page_size, 0, set[str]()
        while True:
            what = f"listing datasets (offset {offset}, limit {size})"
            try:
                rows = endpoint.select(listing_query(selection, size, offset), what)
            except CatalogNodeError as exc:
                context.page_failed(exc)
                self._unreachable = offset == 0
                return
            if not rows:
                return
            iris = [row["d"]["value"] for row in rows if row.get("d", {}).get("type") == "uri"]
            fresh = [iri for iri in dict.fromkeys(iris) if iri not in seen]
            if not fresh:
                context.page_failed(SparqlEndpointError(
                    f"{what}: the page repeats datasets already listed", place=endpoint.url,
                    hint="the endpoint seems to ignore OFFSET or ORDER BY; the listing "
                         "stopped there"))
                return
            seen.update(fresh)
            yield fresh
            offset += len(rows)

    # -- describing ---------------------------------------------------------------------
    def _describe(self, endpoint: SparqlEndpoint, iri: str) -> _Description | CatalogNodeError:
        """One dataset's description, or the error that stopped it (reported by the caller:
        this runs in a worker thread)."""
        what = f"describing <{iri}>"
        try:
            data, syntax = endpoint.construct(describe_query(iri, self.options.depth), what)
            triples = _read(data, syntax, endpoint.url, what)
        except CatalogNodeError as exc:
            return exc
        root = NamedNode(iri)
        if not any(t.subject == root and t.predicate == RDF_TYPE and t.object in _ROOT_TYPES
                   for t in triples):
            return RecordError(f"{what}: the endpoint's answer does not type the dataset",
                               place=endpoint.url,
                               hint="the endpoint may have cut the answer short; the dataset "
                                    "was left as it was")
        return _Description(triples)

    def _blank_datasets(self, endpoint: SparqlEndpoint, selection: Selection,
                        context: HarvestContext) -> Iterator[Page]:
        if not self.options.describe_blank:
            try:
                rows = endpoint.select(blank_count_query(selection), "counting blank-node datasets")
                count = int(rows[0]["n"]["value"]) if rows else 0
            except (CatalogNodeError, KeyError, ValueError) as exc:
                context.page_failed(exc if isinstance(exc, CatalogNodeError) else
                                    SparqlEndpointError(f"unreadable count ({exc})",
                                                        place=endpoint.url))
                return
            if count:
                context.partial(f"{count} blank-node datasets skipped (blank_datasets=skip)")
            return
        what = "describing the blank-node datasets"
        try:
            data, syntax = endpoint.construct(
                describe_blank_query(selection, self.options.depth), what)
            triples = _read(data, syntax, endpoint.url, what)
        except CatalogNodeError as exc:
            context.page_failed(exc)
            return
        if triples:
            yield Page(url=f"{endpoint.url}#blank-node-datasets",
                       data=serialize(triples, format=RdfFormat.N_TRIPLES),
                       input_format="ntriples")


@dataclass(frozen=True)
class _Description:
    triples: list[Triple]


class _Pages:
    """Descriptions gathered into N-Triples pages of ``batch`` datasets (or fewer, once
    the page reaches ``max_bytes``)."""

    def __init__(self, endpoint: str, batch: int, max_bytes: int):
        self._endpoint, self._batch, self._max_bytes = endpoint, batch, max_bytes
        self._lines: list[bytes] = []
        self._size = self._count = self._first = 0

    def add(self, description: _Description) -> Page | None:
        relabelled = _relabel(description.triples, f"q{self._first + self._count}x")
        data = serialize(relabelled, format=RdfFormat.N_TRIPLES)
        self._lines.append(data)
        self._size += len(data)
        self._count += 1
        if self._count >= self._batch or self._size >= self._max_bytes:
            return self.flush()
        return None

    def flush(self) -> Page | None:
        if not self._count:
            return None
        first, last = self._first + 1, self._first + self._count
        page = Page(url=f"{self._endpoint}#datasets-{first}-{last}",
                    data=b"".join(self._lines), input_format="ntriples")
        self._first += self._count
        self._lines, self._size, self._count = [], 0, 0
        return page


def _read(data: bytes, syntax: str, endpoint: str, what: str) -> list[Triple]:
    """The distinct triples of a CONSTRUCT answer, in the order given."""
    try:
        triples = parse(data, format=syntax_named(syntax).rdf_format)
        return list(dict.fromkeys(triple for triple in triples))  # type: ignore[misc]
    except (SyntaxError, ValueError) as exc:
        raise SparqlEndpointError(f"{what}: unreadable {syntax} answer ({exc})", place=endpoint,
                                  hint="the endpoint sent a broken result") from None


def _relabel(triples: list[Triple], prefix: str) -> list[Triple]:
    """The triples with their blank nodes renamed ``{prefix}{n}``, unique to this answer."""
    names: dict[str, BlankNode] = {}

    def rename(term):  # type: ignore[no-untyped-def]
        if isinstance(term, BlankNode):
            if term.value not in names:
                names[term.value] = BlankNode(f"{prefix}{len(names)}")
            return names[term.value]
        return term

    return [Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples]


def _int(options: Mapping[str, str], key: str, default: int, low: int, high: int,
         source: SourceConfig) -> int:
    raw = options.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ConfigError(f"option {key}={raw!r} is not a whole number from {low} to {high}",
                          place=f"source {source.name}", hint=f"the default is {default}")
    return value


def _iri(options: Mapping[str, str], key: str, source: SourceConfig) -> str | None:
    """An absolute IRI (it is written into the query text, so it must be one)."""
    value = options.get(key) or None
    if value is not None:
        try:
            NamedNode(value)
        except ValueError as exc:
            raise ConfigError(f"option {key}={value!r} is not an absolute IRI ({exc})",
                              place=f"source {source.name}",
                              hint="give the IRI as the endpoint stores it") from None
    return value


def _choice(options: Mapping[str, str], key: str, allowed: tuple[str, ...],
            source: SourceConfig) -> str:
    value = (options.get(key) or allowed[0]).lower()
    if value not in allowed:
        raise ConfigError(f"option {key}={options.get(key)!r} is not one of "
                          f"{', '.join(allowed)}", place=f"source {source.name}",
                          hint=f"the default is {allowed[0]}")
    return value
