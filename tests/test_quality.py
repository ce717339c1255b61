"""The MQA-style quality score on the shipped demo records and on mutations of them."""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from catalog_node.net.safe_http import HttpPolicy, SafeHttpClient
from catalog_node.quality import (
    INDICATORS,
    MAXIMUM,
    QualityScore,
    check_record_urls,
    explain,
    publisher_scores,
    rating,
    score_record,
    to_dqv,
)
from catalog_node.quality.dqv import QUALITY
from catalog_node.quality.indicators import format_lists

DEMO = Path(__file__).resolve().parents[1] / "catalog_node" / "demo"
BASE = "http://127.0.0.1:8000/"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
DQV = Namespace("http://www.w3.org/ns/dqv#")
PROV = Namespace("http://www.w3.org/ns/prov#")
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
FT = "http://publications.europa.eu/resource/authority/file-type/"
LOOPBACK = HttpPolicy(
    connect_timeout=0.5, read_timeout=0.5, deadline=3, allow_private_networks=True
)


def demo(name: str) -> Graph:
    return Graph().parse(DEMO / f"{name}.ttl", format="turtle", publicID=BASE)


def demo_names() -> list[str]:
    return sorted(p.stem for p in DEMO.glob("*.ttl"))


def by_id(score: QualityScore) -> dict[str, object]:
    return {result.id: result for _, result in score.indicators()}


def the_dataset(graph: Graph) -> URIRef:
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    assert isinstance(dataset, URIRef)
    return dataset


@pytest.fixture(scope="module")
def vocabulary() -> frozenset[str]:
    """Concept IRIs of the EU file-type, licence and access-right tables and IANA media types."""
    shared = Path(os.environ.get("CATALOG_NODE_SHARED", DEMO.parents[2] / "shared"))
    folder = shared / "reference/Informasjonsforvaltning-fdk-reference-data"
    folder /= "eu-vocab-sparql-extracts"
    if not folder.is_dir():
        pytest.skip("../shared/reference not present")
    known: set[str] = set()
    for name in (
        "filetypes-sparql-result",
        "licences-sparql-result",
        "access-right-sparql-result",
        "media-types",
    ):
        graph = Graph().parse(folder / f"{name}.ttl", format="turtle")
        known |= {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    return frozenset(known)


# -- the figures ------------------------------------------------------------------------------


def test_indicator_table_has_the_mqa_points() -> None:
    assert MAXIMUM == 405 and len(INDICATORS) == 23
    per_dimension: dict[str, int] = defaultdict(int)
    for indicator in INDICATORS:
        per_dimension[indicator.dimension] += indicator.maximum
    assert dict(per_dimension) == {
        "findability": 100,
        "accessibility": 100,
        "interoperability": 110,
        "reusability": 75,
        "contextuality": 20,
    }
    lists = format_lists()
    assert FT + "CSV" in lists.machine_readable and FT + "CSV" in lists.non_proprietary
    assert FT + "PDF" not in lists.machine_readable | lists.non_proprietary
    assert FT + "XLSX" in lists.machine_readable and FT + "XLSX" not in lists.non_proprietary


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (0, "bad"),
        (120, "bad"),
        (121, "sufficient"),
        (220, "sufficient"),
        (221, "good"),
        (350, "good"),
        (351, "excellent"),
        (405, "excellent"),
    ],
)
def test_rating_bands(points: int, expected: str) -> None:
    assert rating(points) == expected


# -- every demo record ------------------------------------------------------------------------


@pytest.mark.parametrize("name", demo_names())
def test_demo_record_score_is_consistent(name: str, vocabulary: frozenset[str]) -> None:
    score = score_record(demo(name), vocabulary=vocabulary, compliance=True)
    assert score.maximum == 405
    assert sum(d.maximum for d in score.dimensions) == 405
    assert score.points == sum(d.points for d in score.dimensions)
    assert 0 <= score.points <= score.maximum_checked <= 405
    assert score.rating == rating(score.points)
    for dimension, result in score.indicators():
        assert dimension.points == sum(r.points for r in dimension.indicators)
        if result.status == "met":
            assert result.points == result.maximum
        elif result.status == "partly":
            assert 0 < result.points < result.maximum
        else:
            assert result.points == 0
        assert result.explanation_en and result.explanation_fr
    # URLs were not checked: never counted as reachable
    results = by_id(score)
    for indicator in ("access_url_status", "download_url_status"):
        assert results[indicator].status in ("not checked", "not met")
        assert results[indicator].points == 0
    assert results["access_url_status"].status == "not checked"  # every demo has an accessURL
    assert score.maximum_checked == 405 - 50 - (30 if results["download_url"].points else 0)


