"""Splitting documents into self-contained records, with stable IRIs and hashes."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat, parse, serialize

from catalog_node.loading import Document
from catalog_node.node import Node
from tests.conftest import BASE, DATA

SAMPLE = DATA / "sample.ttl"


def _load(node: Node, path: Path, catalog: str = "tests") -> dict[str, object]:
    report = node.load([Document(name=str(path), path=path)], catalog)
    assert not report.errors, report.errors
    return report.to_dict()


def test_one_record_per_dataset_and_series(node: Node) -> None:
    report = _load(node, SAMPLE)
    assert report["created"] == 4
    datasets = {row.dataset_iri for row in node.ledger.listing()}
    assert "https://data.example.org/ds/alpha" in datasets
    assert "https://data.example.org/series" in datasets
    minted = [d for d in datasets if d.startswith(BASE + "dataset/tests/")]
    assert len(minted) == 1 and "gamma-42" in minted[0]


def test_record_is_self_contained_and_bounded(node: Node) -> None:
    _load(node, SAMPLE)
    row, quads = node.record_for("https://data.example.org/ds/alpha")
    subjects = {q.subject.value for q in quads}
    # the shared agent and the concept's labels are copied in …
    assert "https://data.example.org/agency" in subjects
    assert "http://publications.europa.eu/resource/authority/data-theme/HEAL" in subjects
    # … but not the concept's broader concept, another dataset, or the source catalogue
    assert "http://publications.europa.eu/resource/authority/data-theme/SOCI" not in subjects
    assert "https://data.example.org/series" not in subjects
    assert "https://data.example.org/catalog" not in subjects
    # blank nodes were given IRIs under the record
    assert not any(q.subject.__class__.__name__ == "BlankNode" for q in quads)
    assert any(s.startswith(row.record_iri + "/node/") for s in subjects)


def test_reload_of_same_document_changes_nothing(node: Node) -> None:
    _load(node, SAMPLE)
    before = sorted(str(q) for q in node.catalog_quads())
    report = _load(node, SAMPLE)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 4)
    assert sorted(str(q) for q in node.catalog_quads()) == before


def test_same_content_in_another_syntax_gives_same_iris_and_hashes(
        node: Node, tmp_path: Path) -> None:
    _load(node, SAMPLE)
    hashes = {row.record_iri: row.hash for row in node.ledger.listing()}
    # re-serialise as RDF/XML: blank-node labels and statement order all change
    triples = list(parse(path=str(SAMPLE), format=RdfFormat.TURTLE))
    other = tmp_path / "sample.rdf"
    other.write_bytes(serialize(list(reversed(triples)), format=RdfFormat.RDF_XML))
    report = _load(node, other)
    assert report["unchanged"] == 4, report
    assert {row.record_iri: row.hash for row in node.ledger.listing()} == hashes


def test_changed_dataset_is_replaced_and_history_kept(node: Node, tmp_path: Path) -> None:
    _load(node, SAMPLE)
    changed = tmp_path / "changed.ttl"
    changed.write_text(SAMPLE.read_text().replace("Birth registry", "Registry of births"))
    report = _load(node, changed)
    assert (report["updated"], report["unchanged"]) == (1, 3)
    row, quads = node.record_for("https://data.example.org/ds/beta")
    titles = {q.object.value for q in quads if q.predicate.value.endswith("/title")}
    assert "Registry of births" in titles and "Birth registry" not in titles
    assert len(node.ledger.history(row.record_iri)) == 1
