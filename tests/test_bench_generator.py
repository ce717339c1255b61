"""bench/generate.py: deterministic synthetic HealthDCAT-AP catalogues for the benchmarks."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

GENERATOR = Path(__file__).resolve().parents[1] / "bench" / "generate.py"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
N = 40
#: (path, bench.generate.Stats) of one generated catalogue.
Generated = tuple[Path, Any]


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def turtle(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    path = tmp_path_factory.mktemp("gen") / "catalog.ttl"
    return path, gen.generate(N, 7, path, "turtle")


@pytest.fixture(scope="module")
def quads(turtle: Generated) -> list[ox.Quad]:
    return list(ox.parse(path=turtle[0], format=ox.RdfFormat.TURTLE))


@pytest.fixture(scope="module")
def store(quads: list[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


def _datasets(quads: list[ox.Quad]) -> set[ox.NamedNode | ox.BlankNode]:
    dataset = ox.NamedNode(DCAT + "Dataset")
    return {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == dataset}


def test_same_seed_gives_identical_bytes(tmp_path: Path, turtle: Generated) -> None:
    again = tmp_path / "again.ttl"
    gen.generate(N, 7, again, "turtle")
    assert again.read_bytes() == turtle[0].read_bytes()
    assert not again.with_name("again.ttl.part").exists()


def test_other_seed_gives_other_catalogue(tmp_path: Path, turtle: Generated) -> None:
    other = tmp_path / "other.ttl"
    gen.generate(N, 8, other, "turtle")
    assert other.read_bytes() != turtle[0].read_bytes()


def test_parses_and_counts_match(turtle: Generated, quads: list[ox.Quad]) -> None:
    stats = turtle[1]
    assert len(quads) == stats.triples
    assert turtle[0].stat().st_size == stats.bytes
    assert all(q.graph_name == ox.DefaultGraph() for q in quads)


def test_every_dataset_is_typed_and_linked_from_the_catalogue(quads: list[ox.Quad]) -> None:
    catalog = ox.NamedNode(gen.CATALOG_IRI)
    assert (catalog, RDF_TYPE, ox.NamedNode(DCAT + "Catalog")) in {
        (q.subject, q.predicate, q.object) for q in quads}
    linked = [q.object for q in quads
              if q.subject == catalog and q.predicate == ox.NamedNode(DCAT + "dataset")]
    datasets = _datasets(quads)
    assert len(datasets) == N
    assert len(linked) == N
    assert set(linked) == datasets
    assert all(isinstance(d, ox.NamedNode) for d in datasets)


def test_mean_triples_per_dataset(turtle: Generated, quads: list[ox.Quad]) -> None:
    catalog = ox.NamedNode(gen.CATALOG_IRI)
    dataset_triples = sum(1 for q in quads if q.subject != catalog)
    mean = dataset_triples / N
    assert 60 <= mean <= 85
    assert mean == pytest.approx(turtle[1].mean_triples_per_dataset)


def test_every_tenth_dataset_has_a_data_dictionary(store: ox.Store) -> None:
    rows = store.query("""
        PREFIX csvw: <http://www.w3.org/ns/csvw#>
        PREFIX healthdcatap: <http://healthdataportal.eu/ns/health#>
        SELECT ?d (COUNT(?col) AS ?n) WHERE {
            ?d healthdcatap:hasVariables ?g . ?g a csvw:TableGroup ; csvw:table ?t .
            ?t a csvw:Table ; csvw:column ?col .
            ?col a csvw:Column ; csvw:name ?name ; csvw:title ?title ; csvw:datatype ?type .
        } GROUP BY ?d""")
    columns = {row["d"].value: int(row["n"].value) for row in rows}
    expected = {f"{gen.BASE}dataset/hds-{i:06d}" for i in range(10, N + 1, 10)}
    assert set(columns) == expected
    assert set(columns.values()) == {5}


def test_titles_and_descriptions_in_french_and_english(quads: list[ox.Quad]) -> None:
    datasets = _datasets(quads)
    for predicate in ("title", "description"):
        langs = Counter((q.subject, q.object.language) for q in quads
                        if q.predicate == ox.NamedNode(DCT + predicate) and q.subject in datasets)
        assert set(langs) == {(d, lang) for d in datasets for lang in ("fr", "en")}
        assert set(langs.values()) == {1}


def test_literals_needing_escapes_survive(quads: list[ox.Quad]) -> None:
    texts = [q.object.value for q in quads if isinstance(q.object, ox.Literal)]
    assert any("\n\n" in t for t in texts)
    assert any('"' in t for t in texts)
    assert any("\\\\hds\\" in t for t in texts)
    assert any("é" in t for t in texts) and any("Île" in t or "ô" in t for t in texts)


def test_contact_point_and_period_are_blank_nodes(store: ox.Store) -> None:
    rows = list(store.query("""
        PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT ?c ?p ?start WHERE {
            ?d a dcat:Dataset ; dcat:contactPoint ?c ; dct:temporal ?p .
            ?p dcat:startDate ?start . FILTER(datatype(?start) = xsd:date)
        }"""))
    assert len(rows) == N
    assert all(isinstance(r["c"], ox.BlankNode) and isinstance(r["p"], ox.BlankNode)
               for r in rows)


def test_ntriples_and_turtle_are_the_same_graph(tmp_path: Path) -> None:
    ttl, nt = tmp_path / "c.ttl", tmp_path / "c.nt"
    a, b = gen.generate(50, 3, ttl, "turtle"), gen.generate(50, 3, nt, "ntriples")
    assert a.triples == b.triples
    g_ttl = rdflib.Graph().parse(ttl, format="turtle")
    g_nt = rdflib.Graph().parse(nt, format="nt")
    assert len(g_ttl) == len(g_nt) > 50 * 50
    assert isomorphic(g_ttl, g_nt)


def test_catalogue_links_span_several_chunks(tmp_path: Path) -> None:
    path = tmp_path / "big.ttl"
    gen.generate(1001, 1, path, "turtle")
    dataset = ox.NamedNode(DCAT + "dataset")
    links = sum(1 for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
                if q.predicate == dataset)
    assert links == 1001


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.nt"
    assert gen.main(["--datasets", "3", "--seed", "2", "--format", "ntriples", "-o", str(out)]) == 0
    assert "3 datasets" in capsys.readouterr().err
    assert len(list(ox.parse(path=out, format=ox.RdfFormat.N_TRIPLES))) > 3 * 60


def test_output_does_not_depend_on_hash_randomisation(tmp_path: Path) -> None:
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"h{hash_seed}.ttl"
        subprocess.run([sys.executable, str(GENERATOR), "--datasets", "30", "-o", str(out)],
                       check=True, capture_output=True, env={**os.environ,
                                                            "PYTHONHASHSEED": hash_seed})
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
