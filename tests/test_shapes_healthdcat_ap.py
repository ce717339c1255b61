"""The project's HealthDCAT-AP R8 shapes give the official validator's verdicts.

Both sides run pySHACL (inference off) on the same data merged with the official vocabularies:
the project's profile (shapes/healthdcat-ap-r8/profile.toml: its files, which include the
project's DCAT-AP 3.0.1 files, plus the files of the record's access level) and the official
R8 set for that level (tests/official.py). The top-level results are compared as sets of
(focus node, path, constraint component), violations and warnings separately.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

sys.path.insert(0, str(Path(__file__).resolve().parent))
from official import (
    SH,
    Verdict,
    access_level,
    official_shapes,
    official_vocabularies,
    reference,
    run_pyshacl,
    top_level_results,
)

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "shapes"
PROFILE = SHAPES / "healthdcat-ap-r8" / "profile.toml"
DEMO = ROOT / "catalog_node" / "demo"
BASE = "http://127.0.0.1:8000/"

ADMS = Namespace("http://www.w3.org/ns/adms#")
CSVW = Namespace("http://www.w3.org/ns/csvw#")
CV = Namespace("http://data.europa.eu/m8g/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
DCT = Namespace("http://purl.org/dc/terms/")
DPV = Namespace("https://w3id.org/dpv#")
EX = Namespace("https://healthdcat-ap.example.org/release-7/example/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
GEO = Namespace("http://data.europa.eu/930/")
HEALTH = Namespace("http://healthdataportal.eu/ns/health#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
AR = Namespace("http://publications.europa.eu/resource/authority/access-right/")
HD = "https://hdeu-dcat.data.health.europa.eu/resource/authority/"

DATASET = EX["dataset-oncology-ehrs-2024"]
LEVELS = ("PUBLIC", "RESTRICTED", "NON_PUBLIC")


# ------------------------------------------------------------------ the two shape sets


@cache
def project_shapes(level: str) -> Graph:
    """The profile's files for one access level, as the engine loads them."""
    profile = tomllib.loads(PROFILE.read_text(encoding="utf-8"))
    names = list(dict.fromkeys([*profile["files"], *profile["levels"][level]]))
    graph = Graph()
    for name in names:
        graph.parse(SHAPES / name, format="turtle")
    return graph


def both(data: Graph, level: str | None = None) -> dict[str, tuple[set[Verdict], set[Verdict]]]:
    """{'violations': (project, official), 'warnings': (project, official)}."""
    level = level or access_level(data)
    vocabularies = official_vocabularies()
    mine = run_pyshacl(data, vocabularies, project_shapes(level))
    theirs = run_pyshacl(data, vocabularies, official_shapes("healthdcat-ap", level))
    return {name: (top_level_results(mine, data, severity),
                   top_level_results(theirs, data, severity))
            for name, severity in (("violations", SH.Violation), ("warnings", SH.Warning))}


def disagreements(found: dict[str, tuple[set[Verdict], set[Verdict]]]) -> list[str]:
    lines = []
    for name, (mine, theirs) in found.items():
        lines += [f"{name}: only the project: {v}" for v in sorted(mine - theirs)]
        lines += [f"{name}: only the official: {v}" for v in sorted(theirs - mine)]
    return lines


# ------------------------------------------------------------------ data


@cache
def _example() -> Graph:
    path = reference() / "healthdcat-ap-r8" / "examples" / "example-healthdcat-dataset.ttl"
    return Graph().parse(path, format="turtle")


def example(level: str = "NON_PUBLIC") -> Graph:
    """A fresh copy of the official example, switched to ``level``."""
    graph = Graph()
    for triple in _example():
        graph.add(triple)
    if level != "NON_PUBLIC":
        graph.remove((DATASET, DCT.accessRights, None))
        graph.add((DATASET, DCT.accessRights, AR[level]))
        graph.add((AR[level], RDF.type, DCT.RightsStatement))
    return graph


def demo_records() -> list[Path]:
    return sorted(DEMO.glob("*.ttl"))


Mutation = Callable[[Graph], None]


def drop(subject: URIRef, predicate: URIRef) -> Mutation:
    return lambda g: g.remove((subject, predicate, None))


def add(subject: URIRef, predicate: URIRef, value) -> Mutation:
    return lambda g: g.add((subject, predicate, value))


def replace(subject: URIRef, predicate: URIRef, value) -> Mutation:
    def change(g: Graph) -> None:
        g.remove((subject, predicate, None))
        g.add((subject, predicate, value))
    return change


