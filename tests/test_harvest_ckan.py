"""The CKAN harvester against recorded CKAN answers replayed on loopback.

Two sources from the corpus: the GDI / Health-RI portal's recorded Action API answers
(``gdi-dataset-discovery-ckan-api``: search results, package_show, not-found and error
answers), and ckanext-dcat's example package dicts, around which the test server builds
``package_search`` answers. Pages are parsed independently (pyoxigraph, rdflib, and the
engine's own reader) and compared with the source's values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, parse
from rdflib.namespace import DCTERMS, FOAF, RDF

from catalog_node.errors import ConfigError
from catalog_node.loading import Document, index_document
from catalog_node.node import Node
from harvesters import harvester_for
from harvesters.base import HarvestContext, Page, SourceConfig
from harvesters.ckan import CkanMappingNote
from tests.support_ckan import CkanServer, ckan_server, wiremock_mappings
from tests.support_pages import walk_pages

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
GDI = "gdi-dataset-discovery-ckan-api"
EXAMPLES = "ckanext-dcat/examples/ckan"
#: the package dicts among ckanext-dcat's CKAN examples (the others are DCAT JSON)
PACKAGE_FILES = ("ckan_dataset.json", "ckan_dataset_multilingual.json",
                 "ckan_dcat_ap_dataset_series.json", "ckan_full_dataset_croissant.json",
                 "ckan_full_dataset_dcat_ap.json", "ckan_full_dataset_dcat_ap_legacy.json",
                 "ckan_full_dataset_dcat_ap_vocabularies.json",
                 "ckan_full_dataset_dcat_us_vocabularies.json", "full_ckan_dataset_legacy.json")


@pytest.fixture
def corpus(shared: Path) -> Path:
    path = shared / "corpus"
    if not (path / GDI).is_dir() or not (path / EXAMPLES).is_dir():
        pytest.skip("../shared/corpus not present")
    return path


def recorded(corpus: Path, name: str) -> dict[str, Any]:
    """The CKAN payload of one WireMock mapping."""
    return json.loads((corpus / GDI / name).read_text(encoding="utf-8"))["response"]["jsonBody"]


def example_packages(corpus: Path) -> list[dict[str, Any]]:
    """ckanext-dcat's package dicts, each given an id (a search answer always has one)."""
    packages = []
    for name in PACKAGE_FILES:
        package = json.loads((corpus / EXAMPLES / name).read_text(encoding="utf-8"))
        packages.append({"id": name.removesuffix(".json"), **package})
    return packages


def harvest(url: str, *, since: str | None = None, secret: str | None = None,
            **options: str) -> tuple[list[Page], HarvestContext]:
    """Run the harvester in a thread; fail if the walk does not end (a loop would hang)."""
    source = SourceConfig(name="ckan-test", url=url, type="ckan", catalog="test",
                          allow_private=True, options=options)
    context = HarvestContext(source, since=since, secret=secret, retries=0)
    return walk_pages(source, context), context


def datasets(pages: list[Page]) -> dict[str, rdflib.Graph]:
    """Every page parsed on its own (pyoxigraph, the engine's reader, rdflib), by dataset."""
    found: dict[str, rdflib.Graph] = {}
    for page in pages:
        assert page.input_format == "ntriples" and page.data
        index = index_document(Document(name=page.url, data=page.data,
                                        input_format=page.input_format), page.url)
        graph = rdflib.Graph()
        for quad in parse(page.data, format=RdfFormat.N_TRIPLES):
            graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
        roots = {str(s) for kind in (DCAT.Dataset, DCAT.DatasetSeries)
                 for s in graph.subjects(RDF.type, kind)}
        assert len(index.roots) == len(roots)
        for root in roots:
            assert root not in found, f"{root} yielded twice"
            found[root] = graph
    return found


