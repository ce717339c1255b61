"""The French national profile `hdh` (shapes/hdh/) and the demo catalogue against it.

(a) every demo record passes HealthDCAT-AP R8 at its access level plus shapes/hdh/hdh.ttl, with one
documented exception (the HDH catalogue page, which the fact sheet gives for OSCOUR only);
(b) named mutations of a conforming record raise the expected hdh violation, benign ones raise none;
(c) the DOI and funding rules only inform when those elements are absent.
The mutation and convention checks need only the project's files; the conformance checks need
../shared/reference (CATALOG_NODE_SHARED) and skip cleanly without it.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

sys.path.insert(0, str(Path(__file__).resolve().parent))

from official import (
    access_level,
    load_shapes,
    official_shapes,
    official_vocabularies,
    run_pyshacl,
)

REPO = Path(__file__).resolve().parents[1]
SHAPES = REPO / "shapes"
HDH_FILE = SHAPES / "hdh" / "hdh.ttl"
DEMO = REPO / "catalog_node" / "demo"
DEMO_FILES = sorted(DEMO.glob("*.ttl"))
BASE = "http://127.0.0.1:8000/"

ADMS = Namespace("http://www.w3.org/ns/adms#")
CN = Namespace("https://w3id.org/catalog-node/ns#")
CV = Namespace("http://data.europa.eu/m8g/")
DATACITE = Namespace("http://purl.org/spar/datacite/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
FRAPO = Namespace("http://purl.org/cerif/frapo/")
GEODCATAP = Namespace("http://data.europa.eu/930/")
HDH = Namespace("https://w3id.org/catalog-node/shapes/hdh#")
HEALTH = Namespace("http://healthdataportal.eu/ns/health#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DOI_TYPE = DATACITE.doi

# The HDH catalogue page is the one hdh element the fact sheet cannot supply for most records: it
# gives a health-data-hub.fr/catalogue-de-donnees/ page for OSCOUR only, and says the SNDS main
# base and its components are not catalogue entries. Records outside this set miss exactly that
# rule until a sourced page is found; nothing else may fail.
WITH_HDH_CATALOGUE_PAGE = {"oscour"}

Verdict = tuple[str, str]  # (focus node, hdh source shape local name or other shape IRI)


# --------------------------------------------------------------------------- loading


def parsed(path: Path) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle", publicID=BASE)
    return graph


def copy(graph: Graph) -> Graph:
    clone = Graph()
    for prefix, namespace in graph.namespaces():
        clone.bind(prefix, namespace)
    for triple in graph:
        clone.add(triple)
    return clone


@cache
def hdh_shapes() -> Graph:
    return load_shapes([HDH_FILE])


def project_r8_files(level: str) -> list[Path] | None:
    """shapes/healthdcat-ap-r8: its files plus the level's, or None if not (fully) there yet."""
    profile = SHAPES / "healthdcat-ap-r8" / "profile.toml"
    if not profile.exists():
        return None
    data = tomllib.loads(profile.read_text(encoding="utf-8"))
    levels = data.get("levels", {})
    keys = (level, level.lower(), level.lower().replace("_", "-"))
    entry = next((levels[key] for key in keys if key in levels), None)
    level_files = entry.get("files", []) if isinstance(entry, dict) else entry
    if not level_files:
        return None
    files = [SHAPES / name for name in [*data.get("files", []), *level_files]]
    return files if all(file.exists() for file in files) else None


@cache
def full_shapes(level: str) -> Graph:
    """HealthDCAT-AP R8 at a level (the project's files when present, else the official ones)."""
    shapes = Graph()
    files = project_r8_files(level)
    if files is None:
        for triple in official_shapes("healthdcat-ap", level):
            shapes.add(triple)
    else:
        shapes += load_shapes(files)
    shapes += hdh_shapes()
    return shapes


def results(report: Graph, data: Graph, severity: URIRef = SH.Violation) -> set[Verdict]:
    """Top-level results of a severity on the data's own nodes, as (focus, source shape)."""
    own = set(data.subjects())
    found: set[Verdict] = set()
    for result in report.objects(None, SH.result):
        if (result, SH.resultSeverity, severity) not in report:
            continue
        focus = report.value(result, SH.focusNode)
        if focus not in own:
            continue
        shape = str(report.value(result, SH.sourceShape))
        found.add((str(focus), shape.removeprefix(str(HDH))))
    return found