def test_open_damir_indicator_by_indicator(vocabulary: frozenset[str]) -> None:
    graph = demo("open-damir")
    score = score_record(graph, vocabulary=vocabulary)
    results = by_id(score)
    status = {key: result.status for key, result in results.items()}
    assert status == {
        "keyword": "met",
        "theme": "met",
        "spatial": "met",
        "temporal": "met",
        "access_url_status": "not checked",
        "download_url": "not met",
        "download_url_status": "not met",
        "format": "met",
        "media_type": "met",
        # the reference IANA extract lacks text/csv: only the format half counts
        "format_media_type_vocabulary": "partly",
        "non_proprietary": "met",
        "machine_readable": "met",
        "dcat_ap_compliance": "not checked",
        "licence": "not met",
        "licence_vocabulary": "not met",
        "access_rights": "met",
        "access_rights_vocabulary": "met",
        "contact_point": "met",
        "publisher": "met",
        "rights": "met",
        "byte_size": "not met",
        "issued": "not met",
        "modified": "not met",
    }
    assert results["format_media_type_vocabulary"].points == 5
    assert score.points == 100 + 0 + (20 + 10 + 5 + 20 + 20) + (10 + 5 + 20 + 10) + 5 == 225
    assert score.rating == "good"
    assert score.maximum_checked == 405 - 50 - 30
    with_csv = score_record(
        graph,
        vocabulary=vocabulary | {"http://www.iana.org/assignments/media-types/text/csv"},
        compliance=False,
    )
    assert by_id(with_csv)["format_media_type_vocabulary"].status == "met"
    assert by_id(with_csv)["dcat_ap_compliance"].status == "not met"
    assert with_csv.points == 230 and with_csv.maximum_checked == 405 - 50


def test_vocabulary_absent_is_not_checked() -> None:
    results = by_id(score_record(demo("open-damir")))
    for key in ("format_media_type_vocabulary", "access_rights_vocabulary"):
        assert results[key].status == "not checked" and results[key].points == 0


# -- mutations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", [n for n in demo_names() if "dcat:keyword" in (DEMO / f"{n}.ttl").read_text("utf-8")]
)
def test_removing_keywords_drops_exactly_30_points(name: str) -> None:
    graph = demo(name)
    before = score_record(graph, compliance=True)
    graph.remove((the_dataset(graph), DCAT.keyword, None))
    after = score_record(graph, compliance=True)
    assert before.points - after.points == 30
    assert by_id(after)["keyword"].status == "not met"
    changed = [k for k, v in by_id(after).items() if v != by_id(before)[k]]
    assert changed == ["keyword"]


def test_licence_on_a_distribution(vocabulary: frozenset[str]) -> None:
    graph = demo("open-damir")
    (distribution,) = graph.objects(the_dataset(graph), DCAT.distribution)
    base = score_record(graph, vocabulary=vocabulary).points
    graph.add((distribution, DCT.license, URIRef("http://example.org/my-licence")))
    unknown = by_id(score_record(graph, vocabulary=vocabulary))
    assert unknown["licence"].status == "met" and unknown["licence_vocabulary"].status == "not met"
    graph.remove((distribution, DCT.license, None))
    graph.add(
        (
            distribution,
            DCT.license,
            URIRef("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"),
        )
    )
    known = score_record(graph, vocabulary=vocabulary)
    assert by_id(known)["licence_vocabulary"].status == "met"
    assert known.points == base + 30