def term(node: NamedNode | BlankNode | Literal) -> rdflib.term.Node:
    """A pyoxigraph term in rdflib, literals kept as written (rdflib would normalise them)."""
    if isinstance(node, NamedNode):
        return rdflib.URIRef(node.value)
    if isinstance(node, BlankNode):
        return rdflib.BNode(node.value)
    if node.language:
        return rdflib.Literal(node.value, lang=node.language)
    return rdflib.Literal(node.value, datatype=rdflib.URIRef(node.datatype.value),
                          normalize=False)


def values(graph: rdflib.Graph, subject: str | rdflib.term.Node, predicate: rdflib.URIRef
           ) -> set[str]:
    node = subject if isinstance(subject, rdflib.term.Node) else rdflib.URIRef(subject)
    return {str(value) for value in graph.objects(node, predicate)}


def errors_of(context: HarvestContext, kind: type | None = None) -> list[str]:
    return [str(e) for e in context.errors if kind is None or isinstance(e, kind)]


# -- the GDI portal's recorded answers ----------------------------------------------------

@pytest.mark.parametrize("rows", ["2", "100"])
def test_gdi_search_results_become_datasets(corpus: Path, rows: str) -> None:
    """The recorded search answer, paged: one dataset per result, with its values."""
    answer = recorded(corpus, "package_search_datasets_when_query_ckan_only.json")["result"]
    state = CkanServer(packages=answer["results"], count=answer["count"])
    with ckan_server(state) as server:
        pages, context = harvest(server.root, rows=rows)
    found = datasets(pages)
    assert len(found) == answer["count"] == 3
    assert len(pages) == (2 if rows == "2" else 1)
    assert [p["start"] for p in state.searches()] == (["0", "2"] if rows == "2" else ["0"])
    assert {p["rows"] for p in state.searches()} == {rows}
    assert state.shown() == []  # every result lists its resources
    assert context.complete
    # in_series names other packages by name, not by IRI: left out, each reported
    assert sorted(errors_of(context, CkanMappingNote)) == sorted(
        f"{server.root}dataset/{package['id']}: in_series: {name!r} is not a valid absolute "
        "http/https IRI; the value was left out (correct the value in CKAN; the rest of the "
        "package was harvested)"
        for package in answer["results"]
        for name in dict.fromkeys(package.get("in_series", [])) if name.strip())
    for package in answer["results"]:
        uri = next(e["value"] for e in package["extras"] if e["key"] == "uri")
        graph = found[uri]  # the package's own IRI is kept
        assert values(graph, uri, DCTERMS.title) == {package["title"]}
        assert values(graph, uri, DCTERMS.description) == {package["notes"].strip()}
        assert values(graph, uri, DCTERMS.modified) == {package["metadata_modified"]}
        assert values(graph, uri, DCTERMS.issued) == {package["metadata_created"]}
        assert values(graph, uri, DCTERMS.identifier) == {package["identifier"]}
        assert values(graph, uri, DCTERMS.accessRights) == {package["access_rights"]["name"]}
        assert values(graph, uri, DCTERMS.conformsTo) == {package["conforms_to"][0]["name"]}
        assert values(graph, uri, DCTERMS.language) == {
            "http://publications.europa.eu/resource/authority/language/ENG"}
        assert list(graph.objects(rdflib.URIRef(uri), DCAT.distribution)) == []
        (publisher,) = graph.objects(rdflib.URIRef(uri), DCTERMS.publisher)
        org = package["organization"]
        assert str(publisher) == f"{server.root}organization/{org['id']}"
        assert {FOAF.Agent, FOAF.Organization} <= set(graph.objects(publisher, RDF.type))
        assert values(graph, publisher, FOAF.name) == {org["title"]} == {"LUMC"}
        assert values(graph, publisher, FOAF.page) == {f"{server.root}organization/lumc"}


