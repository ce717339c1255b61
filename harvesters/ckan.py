"""A CKAN site as a source: ``package_search`` pages, mapped to DCAT-AP 3 N-Triples.

``source.url`` is the site root (``https://ckan.example.org/``) or its Action API base
(``…/api/3/action/``). The walk asks ``package_search`` for ``rows`` packages at a time
(``start`` = 0, rows, 2·rows…, in a stable ``sort``) until ``start`` reaches the answer's
``count`` or a page comes back empty. A package whose search result has no ``resources``
list, or fewer than its ``num_resources`` (a truncated result), is read again with
``package_show``. Each search page becomes one N-Triples page (``ckan_mapping``), whose
URL is the ``package_search`` request.

Rules of the walk:

* a page whose packages were all listed already means the server ignores ``start``: it is
  reported (``context.page_failed``) and the walk stops, instead of looping;
* a CKAN error answer (``"success": false``, HTTP 403/404/409/500…) is reported with the
  request URL, CKAN's ``__type`` and message; a failed search page is skipped when the
  total is known (the walk goes on at the next offset), and ends the walk otherwise; a
  failed ``package_show`` loses that package only;
* with ``context.since`` (the start of the last complete run) only packages modified
  since then (less an hour, for clock skew) are asked for, with
  ``fq=metadata_modified:[SINCE TO NOW]``, and the run is marked partial so that nothing
  is withdrawn;
* requests carry the source's credential as the raw token in ``Authorization`` (CKAN's
  API token scheme) and are never conditional: CKAN answers have no validators;
* values the mapping had to leave out (a URL with spaces, a date that is no date…) are
  reported one by one as :class:`CkanMappingNote` errors in ``context.errors`` (a
  ``RecordError``: place = the package's page on the site, message = field and problem);
  they never make the run partial.

Source options: ``rows`` (100; 1 to 1000), ``sort`` (``metadata_created asc, id asc``),
``fq`` (an extra Solr filter, e.g. ``organization:lumc``), ``include_private``
(``false``; ``true`` with a credential that may read private packages).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from pyoxigraph import RdfFormat, Triple, serialize

from catalog_node.errors import CatalogNodeError, ConfigError, RecordError
from catalog_node.net.safe_http import FetchError
from harvesters.base import HarvestContext, HttpStatusError, Page, SourceConfig
from harvesters.ckan_mapping import MappedPackage, map_package, package_key

DEFAULT_SORT = "metadata_created asc, id asc"
#: slack subtracted from ``since``: clocks of the node and the CKAN site may differ
SINCE_SLACK = timedelta(hours=1)
_API = re.compile(r"^(?P<site>.*?)/api(?:/\d+)?(?:/action)?/?$")
_HINTS = {
    "Not Found Error": "check the source URL and the package id; the package may be deleted",
    "Authorization Error": "the source needs an API token: `source add … --credential env:VAR`",
    "Validation Error": "CKAN refused the request's parameters (check the rows, sort and fq "
                        "options)",
    "Search Query Error": "CKAN's search refused the query (check the sort and fq options)",
    "Search Error": "CKAN's search refused the query (check the sort and fq options)",
}


class CkanError(CatalogNodeError):
    """The CKAN API answered with an error, or with something that is no CKAN answer."""


class CkanMappingNote(RecordError):
    """A package value left out of the mapping (reported, never fatal)."""


@dataclass(frozen=True)
class CkanOptions:
    """The source options this harvester reads, checked."""

    rows: int = 100
    sort: str = DEFAULT_SORT
    fq: str | None = None
    include_private: bool = False

    @classmethod
    def of(cls, source: SourceConfig) -> CkanOptions:
        options = source.options
        text = options.get("rows", "100")
        if not str(text).isdigit() or not 1 <= int(text) <= 1000:
            raise ConfigError(f"option rows={text!r} is not a whole number from 1 to 1000",
                              place=source.name, hint="e.g. `--option rows=100`")
        private = options.get("include_private", "false").lower()
        if private not in ("true", "false"):
            raise ConfigError(f"option include_private={private!r} is not true or false",
                              place=source.name)
        return cls(rows=int(text), sort=options.get("sort", DEFAULT_SORT),
                   fq=options.get("fq") or None, include_private=private == "true")


def api_base(url: str) -> tuple[str, str]:
    """``(site root without trailing slash, Action API base ending in /api/3/action/)``."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{url!r} is not an http(s) URL", place=url,
                          hint="give the CKAN site root or its /api/3/action/ URL")
    path = parts.path.rstrip("/")
    if match := _API.match(path):
        path = match.group("site")
    site = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return site, f"{site}/api/3/action/"