def steps(*changes: Mutation) -> Mutation:
    def change(g: Graph) -> None:
        for step in changes:
            step(g)
    return change


def no_dataset(g: Graph) -> None:
    for triple in list(g.triples((None, RDF.type, DCAT.Dataset))):
        g.remove(triple)


def variables_as_literal_columns(g: Graph) -> None:
    g.remove((EX["variables-table"], CSVW.column, None))
    g.add((EX["variables-table"], CSVW.column, Literal("patientId")))


def catalogue_without_legislation(g: Graph) -> None:
    catalogue = EX["catalogue"]
    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCT.title, Literal("Catalogue", lang="en")))
    g.add((catalogue, DCT.description, Literal("A catalogue.", lang="en")))
    g.add((catalogue, DCT.publisher, EX["publisher-agent"]))
    g.add((catalogue, DCAT.dataset, DATASET))
    g.add((catalogue, DCT.language, URIRef("http://example.org/lang/en")))


def blank_contact_point(g: Graph) -> None:
    contact = BNode()
    g.remove((EX["hdab-agent"], CV.contactPoint, None))
    g.add((EX["hdab-agent"], CV.contactPoint, contact))
    g.add((contact, RDF.type, CV.ContactPoint))
    g.add((contact, CV.telephone, Literal("+32 2 555 0000")))


