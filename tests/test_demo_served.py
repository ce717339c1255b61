"""The quick start's promise: the demo catalogue served, every dataset IRI dereferencing."""

from __future__ import annotations

import httpx
from pyoxigraph import NamedNode, RdfFormat, parse

from tests.conftest import BASE, ServedNode, cli

DCAT_DATASET = "http://www.w3.org/ns/dcat#Dataset"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_served_demo_catalogue_dereferences(served: ServedNode) -> None:
    loaded = cli("load", "--demo", data_dir=served.data_dir)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    response = httpx.get(f"{served.url}/catalog", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    triples = list(parse(response.content, format=RdfFormat.TURTLE))
    datasets = sorted({t.subject.value for t in triples if t.predicate.value == RDF_TYPE
                       and t.object.value == DCAT_DATASET})
    assert len(datasets) >= 30
    with httpx.Client(base_url=served.url, timeout=10) as client:
        for iri in datasets:
            assert iri.startswith(BASE), iri
            path = iri[len(BASE) - 1:]
            page = client.get(path)
            assert page.status_code == 200 and "text/html" in page.headers["content-type"], iri
            for media_type, fmt in (("text/turtle", RdfFormat.TURTLE),
                                    ("application/ld+json", RdfFormat.JSON_LD)):
                rdf = client.get(path, headers={"Accept": media_type})
                assert rdf.status_code == 200, (iri, media_type)
                described = {t.subject for t in parse(rdf.content, format=fmt)}
                assert NamedNode(iri) in described, (iri, media_type)
    # reloading the demo changes nothing
    again = cli("load", "--demo", data_dir=served.data_dir)
    assert "created 0 · updated 0" in again.stdout
