"""The project's validation verdict equals the official oracle's, record by record.

The project side is the whole engine, :class:`catalog_node.validation.Validator`, with the
project's own shapes (``shapes/``) and the vocabularies it ships (``vocabularies/``), which it
merges into each record itself and whose access level it picks from ``dct:accessRights``. The
oracle is ``tests/official.py``: pySHACL over the published HealthDCAT-AP R8 / DCAT-AP 3.0.1
shape files with every official vocabulary merged (``../shared/reference/README.md``).

Inputs: the official HealthDCAT-AP example (NON_PUBLIC), every demo record (PUBLIC and
NON_PUBLIC), RESTRICTED records derived from them (no demo record is RESTRICTED), and named
mutations of these, by category: mandatory property removed, cardinality exceeded, wrong
datatype, value outside its vocabulary, wrong access level, broken agents and contact points,
CSVW dictionaries, and benign changes that must still conform.

For every input and both profiles (``healthdcat-ap``, ``dcat-ap``), the verdict sets, (focus,
canonical path, constraint component) of the top-level violations, must be equal; the project's
``sh:ValidationReport`` graph must say the same as its ``verdicts()``. ``test_summary`` lists
every disagreement at once and checks the suite can fail (enough breaking mutations do break).
Everything skips when ../shared/reference (CATALOG_NODE_SHARED) is absent.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

sys.path.insert(0, str(Path(__file__).resolve().parent))

from official import ACCESS_RIGHT, official_verdicts, reference, top_level_violations

from catalog_node.validation import Validator

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "catalog_node" / "demo"
DEMO_FILES = sorted(DEMO.glob("*.ttl"))
BASE = "http://127.0.0.1:8000/"
PROFILES = ("healthdcat-ap", "dcat-ap")
MIN_CASES = 60
MIN_BREAKING_SEEN = 40

ADMS = Namespace("http://www.w3.org/ns/adms#")
CSVW = Namespace("http://www.w3.org/ns/csvw#")
CV = Namespace("http://data.europa.eu/m8g/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
DCT = Namespace("http://purl.org/dc/terms/")
DPV = Namespace("https://w3id.org/dpv#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
GEODCATAP = Namespace("http://data.europa.eu/930/")
HEALTH = Namespace("http://healthdataportal.eu/ns/health#")
PROV = Namespace("http://www.w3.org/ns/prov#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
EU = "http://publications.europa.eu/resource/authority/"
HDEU = "https://hdeu-dcat.data.health.europa.eu/resource/authority/"
# dct:title / dct:type / dcat:keyword… through [] : attribute access hits str methods.
TITLE, DESCRIPTION, TYPE, FORMAT = DCT["title"], DCT["description"], DCT["type"], DCT["format"]
IDENTIFIER, LANGUAGE = DCT["identifier"], DCT["language"]

Verdict = tuple[str, str, str]
Mutation = Callable[[Graph, URIRef], None]

# rdflib logs every ill-typed literal a mutation introduces; they are intended here.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


# --- inputs ------------------------------------------------------------------------------------

def example_file() -> Path:
    return reference() / "healthdcat-ap-r8" / "examples" / "example-healthdcat-dataset.ttl"


def dataset_of(graph: Graph) -> URIRef:
    datasets = sorted(graph.subjects(RDF.type, DCAT.Dataset), key=str)
    assert len(datasets) == 1, f"expected one dcat:Dataset, found {datasets}"
    return datasets[0]


def set_level(level: str) -> Mutation:
    """dct:accessRights changed to another level; the concept's own description moves along."""
    def mutate(graph: Graph, dataset: URIRef) -> None:
        new = URIRef(ACCESS_RIGHT + level)
        for old in list(graph.objects(dataset, DCT.accessRights)):
            graph.remove((dataset, DCT.accessRights, old))
            for predicate, value in list(graph.predicate_objects(old)):
                graph.remove((old, predicate, value))
                if predicate == SKOS.prefLabel and isinstance(value, Literal):
                    value = Literal(level.lower().replace("_", "-"), lang=value.language)
                graph.add((new, predicate, value))
        graph.add((dataset, DCT.accessRights, new))
        graph.add((new, RDF.type, DCT.RightsStatement))
    return mutate


def demo_file(slug: str) -> Path:
    return DEMO / f"{slug}.ttl"


