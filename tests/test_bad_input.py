"""Bad input: a clear error naming file, line and column, and nothing half-stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog_node.loading import Document
from catalog_node.node import Node
from tests.conftest import DATA, cli

SAMPLE = DATA / "sample.ttl"

BROKEN = {
    # name: (content, line, column)
    "unterminated.ttl": ('@prefix dcat: <http://www.w3.org/ns/dcat#> .\n'
                         '<https://x.org/d> a dcat:Dataset .\n'
                         '<https://x.org/d> <http://purl.org/dc/terms/title> "oops .\n', 3, None),
    "bad-iri.nt": ('<https://x.org/d> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                   '<http://www.w3.org/ns/dcat#Dataset> .\n<not an iri> <p> <o> .\n', 2, None),
    "unclosed.rdf": ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
                     '22-rdf-syntax-ns#">\n<rdf:Description rdf:about="https://x.org/d">\n'
                     '</rdf:RDF>\n', 4, None),
    "broken.jsonld": ('{"@id": "https://x.org/d",\n "@type": "http://www.w3.org/ns/dcat#Dataset",'
                      '\n "http://purl.org/dc/terms/title": [}\n', 3, None),
}


def _state(node: Node) -> tuple[set[str], int]:
    return {str(q) for q in node.catalog_quads()}, node.ledger.total()


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_syntax_error_is_located_and_nothing_is_stored(node: Node, tmp_path: Path,
                                                       name: str) -> None:
    node.load([Document(name=str(SAMPLE), path=SAMPLE)], "tests")
    before = _state(node)
    content, line, _ = BROKEN[name]
    path = tmp_path / name
    path.write_text(content)
    report = node.load([Document(name=str(path), path=path)], "tests")
    assert report.failed == 1 and report.created == 0
    error = report.errors[0]
    assert error["error"] == "InputError"
    assert error["place"].startswith(f"{path}:{line}"), error
    assert _state(node) == before


def test_failure_in_one_file_keeps_the_others(tmp_path: Path, data_dir: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(BROKEN["unterminated.ttl"][0])
    result = cli("load", str(broken), str(SAMPLE), "--catalog", "tests", data_dir=data_dir)
    assert result.returncode == 2
    assert f"{broken}:3:" in result.stdout.replace("\n", "")
    assert "created 4" in result.stdout
    stats = cli("stats", "--json", data_dir=data_dir)
    assert '"records_published": 4' in stats.stdout


@pytest.mark.parametrize(("content", "name", "message"), [
    ("", "empty.ttl", "no triples"),
    ("<https://x.org/a> <https://x.org/p> \"v\" .\n", "nodataset.nt", "no dcat:Dataset"),
    ("a,b\n1,2\n", "table.csv", "cannot tell the RDF format"),
])
def test_unusable_documents_are_refused_by_name(node: Node, tmp_path: Path, content: str,
                                                name: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    report = node.load([Document(name=str(path), path=path)], "tests")
    assert report.failed == 1
    assert message in report.errors[0]["message"]
    assert report.errors[0]["place"].startswith(str(path))
    assert node.ledger.total() == 0


def test_missing_file_and_uninitialised_directory(tmp_path: Path, data_dir: Path) -> None:
    missing = cli("load", str(tmp_path / "nope.ttl"), data_dir=data_dir)
    assert missing.returncode == 2 and "nope.ttl" in missing.stdout
    fresh = cli("stats", data_dir=tmp_path / "never-initialised")
    assert fresh.returncode == 2 and "catalog-node init" in fresh.stderr.replace("\n", " ")
    other_base = cli("init", "--base-iri", "https://elsewhere.example/", data_dir=data_dir)
    assert other_base.returncode == 2 and "already initialised" in other_base.stderr