class CkanApi:
    """Calls to one CKAN site's Action API through the harvest context."""

    def __init__(self, context: HarvestContext):
        self.context = context
        self.site, self.base = api_base(context.source.url)
        self.headers = context.auth_headers(scheme="")

    def url(self, action: str, params: list[tuple[str, str]]) -> str:
        return f"{self.base}{action}?{urlencode(params)}"

    def call(self, url: str) -> Any:
        """The ``result`` of one action; CkanError (naming the URL) for any failure."""
        try:
            document = self.context.get(url, accept="application/json", conditional=False,
                                        headers=self.headers)
        except HttpStatusError as exc:
            raise self._error_answer(url, exc.status, exc.body) from exc
        except FetchError as exc:
            raise CkanError(exc.message, place=url, hint=exc.hint) from exc
        return _result(document.body, url, document.status)

    def _error_answer(self, url: str, status: int, body: bytes) -> CkanError:
        """CKAN's own words for an HTTP error answer, when its body holds them."""
        try:
            _result(body, url, status)
        except CkanError as exc:
            return exc
        return CkanError(f"HTTP status {status}", place=url,
                         hint=_HINTS["Authorization Error"] if status in (401, 403)
                         else "check the source URL")


def _result(body: bytes, url: str, status: int) -> Any:
    try:
        answer = json.loads(body)
    except ValueError:
        raise CkanError(f"HTTP status {status}, and the answer is not JSON", place=url,
                        hint="is the source URL a CKAN site (root or /api/3/action/)?"
                        ) from None
    if not isinstance(answer, Mapping) or "success" not in answer:
        raise CkanError(f"HTTP status {status}, and the answer is not a CKAN API answer",
                        place=url, hint="is the source URL a CKAN site?")
    if answer.get("success") is not True:
        error = answer.get("error")
        error = error if isinstance(error, Mapping) else {}
        kind = str(error.get("__type") or "error")
        details = error.get("message") or {k: v for k, v in error.items() if k != "__type"}
        text = details if isinstance(details, str) else json.dumps(details, ensure_ascii=False)
        raise CkanError(f"HTTP status {status}: CKAN {kind}: {text}", place=url,
                        hint=_HINTS.get(kind, "see CKAN's message"))
    return answer.get("result")