def test_package_show_fills_in_results_without_resources(corpus: Path) -> None:
    """Search results that lack ``resources`` are read with package_show; its recorded
    not-found, error and empty answers are reported with their URLs, the rest mapped."""
    ids = ["e1b3eff9-13eb-48b0-b180-7ecb76b84454", "series-parent-1", "series-valid-1",
           "dataset-inseries-null-or-blank", "dummy", "series-error-1", "series-missing-1",
           "dataset_with_error"]
    stubs: list[dict[str, Any]] = [{"id": key, "name": key} for key in ids]
    stubs[2].update(resources=[], num_resources=1)  # a truncated result is read again too
    state = CkanServer(packages=stubs, replay=wiremock_mappings(corpus / GDI))
    with ckan_server(state) as server:
        pages, context = harvest(server.root, rows="3")
    # an error answer is read once more for CKAN's message (HarvestContext.get drops it)
    assert list(dict.fromkeys(state.shown())) == ids
    found = datasets(pages)
    parent = recorded(corpus, "package_show_series_parent_1.json")["result"]
    assert set(found) == {parent["uri"], f"{server.root}dataset/series-valid-1",
                          f"{server.root}dataset/e1b3eff9-13eb-48b0-b180-7ecb76b84454",
                          f"{server.root}dataset/dataset-inseries-null-or-blank"}
    failed = {e.place: e.message for e in context.errors if not isinstance(e, CkanMappingNote)}
    show = f"{server.root}api/3/action/package_show?id="
    assert failed == {
        show + "dummy": "HTTP status 404: CKAN Not Found Error: Not found",
        show + "series-error-1": "HTTP status 404: CKAN Not Found Error: Not found",
        show + "series-missing-1": "package_show gave no package",
        show + "dataset_with_error": "HTTP status 500: CKAN Not Expected Error: "
                                     "Not expected error"}
    assert not context.complete  # unseen packages are not withdrawn
    graph, iri = found[parent["uri"]], parent["uri"]
    assert values(graph, iri, DCTERMS.issued) == {parent["issued"]}
    assert values(graph, iri, DCTERMS.modified) == {parent["modified"]}
    assert values(graph, iri, DCTERMS.accrualPeriodicity) == {parent["frequency"]["name"]}
    assert values(graph, iri, DCTERMS.spatial) == {parent["spatial_uri"]["name"]}
    assert values(graph, iri, DCATAP_LEGISLATION) == {parent["applicable_legislation"][0]["name"]}
    (publisher,) = graph.objects(rdflib.URIRef(iri), DCTERMS.publisher)
    assert str(publisher) == parent["publisher"][0]["uri"]
    assert values(graph, publisher, FOAF.name) == {parent["publisher"][0]["name"]}
    (contact,) = graph.objects(rdflib.URIRef(iri), DCAT.contactPoint)
    assert str(contact) == parent["contact"][0]["uri"]
    assert values(graph, contact, VCARD.fn) == {"Series Desk"}
    assert values(graph, contact, VCARD.hasEmail) == {"mailto:series@example.org"}
    (period,) = graph.objects(rdflib.URIRef(iri), DCTERMS.temporal)
    assert values(graph, period, DCAT.startDate) == {"2020-01-01T00:00:00+00:00"}
    assert values(graph, period, DCAT.endDate) == {"2023-12-31T00:00:00+00:00"}
    # in_series names other packages by id, not by IRI: left out, and reported
    notes = errors_of(context, CkanMappingNote)
    assert any("series-parent-1" in note and "in_series" in note for note in notes)


def test_truncated_search_results_without_id_are_reported(corpus: Path) -> None:
    """The recorded ``fl=identifier`` answer: results with neither id nor name."""
    answer = recorded(corpus, "package_search_ids.json")["result"]
    state = CkanServer(packages=answer["results"], count=answer["count"])
    with ckan_server(state) as server:
        pages, context = harvest(server.root)
    assert pages == []
    assert [e.place for e in context.errors] == [
        f"{server.root}api/3/action/package_search?rows=100&start=0"
        "&sort=metadata_created+asc%2C+id+asc"] * 3
    assert all("neither id nor name" in e.message for e in context.errors)