@cache
def parsed(source: str) -> Graph:
    """A base input by name: `example`, a demo slug, or `restricted:<base>` (derived)."""
    if source.startswith("restricted:"):
        graph = copy(parsed(source.removeprefix("restricted:")))
        set_level("RESTRICTED")(graph, dataset_of(graph))
        return graph
    if source == "example":
        return Graph().parse(example_file(), format="turtle")
    return Graph().parse(demo_file(source), format="turtle", publicID=BASE)


def copy(graph: Graph) -> Graph:
    out = Graph()
    for prefix, namespace in graph.namespace_manager.namespaces():
        out.bind(prefix, namespace, override=False)
    for triple in graph:
        out.add(triple)
    return out


# --- mutation building blocks --------------------------------------------------------------------

Getter = Callable[[Graph, URIRef], Node]


def the_dataset(graph: Graph, dataset: URIRef) -> Node:
    return dataset


def linked(*predicates: URIRef) -> Getter:
    """The node reached from the dataset by a chain of predicates (the first, in IRI order)."""
    def get(graph: Graph, dataset: URIRef) -> Node:
        node: Node = dataset
        for predicate in predicates:
            values = sorted(graph.objects(node, predicate), key=str)
            assert values, f"{node} has no {predicate}"
            node = values[0]
        return node
    return get


DISTRIBUTION = linked(DCAT.distribution)
SAMPLE = linked(ADMS.sample)
ANALYTICS = linked(HEALTH.analytics)
PUBLISHER = linked(DCT.publisher)
HDAB = linked(HEALTH.hdab)
CUSTODIAN = linked(GEODCATAP.custodian)
CONTACT = linked(DCAT.contactPoint)
PUBLISHER_CONTACT = linked(DCT.publisher, CV.contactPoint)
HDAB_CONTACT = linked(HEALTH.hdab, CV.contactPoint)
GROUP = linked(HEALTH.hasVariables)
TABLE = linked(HEALTH.hasVariables, CSVW.table)
COLUMN = linked(HEALTH.hasVariables, CSVW.table, CSVW.column)
TEMPORAL = linked(DCT.temporal)
ACTIVITY = linked(PROV.wasGeneratedBy)


def remove(predicate: URIRef, on: Getter = the_dataset) -> Mutation:
    def mutate(graph: Graph, dataset: URIRef) -> None:
        node = on(graph, dataset)
        assert (node, predicate, None) in graph, f"{node} has no {predicate} to remove"
        graph.remove((node, predicate, None))
    return mutate


def add(predicate: URIRef, *values: Node, on: Getter = the_dataset) -> Mutation:
    def mutate(graph: Graph, dataset: URIRef) -> None:
        node = on(graph, dataset)
        for value in values:
            graph.add((node, predicate, value))
    return mutate


def replace(predicate: URIRef, *values: Node, on: Getter = the_dataset) -> Mutation:
    def mutate(graph: Graph, dataset: URIRef) -> None:
        node = on(graph, dataset)
        assert (node, predicate, None) in graph, f"{node} has no {predicate} to replace"
        graph.remove((node, predicate, None))
        for value in values:
            graph.add((node, predicate, value))
    return mutate


def typed(iri: str, *classes: URIRef) -> Mutation:
    """Type a concept inline, as the example and the demo records do for the terms they use."""
    def mutate(graph: Graph, dataset: URIRef) -> None:
        for cls in classes:
            graph.add((URIRef(iri), RDF.type, cls))
    return mutate


def copy_node(getter: Getter, new: str, predicate: URIRef) -> Mutation:
    """A second, complete copy of a linked node (same description) under another IRI."""
    def mutate(graph: Graph, dataset: URIRef) -> None:
        node = getter(graph, dataset)
        other = URIRef(new)
        for p, o in list(graph.predicate_objects(node)):
            graph.add((other, p, o))
        graph.add((dataset, predicate, other))
    return mutate


def all_of(*mutations: Mutation) -> Mutation:
    def mutate(graph: Graph, dataset: URIRef) -> None:
        for mutation in mutations:
            mutation(graph, dataset)
    return mutate


def iri(text: str) -> URIRef:
    return URIRef(text)


def eu(path: str) -> URIRef:
    return URIRef(EU + path)


def hdeu(path: str) -> URIRef:
    return URIRef(HDEU + path)


# --- the cases -----------------------------------------------------------------------------------

BREAK, BENIGN, LENIENT = "break", "benign", "lenient"
CATEGORIES = ("mandatory", "cardinality", "datatype", "vocabulary", "access-level", "agents",
              "csvw", "benign")