# (name, level, mutation, outcome): True = the official validator finds a violation, False = the
# record conforms, "warns" = it conforms with warnings. "PUBLIC:NON_PUBLIC" = a PUBLIC record
# validated with the NON_PUBLIC shapes.
MUTATIONS: list[tuple[str, str, Mutation, bool | str]] = [
    *[(f"{lv}-no-applicable-legislation", lv, drop(DATASET, DCATAP.applicableLegislation), True)
      for lv in LEVELS],
    *[(f"{lv}-no-health-category", lv, drop(DATASET, HEALTH.healthCategory), True)
      for lv in LEVELS],
    *[(f"{lv}-no-hdab", lv, drop(DATASET, HEALTH.hdab), True) for lv in LEVELS],
    *[(f"{lv}-no-access-rights", lv, drop(DATASET, DCT.accessRights), True) for lv in LEVELS],
    ("no-distribution", "NON_PUBLIC", drop(DATASET, DCAT.distribution), True),
    ("no-identifier", "PUBLIC", drop(DATASET, DCT.identifier), True),
    ("no-theme", "RESTRICTED", drop(DATASET, DCAT.theme), True),
    ("no-structured-data-flag", "NON_PUBLIC", drop(DATASET, HEALTH.hasStructuredData), True),
    ("non-public-no-contact-point", "NON_PUBLIC", drop(DATASET, DCAT.contactPoint), True),
    ("non-public-no-keyword", "NON_PUBLIC", drop(DATASET, DCAT.keyword), True),
    ("non-public-no-type", "NON_PUBLIC", drop(DATASET, DCT.type), True),
    ("non-public-no-provenance", "NON_PUBLIC", drop(DATASET, DCT.provenance), True),
    ("public-no-contact-point-keyword-type-provenance", "PUBLIC",
     steps(drop(DATASET, DCAT.contactPoint), drop(DATASET, DCAT.keyword),
           drop(DATASET, DCT.type), drop(DATASET, DCT.provenance)), False),
    ("public-source-literal", "PUBLIC", add(DATASET, DCT.source, Literal("registry")), True),
    ("restricted-source-literal", "RESTRICTED",
     add(DATASET, DCT.source, Literal("registry")), True),
    ("public-record-under-non-public-shapes", "PUBLIC:NON_PUBLIC", lambda g: None, True),
    ("two-access-rights", "NON_PUBLIC", add(DATASET, DCT.accessRights, AR.PUBLIC), True),
    ("two-publishers", "NON_PUBLIC", add(DATASET, DCT.publisher, EX["creator-agent"]), True),
    ("two-hdabs", "PUBLIC", add(DATASET, HEALTH.hdab, EX["custodian-agent"]), True),
    ("two-custodians", "NON_PUBLIC", add(DATASET, GEO.custodian, EX["hdab-agent"]), True),
    ("two-hdab-coordinators", "RESTRICTED",
     add(DATASET, HEALTH.hdabCoordinator, EX["hdab-agent"]), True),
    ("two-structured-data-flags", "NON_PUBLIC",
     add(DATASET, HEALTH.hasStructuredData, Literal(False)), True),
    ("two-min-ages", "NON_PUBLIC",
     add(DATASET, HEALTH.minTypicalAge, Literal("20", datatype=XSD.nonNegativeInteger)), True),
    ("two-retention-periods", "NON_PUBLIC",
     add(DATASET, HEALTH.retentionPeriod, EX["dataset-coverage-period"]), True),
    ("min-age-integer", "NON_PUBLIC",
     replace(DATASET, HEALTH.minTypicalAge, Literal("18", datatype=XSD.integer)), True),
    ("records-as-text", "PUBLIC", replace(DATASET, HEALTH.numberOfRecords, Literal("many")), True),
    ("structured-data-as-text", "NON_PUBLIC",
     replace(DATASET, HEALTH.hasStructuredData, Literal("yes")), True),
    ("identifier-as-iri", "NON_PUBLIC",
     replace(DATASET, DCT.identifier, URIRef("urn:uuid:1234")), True),
    ("hdab-as-literal", "NON_PUBLIC", replace(DATASET, HEALTH.hdab, Literal("HDAB")), True),
    ("health-category-outside-table", "NON_PUBLIC",
     replace(DATASET, HEALTH.healthCategory, URIRef("http://example.org/category/EHR")), True),
    ("health-category-literal", "PUBLIC",
     replace(DATASET, HEALTH.healthCategory, Literal("EHRS")), True),
    ("health-theme-outside-table", "NON_PUBLIC",
     replace(DATASET, HEALTH.healthTheme, URIRef("http://example.org/theme/ONCOLOGY")), True),
    ("coding-system-outside-table", "NON_PUBLIC",
     replace(DATASET, HEALTH.hasCodingSystem, URIRef("http://example.org/coding/ICD-99")), True),
    ("standard-outside-table", "RESTRICTED",
     add(DATASET, DCT.conformsTo, URIRef("http://example.org/standard/OMOP")), True),
    ("publisher-type-outside-table", "NON_PUBLIC",
     replace(EX["publisher-agent"], DCT.type,
             URIRef("http://purl.org/adms/publishertype/NationalAuthority")), True),
    ("theme-without-health", "NON_PUBLIC",
     replace(DATASET, DCAT.theme,
             URIRef("http://publications.europa.eu/resource/authority/data-theme/SOCI")), True),
    ("personal-data-outside-dpv", "NON_PUBLIC",
     add(DATASET, DPV.hasPersonalData, URIRef("http://example.org/pd/Age")), True),
    ("activity-type-outside-table", "NON_PUBLIC",
     replace(EX["generation-activity"], DCT.type, URIRef(HD + "health-activity/UNKNOWN")), True),
    ("frequency-outside-table", "NON_PUBLIC",
     replace(EX["publisher-opening-hours"], CV.frequency,
             URIRef("http://example.org/frequency/DAILY")), True),
    ("publisher-without-name", "NON_PUBLIC", drop(EX["publisher-agent"], FOAF.name), True),
    ("publisher-without-contact-point", "PUBLIC",
     drop(EX["publisher-agent"], CV.contactPoint), True),
    ("publisher-two-descriptions", "NON_PUBLIC",
     add(EX["publisher-agent"], DCT.description, Literal("Second note.", lang="en")), True),
    ("hdab-contact-point-untyped", "NON_PUBLIC",
     drop(EX["hdab-contact-point"], RDF.type), True),
    ("custodian-contact-point-blank", "NON_PUBLIC", blank_contact_point, True),
    ("contact-point-email-as-iri", "NON_PUBLIC",
     replace(EX["hdab-contact-point"], CV.email, URIRef("mailto:hdab@example.org")), True),
    ("contact-point-unreachable", "NON_PUBLIC",
     steps(drop(EX["custodian-contact-point"], CV.email),
           drop(EX["custodian-contact-point"], CV.contactPage)), True),
    ("opening-hours-without-description", "NON_PUBLIC",
     drop(EX["hdab-opening-hours"], DCT.description), True),
    ("vcard-without-email-or-url", "NON_PUBLIC",
     steps(drop(EX["dataset-contact-point"], VCARD.hasEmail),
           drop(EX["dataset-contact-point"], VCARD.hasURL)), True),
    ("vcard-email-as-literal", "NON_PUBLIC",
     replace(EX["dataset-contact-point"], VCARD.hasEmail, Literal("support@example.org")), True),
    ("column-without-name", "NON_PUBLIC", drop(EX["col-patient-id"], CSVW.name), True),
    ("column-two-datatypes", "NON_PUBLIC",
     add(EX["col-tumour-stage"], CSVW.datatype, Literal("integer")), True),
    ("column-as-literal", "NON_PUBLIC", variables_as_literal_columns, True),
    ("table-without-title", "NON_PUBLIC", drop(EX["variables-table"], DCT.title), True),
    ("table-group-without-table", "PUBLIC", drop(EX["variables-group"], CSVW.table), True),
    ("structured-without-variables", "NON_PUBLIC", drop(DATASET, HEALTH.hasVariables), True),
    ("distribution-without-legislation", "NON_PUBLIC",
     drop(EX["distribution-main-csv"], DCATAP.applicableLegislation), True),
    ("sample-without-access-url", "NON_PUBLIC",
     drop(EX["distribution-sample-csv"], DCAT.accessURL), True),
    ("analytics-untyped", "NON_PUBLIC",
     drop(EX["distribution-analytics-report"], RDF.type), True),
    ("catalogue-without-legislation", "NON_PUBLIC", catalogue_without_legislation, True),
    ("no-dataset", "NON_PUBLIC", no_dataset, True),
    ("media-type-outside-iana", "NON_PUBLIC",
     steps(replace(EX["distribution-main-csv"], DCAT.mediaType, EX["media-csv"]),
           add(EX["media-csv"], RDF.type, DCT.MediaType)), "warns"),
    ("spatial-outside-tables", "NON_PUBLIC",
     steps(replace(DATASET, DCT.spatial, EX["brussels"]),
           add(EX["brussels"], RDF.type, DCT.Location)), "warns"),
    ("benign-structured-false-no-variables", "NON_PUBLIC",
     steps(replace(DATASET, HEALTH.hasStructuredData, Literal(False)),
           drop(DATASET, HEALTH.hasVariables)), False),
    ("benign-more-keywords", "NON_PUBLIC",
     add(DATASET, DCAT.keyword, Literal("cancer", lang="en")), False),
    ("benign-no-sample-no-analytics", "RESTRICTED",
     steps(drop(DATASET, ADMS.sample), drop(DATASET, HEALTH.analytics)), False),
    ("benign-second-alternative", "PUBLIC",
     add(DATASET, DCT.alternative, Literal("Oncology cohort", lang="fr")), False),
    ("benign-no-optional-health-fields", "NON_PUBLIC",
     steps(drop(DATASET, HEALTH.minTypicalAge), drop(DATASET, HEALTH.maxTypicalAge),
           drop(DATASET, HEALTH.hdabCoordinator), drop(DATASET, PROV.wasGeneratedBy)), False),
]