# -- ckanext-dcat's example packages --------------------------------------------------------

def test_example_packages_paged_with_small_rows(corpus: Path) -> None:
    """Nine package dicts over five pages of two; every resource became a distribution."""
    packages = example_packages(corpus)
    state = CkanServer(packages=packages)
    with ckan_server(state) as server:
        pages, context = harvest(server.root, rows="2")
    assert [p["start"] for p in state.searches()] == ["0", "2", "4", "6", "8"]
    found = datasets(pages)
    assert len(pages) == 5 and len(found) == len(packages) == 9
    assert context.complete
    for package in packages:
        iri = f"{server.root}dataset/{package['id']}"
        graph = found[iri]
        node = rdflib.URIRef(iri)
        kind = DCAT.DatasetSeries if package.get("type") == "dataset_series" else DCAT.Dataset
        assert set(graph.objects(node, RDF.type)) == {kind}
        distributions = list(graph.objects(node, DCAT.distribution))
        assert len(distributions) == len(package["resources"])
        if "title_translated" not in package:
            assert values(graph, iri, DCTERMS.title) == {package["title"]}
        tags = {tag["name"] for tag in package.get("tags", [])}
        if "tags_translated" not in package:
            assert values(graph, iri, DCAT.keyword) == tags
        for resource in package["resources"]:
            (distribution,) = [d for d in distributions
                               if values(graph, d, DCAT.accessURL) == {resource["url"]}]
            if resource.get("size") is not None:
                assert values(graph, distribution, DCAT.byteSize) == {str(resource["size"])}
            if resource.get("name") and "name_translated" not in resource:
                assert values(graph, distribution, DCTERMS.title) == {resource["name"]}


def test_repeated_page_is_detected_not_looped(corpus: Path) -> None:
    """A server that ignores ``start`` gives page 1 again: reported once, walk stopped."""
    state = CkanServer(packages=example_packages(corpus), ignore_start=True)
    with ckan_server(state) as server:
        pages, context = harvest(server.root, rows="4")
    assert len(pages) == 1 and len(datasets(pages)) == 4
    assert len(state.searches()) == 2
    (error,) = [e for e in context.errors if not isinstance(e, CkanMappingNote)]
    assert "repeats packages of an earlier page" in error.message
    assert error.place.startswith(f"{server.root}api/3/action/package_search?rows=4&start=4")
    assert not context.complete


# -- errors, URLs, credentials, modified_since ----------------------------------------------

@pytest.mark.parametrize("status, body, expected", [
    (403, {"success": False, "error": {"__type": "Authorization Error",
                                       "message": "Access denied"}},
     "HTTP status 403: CKAN Authorization Error: Access denied"),
    (409, {"success": False, "error": {"__type": "Validation Error",
                                       "rows": ["Must be a natural number"]}},
     'HTTP status 409: CKAN Validation Error: {"rows": ["Must be a natural number"]}'),
    (404, "package_show_not_found.json", "HTTP status 404: CKAN Not Found Error: Not found"),
    (500, "package_show_with_error.json",
     "HTTP status 500: CKAN Not Expected Error: Not expected error"),
])
def test_ckan_error_answers_are_reported_with_url(corpus: Path, status: int, body: Any,
                                                  expected: str) -> None:
    payload = recorded(corpus, body) if isinstance(body, str) else body
    state = CkanServer(packages=example_packages(corpus),
                       broken={"package_search": (status, payload)})
    with ckan_server(state) as server:
        pages, context = harvest(server.root)
    assert pages == []
    (error,) = context.errors
    assert error.message == expected
    assert error.place == (f"{server.root}api/3/action/package_search?rows=100&start=0"
                           "&sort=metadata_created+asc%2C+id+asc")
    assert not context.complete


@pytest.mark.parametrize("options", [{"rows": "0"}, {"rows": "many"},
                                     {"include_private": "yes"}])