def hdh_only(data: Graph, severity: URIRef = SH.Violation) -> set[Verdict]:
    """Validate with hdh.ttl alone (no official files needed)."""
    from pyshacl import validate

    _, report, _ = validate(
        data, shacl_graph=hdh_shapes(), inference="none", allow_warnings=True
    )
    return results(report, data, severity)


def with_r8(data: Graph) -> set[Verdict]:
    report = run_pyshacl(data, official_vocabularies(), full_shapes(access_level(data)))
    return results(report, data)


def dataset(stem: str) -> URIRef:
    return URIRef(f"{BASE}dataset/{stem}")


# --------------------------------------------------------------------------- conventions


def test_profile_toml() -> None:
    data = tomllib.loads((SHAPES / "hdh" / "profile.toml").read_text(encoding="utf-8"))
    assert data["name"] == "hdh"
    assert data["title"] == "Health Data Hub (France)"
    assert data["version"] == "1.0"
    assert data["include"] == "healthdcat-ap"
    assert data["description_en"] and data["description_fr"]
    assert data["files"] == ["hdh/hdh.ttl"]
    assert all((SHAPES / name).exists() for name in data["files"])


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def test_shape_conventions() -> None:
    graph = Graph().parse(HDH_FILE, format="turtle")
    properties = set(graph.subjects(RDF.type, SH.PropertyShape))
    properties |= set(graph.objects(None, SH.property))
    assert properties, "no property shapes in hdh.ttl"
    for shape in properties:
        assert str(shape).startswith(str(HDH)), f"anonymous property shape {shape}"
        assert (shape, SH.path, None) in graph, f"{shape} has no sh:path"
        for predicate in (SH.name, SH.message, CN.hint):
            assert {"en", "fr"} <= languages(graph, shape, predicate), (shape, predicate)
        assert graph.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape
    for shape in graph.subjects(RDF.type, SH.NodeShape):
        assert {"en", "fr"} <= languages(graph, shape, RDFS.label), shape
    attached = set(graph.objects(None, SH.property))
    assert properties == attached, f"unattached property shapes: {properties - attached}"


def test_severities_follow_the_hdh_catalogue() -> None:
    """Elements every HDH entry shows are violations; DOI and funding only inform when absent."""
    graph = Graph().parse(HDH_FILE, format="turtle")
    for name in (
        "Dataset-acronym-count",
        "Dataset-catalogue-reference-count",
        "Dataset-medical-domain-count",
        "Dataset-scientific-contact-count",
        "Identifier-doi-notation-form",
        "Dataset-doi-iri-form",
        "Dataset-funder-agent",
    ):
        assert graph.value(HDH[name], SH.severity) == SH.Violation, name
    for name in ("Dataset-doi-present", "Dataset-funder-present", "Dataset-catalogue-page-count"):
        assert graph.value(HDH[name], SH.severity) in (SH.Info, SH.Warning), name


# --------------------------------------------------------------------------- (a) demo records


@pytest.mark.parametrize("path", DEMO_FILES, ids=[p.stem for p in DEMO_FILES])
def test_demo_record_conforms_to_hdh(path: Path) -> None:
    graph = parsed(path)
    found = with_r8(graph)
    assert not found, f"{len(found)} violation(s) in {path.name}:\n" + "\n".join(
        " | ".join(v) for v in sorted(found)
    )


def test_hdh_catalogue_page_gap_is_exact() -> None:
    """The records without an HDH catalogue page are exactly those the facts give none for."""
    missing = {
        path.stem
        for path in DEMO_FILES
        if (str(dataset(path.stem)), "Dataset-catalogue-page-count")
        in hdh_only(parsed(path), SH.Info)
    }
    assert missing == {p.stem for p in DEMO_FILES} - WITH_HDH_CATALOGUE_PAGE


# --------------------------------------------------------------------------- (b) mutations

SUBJECT = "oscour"  # a record that meets every hdh rule
OSCOUR = dataset(SUBJECT)
HDH_PAGE = URIRef(
    "https://health-data-hub.fr/catalogue-de-donnees/"
    "oscour-organisation-de-la-surveillance-coordonnee-des-urgences"
)
AGENT = URIRef(f"{BASE}agent/sante-publique-france")
NEW_ID = URIRef(f"{BASE}dataset/{SUBJECT}/identifier/doi")


def remove(predicate: URIRef) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        graph.remove((OSCOUR, predicate, None))

    return mutate