@dataclass(frozen=True)
class Case:
    name: str
    category: str
    base: str
    mutation: Mutation
    # BREAK: the specification says it must fail; BENIGN: it must conform; LENIENT: the
    # specification's text rejects it but the official shapes do not check it (DCAT-AP 3.0.1
    # writes `sh:shape`, not `sh:node`, for the dates of datasets and periods of time), so the
    # oracle lets it pass: the project must agree with the oracle there as well.
    kind: str = BREAK


PUBLIC_BASES = ("bdpm", "finess", "sae", "open-damir", "open-medic")
NON_PUBLIC_BASES = ("oscour", "dcir", "constances", "eds-aphp", "cepidc-causes-deces")
RESTRICTED_BASES = ("restricted:sae", "restricted:open-medic", "restricted:example")
BASES = ("example", *PUBLIC_BASES, *NON_PUBLIC_BASES, *RESTRICTED_BASES)

MADE_UP = "MADE_UP_CODE"

CASES: tuple[Case, ...] = (
    # mandatory property removed, at each level, on datasets and distributions
    Case("example-no-title", "mandatory", "example", remove(TITLE)),
    Case("bdpm-no-description", "mandatory", "bdpm", remove(DESCRIPTION)),
    Case("oscour-no-distribution", "mandatory", "oscour", remove(DCAT.distribution)),
    Case("example-no-legislation", "mandatory", "example", remove(DCATAP.applicableLegislation)),
    Case("finess-distribution-no-legislation", "mandatory", "finess",
         remove(DCATAP.applicableLegislation, on=DISTRIBUTION)),
    Case("example-sample-no-legislation", "mandatory", "example",
         remove(DCATAP.applicableLegislation, on=SAMPLE)),
    Case("example-analytics-no-legislation", "mandatory", "example",
         remove(DCATAP.applicableLegislation, on=ANALYTICS)),
    Case("constances-no-identifier", "mandatory", "constances", remove(IDENTIFIER)),
    Case("restricted-example-no-identifier", "mandatory", "restricted:example",
         remove(IDENTIFIER)),
    Case("oscour-no-hdab", "mandatory", "oscour", remove(HEALTH.hdab)),
    Case("restricted-sae-no-hdab", "mandatory", "restricted:sae", remove(HEALTH.hdab)),
    Case("open-medic-no-hdab", "mandatory", "open-medic", remove(HEALTH.hdab)),
    Case("example-no-contact-point", "mandatory", "example", remove(DCAT.contactPoint)),
    Case("eds-aphp-no-keyword", "mandatory", "eds-aphp", remove(DCAT.keyword)),
    Case("constances-no-type", "mandatory", "constances", remove(TYPE)),
    Case("dcir-no-provenance", "mandatory", "dcir", remove(DCT.provenance)),
    Case("open-damir-no-health-category", "mandatory", "open-damir",
         remove(HEALTH.healthCategory)),
    Case("sae-no-theme", "mandatory", "sae", remove(DCAT.theme)),
    Case("oscour-no-structured-data-flag", "mandatory", "oscour",
         remove(HEALTH.hasStructuredData)),
    Case("restricted-open-medic-no-structured-data-flag", "mandatory", "restricted:open-medic",
         remove(HEALTH.hasStructuredData)),
    Case("example-distribution-no-access-url", "mandatory", "example",
         remove(DCAT.accessURL, on=DISTRIBUTION)),
    Case("bdpm-distribution-no-access-url", "mandatory", "bdpm",
         remove(DCAT.accessURL, on=DISTRIBUTION)),
    Case("cepidc-no-title", "mandatory", "cepidc-causes-deces", remove(TITLE)),
    # cardinality exceeded
    Case("example-two-access-rights", "cardinality", "example",
         all_of(add(DCT.accessRights, eu("access-right/PUBLIC")),
                typed(EU + "access-right/PUBLIC", DCT.RightsStatement))),
    Case("bdpm-two-publishers", "cardinality", "bdpm",
         copy_node(PUBLISHER, BASE + "agent/second-publisher", DCT.publisher)),
    Case("oscour-two-issued", "cardinality", "oscour",
         add(DCT.issued, Literal("2004-07-01", datatype=XSD.date),
             Literal("2005-01-01", datatype=XSD.date))),
    Case("example-two-modified", "cardinality", "example",
         add(DCT.modified, Literal("2026-04-01", datatype=XSD.date))),
    Case("example-two-hdabs", "cardinality", "example",
         copy_node(HDAB, "https://healthdcat-ap.example.org/release-7/example/hdab-2",
                   HEALTH.hdab)),
    Case("dcir-two-custodians", "cardinality", "dcir",
         copy_node(CUSTODIAN, BASE + "agent/second-custodian", GEODCATAP.custodian)),
    Case("example-two-structured-data-flags", "cardinality", "example",
         add(HEALTH.hasStructuredData, Literal(False))),
    Case("example-two-min-typical-ages", "cardinality", "example",
         add(HEALTH.minTypicalAge, Literal("20", datatype=XSD.nonNegativeInteger))),
    Case("example-two-numbers-of-records", "cardinality", "example",
         add(HEALTH.numberOfRecords, Literal("12", datatype=XSD.nonNegativeInteger))),
    Case("example-two-frequencies", "cardinality", "example",
         all_of(add(DCT.accrualPeriodicity, eu("frequency/MONTHLY")),
                typed(EU + "frequency/MONTHLY", DCT.Frequency))),
    Case("example-distribution-two-byte-sizes", "cardinality", "example",
         add(DCAT.byteSize, Literal("1", datatype=XSD.nonNegativeInteger), on=DISTRIBUTION)),
    Case("example-two-versions", "cardinality", "example", add(DCAT.version, Literal("8.0"))),
    Case("oscour-column-two-names", "cardinality", "oscour",
         add(CSVW.name, Literal("second_name"), on=COLUMN)),
    Case("example-publisher-two-descriptions", "cardinality", "example",
         add(DESCRIPTION, Literal("Another note.", lang="en"), on=PUBLISHER)),
    Case("example-publisher-two-contact-points", "cardinality", "example",
         add(CV.contactPoint, iri("https://healthdcat-ap.example.org/release-7/example/"
                                  "hdab-contact-point"), on=PUBLISHER)),
    Case("restricted-sae-two-hdabs", "cardinality", "restricted:sae",
         copy_node(HDAB, BASE + "agent/second-hdab", HEALTH.hdab)),
    # wrong datatype
    Case("example-byte-size-abc", "datatype", "example",
         replace(DCAT.byteSize, Literal("abc"), on=DISTRIBUTION)),
    Case("example-byte-size-ill-typed", "datatype", "example",
         replace(DCAT.byteSize, Literal("abc", datatype=XSD.nonNegativeInteger),
                 on=DISTRIBUTION)),
    Case("example-distribution-issued-yesterday", "datatype", "example",
         add(DCT.issued, Literal("yesterday"), on=DISTRIBUTION)),
    Case("bdpm-distribution-modified-string", "datatype", "bdpm",
         add(DCT.modified, Literal("2024-01-01"), on=DISTRIBUTION)),
    Case("oscour-issued-yesterday", "datatype", "oscour", add(DCT.issued, Literal("yesterday")),
         LENIENT),
    Case("example-modified-yesterday", "datatype", "example",
         replace(DCT.modified, Literal("yesterday")), LENIENT),
    Case("bdpm-structured-data-yes", "datatype", "bdpm",
         replace(HEALTH.hasStructuredData, Literal("yes"))),
    Case("dcir-structured-data-string", "datatype", "dcir",
         replace(HEALTH.hasStructuredData, Literal("true"))),
    Case("example-min-age-negative", "datatype", "example",
         replace(HEALTH.minTypicalAge, Literal("-5", datatype=XSD.integer))),
    Case("example-records-many", "datatype", "example",
         replace(HEALTH.numberOfRecords, Literal("many"))),
    Case("example-column-datatype-iri", "datatype", "example",
         replace(CSVW.datatype, XSD.string, on=COLUMN)),
    Case("open-damir-column-datatype-iri", "datatype", "open-damir",
         replace(CSVW.datatype, XSD.decimal, on=COLUMN)),
    Case("example-identifier-iri", "datatype", "example",
         replace(IDENTIFIER, iri("https://healthdcat-ap.example.org/id/1"))),
    Case("example-temporal-start-soon", "datatype", "example",
         replace(DCAT.startDate, Literal("soon"), on=TEMPORAL), LENIENT),
    Case("example-spatial-resolution-far", "datatype", "example",
         replace(DCAT.spatialResolutionInMeters, Literal("far"))),
    Case("constances-title-iri", "datatype", "constances",
         add(TITLE, iri("https://example.org/a-title"))),
    # value outside its vocabulary, or an IRI of the wrong scheme
    Case("example-theme-made-up", "vocabulary", "example",
         add(DCAT.theme, eu(f"data-theme/{MADE_UP}"))),
    Case("bdpm-language-made-up", "vocabulary", "bdpm",
         all_of(add(LANGUAGE, eu(f"language/{MADE_UP}")),
                typed(EU + f"language/{MADE_UP}", DCT.LinguisticSystem))),
    Case("example-file-type-made-up", "vocabulary", "example",
         all_of(replace(FORMAT, eu(f"file-type/{MADE_UP}"), on=DISTRIBUTION),
                typed(EU + f"file-type/{MADE_UP}", DCT.MediaTypeOrExtent))),
    Case("oscour-health-category-made-up", "vocabulary", "oscour",
         add(HEALTH.healthCategory, hdeu(f"healthcategories/{MADE_UP}"))),
    Case("dcir-health-theme-made-up", "vocabulary", "dcir",
         add(HEALTH.healthTheme, hdeu(f"health-theme/{MADE_UP}"))),
    Case("example-coding-system-made-up", "vocabulary", "example",
         all_of(replace(HEALTH.hasCodingSystem, hdeu(f"coding-system/{MADE_UP}")),
                typed(HDEU + f"coding-system/{MADE_UP}", DCT.Standard))),
    Case("example-publisher-type-made-up", "vocabulary", "example",
         replace(TYPE, hdeu(f"publisher-type/{MADE_UP}"), on=PUBLISHER)),
    Case("finess-publisher-type-adms", "vocabulary", "finess",
         replace(TYPE, iri("http://purl.org/adms/publishertype/NationalAuthority"),
                 on=PUBLISHER)),
    Case("example-standard-made-up", "vocabulary", "example",
         all_of(add(DCT.conformsTo, hdeu(f"standard/{MADE_UP}")),
                typed(HDEU + f"standard/{MADE_UP}", DCT.Standard))),
    Case("example-frequency-made-up", "vocabulary", "example",
         all_of(replace(DCT.accrualPeriodicity, eu(f"frequency/{MADE_UP}")),
                typed(EU + f"frequency/{MADE_UP}", DCT.Frequency))),
    Case("example-activity-type-made-up", "vocabulary", "example",
         replace(TYPE, hdeu(f"health-activity/{MADE_UP}"), on=ACTIVITY)),
    Case("example-distribution-status-made-up", "vocabulary", "example",
         replace(ADMS.status, eu(f"distribution-status/{MADE_UP}"), on=DISTRIBUTION)),
    Case("example-personal-data-outside-dpv-pd", "vocabulary", "example",
         add(DPV.hasPersonalData, iri("https://example.org/personal-data/Age"))),
    Case("finess-theme-wrong-scheme", "vocabulary", "finess",
         replace(DCAT.theme, eu("language/FRA"))),
    Case("example-health-category-wrong-scheme", "vocabulary", "example",
         replace(HEALTH.healthCategory, hdeu("health-theme/HEALTH_SYSTEMS"))),
    Case("oscour-health-theme-wrong-scheme", "vocabulary", "oscour",
         add(HEALTH.healthTheme, hdeu("healthcategories/EHRS"))),
    Case("example-language-wrong-scheme", "vocabulary", "example",
         all_of(replace(LANGUAGE, eu("country/BEL")),
                typed(EU + "country/BEL", DCT.LinguisticSystem))),
    Case("example-theme-without-heal", "vocabulary", "example",
         replace(DCAT.theme, eu("data-theme/SOCI"))),
    # wrong access level
    Case("bdpm-as-non-public", "access-level", "bdpm", set_level("NON_PUBLIC")),
    Case("finess-as-non-public-without-keywords", "access-level", "finess",
         all_of(set_level("NON_PUBLIC"), remove(DCAT.keyword))),
    Case("sae-as-non-public-without-provenance", "access-level", "sae",
         all_of(set_level("NON_PUBLIC"), remove(DCT.provenance))),
    Case("open-medic-as-non-public-without-contact", "access-level", "open-medic",
         all_of(set_level("NON_PUBLIC"), remove(DCAT.contactPoint))),
    Case("example-unknown-access-right", "access-level", "example",
         all_of(replace(DCT.accessRights, eu(f"access-right/{MADE_UP}")),
                typed(EU + f"access-right/{MADE_UP}", DCT.RightsStatement))),
    Case("example-access-right-confidential", "access-level", "example",
         all_of(replace(DCT.accessRights, eu("access-right/CONFIDENTIAL")),
                typed(EU + "access-right/CONFIDENTIAL", DCT.RightsStatement))),
    Case("bdpm-no-access-rights", "access-level", "bdpm", remove(DCT.accessRights)),
    Case("example-no-access-rights", "access-level", "example", remove(DCT.accessRights)),
    Case("bdpm-access-rights-literal", "access-level", "bdpm",
         replace(DCT.accessRights, Literal("PUBLIC"))),
    # broken agents and contact points
    Case("example-publisher-without-name", "agents", "example", remove(FOAF.name, on=PUBLISHER)),
    Case("bdpm-publisher-without-name", "agents", "bdpm", remove(FOAF.name, on=PUBLISHER)),
    Case("example-hdab-without-contact-point", "agents", "example",
         remove(CV.contactPoint, on=HDAB)),
    Case("example-publisher-without-contact-point", "agents", "example",
         remove(CV.contactPoint, on=PUBLISHER)),
    Case("sae-custodian-without-contact-point", "agents", "sae",
         remove(CV.contactPoint, on=CUSTODIAN)),
    Case("example-kind-without-email-or-url", "agents", "example",
         all_of(remove(VCARD.hasEmail, on=CONTACT), remove(VCARD.hasURL, on=CONTACT))),
    Case("bdpm-kind-without-url", "agents", "bdpm", remove(VCARD.hasURL, on=CONTACT)),
    Case("example-has-email-literal", "agents", "example",
         replace(VCARD.hasEmail, Literal("oncology-dataset-support@example.org"), on=CONTACT)),
    Case("oscour-contact-point-without-page", "agents", "oscour",
         remove(CV.contactPage, on=HDAB_CONTACT)),
    Case("example-cv-email-iri", "agents", "example",
         replace(CV.email, iri("mailto:publisher-contact@example.org"), on=PUBLISHER_CONTACT)),
    Case("example-publisher-contact-wrong-class", "agents", "example",
         replace(RDF.type, VCARD.Kind, on=PUBLISHER_CONTACT)),
    Case("example-publisher-literal", "agents", "example",
         replace(DCT.publisher, Literal("Belgian National Cancer Registry"))),
    Case("dcir-hdab-untyped", "agents", "dcir", remove(RDF.type, on=HDAB)),
    Case("example-contact-point-untyped", "agents", "example", remove(RDF.type, on=CONTACT)),
    # CSVW dictionaries, hasStructuredData and hasVariables
    Case("example-column-without-name", "csvw", "example", remove(CSVW.name, on=COLUMN)),
    Case("oscour-column-without-name", "csvw", "oscour", remove(CSVW.name, on=COLUMN)),
    Case("dcir-column-without-datatype", "csvw", "dcir", remove(CSVW.datatype, on=COLUMN)),
    Case("example-column-without-description", "csvw", "example",
         remove(DESCRIPTION, on=COLUMN)),
    Case("open-damir-column-without-title", "csvw", "open-damir", remove(CSVW.title, on=COLUMN)),
    Case("example-table-without-columns", "csvw", "example", remove(CSVW.column, on=TABLE)),
    Case("example-group-without-table", "csvw", "example", remove(CSVW.table, on=GROUP)),
    Case("cepidc-table-without-title", "csvw", "cepidc-causes-deces", remove(TITLE, on=TABLE)),
    Case("example-structured-without-variables", "csvw", "example",
         remove(HEALTH.hasVariables)),
    Case("oscour-structured-without-variables", "csvw", "oscour", remove(HEALTH.hasVariables)),
    Case("bdpm-structured-true-without-variables", "csvw", "bdpm",
         replace(HEALTH.hasStructuredData, Literal(True))),
    Case("restricted-sae-structured-true-without-variables", "csvw", "restricted:sae",
         replace(HEALTH.hasStructuredData, Literal(True))),
    Case("example-variables-point-to-table", "csvw", "example",
         replace(HEALTH.hasVariables,
                 iri("https://healthdcat-ap.example.org/release-7/example/variables-table"))),
    # benign changes: the record must still conform
    Case("example-other-title", "benign", "example",
         replace(TITLE, Literal("Oncology EHR cohort, 2024 release", lang="en")), BENIGN),
    Case("bdpm-extra-keyword", "benign", "bdpm",
         add(DCAT.keyword, Literal("pharmacovigilance", lang="en")), BENIGN),
    Case("example-extra-keyword", "benign", "example",
         add(DCAT.keyword, Literal("cancer", lang="en")), BENIGN),
    Case("example-second-language", "benign", "example",
         all_of(add(LANGUAGE, eu("language/NOR")),
                typed(EU + "language/NOR", DCT.LinguisticSystem)), BENIGN),
    Case("example-distribution-second-language", "benign", "example",
         all_of(add(LANGUAGE, eu("language/NOB"), on=DISTRIBUTION),
                typed(EU + "language/NOB", DCT.LinguisticSystem)), BENIGN),
    Case("example-other-file-type", "benign", "example",
         all_of(replace(FORMAT, eu("file-type/XML"), on=DISTRIBUTION),
                typed(EU + "file-type/XML", DCT.MediaTypeOrExtent)), BENIGN),
    Case("open-damir-other-file-type", "benign", "open-damir",
         all_of(replace(FORMAT, eu("file-type/JSON"), on=DISTRIBUTION),
                typed(EU + "file-type/JSON", DCT.MediaTypeOrExtent)), BENIGN),
    Case("oscour-extra-description-language", "benign", "oscour",
         add(DESCRIPTION, Literal("Notaufnahme-Überwachungsnetz.", lang="de")), BENIGN),
    Case("example-extra-description-language", "benign", "example",
         add(DESCRIPTION, Literal("Cohorte oncologique transfrontalière.", lang="fr")), BENIGN),
    Case("example-second-theme", "benign", "example", add(DCAT.theme, eu("data-theme/SOCI")),
         BENIGN),
    Case("example-other-health-category", "benign", "example",
         replace(HEALTH.healthCategory, hdeu("healthcategories/PHDR")), BENIGN),
    Case("example-other-health-theme", "benign", "example",
         add(HEALTH.healthTheme, hdeu("health-theme/CANCER_DISEASE")), BENIGN),
    Case("example-other-publisher-type", "benign", "example",
         replace(TYPE, hdeu("publisher-type/national-authority"), on=PUBLISHER), BENIGN),
    Case("example-other-coding-system", "benign", "example",
         all_of(add(HEALTH.hasCodingSystem, hdeu("coding-system/ICD-10")),
                typed(HDEU + "coding-system/ICD-10", DCT.Standard)), BENIGN),
    Case("example-other-frequency", "benign", "example",
         all_of(replace(DCT.accrualPeriodicity, eu("frequency/MONTHLY")),
                typed(EU + "frequency/MONTHLY", DCT.Frequency)), BENIGN),
    Case("example-other-activity-type", "benign", "example",
         replace(TYPE, hdeu("health-activity/HOSPITAL_RECORDS"), on=ACTIVITY), BENIGN),
    Case("example-other-distribution-status", "benign", "example",
         replace(ADMS.status, eu("distribution-status/ONGOING"), on=DISTRIBUTION), BENIGN),
    Case("bdpm-issued-date", "benign", "bdpm",
         add(DCT.issued, Literal("2013-10-01", datatype=XSD.date)), BENIGN),
    Case("bdpm-public-without-contact-point", "benign", "bdpm", remove(DCAT.contactPoint),
         BENIGN),
    Case("sae-public-without-provenance", "benign", "sae", remove(DCT.provenance), BENIGN),
    Case("example-as-public", "benign", "example", set_level("PUBLIC"), BENIGN),
    Case("constances-as-restricted", "benign", "constances", set_level("RESTRICTED"), BENIGN),
    Case("example-unstructured-without-variables", "benign", "example",
         all_of(replace(HEALTH.hasStructuredData, Literal(False)),
                remove(HEALTH.hasVariables)), BENIGN),
)
CASE_BY_NAME = {case.name: case for case in CASES}