def test_best_distribution_counts_in_each_dimension() -> None:
    """Each dimension takes its points from the distribution that earns most there."""
    graph = demo("open-damir")
    dataset = the_dataset(graph)
    (csv,) = graph.objects(dataset, DCAT.distribution)
    pdf = URIRef(BASE + "dataset/open-damir/distribution/rapport-pdf")
    graph.add((dataset, DCAT.distribution, pdf))
    graph.add((pdf, RDF.type, DCAT.Distribution))
    graph.add((pdf, DCAT.accessURL, URIRef("https://example.org/rapport.pdf")))
    graph.add((pdf, DCT["format"], URIRef(FT + "PDF")))
    graph.add((pdf, DCAT.byteSize, Literal(1200, datatype=URIRef(XSD_NS + "nonNegativeInteger"))))
    graph.add((pdf, DCT.rights, URIRef(BASE + "dataset/open-damir/distribution/rapport-rights")))
    before = score_record(demo("open-damir"))
    results = by_id(score := score_record(graph))
    assert results["machine_readable"].computed_on == str(csv)
    assert "1 of 2 distributions" in results["machine_readable"].explanation_en
    assert results["format"].status == "met"
    assert "2 of 2 distributions" in results["format"].explanation_en
    assert results["byte_size"].computed_on == str(pdf)
    assert (results["byte_size"].status, results["rights"].status) == ("met", "met")
    assert score.points == before.points + 5  # only the file size is new to a best distribution


def test_dataset_without_distribution() -> None:
    graph = demo("open-damir")
    graph.remove((the_dataset(graph), DCAT.distribution, None))
    results = by_id(score_record(graph))
    assert all(results[i.id].status == "not met" for i in INDICATORS if i.level == "distribution")