def remove_page(graph: Graph) -> None:
    graph.remove((OSCOUR, FOAF.page, HDH_PAGE))


def remove_references(graph: Graph) -> None:
    for predicate in (FOAF.page, DCAT.landingPage, DCTERMS.isReferencedBy):
        graph.remove((OSCOUR, predicate, None))


def test_missing_hdh_page_only_informs() -> None:
    """Without its HDH catalogue page a record still conforms, with an Info result saying so."""
    graph = parsed(DEMO / f"{SUBJECT}.ttl")
    remove_page(graph)
    assert not hdh_only(graph)
    assert (str(OSCOUR), "Dataset-catalogue-page-count") in hdh_only(graph, SH.Info)


def add_identifier(node: URIRef, notation: Literal | None) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        graph.add((OSCOUR, ADMS.identifier, node))
        graph.add((node, RDF.type, ADMS.Identifier))
        if notation is not None:
            graph.add((node, SKOS.notation, notation))

    return mutate


def set_triple(predicate: URIRef, value: URIRef | Literal) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        graph.remove((OSCOUR, predicate, None))
        graph.add((OSCOUR, predicate, value))

    return mutate


def replace_identifier(value: Literal) -> Callable[[Graph], None]:
    return set_triple(DCTERMS.identifier, value)


def add(*triples: tuple) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        for triple in triples:
            graph.add(triple)

    return mutate


OLD_THEME = URIRef("http://13.81.34.152:1101/resource/authority/health-theme/HEALTH_SYSTEMS")
STRANGER = URIRef(f"{BASE}agent/unknown-team")
FUNDER = URIRef(f"{BASE}agent/funder")
DOI_IRI = URIRef("https://doi.org/10.1234/oscour.2024")

BAD_MUTATIONS: dict[str, tuple[Callable[[Graph], None], str]] = {
    "acronym removed": (remove(DCTERMS.alternative), "Dataset-acronym-count"),
    "acronym too long": (
        set_triple(DCTERMS.alternative, Literal("Organisation de la surveillance coordonnée")),
        "Dataset-acronym-form",
    ),
    "acronym as IRI": (
        set_triple(DCTERMS.alternative, URIRef("https://example.org/OSCOUR")),
        "Dataset-acronym-form",
    ),
    "every catalogue reference removed": (remove_references, "Dataset-catalogue-reference-count"),
    "medical domain removed": (remove(HEALTH.healthTheme), "Dataset-medical-domain-count"),
    "medical domain with draft IRI": (
        set_triple(HEALTH.healthTheme, OLD_THEME),
        "Dataset-medical-domain-scheme",
    ),
    "scientific contact removed": (
        remove(GEODCATAP.principalInvestigator),
        "Dataset-scientific-contact-count",
    ),
    "scientific contact undescribed": (
        set_triple(GEODCATAP.principalInvestigator, STRANGER),
        "Dataset-scientific-contact-agent",
    ),
    "scientific contact unreachable": (
        add(
            (OSCOUR, GEODCATAP.principalInvestigator, STRANGER),
            (STRANGER, RDF.type, FOAF.Agent),
            (STRANGER, FOAF.name, Literal("Équipe inconnue", lang="fr")),
        ),
        "ScientificContact-reachable",
    ),
    "DOI notation with doi: prefix": (
        add_identifier(NEW_ID, Literal("doi:10.1234/oscour", datatype=DOI_TYPE)),
        "Identifier-doi-notation-form",
    ),
    "DOI notation as URL": (
        add_identifier(NEW_ID, Literal("https://doi.org/10.1234/oscour", datatype=DOI_TYPE)),
        "Identifier-doi-notation-form",
    ),
    "DOI notation with short prefix": (
        add_identifier(NEW_ID, Literal("10.12/oscour", datatype=DOI_TYPE)),
        "Identifier-doi-notation-form",
    ),
    "DOI notation untyped": (
        add_identifier(NEW_ID, Literal("10.1234/oscour")),
        "Identifier-doi-notation-form",
    ),
    "DOI IRI via dx.doi.org": (
        add_identifier(URIRef("http://dx.doi.org/10.1234/oscour"), None),
        "Dataset-doi-iri-form",
    ),
    "DOI IRI without prefix": (
        add_identifier(URIRef("https://doi.org/oscour"), None),
        "Dataset-doi-iri-form",
    ),
    "dct:identifier malformed DOI": (
        replace_identifier(Literal("doi:oscour")),
        "Dataset-doi-iri-form",
    ),
    "funder as text": (
        add((OSCOUR, FRAPO.isFundedBy, Literal("Ministère de la santé"))),
        "Dataset-funder-agent",
    ),
    "funder without name": (
        add((OSCOUR, FRAPO.isFundedBy, FUNDER), (FUNDER, RDF.type, FOAF.Agent)),
        "Funder-name-count",
    ),
}

