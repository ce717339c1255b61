"""``POST /api/validate`` and the ``/validate`` page, in-process and on a served node.

The body's syntax comes from Content-Type, the report's form from Accept (JSON by default,
Turtle and JSON-LD as a standard sh:ValidationReport); unusable input is a 400 that names the
place; ``?url=`` goes through the hardened client, which refuses private addresses.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.namespace import RDF, SH

from catalog_node.node import Node
from catalog_node.web.app import create_app
from tests.conftest import ServedNode
from tests.test_validation_engine import DEMO, needs_r8, parse_ttl, small_record

DCAT_AP = {"profile": "dcat-ap"}
BAD_SYNTAX = ('@prefix dcat: <http://www.w3.org/ns/dcat#> .\n'
              '<https://example.org/a> a dcat:Dataset ;\n'
              '    <https://example.org/p> "x"\n'
              '<https://example.org/b> <https://example.org/c> "d" .\n')
TURTLE = {"Content-Type": "text/turtle"}


@pytest.fixture
def client(node: Node) -> Iterator[TestClient]:
    with TestClient(create_app(node), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


def broken() -> bytes:
    return small_record(description=False).encode()


def post(client: TestClient, body: bytes | str, headers: dict[str, str] | None = None,
         **params: str) -> httpx.Response:
    return client.post("/api/validate", params={**DCAT_AP, **params},
                       content=body if isinstance(body, bytes) else body.encode(),
                       headers=headers or TURTLE)


def test_json_report_by_default(client: TestClient) -> None:
    response = post(client, broken())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["vary"] == "Accept"
    report = response.json()
    assert report["profile"] == "dcat-ap" and report["conforms"] is False
    assert report["violations"] == 1 and report["source"] == "request body"
    (result,) = [r for res in report["resources"] for r in res["results"]
                 if r["severity"] == "violation"]
    assert result["path_label"] == "dct:description"
    assert result["message"]["en"] and result["message"]["fr"] and result["hint"]["fr"]
    good = post(client, small_record()).json()
    assert good["conforms"] is True and good["violations"] == 0


def test_body_syntax_comes_from_content_type(client: TestClient) -> None:
    graph = parse_ttl(small_record(description=False))
    for media_type, syntax in (("application/n-triples", "nt"), ("application/ld+json",
                                                                   "json-ld"),
                               ("application/rdf+xml", "xml")):
        response = post(client, graph.serialize(format=syntax), {"Content-Type": media_type})
        assert response.status_code == 200, (media_type, response.text)
        assert response.json()["violations"] == 1, media_type
    unknown = post(client, broken(), {"Content-Type": "image/png"})
    assert unknown.status_code == 400 and "Content-Type" in unknown.json()["message"]


@pytest.mark.parametrize(("accept", "syntax"), [("text/turtle", "turtle"),
                                                ("application/ld+json", "json-ld")])
def test_rdf_report_by_accept(client: TestClient, accept: str, syntax: str) -> None:
    response = post(client, broken(), {**TURTLE, "Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=syntax)
    (root,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(root, SH.conforms).toPython() is False
    results = set(graph.objects(root, SH.result))
    json_report = post(client, broken()).json()
    assert len(results) == sum(len(r["results"]) for r in json_report["resources"])
    assert sum((r, SH.resultSeverity, SH.Violation) in graph for r in results) == 1


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    response = post(client, broken(), {**TURTLE, "Accept": "application/json"},
                    format="turtle")
    assert response.headers["content-type"].startswith("text/turtle")
    Graph().parse(data=response.text, format="turtle")


@pytest.mark.parametrize(("body", "message", "place"), [
    (BAD_SYNTAX, "syntax error", "request body:4:1"),
    ("", "the document holds no RDF statement", "request body"),
    ('<https://example.org/a> <https://example.org/p> "x" .\n',
     "the document describes no dcat:Dataset", "request body"),
])
def test_unusable_body_is_a_400_naming_the_place(client: TestClient, body: str, message: str,
                                                  place: str) -> None:
    response = post(client, body)
    assert response.status_code == 400
    error = response.json()
    assert error["error"] == "InputError" and message in error["message"]
    assert error["place"] == place and error["hint"]


def test_unknown_profile_is_a_400(client: TestClient) -> None:
    response = post(client, broken(), profile="no-such-profile")
    assert response.status_code == 400 and "no-such-profile" in response.json()["message"]
    assert "dcat-ap" in response.json()["hint"]


def test_relative_iris_of_a_body_do_not_reveal_server_paths(client: TestClient) -> None:
    body = (DEMO / "open-medic.ttl").read_bytes()  # relative IRIs, as the demo records are
    report = post(client, body).json()
    assert report["resources"]
    assert not any(r["focus"].startswith("file:") for r in report["resources"])
    pasted = form(client, "en", profile="dcat-ap", text=body.decode(), filename="open-medic.ttl")
    assert pasted.status_code == 200 and "file:" not in pasted.text


def test_uploaded_file_name_is_not_resolved_on_the_server(client: TestClient) -> None:
    body = (DEMO / "open-medic.ttl").read_text(encoding="utf-8")
    page = form(client, "en", profile="dcat-ap", text=body, filename="pyproject.toml")
    assert page.status_code == 200 and "file:" not in page.text


@needs_r8
def test_default_profile_is_healthdcat_ap_at_the_record_level(client: TestClient) -> None:
    body = (DEMO / "open-medic.ttl").read_bytes()
    response = client.post("/api/validate", content=body, headers=TURTLE)
    report = response.json()
    assert response.status_code == 200 and report["profile"] == "healthdcat-ap"
    assert report["levels"] == ["PUBLIC"] and report["conforms"] is True


# -- the page --------------------------------------------------------------------------------
def test_page_shows_the_form_in_both_languages(client: TestClient) -> None:
    french = client.get("/validate", params={"lang": "fr"})
    english = client.get("/validate", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert french.status_code == english.status_code == 200
    assert "Valider des métadonnées" in french.text and "Validate metadata" in english.text
    for page in (french.text, english.text):
        assert 'id="validate-form"' in page and 'name="text"' in page
        assert 'value="dcat-ap"' in page and 'id="report"' not in page


def form(client: TestClient, lang: str, **fields: str) -> httpx.Response:
    return client.post(f"/validate?lang={lang}", content=urlencode(fields).encode(),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_pasted_text_report_in_french_and_english(client: TestClient) -> None:
    text = small_record(description=False)
    french = form(client, "fr", profile="dcat-ap", syntax="turtle", text=text)
    english = form(client, "en", profile="dcat-ap", syntax="turtle", text=text)
    assert french.status_code == english.status_code == 200
    fr, en = html.unescape(french.text), html.unescape(english.text)
    assert 'id="report"' in fr and "Non conforme" in fr and "Does not conform" in en
    assert "dct:description" in fr and "dct:description" in en
    assert "exige au moins 1 valeur" in fr and "needs at least 1 value" in en
    assert "Le jeu de données n'a aucune valeur pour « description »" in fr
    assert "The dataset has no description (dct:description)" in en
    assert "Correction" in fr and "Fix" in en and "Test registry" in fr
    assert "The dataset has no description" not in fr and "Le jeu de données n'a" not in en
    assert text.splitlines()[-1] in en  # the pasted text is kept in the form
    conforming = html.unescape(form(client, "en", profile="dcat-ap", text=small_record()).text)
    assert "Conforms" in conforming and "Does not conform" not in conforming


def test_pasted_text_unusable_is_a_400_page(client: TestClient) -> None:
    response = form(client, "en", profile="dcat-ap", syntax="turtle", text=BAD_SYNTAX,
                    filename="mine.ttl")
    page = html.unescape(response.text)
    assert response.status_code == 400
    assert "Unusable document" in page and "mine.ttl:4:1" in page
    empty = form(client, "fr", profile="dcat-ap", text="")
    assert empty.status_code == 400 and "Document inutilisable" in html.unescape(empty.text)


# -- a served node ---------------------------------------------------------------------------
def test_served_node_validates_and_refuses_private_urls(served: ServedNode) -> None:
    response = httpx.post(f"{served.url}/api/validate", params=DCAT_AP, content=broken(),
                          headers=TURTLE, timeout=30)
    assert response.status_code == 200 and response.json()["violations"] == 1
    target = f"{served.url}/catalog"  # a real document, but on a loopback address
    refused = httpx.post(f"{served.url}/api/validate", params={**DCAT_AP, "url": target},
                         timeout=30)
    assert refused.status_code == 400
    error = refused.json()
    assert error["error"] == "AddressRefused" and error["place"] == target
    assert "127.0.0.1" in error["message"] and "public addresses" in error["message"]
    page = httpx.post(f"{served.url}/validate?lang=en",
                      content=urlencode({"url": target, "profile": "dcat-ap"}).encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"},
                      timeout=30)
    assert page.status_code == 400 and "public addresses" in html.unescape(page.text)
    assert json.loads(httpx.get(f"{served.url}/health", timeout=5).text)["status"] == "ok"
