"""Harvest runs against a loopback paged endpoint: incremental, withdrawals, errors, history."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from catalog_node.node import Node
from harvesters.base import SourceConfig
from tests.support_pages import PageServer, demo_pages


@pytest.fixture
def pages() -> Iterator[PageServer]:
    server = PageServer(demo_pages(8)).start()
    yield server
    server.stop()


def _add(node: Node, server: PageServer, name: str = "paged", grace: int = 0) -> None:
    node.add_source(SourceConfig(name=name, url=server.url, type="dcat", catalog=name,
                                 grace_days=grace, allow_private=True))


def _published(node: Node, source: str = "paged") -> set[str]:
    return {iri for (iri,) in node.ledger.read(
        "SELECT record_iri FROM records WHERE source = ? AND status = 'published'", (source,))}


def _all_quads(node: Node) -> list[str]:
    return sorted(str(q) for q in node.store.iter_graph_quads(
        [node.minter.catalog(), *node.ledger.published_iris()]))


def test_first_run_creates_and_a_second_changes_nothing(node: Node, pages: PageServer) -> None:
    _add(node, pages)
    first = node.harvest("paged")
    assert first["committed"] and first["complete"]
    assert (first["pages"], first["created"], first["errors"]) == (8, 8, [])
    assert len(_published(node)) == 8
    quads = _all_quads(node)
    again = node.harvest("paged")  # conditional GET: every page answers 304
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 8)
    assert again["pages_unchanged"] == 8
    full = node.harvest("paged", conditional=False)  # bytes compared, nothing parsed
    assert (full["unchanged"], full["pages_unchanged"], full["updated"]) == (8, 8, 0)
    assert _all_quads(node) == quads


def test_a_changed_page_updates_only_its_record_and_keeps_the_old_version(
        node: Node, pages: PageServer) -> None:
    _add(node, pages)
    node.harvest("paged")
    before = node.ledger.read("SELECT record_iri, hash FROM records ORDER BY record_iri")
    pages.pages[2] = pages.pages[2].replace(b"\"@fr", b" (version 2)\"@fr", 1)
    report = node.harvest("paged")
    assert (report["updated"], report["unchanged"], report["created"]) == (1, 7, 0)
    after = dict(node.ledger.read("SELECT record_iri, hash FROM records"))
    changed = [iri for iri, digest in before if after[iri] != digest]
    assert len(changed) == 1
    history = node.record_history(changed[0])
    assert [v["state"] for v in history["versions"]] == ["current", "superseded"]
    added = history["versions"][0]["added"]
    assert any("(version 2)" in line for line in added)
    assert history["versions"][0]["removed"]
    assert not any("/terms/modified>" in line for line in added)
    runs = node.runs("paged")
    assert [r["state"] for r in runs] == ["committed", "committed"]
    detail = node.run_report(runs[0]["run"], records=True)
    assert [(r["record"], r["change"]) for r in detail["records"]] == [(changed[0], "updated")]


def test_vanished_records_are_withdrawn_after_the_grace_period(
        node: Node, pages: PageServer) -> None:
    _add(node, pages, grace=7)
    node.harvest("paged")
    gone_page = pages.pages.pop(3)
    report = node.harvest("paged")
    assert (report["withdrawn"], report["missing"]) == (0, 1)
    assert len(_published(node)) == 8  # still there, within its grace period
    with node.ledger.write() as db:  # eight days pass
        db.execute("UPDATE record_seen SET missing_since = '2000-01-01T00:00:00Z' "
                   "WHERE missing_since IS NOT NULL")
    report = node.harvest("paged")
    assert (report["withdrawn"], report["missing"]) == (1, 0)
    assert len(_published(node)) == 7
    withdrawn = node.ledger.read("SELECT record_iri FROM records WHERE status = 'withdrawn'")
    iri = withdrawn[0][0]
    assert node.record_history(iri)["versions"][0]["state"] == "withdrawn"
    assert iri not in {r for (r,) in node.ledger.read(
        "SELECT record_iri FROM records WHERE status = 'published'")}
    pages.pages.insert(3, gone_page)  # it comes back: published again, same IRI
    report = node.harvest("paged")
    assert report["updated"] == 1 and len(_published(node)) == 8


def test_a_broken_page_is_reported_and_nothing_unseen_is_withdrawn(
        node: Node, pages: PageServer) -> None:
    _add(node, pages, grace=0)
    node.harvest("paged")
    pages.fail[5] = 500
    report = node.harvest("paged")
    assert report["committed"] and not report["complete"]
    assert report["withdrawn"] == 0
    assert any(pages.page_url(5) in (e["place"] or "") for e in report["errors"])
    assert len(_published(node)) == 8
    assert pages.requests.count("/page/5") >= 2  # retried before giving up


def test_nothing_harvested_commits_nothing(node: Node, pages: PageServer) -> None:
    _add(node, pages)
    pages.fail[1] = 404
    report = node.harvest("paged")
    assert not report["committed"]
    assert report["errors"] and _published(node) == set()
    assert node.runs("paged")[0]["state"] == "failed"


def test_the_same_dataset_from_two_sources_is_linked_not_merged(
        node: Node, pages: PageServer) -> None:
    _add(node, pages, name="first")
    other = PageServer(demo_pages(2)).start()
    try:
        _add(node, other, name="second")
        node.harvest("first")
        report = node.harvest("second")
    finally:
        other.stop()
    assert report["duplicates"] == 2
    assert len(_published(node, "first")) == 8 and len(_published(node, "second")) == 2
    entry = report["records"][0]
    assert entry["duplicates"][0]["source"] == "first"
    assert entry["duplicates"][0]["key"].startswith(("iri:", "id:", "landing:"))


OLD_STYLE = b"""
@prefix dcat: <https://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/dataset/old> a dcat:Dataset ;
    dct:title "An older description"@en ;
    dct:issued "2019-03-01" ;
    dct:hasVersion <https://example.org/dataset/old/v2> .
