"""The project's DCAT-AP 3.0.1 shapes (shapes/dcat-ap-3.0.1/) agree with the official ones.

Both shape sets run through pySHACL on the same data (merged with the official vocabularies);
the verdicts, (focus node, path, constraint component) of the top-level results, must be the same
sets at the Violation level and at the Warning level. Data: the DCAT-AP 3.0.1 examples, the
HealthDCAT-AP example, the demo records and named mutations of a complete DCAT-AP record.
"""

from __future__ import annotations

import logging
import sys
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from official import (
    SH,
    canonical_path,
    focus_text,
    official_shapes,
    official_vocabularies,
    reference,
    run_pyshacl,
)

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "shapes"
PROFILE = SHAPES / "dcat-ap-3.0.1" / "profile.toml"
DEMO = ROOT / "catalog_node" / "demo"
BASE = "http://127.0.0.1:8000/"

ADMS = Namespace("http://www.w3.org/ns/adms#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA = Namespace("http://schema.org/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
TIME = Namespace("http://www.w3.org/2006/time#")
EX = Namespace("https://example.org/cn/")
EU = Namespace("http://publications.europa.eu/resource/authority/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DCT_TITLE, DCT_FORMAT = DCT["title"], DCT["format"]  # not DCT.title: str methods

Verdicts = dict[str, set[tuple[str, str, str]]]

# rdflib logs every ill-typed literal a mutation introduces; they are intended here.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


@cache
def profile_shapes() -> Graph:
    """The project's profile: every file its profile.toml lists, in one graph."""
    profile = tomllib.loads(PROFILE.read_text(encoding="utf-8"))
    assert profile["name"] == "dcat-ap" and profile["version"] == "3.0.1"
    shapes = Graph()
    for name in profile["files"]:
        shapes.parse(SHAPES / name, format="turtle")
    return shapes


def verdicts(report: Graph, data: Graph) -> Verdicts:
    """Top-level results on the data's own nodes, per severity."""
    own = set(data.subjects())
    found: Verdicts = {"Violation": set(), "Warning": set()}
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        if focus not in own:
            continue
        severity = str(report.value(result, SH.resultSeverity)).removeprefix(str(SH))
        path = canonical_path(report, report.value(result, SH.resultPath))
        component = str(report.value(result, SH.sourceConstraintComponent)).removeprefix(str(SH))
        found.setdefault(severity, set()).add((focus_text(focus), path, component))
    return found


def both(data: Graph) -> tuple[Verdicts, Verdicts]:
    vocabularies = official_vocabularies()
    official = verdicts(run_pyshacl(data, vocabularies, official_shapes("dcat-ap")), data)
    ours = verdicts(run_pyshacl(data, vocabularies, profile_shapes()), data)
    return official, ours


def disagreements(label: str, official: Verdicts, ours: Verdicts) -> list[str]:
    lines = []
    for severity in sorted(set(official) | set(ours)):
        expected, got = official.get(severity, set()), ours.get(severity, set())
        lines += [f"{label} {severity}: official only {v}" for v in sorted(expected - got)]
        lines += [f"{label} {severity}: ours only {v}" for v in sorted(got - expected)]
    return lines


@pytest.fixture(scope="module")
def ref() -> Path:
    return reference()


# ------------------------------------------------------------------------------------ examples


def test_profile_files_are_listed(ref: Path) -> None:
    profile = tomllib.loads(PROFILE.read_text(encoding="utf-8"))
    listed = {SHAPES / name for name in profile["files"]}
    on_disk = set(PROFILE.parent.glob("*.ttl"))
    assert listed == on_disk


def test_official_examples_agree(ref: Path) -> None:
    files = sorted((ref / "SEMICeu-DCAT-AP" / "3.0.1" / "examples").glob("*.ttl"))
    files.append(ref / "healthdcat-ap-r8" / "examples" / "example-healthdcat-dataset.ttl")
    problems: list[str] = []
    checked = 0
    for file in files:
        try:
            data = Graph().parse(file, format="turtle")
        except Exception:  # two published examples are not valid Turtle
            continue
        checked += 1
        problems += disagreements(file.name, *both(data))
    assert checked >= 10
    assert not problems, "\n".join(problems)


def test_demo_records_agree(ref: Path) -> None:
    files = sorted(DEMO.glob("*.ttl"))
    assert len(files) >= 40
    problems: list[str] = []
    for file in files:
        data = Graph().parse(file, format="turtle", publicID=BASE)
        problems += disagreements(file.name, *both(data))
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------------- mutations

COMPLETE = """
@prefix adms: <http://www.w3.org/ns/adms#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix locn: <http://www.w3.org/ns/locn#> .
@prefix odrl: <http://www.w3.org/ns/odrl/2/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/cn/> .
@prefix eu: <http://publications.europa.eu/resource/authority/> .

ex:catalog a dcat:Catalog ;
    dct:title "Test catalogue"@en ; dct:description "A catalogue for agreement tests."@en ;
    dct:publisher ex:publisher ; dct:language eu:language\\/ENG ;
    dcatap:applicableLegislation <http://data.europa.eu/eli/reg/2025/327/oj> ;
    dct:license ex:licence ; dct:issued "2024-01-01"^^xsd:date ;
    dct:modified "2024-06-01T10:00:00Z"^^xsd:dateTime ; dct:spatial eu:country\\/FRA ;
    dct:rights ex:rights ; dcat:record ex:record ; dcat:themeTaxonomy eu:data-theme ;
    dcat:service ex:service ; dcat:catalog ex:subcatalog ; dct:hasPart ex:subcatalog ;
    dct:creator ex:publisher ; dcat:dataset ex:dataset ; foaf:homepage ex:home .

ex:subcatalog a dcat:Catalog ;
    dct:title "Sub-catalogue"@en ; dct:description "Part of the test catalogue."@en ;
    dct:publisher ex:publisher ; dct:isPartOf ex:catalog .

ex:record a dcat:CatalogRecord ;
    foaf:primaryTopic ex:dataset ; dct:modified "2024-06-01"^^xsd:date ;
    dct:issued "2024-01-01"^^xsd:date ; dct:conformsTo ex:standard ;
    adms:status eu:distribution-status\\/COMPLETED ; dct:language eu:language\\/ENG ;
    dct:title "Record of the test dataset"@en ; dct:description "Record."@en .

ex:dataset a dcat:Dataset ;
    dct:title "Test dataset"@en ; dct:description "A dataset for agreement tests."@en ;
    dct:accessRights eu:access-right\\/PUBLIC ;
    dcatap:applicableLegislation <http://data.europa.eu/eli/reg/2025/327/oj> ;
    dct:conformsTo ex:standard ; dcat:contactPoint ex:contact ; dct:creator ex:publisher ;
    dcat:distribution ex:distribution ; foaf:page ex:doc ;
    dct:accrualPeriodicity eu:frequency\\/ANNUAL ; dct:spatial eu:country\\/FRA ;
    dct:identifier "test-dataset" ; dcat:inSeries ex:series ; dcat:keyword "test"@en ;
    dcat:landingPage ex:home ; dct:language eu:language\\/ENG ;
    dct:modified "2024-06-01"^^xsd:date ; dct:issued "2024"^^xsd:gYear ;
    adms:identifier ex:identifier ; dct:provenance ex:provenance ; dct:publisher ex:publisher ;
    prov:qualifiedAttribution ex:attribution ; dcat:qualifiedRelation ex:relationship ;
    dct:relation ex:dataset2 ; adms:sample ex:distribution ; dct:source ex:dataset2 ;
    dcat:spatialResolutionInMeters "30.0"^^xsd:decimal ; dct:temporal ex:period ;
    dcat:temporalResolution "P1D"^^xsd:duration ; dcat:theme eu:data-theme\\/HEAL ;
    dct:type eu:dataset-type\\/STATISTICAL ; dcat:version "1.0" ;
    adms:versionNotes "First version."@en ; prov:wasGeneratedBy ex:activity .

ex:dataset2 a dcat:Dataset ;
    dct:title "Second dataset"@en ; dct:description "Source of the test dataset."@en ;
    dcat:inSeries ex:series .

ex:series a dcat:DatasetSeries ;
    dct:title "Test series"@en ; dct:description "A series."@en ;
    dcatap:applicableLegislation <http://data.europa.eu/eli/reg/2025/327/oj> ;
    dcat:contactPoint ex:contact ; dct:accrualPeriodicity eu:frequency\\/ANNUAL ;
    dct:spatial eu:country\\/FRA ; dct:modified "2024-06"^^xsd:gYearMonth ;
    dct:issued "2023-01-01"^^xsd:date ; dct:publisher ex:publisher ; dct:temporal ex:period .

ex:distribution a dcat:Distribution ;
    dcat:accessURL ex:access ; dcat:downloadURL ex:download ; dcat:accessService ex:service ;
    dcatap:applicableLegislation <http://data.europa.eu/eli/reg/2025/327/oj> ;
    dcatap:availability eu:planned-availability\\/STABLE ;
    dcat:byteSize "5120"^^xsd:nonNegativeInteger ; spdx:checksum ex:checksum ;
    dct:description "CSV file."@en ; dct:title "CSV"@en ; foaf:page ex:doc ;
    dct:format eu:file-type\\/CSV ; odrl:hasPolicy ex:policy ; dct:language eu:language\\/ENG ;
    dct:license ex:licence ; dct:conformsTo ex:standard ;
    dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ;
    dcat:compressFormat <https://www.iana.org/assignments/media-types/application/gzip> ;
    dcat:packageFormat <https://www.iana.org/assignments/media-types/application/zip> ;
    dct:modified "2024-06-01"^^xsd:date ; dct:issued "2024-01-01"^^xsd:date ;
    dct:rights ex:rights ; dcat:spatialResolutionInMeters "10"^^xsd:decimal ;
    dcat:temporalResolution "PT1H"^^xsd:duration .

ex:service a dcat:DataService ;
    dct:title "Test API"@en ; dcat:endpointURL ex:endpoint ;
    dct:accessRights eu:access-right\\/PUBLIC ;
    dcatap:applicableLegislation <http://data.europa.eu/eli/reg/2025/327/oj> ;
    dct:conformsTo ex:standard ; dcat:contactPoint ex:contact ; dct:description "An API."@en ;
    dcat:endpointDescription ex:openapi ; dct:format eu:file-type\\/JSON ; dcat:keyword "api"@en ;
    dcat:landingPage ex:home ; dct:license ex:licence ; dct:publisher ex:publisher ;
    dcat:servesDataset ex:dataset ; dcat:theme eu:data-theme\\/HEAL .

ex:publisher a foaf:Agent ;
    foaf:name "Test publisher"@en ;
    dct:type <http://purl.org/adms/publishertype/NationalAuthority> .
ex:contact a vcard:Kind ; vcard:fn "Help desk" ; vcard:hasEmail <mailto:help@example.org> .
ex:licence a dct:LicenseDocument ; dct:type <http://purl.org/adms/licencetype/Attribution> .
ex:rights a dct:RightsStatement .
ex:standard a dct:Standard .
ex:home a foaf:Document .
ex:doc a foaf:Document .
ex:provenance a dct:ProvenanceStatement .
ex:attribution a prov:Attribution ; prov:agent ex:publisher ; dcat:hadRole ex:role .
ex:role a dcat:Role .
ex:activity a prov:Activity .
ex:policy a odrl:Policy .
ex:relationship a dcat:Relationship ; dct:relation ex:dataset2 ; dcat:hadRole ex:role .
ex:identifier a adms:Identifier ; skos:notation "ID-1" .
ex:period a dct:PeriodOfTime ;
    dcat:startDate "2020-01-01"^^xsd:date ; dcat:endDate "2023-12-31"^^xsd:date ;
    time:hasBeginning ex:begin ; time:hasEnd ex:end .
ex:begin a time:Instant .
ex:end a time:Instant .
ex:place a dct:Location ;
    dcat:bbox "POLYGON((0 0,1 0,1 1,0 1,0 0))" ; dcat:centroid "POINT(0.5 0.5)" ;
    locn:geometry "POINT(0.5 0.5)" .
ex:checksum a spdx:Checksum ;
    spdx:algorithm <https://spdx.org/rdf/terms#checksumAlgorithm_sha1> ;
    spdx:checksumValue "9a0364b9e99bb480dd25e1f0284c8555"^^xsd:hexBinary .
<https://spdx.org/rdf/terms#checksumAlgorithm_sha1> a spdx:ChecksumAlgorithm .

<http://data.europa.eu/eli/reg/2025/327/oj> a eli:LegalResource .
eu:language\\/ENG a dct:LinguisticSystem .
eu:country\\/FRA a dct:Location .
eu:access-right\\/PUBLIC a dct:RightsStatement .
eu:frequency\\/ANNUAL a dct:Frequency .
eu:file-type\\/CSV a dct:MediaTypeOrExtent .
eu:file-type\\/JSON a dct:MediaTypeOrExtent .
<https://www.iana.org/assignments/media-types/text/csv> a dct:MediaType .
<https://www.iana.org/assignments/media-types/application/gzip> a dct:MediaType .
<https://www.iana.org/assignments/media-types/application/zip> a dct:MediaType .
eu:data-theme a skos:ConceptScheme ; dct:title "Data themes"@en .
"""

Mutation = Callable[[Graph], None]


def drop(s: URIRef, p: URIRef) -> Mutation:
    return lambda g: g.remove((s, p, None))


def put(s: URIRef, p: URIRef, o) -> Mutation:
    """Replace every value of p on s by o."""
    return lambda g: g.set((s, p, o))


def add(*triples) -> Mutation:
    def apply(g: Graph) -> None:
        for triple in triples:
            g.add(triple)

    return apply


NEW_AGENT = (EX.agent2, RDF.type, FOAF.Agent)
UNTYPED = URIRef("https://example.org/elsewhere/thing")
ADMS_STATUS = URIRef("http://purl.org/adms/status/Completed")

# (name, mutation, breaks: the official DCAT-AP 3.0.1 reports at least one violation)
MUTATIONS: list[tuple[str, Mutation, bool]] = [
    ("dataset-without-title", drop(EX.dataset, DCT_TITLE), True),
    ("dataset-without-description", drop(EX.dataset, DCT.description), True),
    ("dataset-title-as-iri", put(EX.dataset, DCT_TITLE, EX.home), True),
    ("dataset-two-publishers", add((EX.dataset, DCT.publisher, EX.agent2), NEW_AGENT), True),
    ("dataset-access-rights-literal", put(EX.dataset, DCT.accessRights, Literal("open")), True),
    ("dataset-theme-literal", put(EX.dataset, DCAT.theme, Literal("health")), True),
    (
        "dataset-frequency-outside-vocabulary",
        put(EX.dataset, DCT.accrualPeriodicity, UNTYPED),
        True,
    ),
    ("dataset-language-outside-vocabulary", put(EX.dataset, DCT.language, UNTYPED), True),
    (
        "dataset-spatial-resolution-not-decimal",
        put(EX.dataset, DCAT.spatialResolutionInMeters, Literal("thirty")),
        True,
    ),
    (
        "dataset-temporal-resolution-not-duration",
        put(EX.dataset, DCAT.temporalResolution, Literal("1 day", datatype=XSD.duration)),
        True,
    ),
    ("dataset-two-versions", add((EX.dataset, DCAT.version, Literal("2.0"))), True),
    ("dataset-distribution-untyped", put(EX.dataset, DCAT.distribution, UNTYPED), True),
    ("dataset-publisher-untyped", put(EX.dataset, DCT.publisher, UNTYPED), True),
    ("dataset-type-literal", put(EX.dataset, DCT.type, Literal("statistics")), True),
    # DCAT-AP 3.0.1 does not check the datatype of a dataset's dates (its rule is inert)
    (
        "dataset-modified-not-a-date",
        put(EX.dataset, DCT.modified, Literal("not a date", datatype=XSD.date)),
        False,
    ),
    ("distribution-without-access-url", drop(EX.distribution, DCAT.accessURL), True),
    ("distribution-access-url-literal", put(EX.distribution, DCAT.accessURL, Literal("x")), True),
    ("distribution-byte-size-abc", put(EX.distribution, DCAT.byteSize, Literal("abc")), True),
    (
        "distribution-byte-size-negative",
        put(EX.distribution, DCAT.byteSize, Literal("-1", datatype=XSD.integer)),
        True,
    ),
    (
        "distribution-issued-not-a-date",
        put(EX.distribution, DCT.issued, Literal("not a date", datatype=XSD.date)),
        True,
    ),
    (
        "distribution-modified-plain-string",
        put(EX.distribution, DCT.modified, Literal("2024-06-01")),
        True,
    ),
    ("distribution-two-formats", add((EX.distribution, DCT_FORMAT, EU["file-type/JSON"])), True),
    ("distribution-format-outside-vocabulary", put(EX.distribution, DCT_FORMAT, UNTYPED), True),
    (
        "distribution-media-type-not-iana",
        put(EX.distribution, DCAT.mediaType, EU["file-type/CSV"]),
        True,
    ),
    ("distribution-status-from-adms-table", put(EX.distribution, ADMS.status, ADMS_STATUS), True),
    (
        "checksum-value-not-hex",
        put(EX.checksum, SPDX.checksumValue, Literal("zz", datatype=XSD.hexBinary)),
        True,
    ),
    ("checksum-without-algorithm", drop(EX.checksum, SPDX.algorithm), True),
    ("distribution-status-literal", put(EX.distribution, ADMS.status, Literal("done")), True),
    (
        "distribution-byte-size-decimal",
        put(EX.distribution, DCAT.byteSize, Literal("5120.0", datatype=XSD.decimal)),
        True,
    ),
    (
        "catalog-theme-taxonomy-literal",
        put(EX.catalog, DCAT.themeTaxonomy, Literal("themes")),
        True,
    ),
    (
        "dataset-spatial-geonames",
        put(EX.dataset, DCT.spatial, URIRef("https://sws.geonames.org/2988507/")),
        True,
    ),
    (
        "checksum-algorithm-http",
        put(
            EX.checksum, SPDX.algorithm, URIRef("http://spdx.org/rdf/terms#checksumAlgorithm_sha1")
        ),
        True,
    ),
    ("catalog-without-title", drop(EX.catalog, DCT_TITLE), True),
    ("catalog-without-publisher", drop(EX.catalog, DCT.publisher), True),
    ("catalog-two-publishers", add((EX.catalog, DCT.publisher, EX.agent2), NEW_AGENT), True),
    ("catalog-language-literal", put(EX.catalog, DCT.language, Literal("en")), True),
    ("catalog-issued-not-a-date", put(EX.catalog, DCT.issued, Literal("January 2024")), True),
    ("catalog-dataset-untyped", put(EX.catalog, DCAT.dataset, UNTYPED), True),
    ("record-without-primary-topic", drop(EX.record, FOAF.primaryTopic), True),
    ("record-primary-topic-untyped", put(EX.record, FOAF.primaryTopic, UNTYPED), True),
    ("record-without-modified", drop(EX.record, DCT.modified), True),
    (
        "record-two-modified",
        add((EX.record, DCT.modified, Literal("2024-07-01", datatype=XSD.date))),
        True,
    ),
    ("service-without-endpoint-url", drop(EX.service, DCAT.endpointURL), True),
    ("service-without-title", drop(EX.service, DCT_TITLE), True),
    ("service-format-outside-vocabulary", put(EX.service, DCT_FORMAT, UNTYPED), True),
    ("agent-without-name", drop(EX.publisher, FOAF.name), True),
    ("agent-name-as-iri", put(EX.publisher, FOAF.name, EX.home), True),
    ("agent-two-types", add((EX.publisher, DCT.type, EU["data-theme/HEAL"])), True),
    ("series-without-title", drop(EX.series, DCT_TITLE), True),
    ("series-modified-as-iri", put(EX.series, DCT.modified, EX.home), True),
    ("series-issued-not-a-date", put(EX.series, DCT.issued, Literal("2023")), True),
    ("series-without-members", drop(EX.dataset2, DCAT.inSeries), False),
    ("location-two-bboxes", add((EX.place, DCAT.bbox, Literal("POINT(1 1)"))), True),
    (
        "period-two-start-dates",
        add((EX.period, DCAT.startDate, Literal("2019-01-01", datatype=XSD.date))),
        True,
    ),
    ("period-beginning-untyped", put(EX.period, TIME.hasBeginning, UNTYPED), True),
    ("relationship-without-role", drop(EX.relationship, DCAT.hadRole), True),
    ("relationship-relation-untyped", put(EX.relationship, DCT.relation, UNTYPED), True),
    ("identifier-two-notations", add((EX.identifier, SKOS.notation, Literal("ID-2"))), True),
    ("concept-without-label", add((EX.concept, RDF.type, SKOS.Concept)), True),
    ("scheme-without-title", add((EX.scheme, RDF.type, SKOS.ConceptScheme)), True),
    ("licence-type-outside-vocabulary", put(EX.licence, DCT.type, UNTYPED), True),
    ("licence-type-blank-node", put(EX.licence, DCT.type, BNode()), True),
    (
        "period-deprecated-schema-end-date",
        add((EX.period, SCHEMA.endDate, Literal("2023-12-31", datatype=XSD.date))),
        False,
    ),
    (
        "catalog-lists-nothing",
        lambda g: [g.remove((EX.catalog, p, None)) for p in (DCAT.dataset, DCAT.service)],
        False,
    ),
]


@cache
def complete() -> Graph:
    return Graph().parse(data=COMPLETE, format="turtle")


def test_complete_record_conforms(ref: Path) -> None:
    official, ours = both(complete())
    problems = disagreements("complete", official, ours)
    assert not problems, "\n".join(problems)
    assert official["Violation"] == set()


@pytest.mark.parametrize(("name", "mutation", "breaks"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutation_agrees(ref: Path, name: str, mutation: Mutation, breaks: bool) -> None:
    data = Graph()
    for triple in complete():
        data.add(triple)
    mutation(data)
    assert set(data) != set(complete()), f"{name}: the mutation changed nothing"
    official, ours = both(data)
    if breaks:
        assert official["Violation"], f"{name}: the official shapes find no violation"
    else:
        assert not official["Violation"], f"{name}: {sorted(official['Violation'])}"
    problems = disagreements(name, official, ours)
    assert not problems, "\n".join(problems)