GOOD_MUTATIONS: dict[str, Callable[[Graph], None]] = {
    "DOI added in correct form": add_identifier(
        DOI_IRI, Literal("10.1234/oscour.2024", datatype=DOI_TYPE)
    ),
    "DOI as dct:identifier IRI text": add((OSCOUR, DCTERMS.identifier, Literal(str(DOI_IRI)))),
    "non-DOI identifier": add_identifier(NEW_ID, Literal("HDH-2024-001")),
    "second acronym language": add((OSCOUR, DCTERMS.alternative, Literal("OSCOUR", lang="en"))),
    "HDH page also as isReferencedBy": add((OSCOUR, DCTERMS.isReferencedBy, HDH_PAGE)),
    "second medical domain": add(
        (
            OSCOUR,
            HEALTH.healthTheme,
            URIRef(
                "https://hdeu-dcat.data.health.europa.eu/resource/authority/"
                "health-theme/RESPIRATORY_DISEASES"
            ),
        )
    ),
    "funder described": add(
        (OSCOUR, FRAPO.isFundedBy, AGENT),
    ),
}


@cache
def baseline() -> frozenset[Verdict]:
    return frozenset(hdh_only(parsed(DEMO / f"{SUBJECT}.ttl")))


def test_mutation_subject_conforms() -> None:
    assert baseline() == frozenset()


@pytest.mark.parametrize("name", sorted(BAD_MUTATIONS))
def test_bad_mutation_is_caught(name: str) -> None:
    mutate, expected = BAD_MUTATIONS[name]
    graph = copy(parsed(DEMO / f"{SUBJECT}.ttl"))
    mutate(graph)
    shapes = {shape for _, shape in hdh_only(graph) - baseline()}
    assert expected in shapes, f"{name}: expected {expected}, got {sorted(shapes)}"


@pytest.mark.parametrize("name", sorted(GOOD_MUTATIONS))
def test_benign_mutation_passes(name: str) -> None:
    graph = copy(parsed(DEMO / f"{SUBJECT}.ttl"))
    GOOD_MUTATIONS[name](graph)
    assert hdh_only(graph) - baseline() == set()


def test_correct_doi_passes_r8_and_hdh() -> None:
    graph = copy(parsed(DEMO / f"{SUBJECT}.ttl"))
    GOOD_MUTATIONS["DOI added in correct form"](graph)
    assert with_r8(graph) == set()


# --------------------------------------------------------------------------- (c) DOI / funding


def test_absent_doi_and_funder_only_inform() -> None:
    graph = parsed(DEMO / f"{SUBJECT}.ttl")
    assert not list(graph.objects(OSCOUR, ADMS.identifier))
    info = {shape for _, shape in hdh_only(graph, SH.Info)}
    assert {"Dataset-doi-present", "Dataset-funder-present"} <= info
    # Removing a DOI from a record that has none changes nothing.
    stripped = copy(graph)
    for identifier in list(stripped.objects(OSCOUR, ADMS.identifier)):
        stripped.remove((OSCOUR, ADMS.identifier, identifier))
    assert set(stripped) == set(graph)
    assert hdh_only(stripped) == hdh_only(graph) == set()
    assert hdh_only(stripped, SH.Info) == hdh_only(graph, SH.Info)


def test_correct_doi_silences_the_doi_information() -> None:
    graph = copy(parsed(DEMO / f"{SUBJECT}.ttl"))
    GOOD_MUTATIONS["DOI added in correct form"](graph)
    info = {shape for _, shape in hdh_only(graph, SH.Info)}
    assert "Dataset-doi-present" not in info


def test_funded_demo_record_names_its_funder() -> None:
    graph = parsed(DEMO / "bndmr.ttl")
    funders = list(graph.objects(dataset("bndmr"), FRAPO.isFundedBy))
    assert funders == [URIRef(f"{BASE}agent/ministere-sante")]
    assert "Dataset-funder-present" not in {s for _, s in hdh_only(graph, SH.Info)}