"""


def test_normalisation_changes_are_listed_per_record(node: Node) -> None:
    server = PageServer([OLD_STYLE]).start()
    try:
        _add(node, server, name="old")
        report = node.harvest("old")
    finally:
        server.stop()
    assert report["created"] == 1
    [entry] = report["records"]
    rules = {change["rule"] for change in entry["normalised"]}
    assert len(rules) >= 3  # the https namespace, hasVersion, the untyped date
    assert all(change["before"] and change["subject"] for change in entry["normalised"])
    assert sum(report["normalised"].values()) == len(entry["normalised"])
    stored = {str(q.predicate) + " " + str(q.object)
              for q in node.store.graph_quads(entry["record"])
              if q.subject.value == "https://example.org/dataset/old"}
    assert "<http://www.w3.org/ns/dcat#hasVersion> <https://example.org/dataset/old/v2>" in stored
    assert ('<http://purl.org/dc/terms/issued> '
            '"2019-03-01"^^<http://www.w3.org/2001/XMLSchema#date>') in stored
    assert "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " \
           "<http://www.w3.org/ns/dcat#Dataset>" in stored
    full = node.run_report(report["run"], records=True)
    assert full["records"][0]["normalised"] == entry["normalised"]


def _two_datasets(phone: str) -> bytes:
    return f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<https://example.org/d/good> a dcat:Dataset ; dct:title "Good"@en .
<https://example.org/d/sloppy> a dcat:Dataset ; dct:title "Sloppy"@en ;
    dcat:contactPoint [ a vcard:Kind ; vcard:hasTelephone <{phone}> ] .
""".encode()


def test_a_record_with_an_invalid_iri_is_skipped_not_the_page(node: Node) -> None:
    server = PageServer([_two_datasets("tel:+33140000000")]).start()
    try:
        _add(node, server, name="sloppy", grace=0)
        assert node.harvest("sloppy")["created"] == 2
        server.pages[0] = _two_datasets("tel:+33 1 40 00 00 00")  # the source breaks it
        report = node.harvest("sloppy")
    finally:
        server.stop()
    assert report["committed"] and (report["failed"], report["withdrawn"]) == (1, 0)
    [error] = report["errors"]
    assert error["place"] == "https://example.org/d/sloppy"
    assert "invalid IRI <tel:+33 1 40 00 00 00>" in error["message"]
    assert len(_published(node, "sloppy")) == 2  # the last good version stays published


def test_a_harvested_dataset_already_loaded_is_linked_to_the_loaded_record(
        node: Node) -> None:
    from catalog_node.loading import demo_documents

    node.load(demo_documents()[:3], catalog="local")
    server = PageServer(demo_pages(2)).start()
    try:
        _add(node, server, name="again")
        report = node.harvest("again")
    finally:
        server.stop()
    assert (report["created"], report["duplicates"]) == (2, 2)
    linked = report["records"][0]["duplicates"][0]
    assert linked["source"] == "local" and linked["key"].split(":")[0] in {"iri", "id"}
    quads = node.store.graph_quads(report["records"][0]["record"])
    assert any(q.predicate.value == "http://purl.org/dc/terms/relation"
               and q.object.value == linked["dataset"] for q in quads)