# -- URL checks against a real loopback server ---------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: ClassVar[dict[str, int]] = defaultdict(int)
    in_flight = 0
    most_in_flight = 0
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        cls = type(self)
        with cls.lock:
            cls.hits[self.path] += 1
            cls.in_flight += 1
            cls.most_in_flight = max(cls.most_in_flight, cls.in_flight)
        time.sleep(0.05)
        with cls.lock:
            cls.in_flight -= 1
        self.send_response(404 if self.path.startswith("/missing") else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def point_at(graph: Graph, access: str, download: str | None = None) -> URIRef:
    (distribution,) = graph.objects(the_dataset(graph), DCAT.distribution)
    graph.set((distribution, DCAT.accessURL, URIRef(access)))
    if download:
        graph.set((distribution, DCAT.downloadURL, URIRef(download)))
    return distribution


def test_reachable_loopback_access_url_is_met(server: str) -> None:
    graph = demo("open-damir")
    point_at(graph, f"{server}/data", f"{server}/missing.csv")
    checks = check_record_urls(graph, SafeHttpClient(LOOPBACK))
    assert set(checks) == {f"{server}/data", f"{server}/missing.csv"}
    score = score_record(graph, url_checks=checks)
    results = by_id(score)
    assert (results["access_url_status"].status, results["access_url_status"].points) == ("met", 50)
    assert results["download_url"].status == "met"
    assert results["download_url_status"].status == "not met"
    assert "HTTP status 404" in results["download_url_status"].explanation_en
    unchecked = by_id(score_record(graph))
    assert unchecked["access_url_status"].status == "not checked"
    assert score_record(graph).points == score.points - 50


def test_refused_address_is_not_reachable(server: str) -> None:
    graph = demo("open-damir")
    point_at(graph, f"{server}/data")
    checks = check_record_urls(graph, SafeHttpClient(HttpPolicy()))  # loopback refused
    result = by_id(score_record(graph, url_checks=checks))["access_url_status"]
    assert result.status == "not met" and "loopback address" in result.explanation_en


def test_urls_missing_from_the_checks_are_not_checked(server: str) -> None:
    graph = demo("open-damir")
    point_at(graph, f"{server}/data")
    result = by_id(score_record(graph, url_checks={}))["access_url_status"]
    assert result.status == "not checked" and result.points == 0


def test_url_checks_deduplicated_and_one_at_a_time_per_host(server: str) -> None:
    Handler.hits.clear()
    Handler.most_in_flight = 0
    graph = demo("open-damir")
    distribution = point_at(graph, f"{server}/same", f"{server}/same")
    for index in range(6):
        graph.add((distribution, DCAT.accessURL, URIRef(f"{server}/page/{index}")))
    checks = check_record_urls(graph, SafeHttpClient(LOOPBACK))
    assert len(checks) == 7 and all(check.reachable for check in checks.values())
    assert Handler.hits["/same"] == 1
    assert Handler.most_in_flight == 1


# -- outputs ----------------------------------------------------------------------------------


def test_dqv_export_parses_and_has_one_measurement_per_checked_indicator(
    server: str, vocabulary: frozenset[str]
) -> None:
    graph = demo("open-damir")
    distribution = point_at(graph, f"{server}/data")
    score = score_record(
        graph, url_checks=check_record_urls(graph, SafeHttpClient(LOOPBACK)), vocabulary=vocabulary
    )
    record = BASE + "record/demo/open-damir"
    dqv = Graph().parse(data=to_dqv(score, record).serialize(format="turtle"), format="turtle")
    measurements = set(dqv.subjects(RDF.type, DQV.QualityMeasurement))
    checked = [r for _, r in score.indicators() if r.status != "not checked"]
    assert len(measurements) == len(checked) == 22  # all but DCAT-AP compliance
    dimensions = set(dqv.subjects(RDF.type, DQV.Dimension))
    assert len(dimensions) == 5
    measured_metrics = set()
    for measurement in measurements:
        metric = dqv.value(measurement, DQV.isMeasurementOf)
        assert (metric, RDF.type, DQV.Metric) in dqv
        assert dqv.value(metric, DQV.inDimension) in dimensions
        assert str(metric).startswith("https://w3id.org/catalog-node/quality#")
        value = dqv.value(measurement, DQV.value)
        assert isinstance(value, Literal) and value.datatype in (
            URIRef(XSD_NS + "boolean"),
            URIRef(XSD_NS + "decimal"),
        )
        assert dqv.value(measurement, PROV.generatedAtTime).datatype == URIRef(XSD_NS + "dateTime")
        measured_metrics.add(metric)
    assert QUALITY.dcat_ap_compliance not in measured_metrics
    access = next(
        m for m in measurements if dqv.value(m, DQV.isMeasurementOf) == QUALITY.access_url_status
    )
    assert dqv.value(access, DQV.computedOn) == distribution
    assert dqv.value(access, DQV.value).toPython() is True
    graded = next(
        m
        for m in measurements
        if dqv.value(m, DQV.isMeasurementOf) == QUALITY.format_media_type_vocabulary
    )
    assert dqv.value(graded, DQV.value).toPython() == Decimal(5)
    (metadata,) = dqv.subjects(RDF.type, DQV.QualityMetadata)
    assert dqv.value(metadata, PROV.wasDerivedFrom) == URIRef(record)


def test_json_and_explanations() -> None:
    score = score_record(demo("bdpm"))
    data = score.to_json()
    assert data["maximum"] == 405 and data["points"] == score.points
    assert [d["name"] for d in data["dimensions"]] == [
        "findability",
        "accessibility",
        "interoperability",
        "reusability",
        "contextuality",
    ]
    english, french = explain(score, "en"), explain(score, "fr")
    assert f"{score.points:g} of 405 points" in english
    assert f"{score.points:g} points sur 405" in french
    for label in ("Findability", "Accessibility", "Interoperability", "Reusability"):
        assert label in english
    for label in ("Trouvabilité", "Accessibilité", "Interopérabilité", "Réutilisabilité"):
        assert label in french
    assert "not checked" in english and "non vérifié" in french


def test_publisher_scores_on_the_demo_catalogue() -> None:
    by_publisher: dict[str, list[QualityScore]] = defaultdict(list)
    for name in demo_names():
        graph = demo(name)
        publisher = graph.value(the_dataset(graph), DCT.publisher)
        by_publisher[str(publisher)].append(score_record(graph))
    summary = publisher_scores(by_publisher)
    assert sum(p.records for p in summary) == len(demo_names())
    for entry in summary:
        scores = by_publisher[entry.publisher]
        assert entry.mean_points == round(sum(s.points for s in scores) / len(scores), 2)
        assert sum(entry.ratings.values()) == entry.records
        assert entry.rating == rating(entry.mean_points)