def test_bad_options_are_configuration_errors(options: dict[str, str]) -> None:
    source = SourceConfig(name="ckan-test", url="http://127.0.0.1:9/", type="ckan",
                          catalog="test", options=options)
    with pytest.raises(ConfigError, match="option"):
        harvester_for(source)


def test_a_site_that_is_not_ckan_gives_404_with_url() -> None:
    with ckan_server(CkanServer()) as server:
        pages, context = harvest(server.root + "not-ckan/")
    (error,) = context.errors
    assert pages == [] and "HTTP status 404, and the answer is not JSON" in error.message
    assert error.place.startswith(f"{server.root}not-ckan/api/3/action/package_search?")


def test_site_root_and_api_base_give_the_same_pages(corpus: Path) -> None:
    state = CkanServer(packages=example_packages(corpus)[:3])
    with ckan_server(state) as server:
        from_root, _ = harvest(server.root)
        from_api, _ = harvest(server.root + "api/3/action/")
        from_bare, _ = harvest(server.root.rstrip("/"))
    assert [p.data for p in from_root] == [p.data for p in from_api] == [p.data for p in from_bare]
    assert {path for path, _, _ in state.requests} == {"/api/3/action/package_search"}


def test_token_is_sent_raw_and_since_limits_the_search(corpus: Path) -> None:
    state = CkanServer(packages=example_packages(corpus)[:2])
    with ckan_server(state) as server:
        pages, context = harvest(server.root, since="2024-03-19T13:00:00Z",
                                 secret="ckan-token-123", fq="organization:lumc")
    (params,) = state.searches()
    assert params["fq"] == ("(organization:lumc) AND "
                            "(metadata_modified:[2024-03-19T12:00:00Z TO NOW])")
    assert {headers.get("Authorization") for _, _, headers in state.requests} == {
        "ckan-token-123"}
    assert len(datasets(pages)) == 2
    assert not context.complete and "modified since" in (context.incomplete_reason or "")


DCATAP_LEGISLATION = rdflib.URIRef("http://data.europa.eu/r5r/applicableLegislation")


def test_harvest_run_stores_one_record_per_package(corpus: Path, node: Node) -> None:
    """Through the harvest engine: one record per package; a second run changes nothing."""
    packages = example_packages(corpus)
    with ckan_server(CkanServer(packages=packages)) as server:
        node.add_source(SourceConfig(name="ckan", url=server.root, type="ckan",
                                     catalog="ckan", allow_private=True,
                                     options={"rows": "4"}))
        first = node.harvest("ckan")
        again = node.harvest("ckan")
    assert first["committed"] and first["complete"]
    assert (first["pages"], first["created"]) == (3, len(packages))
    assert {e["error"] for e in first["errors"]} == {"CkanMappingNote"}
    assert again["committed"] and not again["complete"]  # modified_since: a partial run
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, len(packages))


def test_ckan_harvested_through_the_node(corpus: Path, node: Node) -> None:
    """The recorded portal through the engine: one record per package, organisation as
    publisher in the ledger, the same answer again changes nothing."""
    answer = recorded(corpus, "package_search_datasets_when_query_ckan_only.json")["result"]
    state = CkanServer(packages=answer["results"], count=answer["count"])
    with ckan_server(state) as server:
        node.add_source(SourceConfig(name="gdi-ckan", url=server.root, type="ckan",
                                     catalog="ckan", allow_private=True,
                                     options={"rows": "2"}))
        first = node.harvest("gdi-ckan")
        again = node.harvest("gdi-ckan")
    assert first["committed"] and (first["created"], first["failed"]) == (3, 0)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    rows = node.ledger.read("SELECT dataset_iri, publisher_name, title_en FROM records "
                            "WHERE source = 'gdi-ckan'")
    uris = {next(e["value"] for e in p["extras"] if e["key"] == "uri")
            for p in answer["results"]}
    assert {r[0] for r in rows} == uris
    assert {r[1] for r in rows} == {"LUMC"}
    assert {r[2] for r in rows} == {p["title"] for p in answer["results"]}
