"""The web application in-process: health, /catalog negotiation, dereferencing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, RdfFormat, parse

from catalog_node.loading import Document
from catalog_node.node import Node
from catalog_node.web.app import create_app
from tests.conftest import BASE, DATA

DCAT = "http://www.w3.org/ns/dcat#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FORMATS = {"text/turtle": RdfFormat.TURTLE, "application/rdf+xml": RdfFormat.RDF_XML,
           "application/ld+json": RdfFormat.JSON_LD, "application/n-triples": RdfFormat.N_TRIPLES}


@pytest.fixture
def client(node: Node) -> Iterator[TestClient]:
    sample = DATA / "sample.ttl"
    assert node.load([Document(name=str(sample), path=sample)], "tests").created == 4
    with TestClient(create_app(node), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


def _datasets(body: bytes, fmt: RdfFormat) -> set[str]:
    return {t.subject.value for t in parse(body, format=fmt)
            if t.predicate.value == RDF_TYPE and t.object.value == DCAT + "Dataset"}


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["records"] == 4 and body["base_iri"] == BASE


@pytest.mark.parametrize("media_type", sorted(FORMATS))
def test_catalog_negotiates_every_rdf_syntax(client: TestClient, media_type: str) -> None:
    response = client.get("/catalog", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["vary"].startswith("Accept")
    datasets = _datasets(response.content, FORMATS[media_type])
    assert "https://data.example.org/ds/alpha" in datasets and len(datasets) == 3
    triples = list(parse(response.content, format=FORMATS[media_type]))
    assert any(t.subject.value == BASE + "catalog" and t.predicate.value == DCAT + "dataset"
               for t in triples)


def test_catalog_defaults_to_turtle_and_refuses_the_unoffered(client: TestClient) -> None:
    assert client.get("/catalog").headers["content-type"].startswith("text/turtle")
    assert client.get("/catalog", headers={"Accept": "*/*"}).headers[
        "content-type"].startswith("text/turtle")
    weighted = client.get("/catalog", headers={
        "Accept": "text/turtle;q=0.5, application/ld+json;q=0.9"})
    assert weighted.headers["content-type"].startswith("application/ld+json")
    assert client.get("/catalog", headers={"Accept": "image/png"}).status_code == 406
    assert "<html" in client.get("/catalog", headers={"Accept": "text/html"}).text


def test_minted_dataset_iri_dereferences(client: TestClient, node: Node) -> None:
    minted = [r.dataset_iri for r in node.ledger.listing() if r.dataset_iri.startswith(BASE)]
    assert len(minted) == 1
    path = minted[0][len(BASE) - 1:]
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Gamma" in page.text
    for media_type, fmt in FORMATS.items():
        response = client.get(path, headers={"Accept": media_type})
        assert response.status_code == 200, media_type
        subjects = {t.subject for t in parse(response.content, format=fmt)}
        assert NamedNode(minted[0]) in subjects


def test_record_and_inner_nodes_dereference(client: TestClient, node: Node) -> None:
    row = next(r for r in node.ledger.listing() if r.dataset_iri.endswith("/alpha"))
    record_path = row.record_iri[len(BASE) - 1:]
    assert "Emergency department visits" in client.get(record_path + "?lang=en").text
    assert "Passages aux urgences" in client.get(record_path + "?lang=fr").text
    _, quads = node.record_for(row.dataset_iri)
    skolem = next(q.subject.value for q in quads if "/node/" in q.subject.value)
    turtle = client.get(skolem[len(BASE) - 1:], headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert {t.subject.value for t in parse(turtle.content, format=RdfFormat.TURTLE)} == {skolem}
    assert client.get(skolem[len(BASE) - 1:]).status_code == 200


def test_dataset_page_shows_the_description(client: TestClient, node: Node) -> None:
    row = next(r for r in node.ledger.listing() if r.dataset_iri.endswith("/alpha"))
    page = client.get(row.record_iri[len(BASE) - 1:], headers={"Accept-Language": "en"}).text
    for expected in ("Emergency department visits", "Example agency", "2014-01-01",
                     "donnees@example.org", "Fichier CSV", "Health"):
        assert expected in page, expected


def test_unknown_iris_are_404(client: TestClient) -> None:
    assert client.get("/dataset/nothing-here").status_code == 404
    assert client.get("/dataset/nothing-here", headers={"Accept": "text/turtle"}
                      ).status_code == 404


def test_admin_routes_need_the_token(node: Node) -> None:
    app = create_app(node, admin_token="secret-token")
    with TestClient(app, base_url="http://127.0.0.1:8000") as test_client:
        assert test_client.get("/admin/stats").status_code == 401
        ok = test_client.get("/admin/stats", headers={"Authorization": "Bearer secret-token"})
        assert ok.status_code == 200 and ok.json()["records_published"] == 0
    with TestClient(create_app(node), base_url="http://127.0.0.1:8000") as without_admin:
        assert without_admin.get("/admin/stats").status_code == 404
