"""The embedded store: atomic replacement, exact literals, record-level operations."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from pyoxigraph import Literal, NamedNode, QuerySolutions

from catalog_node.loading import Document
from catalog_node.node import Node

XSD = "http://www.w3.org/2001/XMLSchema#"


def _dataset(version: int, size: int = 60) -> bytes:
    """One dataset whose every literal carries its version number."""
    lines = ['<https://x.org/d> a <http://www.w3.org/ns/dcat#Dataset> .',
             f'<https://x.org/d> <http://purl.org/dc/terms/title> "version {version}"@en .']
    lines += [f'<https://x.org/d> <https://x.org/p{i}> "v{version}-{i}" .' for i in range(size)]
    return "\n".join(lines).encode()


def test_reader_never_sees_a_mixed_record(node: Node) -> None:
    node.load([Document(name="v0.ttl", data=_dataset(0))], "tests")
    record = node.ledger.listing()[0].record_iri
    stop = threading.Event()
    seen: list[set[str]] = []
    errors: list[str] = []

    def read() -> None:
        while not stop.is_set():
            versions = {q.object.value.split("-")[0] for q in node.store.graph_quads(record)
                        if q.predicate.value.startswith("https://x.org/p")}
            seen.append(versions)
            if len(versions) != 1:
                errors.append(f"mixed read: {sorted(versions)}")

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for version in range(1, 41):
            report = node.load([Document(name=f"v{version}.ttl", data=_dataset(version))],
                               "tests")
            assert report.updated == 1
            time.sleep(0.002)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert not errors, errors[:5]
    assert len(seen) > 40 and len({next(iter(v)) for v in seen}) > 5  # reads interleaved


def test_replace_is_one_transaction_that_fails_whole(node: Node) -> None:
    from catalog_node.errors import StoreError
    from catalog_node.store.base import RecordGraph

    node.load([Document(name="v0.ttl", data=_dataset(0))], "tests")
    record = node.ledger.listing()[0].record_iri
    before = {str(q) for q in node.store.graph_quads(record)}
    bad = RecordGraph(record, ['<https://x.org/d> <https://x.org/p> "ok" .',
                               '<https://x.org/d> <https://x.org/p> "unterminated .'])
    try:
        node.store.write([], [bad])
    except StoreError as exc:
        assert record in str(exc)
    else:
        raise AssertionError("a broken update was accepted")
    assert {str(q) for q in node.store.graph_quads(record)} == before


def test_literals_come_back_exactly_as_written(node: Node) -> None:
    data = b"""@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <https://x.org/d> a <http://www.w3.org/ns/dcat#Dataset> ;
      <http://www.w3.org/ns/dcat#byteSize> "1024"^^xsd:nonNegativeInteger ;
      <https://x.org/dec> "1.50"^^xsd:decimal ;
      <https://x.org/bool> "1"^^xsd:boolean ;
      <https://x.org/when> "2020-01-01T00:00:00+00:00"^^xsd:dateTime ;
      <https://x.org/neg> "-1"^^xsd:nonNegativeInteger .
    """
    report = node.load([Document(name="typed.ttl", data=data)], "tests")
    assert report.created == 1
    _, quads = node.record_for("https://x.org/d")
    values = {q.predicate.value.rsplit("/", 1)[-1].split("#")[-1]: q.object for q in quads
              if isinstance(q.object, Literal)}
    assert values["byteSize"] == Literal("1024", datatype=NamedNode(XSD + "nonNegativeInteger"))
    assert values["dec"] == Literal("1.50", datatype=NamedNode(XSD + "decimal"))
    assert values["bool"].value == "1"
    assert values["when"].value == "2020-01-01T00:00:00+00:00"
    assert values["neg"].datatype.value == XSD + "nonNegativeInteger"  # stays invalid
    # the hash of what is served equals the stored checksum: nothing drifted
    assert node.check().differences == 0
    # SPARQL sees the store's canonical form (documented), and no correction leaks
    result = node.sparql("SELECT ?o WHERE { <https://x.org/d> "
                         "<http://www.w3.org/ns/dcat#byteSize> ?o }")
    assert isinstance(result, QuerySolutions)
    assert [row["o"].value for row in result] == ["1024"]
    assert not any("exact-literals" in q.predicate.value for q in quads)


def test_export_keeps_exact_literals(node: Node, tmp_path: Path) -> None:
    import io

    from catalog_node.rdf.formats import syntax_named

    data = (b'<https://x.org/d> a <http://www.w3.org/ns/dcat#Dataset> ; '
            b'<http://www.w3.org/ns/dcat#byteSize> '
            b'"7"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .')
    node.load([Document(name="t.ttl", data=data)], "tests")
    out = io.BytesIO()
    node.export(syntax_named("ntriples"), out)
    assert b'"7"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' in out.getvalue()
    assert b"exact-literals" not in out.getvalue()


def test_exact_literals_survive_a_full_cache() -> None:
    from catalog_node.store.exact import ExactLiterals

    exact = ExactLiterals(cache_size=3)
    xsd = "<http://www.w3.org/2001/XMLSchema#"
    graphs = [(f"urn:g:{i}", [f'<urn:s> <urn:p> "{i:02d}"^^{xsd}integer> .',
                              f'<urn:s> <urn:q> "2022-04-0{i}"^^{xsd}date> .'])
              for i in range(1, 8)]
    for _ in range(2):  # the second pass meets a cache that was cleared half-way
        fixes = exact.corrections(graphs)
        assert sorted(fixes) == ["urn:g:1", "urn:g:2", "urn:g:3", "urn:g:4", "urn:g:5",
                                 "urn:g:6", "urn:g:7"]  # "0N" integers are rewritten as "N"
        assert all("2022-04" not in fix for fix in fixes.values())  # dates are kept as they are