# ------------------------------------------------------------------ tests


def check(data: Graph, level: str | None = None) -> dict[str, tuple[set[Verdict], set[Verdict]]]:
    found = both(data, level)
    problems = disagreements(found)
    assert not problems, "\n".join(problems)
    return found


@pytest.mark.parametrize("level", LEVELS)
def test_example_at_each_level(level: str) -> None:
    found = check(example(level))
    assert found["violations"] == (set(), set())


@pytest.mark.parametrize("record", demo_records(), ids=lambda p: p.stem)
def test_demo_record(record: Path) -> None:
    reference()
    check(Graph().parse(record, format="turtle", publicID=BASE))


@pytest.mark.parametrize(("name", "level", "mutation", "breaks"), MUTATIONS,
                         ids=[m[0] for m in MUTATIONS])
def test_mutation(name: str, level: str, mutation: Mutation, breaks: bool | str) -> None:
    data_level, _, shapes_level = level.partition(":")
    data = example(data_level)
    mutation(data)
    found = check(data, shapes_level or None)
    official = found["violations"][1]
    if breaks is True:
        assert official, f"{name}: the official validator finds no violation"
    else:
        assert not official, f"{name}: expected to conform, official says {sorted(official)}"
    if breaks == "warns":
        assert found["warnings"][1] - both(example(data_level))["warnings"][1], (
            f"{name}: the official validator gives no new warning")


def test_profile_lists_no_dcat_ap_code_lists() -> None:
    profile = tomllib.loads(PROFILE.read_text(encoding="utf-8"))
    assert "dcat-ap-3.0.1/vocabularies.ttl" not in profile["files"]
    assert set(profile["levels"]) == set(LEVELS)
    for name in [*profile["files"], *(f for fs in profile["levels"].values() for f in fs)]:
        assert (SHAPES / name).is_file(), name
