"""The ``dcat`` source type: DCAT RDF from a file or a URL, single or Hydra-paged.

``source.url`` is an http(s) URL, a ``file://`` URL or a local path. A document may be
Turtle, TriG, N-Triples, N-Quads, RDF/XML or JSON-LD, gzip-compressed or not; its syntax
and the formats refused (DCAT-US JSON, CSW envelopes, HTML, plain JSON) are decided by
``formats_sniff.py``. Every page is parsed here as the loader will parse it
(``rdf_page.py``): a broken page is reported with ``context.page_failed`` and never
yielded. Pages are yielded one at a time, as they are read; none is kept.

Paging. A page that carries a Hydra next link (``hydra:next`` of a
``hydra:PartialCollectionView`` or ``hydra:nextPage`` of a legacy ``hydra:PagedCollection``,
see ``hydra.py``) is followed, a relative link resolved against the page URL, until a page
has none. The walk ends, reported, when a page cannot be read (its next link is unknown),
when a next link names a page already read in this run (any page, not only the first: the
error names both pages), or after ``max_pages`` pages (option, default 100000). A local
document's links to web pages are not followed: the file is the source. With the option
``paging=none`` no link is followed at all. A document without triples is not yielded:
it is reported, unless it is a ``modified_since`` listing (then nothing changed).

``modified_since``. When ``context.since`` is set and the first page offers an IRI template
(``hydra:search``, or any ``hydra:IriTemplate`` on it) with a variable whose
``hydra:property`` is ``dct:modified``, or one named ``modified_since`` (``modifiedSince``,
``since``, ``changed_since``), the template is expanded with that variable set to
``context.since`` (other variables left out) and the walk starts again from that filtered
listing; the unfiltered first page is not yielded. The run then calls
``context.partial("modified_since: only changed datasets listed")``, so the engine
withdraws nothing: an absent dataset was unchanged, not deleted.

Conditional GET. Pages are fetched with ``context.get``, which sends the validators the
previous run recorded, and every page yielded carries its next link (``Page.next_url``) for
the engine to remember. On a 304 the page's next link is needed to go on:

- when the last committed run recorded it (``context.previous_next``), the page is yielded
  as ``Page(not_modified=True, next_url=…)`` and the walk goes on from that link: a
  304 says the page, its next link included, is what it was;
- otherwise (never seen, or memory lost) the page is fetched again unconditionally and its
  next link read; it is yielded with its data (a page, not a marker), so correctness never
  depends on memory, except when it has no next link (a single document, or the last
  page): then the 304 marker is yielded;
- the first page is re-read the same way when ``context.since`` is set, to see whether it
  offers ``modified_since``.

With ``paging=none`` a 304 is yielded at once: the cheap choice for a large single file.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from catalog_node.errors import CatalogNodeError, ConfigError, InputError
from catalog_node.net.safe_http import FetchedDocument, FetchError
from harvesters.base import HarvestContext, Page, SourceConfig
from harvesters.formats_sniff import Prepared, prepare
from harvesters.hydra import Paging
from harvesters.iri_template import expand
from harvesters.payload import local_path, read_local
from harvesters.rdf_page import read_paging

log = logging.getLogger(__name__)

DEFAULT_MAX_PAGES = 100_000
MODIFIED_SINCE_REASON = "modified_since: only changed datasets listed"
_PAGING_MODES = ("auto", "none")


@dataclass(frozen=True)
class _Read:
    """One page as read: where from, its bytes ready to parse, what it says about paging."""

    place: str
    #: None for a 304 page that was not read again
    prepared: Prepared | None = None
    paging: Paging | None = None
    document: FetchedDocument | None = None
    #: the 304 marker, when the server said "not modified"
    not_modified: Page | None = None
    #: the next link the last run recorded for a 304 page that was not read again
    remembered_next: str | None = None


class DcatHarvester:
    """Walks a DCAT RDF document or a Hydra-paged listing and yields its pages."""

    source_type = "dcat"

    def __init__(self, source: SourceConfig):
        self.source = source
        self.max_pages = _positive_int(source, "max_pages", DEFAULT_MAX_PAGES)
        self.paging = source.options.get("paging", "auto")
        if self.paging not in _PAGING_MODES:
            raise ConfigError(f"option paging={self.paging!r} is not known",
                              place=f"source {source.name}",
                              hint=f"use one of {', '.join(_PAGING_MODES)}")
        self.local = local_path(source.url)

    def pages(self, context: HarvestContext) -> Iterator[Page]:
        url: str | None = self.source.url
        seen: dict[str, tuple[int, str]] = {}  # page key → (page number, URL as linked)
        previous = ""
        filtered = False
        while url is not None:
            key = _page_key(url, self.local is not None)
            if (stop := self._stop(url, key, seen, previous)) is not None:
                context.page_failed(stop)
                return
            seen[key] = (len(seen) + 1, url)
            first = len(seen) == 1 and not filtered
            try:
                read = self._read(context, url, first)
            except CatalogNodeError as exc:
                context.page_failed(exc)
                return
            if first and (since_url := self._since_url(read, context)):
                context.partial(MODIFIED_SINCE_REASON)
                filtered, url, seen = True, since_url, {}
                continue
            if read.paging is not None and read.paging.triples == 0:
                if not filtered:  # an empty filtered listing: nothing changed
                    context.page_failed(InputError(
                        "the document holds no triples", source=url,
                        hint="an empty document is not a catalogue; nothing was withdrawn"))
                return
            next_url = self._next(read, context)
            if read.not_modified is not None and (read.prepared is None or next_url is None):
                yield dataclasses.replace(read.not_modified, next_url=next_url)
            else:
                yield self._page(read, context, next_url)
            context.progress("pages", len(seen), None)
            previous, url = url, next_url

    def _stop(self, url: str, key: str, seen: dict[str, tuple[int, str]],
              previous: str) -> InputError | None:
        """Why the walk must not read ``url``: the page cap, or a page read before."""
        if len(seen) >= self.max_pages:
            return InputError(f"stopped after {self.max_pages} pages; the listing goes on",
                              source=url, hint="raise the source's max_pages option if the "
                                               "listing is that long")
        if key in seen:
            number, first_url = seen[key]
            return InputError(
                f"the listing loops: page {len(seen)} links to {url}, already read as page "
                f"{number} ({first_url})", source=previous,
                hint="the source's next links form a cycle; the pages before were read")
        return None

    # -- reading one page ------------------------------------------------------------
    def _read(self, context: HarvestContext, url: str, first: bool) -> _Read:
        if self.local is not None:
            path = self.local if url == self.source.url else local_path(url)
            if path is None:
                raise InputError("not a local file", source=url)
            data = read_local(path, url, self.source.max_bytes)
            return self._prepared(url, path.resolve().as_uri(), data, None, context, first)
        document = context.get(url)
        not_modified = None
        if document.status == 304:
            not_modified = context.page_from(document, None)
            known, remembered = context.previous_next(url)
            if self.paging == "none" or (known and not (first and context.since)):
                return _Read(url, not_modified=not_modified, remembered_next=remembered)
            document = context.get(url, conditional=False)
            if document.status == 304:
                raise FetchError("answered 304 to an unconditional GET", place=url,
                                 hint="the server's conditional GET is broken")
        read = self._prepared(url, document.final_url or url, document.body,
                              document.content_type, context, first)
        return dataclasses.replace(read, document=document, not_modified=not_modified)

    def _prepared(self, place: str, base: str, data: bytes, content_type: str | None,
                  context: HarvestContext, first: bool) -> _Read:
        prepared = prepare(data, place=place, content_type=content_type, name=base,
                           max_bytes=self.source.max_bytes)
        if not (first and context.since):  # the first page may offer modified_since
            known, remembered = context.unchanged_page(place, prepared.data, prepared.syntax)
            if known:  # the same bytes as last time: their links are known, skip parsing
                return _Read(place, prepared, None, remembered_next=remembered)
        return _Read(place, prepared, read_paging(prepared.data, prepared.syntax, base, place))

    def _page(self, read: _Read, context: HarvestContext, next_url: str | None) -> Page:
        assert read.prepared is not None
        if read.document is None:
            return Page(url=read.place, data=read.prepared.data,
                        input_format=read.prepared.syntax, next_url=next_url)
        page = context.page_from(read.document, read.prepared.syntax, next_url)
        return dataclasses.replace(page, url=read.place, data=read.prepared.data)

    # -- where next --------------------------------------------------------------------
    def _next(self, read: _Read, context: HarvestContext) -> str | None:
        if self.paging == "none":
            return None
        target = read.paging.next_url if read.paging is not None else read.remembered_next
        if target is None:
            return None
        scheme = urlsplit(target).scheme.lower()
        if self.local is not None:
            if scheme == "file":
                return target
            log.info("%s: next link %s not followed (the source is a local file)",
                     read.place, target)
            return None
        if scheme not in ("http", "https"):
            context.page_failed(InputError(f"next link {target} is not an http(s) URL",
                                           source=read.place,
                                           hint="the pages after this one were not read"))
            return None
        return target

    def _since_url(self, read: _Read, context: HarvestContext) -> str | None:
        if not context.since or self.paging == "none" or read.paging is None:
            return None
        offer = read.paging.modified_since()
        if offer is None:
            return None
        template, variable = offer
        return urljoin(read.paging.base, expand(template.template, {variable: context.since}))


def _page_key(url: str, local: bool) -> str:
    """``url`` normalised for loop detection (scheme and host case, default port, fragment)."""
    if local:
        path = local_path(url)
        return str(path.resolve()) if path else url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:  # a malformed port: the fetch will say so
        return url
    netloc = host if port in (None, default) else f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def _positive_int(source: SourceConfig, name: str, default: int) -> int:
    raw = source.options.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if value < 1:
        raise ConfigError(f"option {name}={raw!r} is not a positive integer",
                          place=f"source {source.name}", hint=f"e.g. {name}={default}")
    return value