class CkanHarvester:
    """Harvests the packages of a CKAN site through its Action API."""

    source_type = "ckan"

    def __init__(self, source: SourceConfig):
        self.source = source
        self.options = CkanOptions.of(source)
        api_base(source.url)  # a wrong URL is a configuration error, found now

    def pages(self, context: HarvestContext) -> Iterator[Page]:
        api = CkanApi(context)
        fq = self._filter(context)
        seen: set[str] = set()
        start, count = 0, None
        while count is None or start < count:
            url = api.url("package_search", self._params(start, fq))
            try:
                result = api.call(url)
                total, results = _search_result(result, url)
            except CkanError as exc:
                context.page_failed(exc)
                if count is None:
                    return
                start += self.options.rows
                continue
            count = total
            if not results:
                return
            fresh = [item for item in results if _identity(item) not in seen]
            if not fresh:
                context.page_failed(CkanError(
                    f"the page at start={start} repeats packages of an earlier page",
                    place=url, hint="the server seems to ignore `start` (or the sort is not "
                                    "stable); the walk stopped there"))
                return
            seen.update(_identity(item) for item in fresh)
            if page := self._page(api, url, fresh, context):
                yield page
            start += len(results)
            context.progress("datasets", min(start, count), count)

    # -- one search page -----------------------------------------------------------------
    def _page(self, api: CkanApi, url: str, packages: list[Mapping[str, Any]],
              context: HarvestContext) -> Page | None:
        triples: list[Triple] = []
        for package in packages:
            full = self._complete(api, package, url, context)
            if full is None:
                continue
            mapped = map_package(full, api.site)
            self._report(mapped, api.site, context)
            triples += mapped.triples
        if not triples:
            return None
        data = serialize(triples, format=RdfFormat.N_TRIPLES)
        return Page(url=url, data=data, input_format="ntriples")

    def _complete(self, api: CkanApi, package: Mapping[str, Any], url: str,
                  context: HarvestContext) -> Mapping[str, Any] | None:
        """The package itself, or its ``package_show`` when the search result is partial."""
        key = package_key(package)
        if key is None:
            context.errors.append(RecordError(
                "a search result has neither id nor name; it was skipped", place=url,
                hint="the site's search answers are truncated (a `fl` setting?)"))
            return None
        resources = package.get("resources")
        listed = package.get("num_resources")
        if isinstance(resources, list) and not (isinstance(listed, int)
                                                and listed > len(resources)):
            return package
        show = api.url("package_show", [("id", key)])
        try:
            full = api.call(show)
        except CkanError as exc:
            context.page_failed(exc)
            return None
        if not isinstance(full, Mapping) or package_key(full) is None:
            context.page_failed(CkanError("package_show gave no package", place=show,
                                          hint="the package may have been deleted"))
            return None
        return full

    @staticmethod
    def _report(mapped: MappedPackage, site: str, context: HarvestContext) -> None:
        place = f"{site}/dataset/{quote(mapped.key, safe='')}"
        for note in mapped.notes:
            context.errors.append(CkanMappingNote(
                f"{note.field}: {note.problem}; the value was left out", place=place,
                hint="correct the value in CKAN; the rest of the package was harvested"))

    # -- request parameters --------------------------------------------------------------
    def _filter(self, context: HarvestContext) -> str | None:
        """The ``fq`` of the run: the source's own, and the ``modified_since`` window."""
        filters = [self.options.fq] if self.options.fq else []
        if context.since:
            try:
                since = datetime.fromisoformat(context.since)
            except ValueError:
                raise ConfigError(f"the previous run's time {context.since!r} is not ISO 8601",
                                  place=self.source.name, hint="run a full harvest") from None
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            stamp = (since.astimezone(UTC) - SINCE_SLACK).strftime("%Y-%m-%dT%H:%M:%SZ")
            filters.append(f"metadata_modified:[{stamp} TO NOW]")
            context.partial(f"only packages modified since {stamp} were asked for")
        return " AND ".join(f"({f})" if len(filters) > 1 else f for f in filters) or None

    def _params(self, start: int, fq: str | None) -> list[tuple[str, str]]:
        params = [("rows", str(self.options.rows)), ("start", str(start)),
                  ("sort", self.options.sort)]
        if fq:
            params.append(("fq", fq))
        if self.options.include_private:
            params.append(("include_private", "true"))
        return params


def _search_result(result: Any, url: str) -> tuple[int, list[Mapping[str, Any]]]:
    if not isinstance(result, Mapping) or not isinstance(result.get("count"), int) \
            or not isinstance(result.get("results"), list):
        raise CkanError("package_search gave no count and results", place=url,
                        hint="is the source URL a CKAN site?")
    return result["count"], [item for item in result["results"] if isinstance(item, Mapping)]


def _identity(package: Mapping[str, Any]) -> str:
    """What tells two search results apart: id or name, else the whole result."""
    return package_key(package) or json.dumps(package, sort_keys=True, default=str)