# --- running both sides ------------------------------------------------------------------------

@cache
def validator(profile: str) -> Validator:
    from catalog_node.validation.profiles import load_profiles

    if profile not in load_profiles():
        pytest.skip(f"profile {profile} not defined in shapes/ yet (issue 4 open)")
    return Validator(profile)


@cache
def mutated(name: str) -> Graph:
    case = CASE_BY_NAME[name]
    graph = copy(parsed(case.base))
    case.mutation(graph, dataset_of(graph))
    return graph


@dataclass(frozen=True)
class Outcome:
    oracle: frozenset[Verdict]
    project: frozenset[Verdict]
    project_graph: frozenset[Verdict]  # read back from the report's sh:ValidationReport graph

    @property
    def agrees(self) -> bool:
        return self.oracle == self.project == self.project_graph

    def explain(self, label: str) -> str:
        lines = [f"{label}: oracle {'conforms' if not self.oracle else 'does not conform'}, "
                 f"project {'conforms' if not self.project else 'does not conform'}"]
        for verdict in sorted(self.oracle - self.project):
            lines.append(f"    only oracle:  {verdict}")
        for verdict in sorted(self.project - self.oracle):
            lines.append(f"    only project: {verdict}")
        if self.project_graph != self.project:
            lines.append(f"    report graph {sorted(self.project_graph)} "
                         f"!= verdicts() {sorted(self.project)}")
        return "\n".join(lines)


