"""The dcat source type walking Hydra-paged endpoints on loopback, in both designs.

udata's paged fixtures page by page; the benchmark catalogue through
``bench/paged_endpoint.py`` (gzip, relative links, loops, failures, caps); ``modified_since``;
conditional GET on paged and single documents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from catalog_node.errors import InputError
from catalog_node.net.safe_http import FetchError
from harvesters.dcat import MODIFIED_SINCE_REASON, DcatHarvester
from tests.test_harvest_dcat import (
    context_for,
    count_datasets,
    endpoint,
    harvest,
    load_bench,
    page_datasets,
    rdflib_datasets,
)

generator = load_bench("generate")
N = 130
SIZE = 25  # 6 pages: 5 of 25 and one of 5


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("paged")
    paths = {"turtle": folder / "catalog.ttl", "ntriples": folder / "catalog.nt"}
    for fmt, path in paths.items():
        generator.generate(N, 5, path, fmt)
    return paths


def statuses(server: Any, path: str) -> list[int]:
    return [r.status for r in server.requests if r.path == path]


# -- udata's fixtures, page by page -------------------------------------------------------

@pytest.mark.parametrize("design", ["partial-collection", "paged-collection"])
def test_udata_paged_fixtures_page_by_page(shared: Path, design: str) -> None:
    folder = shared / "corpus" / "udata-harvest-fixtures" / "dcat"
    if not folder.is_dir():
        pytest.skip("../shared/corpus not present")
    with endpoint.start_static({}) as server:
        here = (server.url + "/catalog.jsonld").encode()
        for n in (1, 2):  # their links name http://data.test.org: point them here
            data = (folder / f"{design}-{n}.jsonld").read_bytes()
            server.server.documents[f"/catalog.jsonld?page={n}"] = endpoint.StaticDocument(
                data.replace(b"http://data.test.org/catalog.jsonld", here),
                "application/ld+json")
        pages, context = harvest(server.url + "/catalog.jsonld?page=1")
    assert not context.errors and context.complete
    assert [p.url.rsplit("/", 1)[1] for p in pages] == ["catalog.jsonld?page=1",
                                                         "catalog.jsonld?page=2"]
    assert pages[0].next_url == server.url + "/catalog.jsonld?page=2"
    assert pages[1].next_url is None
    expected = [rdflib_datasets(folder / f"{design}-{n}.jsonld", "json-ld") for n in (1, 2)]
    assert [len(page_datasets(p)) for p in pages] == expected == [3, 1]


# -- the benchmark catalogue ----------------------------------------------------------------

@pytest.mark.parametrize("design", ["view", "paged"])
@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_generated_catalogue_both_designs_gzip(catalogues: dict[str, Path], design: str,
                                               fmt: str) -> None:
    with endpoint.start(catalogues[fmt], page_size=SIZE, design=design) as server:
        pages, context = harvest(server.url)
    assert not context.errors and context.complete
    assert len(pages) == 6 and count_datasets(pages) == N
    assert {p.input_format for p in pages} == {fmt}
    assert [p.next_url for p in pages] == [server.page_url(n) for n in range(2, 7)] + [None]
    answered = [r for r in server.requests if r.status == 200]
    assert len(answered) == 6
    assert all(r.sent.get("content-encoding") == "gzip" for r in answered)
    assert all("gzip" in r.headers["accept-encoding"] for r in answered)


@pytest.mark.parametrize("design", ["view", "paged"])
def test_relative_next_links(catalogues: dict[str, Path], design: str) -> None:
    with endpoint.start(catalogues["ntriples"], page_size=SIZE, design=design,
                        relative_links=True, gzip=False) as server:
        pages, context = harvest(server.url)
    assert not context.errors and count_datasets(pages) == N
    assert b"<?page=2>" in pages[0].data if design == "view" else b'"?page=2"' in pages[0].data
    assert all("content-encoding" not in r.sent for r in server.requests)


def test_pages_are_yielded_as_they_are_read(catalogues: dict[str, Path]) -> None:
    with endpoint.start(catalogues["turtle"], page_size=SIZE) as server:
        context = context_for(server.url)
        walk = DcatHarvester(context.source).pages(context)
        first = next(walk)
        assert len(page_datasets(first)) == SIZE and len(server.requests) == 1
        assert len(list(walk)) == 5 and len(server.requests) == 6


def test_loop_on_a_middle_page_detected(catalogues: dict[str, Path]) -> None:
    with endpoint.start(catalogues["turtle"], page_size=SIZE, loop={3: 2}) as server:
        pages, context = harvest(server.url)
    assert [p.url for p in pages] == [server.url, server.page_url(2), server.page_url(3)]
    (error,) = context.errors
    assert isinstance(error, InputError) and error.place == server.page_url(3)
    assert f"links to {server.page_url(2)}, already read as page 2" in error.message
    assert not context.complete and count_datasets(pages) == 3 * SIZE


def test_server_error_retried_then_reported(catalogues: dict[str, Path]) -> None:
    with endpoint.start(catalogues["turtle"], page_size=SIZE, fail={3: (500, 1)}) as server:
        pages, context = harvest(server.url)
    assert not context.errors and count_datasets(pages) == N
    assert statuses(server, "/catalog?page=3") == [500, 200]
    with endpoint.start(catalogues["turtle"], page_size=SIZE, fail={3: (503, 0)}) as server:
        pages, context = harvest(server.url)
    assert [p.url for p in pages] == [server.url, server.page_url(2)]
    (error,) = context.errors
    assert isinstance(error, FetchError) and error.place == server.page_url(3)
    assert "HTTP status 503" in str(error) and not context.complete
    assert statuses(server, "/catalog?page=3") == [503] * 4  # the first try and 3 retries


def test_broken_page_ends_the_walk_reported(catalogues: dict[str, Path]) -> None:
    with endpoint.start(catalogues["ntriples"], page_size=SIZE, corrupt={2}) as server:
        pages, context = harvest(server.url)
    assert [p.url for p in pages] == [server.url]
    (error,) = context.errors
    assert isinstance(error, InputError) and error.source == server.page_url(2)
    assert error.line is not None and len(server.requests) == 2


def test_max_pages_caps_the_walk(catalogues: dict[str, Path]) -> None:
    with endpoint.start(catalogues["turtle"], page_size=SIZE) as server:
        pages, context = harvest(server.url, options={"max_pages": "2"})
    assert len(pages) == 2 and "stopped after 2 pages" in str(context.errors[0])
    assert len(server.requests) == 2


# -- modified_since ---------------------------------------------------------------------------

def _changed_since(path: Path, since: str) -> int:
    """Datasets of the file modified at or after ``since``, counted by SPARQL."""
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
    query = ("PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>"
             " PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT (COUNT(?d) AS ?n) WHERE"
             f' {{ ?d a dcat:Dataset ; dct:modified ?m FILTER(?m >= "{since}"^^xsd:dateTime) }}')
    return int(next(iter(store.query(query)))["n"].value)


def test_modified_since_lists_only_changed_datasets(catalogues: dict[str, Path]) -> None:
    since = "2024-06-01T00:00:00Z"
    expected = _changed_since(catalogues["turtle"], since)
    assert 0 < expected < N
    with endpoint.start(catalogues["turtle"], page_size=10) as server:
        pages, context = harvest(server.url, since=since)
    assert count_datasets(pages) == expected and not context.errors
    assert not context.complete and context.incomplete_reason == MODIFIED_SINCE_REASON
    assert pages[0].url == server.page_url(1, since).replace("&page=1", "")
    assert all("modified_since=2024-06-01T00%3A00%3A00Z" in p.url for p in pages)
    assert server.requests[0].path == "/catalog" and len(pages) == -(-expected // 10)


def test_modified_since_needs_an_offer_and_a_conditional_run(
        catalogues: dict[str, Path]) -> None:
    since = "2024-06-01T00:00:00Z"
    with endpoint.start(catalogues["turtle"], page_size=SIZE, modified_since=False) as server:
        pages, context = harvest(server.url, since=since)
    assert count_datasets(pages) == N and context.complete
    with endpoint.start(catalogues["turtle"], page_size=SIZE) as server:
        pages, context = harvest(server.url, since=since, conditional=False)
    assert count_datasets(pages) == N and context.complete


# -- conditional GET ----------------------------------------------------------------------------

def test_304_on_a_paged_endpoint(catalogues: dict[str, Path]) -> None:
    with endpoint.start(catalogues["turtle"], page_size=SIZE) as server:
        first, _ = harvest(server.url)
        validators = {p.url: (p.etag, p.last_modified) for p in first}
        links = {p.url: p.next_url for p in first}
        assert all(p.etag for p in first)
        # no memory of next links: middle pages read again, the last one a marker
        server.server.requests.clear()
        pages, context = harvest(server.url, validators=validators)
        assert not context.errors and context.complete
        assert [p.not_modified for p in pages] == [False] * 5 + [True]
        assert count_datasets(pages[:5]) == 5 * SIZE
        assert all(statuses(server, r) == [304, 200]
                   for r in ["/catalog"] + [f"/catalog?page={n}" for n in range(2, 7)])
        # with the next links remembered: one 304 per page, markers carrying the links
        server.server.requests.clear()
        pages, context = harvest(server.url, validators=validators, next_links=links)
        assert [p.not_modified for p in pages] == [True] * 6 and context.complete
        assert [p.next_url for p in pages] == [links[p.url] for p in first]
        assert [r.status for r in server.requests] == [304] * 6


def test_304_on_an_unchanged_single_document(shared: Path) -> None:
    path = shared / "corpus" / "cz-nkod-sample" / "nkod.trig"
    if not path.is_file():
        pytest.skip("../shared/corpus not present")
    document = endpoint.StaticDocument(path.read_bytes(), "application/trig", etag='"v1"')
    with endpoint.start_static({"/nkod.trig": document}) as server:
        url = server.url + "/nkod.trig"
        (page,), _ = harvest(url)
        assert page.etag == '"v1"' and page.next_url is None and count_datasets([page]) == 1
        validators = {url: (page.etag, page.last_modified)}
        for kwargs, requests in [({}, [304, 200]),  # not remembered: read again to be sure
                                 ({"next_links": {url: None}}, [304]),
                                 ({"options": {"paging": "none"}}, [304])]:
            server.server.requests.clear()
            pages, context = harvest(url, validators=validators, **kwargs)
            assert [(p.url, p.not_modified, p.etag, p.data) for p in pages] == [
                (url, True, '"v1"', None)]
            assert context.complete and not context.errors
            assert [r.status for r in server.requests] == requests
            assert server.requests[0].headers["if-none-match"] == '"v1"'


# -- small hand-written pages: older namespace, relative literals, templates by name -------

DATASET = "<http://example.org/d{n}> a <http://www.w3.org/ns/dcat#Dataset> .\n"


def test_legacy_namespace_and_relative_literal_links() -> None:
    page1 = ("@prefix h: <http://purl.org/hydra/core#> .\n" + DATASET.format(n=1)
             + '<c.ttl> a h:PagedCollection ; h:nextPage "c2.ttl" .\n')
    page2 = ("@prefix h: <https://www.w3.org/ns/hydra/core#> .\n" + DATASET.format(n=2)
             + '<c2.ttl> a h:PagedCollection ; h:firstPage "c.ttl" .\n')
    documents = {"/c.ttl": page1.encode(), "/c2.ttl": page2.encode()}
    with endpoint.start_static(documents) as server:
        pages, context = harvest(server.url + "/c.ttl")
    assert not context.errors and [p.url for p in pages] == [server.url + "/c.ttl",
                                                             server.url + "/c2.ttl"]
    assert count_datasets(pages) == 2


@pytest.mark.parametrize("filtered, expected", [(DATASET.format(n=7), 1), ("", 0)])
def test_template_variable_found_by_name(filtered: str, expected: int) -> None:
    offer = ("@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n" + DATASET.format(n=1)
             + '<s.ttl> hydra:search [ hydra:template "/filtered{?since}" ;'
             ' hydra:mapping [ hydra:variable "since" ] ] .\n')
    documents = {"/s.ttl": offer.encode(),
                 "/filtered?since=2024-01-01T00%3A00%3A00Z": filtered.encode()}
    with endpoint.start_static(documents) as server:
        pages, context = harvest(server.url + "/s.ttl", since="2024-01-01T00:00:00Z")
        assert [r.path for r in server.requests] == list(documents)
    assert count_datasets(pages) == expected and not context.errors  # empty: nothing changed
    assert context.incomplete_reason == MODIFIED_SINCE_REASON


def test_endpoint_serves_blocks_given_in_memory() -> None:
    prefixes = ("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
                "@prefix dct: <http://purl.org/dc/terms/> .\n")
    blocks = [f'<http://example.org/d{n}> a dcat:Dataset ; dct:title "D{n}" ;\n'
              f'    dct:modified "202{n}-03-01T00:00:00Z" .' for n in range(5)]
    with endpoint.start(blocks, prefixes=prefixes, page_size=2, design="paged") as server:
        pages, context = harvest(server.url)
        assert len(pages) == 3 and count_datasets(pages) == 5 and context.complete
        pages, context = harvest(server.url, since="2023-01-01T00:00:00Z")
        assert [sorted(page_datasets(p)) for p in pages] == [
            ["<http://example.org/d3>", "<http://example.org/d4>"]]