def judge(graph: Graph, profile: str) -> Outcome:
    report = validator(profile).validate(graph)
    return Outcome(oracle=frozenset(official_verdicts(graph, profile)),
                   project=frozenset(report.verdicts()),
                   project_graph=frozenset(top_level_violations(report.graph, graph)))


@cache
def base_outcome(source: str, profile: str) -> Outcome:
    return judge(parsed(source), profile)


@cache
def case_outcome(name: str, profile: str) -> Outcome:
    return judge(mutated(name), profile)


def demo_slugs() -> list[str]:
    return [path.stem for path in DEMO_FILES]


def all_sources() -> list[str]:
    return list(dict.fromkeys(["example", *demo_slugs(), *RESTRICTED_BASES]))


# --- tests ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("source", ["example", *[p.stem for p in DEMO_FILES],
                                    *RESTRICTED_BASES])
def test_unmutated_record(source: str, profile: str) -> None:
    """The example and every demo record: the same verdict; demo and derived records conform."""
    reference()
    outcome = base_outcome(source, profile)
    assert outcome.agrees, outcome.explain(f"{source} [{profile}]")
    assert not outcome.oracle, f"{source} [{profile}] should conform: {sorted(outcome.oracle)}"


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("name", list(CASE_BY_NAME))
def test_mutation(name: str, profile: str) -> None:
    """Project and oracle give the same verdict on the mutation; benign ones conform."""
    reference()
    case = CASE_BY_NAME[name]
    outcome = case_outcome(name, profile)
    assert outcome.agrees, outcome.explain(f"{name} [{profile}]")
    if case.kind == BENIGN and not base_outcome(case.base, profile).oracle:
        assert not outcome.oracle, f"benign {name} [{profile}] fails: {sorted(outcome.oracle)}"


def test_summary() -> None:
    """Enough cases, spread over the categories, enough of them breaking; every disagreement."""
    reference()
    assert len(CASES) >= MIN_CASES, len(CASES)
    assert len(CASE_BY_NAME) == len(CASES), "case names must be unique"
    for category in CATEGORIES:
        count = sum(case.category == category for case in CASES)
        assert count >= 3, f"category {category} has {count} cases"
    levels = {"PUBLIC": PUBLIC_BASES, "NON_PUBLIC": ("example", *NON_PUBLIC_BASES),
              "RESTRICTED": RESTRICTED_BASES}
    for level, bases in levels.items():
        used = {case.base for case in CASES if case.base in bases}
        assert len(used) >= 2, f"mutations of {level} records: {sorted(used)}"
    breaking = [case for case in CASES if case.kind == BREAK]
    seen = [case.name for case in breaking
            if official_verdicts(mutated(case.name), "healthdcat-ap")]
    missed = sorted({case.name for case in breaking} - set(seen))
    assert len(seen) >= MIN_BREAKING_SEEN, (
        f"only {len(seen)} breaking mutations raise an oracle violation; missed: {missed}")
    from catalog_node.validation.profiles import load_profiles

    available = [profile for profile in PROFILES if profile in load_profiles()]
    problems = []
    for profile in available:
        for source in all_sources():
            outcome = base_outcome(source, profile)
            if not outcome.agrees:
                problems.append(outcome.explain(f"record {source} [{profile}]"))
        for case in CASES:
            outcome = case_outcome(case.name, profile)
            if not outcome.agrees:
                problems.append(outcome.explain(f"mutation {case.name} ({case.category}, "
                                                f"{case.base}) [{profile}]"))
    total = len(available) * (len(all_sources()) + len(CASES))
    assert not problems, (f"{len(problems)} of {total} comparisons disagree:\n"
                          + "\n".join(problems))
    missing = sorted(set(PROFILES) - set(available))
    if missing:
        pytest.skip(f"profile(s) {', '.join(missing)} not defined in shapes/ yet; "
                    f"{total} comparisons for {', '.join(available)} agree")
