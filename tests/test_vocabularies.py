"""The project's SKOS vocabularies (vocabularies/*.ttl) and their index.

(a) every file parses; every concept has exactly one prefLabel @fr and one @en, a notation, and
exactly one skos:inScheme, a scheme declared in the same file; every scheme is a
skos:ConceptScheme with dct:title @fr and @en; concepts are written sorted by code;
(b) vocabularies/index.toml lists each file once, with the scheme IRI the file declares;
(c) every controlled-vocabulary IRI the demo records use (and, with ../shared, the official R8
example) is a concept or scheme of the shipped vocabularies;
(d) with ../shared/reference (skipped cleanly otherwise): each shipped concept exists in the
official table where that table is present in full, with the same rdf:type, skos:inScheme and
skos:broader sets; HealthData@EU tables and the files marked complete have exactly the official
set of codes.
"""

from __future__ import annotations

import re
import sys
import tomllib
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

sys.path.insert(0, str(Path(__file__).resolve().parent))

from official import official_vocabularies, reference

REPO = Path(__file__).resolve().parents[1]
VOCABULARIES = REPO / "vocabularies"
FILES = sorted(VOCABULARIES.glob("*.ttl"))
DEMO_FILES = sorted((REPO / "catalog_node" / "demo").glob("*.ttl"))
CONTROLLED = re.compile(
    r"^(http://publications\.europa\.eu/resource/authority/"
    r"|https://hdeu-dcat\.data\.health\.europa\.eu/resource/authority/"
    r"|http://purl\.org/adms/)"
)
HDEU = "https://hdeu-dcat.data.health.europa.eu/resource/authority/"
#: Official tables held only as partial extracts in ../shared/reference: a shipped concept
#: need not be in them, but where it is, its typing must agree.
PARTIAL_OFFICIAL = {
    "http://publications.europa.eu/resource/authority/language",
    "http://publications.europa.eu/resource/authority/country",
}


@cache
def parsed(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@cache
def shipped() -> Graph:
    graph = Graph()
    for path in FILES:
        graph += parsed(path)
    return graph


@cache
def index() -> list[dict]:
    with (VOCABULARIES / "index.toml").open("rb") as handle:
        return tomllib.load(handle)["scheme"]


def concepts(graph: Graph) -> set[URIRef]:
    return set(graph.subjects(SKOS.inScheme, None)) | set(graph.subjects(RDF.type, SKOS.Concept))


def schemes(graph: Graph) -> set[URIRef]:
    return set(graph.subjects(RDF.type, SKOS.ConceptScheme))


def code(concept: URIRef) -> str:
    return str(concept).rsplit("/", 1)[1]


def controlled_iris(graph: Graph) -> set[URIRef]:
    return {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and CONTROLLED.match(str(node))
    }


# (a) each file on its own ------------------------------------------------------------------


def test_there_are_vocabulary_files() -> None:
    assert len(FILES) >= 16, [p.name for p in FILES]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_is_well_formed_skos(path: Path) -> None:
    graph = parsed(path)
    declared = schemes(graph)
    assert len(declared) == 1, f"{path.name}: {len(declared)} concept schemes"
    for scheme in declared:
        for lang in ("en", "fr"):
            titles = [t for t in graph.objects(scheme, DCTERMS.title) if t.language == lang]
            assert len(titles) == 1, f"{path.name}: scheme needs one dct:title @{lang}"
    found = concepts(graph)
    assert found, f"{path.name}: no concepts"
    problems = []
    for concept in sorted(found):
        for lang in ("en", "fr"):
            labels = [x for x in graph.objects(concept, SKOS.prefLabel) if x.language == lang]
            if len(labels) != 1:
                problems.append(f"{concept}: {len(labels)} prefLabel @{lang}")
        notations = list(graph.objects(concept, SKOS.notation))
        if len(notations) != 1 or not str(notations[0]).strip():
            problems.append(f"{concept}: needs one skos:notation")
        in_scheme = set(graph.objects(concept, SKOS.inScheme))
        if len(in_scheme) != 1 or not in_scheme <= declared:
            problems.append(f"{concept}: inScheme {sorted(in_scheme)} not the file's scheme")
        if (concept, RDF.type, SKOS.Concept) not in graph:
            problems.append(f"{concept}: not typed skos:Concept")
        for parent in graph.objects(concept, SKOS.broader):
            if parent not in found:
                problems.append(f"{concept}: broader {parent} not in the file")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_concepts_are_written_sorted_by_code(path: Path) -> None:
    notations = re.findall(r'^\s+skos:notation "([^"]*)"', path.read_text("utf-8"), re.MULTILINE)
    assert notations == sorted(notations), f"{path.name}: concepts not sorted by code"


def test_no_two_concepts_share_a_label_within_a_scheme() -> None:
    graph = shipped()
    seen: dict[tuple, URIRef] = {}
    clashes = []
    for concept in sorted(concepts(graph)):
        scheme = graph.value(concept, SKOS.inScheme)
        for label in graph.objects(concept, SKOS.prefLabel):
            key = (scheme, label.language, str(label).casefold())
            if key in seen:
                clashes.append(f"{concept} and {seen[key]}: {label!r}")
            seen.setdefault(key, concept)
    assert not clashes, "\n".join(clashes)


# (b) the index ------------------------------------------------------------------------------


def test_index_lists_each_file_once_with_its_scheme() -> None:
    entries = index()
    listed = [entry["file"] for entry in entries]
    assert sorted(listed) == [p.name for p in FILES]
    assert len(set(listed)) == len(listed)
    for entry in entries:
        assert set(entry) >= {"file", "iri", "name", "complete"}, entry
        assert isinstance(entry["complete"], bool), entry
        assert entry["name"] == Path(entry["file"]).stem, entry
        assert schemes(parsed(VOCABULARIES / entry["file"])) == {URIRef(entry["iri"])}, entry


def test_health_tables_are_marked_complete() -> None:
    for entry in index():
        if entry["iri"].startswith(HDEU):
            assert entry["complete"], entry


# (c) coverage of the records ------------------------------------------------------------------


def missing_from_vocabularies(graph: Graph) -> list[str]:
    known = concepts(shipped()) | schemes(shipped())
    return sorted(str(iri) for iri in controlled_iris(graph) - known)


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.name)
def test_demo_record_controlled_iris_are_shipped(path: Path) -> None:
    assert not missing_from_vocabularies(Graph().parse(path, format="turtle"))


def test_official_example_controlled_iris_are_shipped() -> None:
    example = reference() / "healthdcat-ap-r8" / "examples" / "example-healthdcat-dataset.ttl"
    assert not missing_from_vocabularies(Graph().parse(example, format="turtle"))


# (d) agreement with the official tables ---------------------------------------------------------


def official_by_scheme() -> dict[URIRef, set[URIRef]]:
    official = official_vocabularies()
    tables: dict[URIRef, set[URIRef]] = {}
    for concept, scheme in official.subject_objects(SKOS.inScheme):
        tables.setdefault(scheme, set()).add(concept)
    return tables


def agreement_problems(entry: dict) -> list[str]:
    official = official_vocabularies()
    tables = official_by_scheme()
    graph = parsed(VOCABULARIES / entry["file"])
    scheme = URIRef(entry["iri"])
    table = tables.get(scheme, set())
    partial = str(scheme) in PARTIAL_OFFICIAL
    problems = []
    for concept in sorted(concepts(graph)):
        official_types = set(official.objects(concept, RDF.type))
        if concept not in table:
            if table and not partial:
                problems.append(f"{concept}: not in the official table")
            # Known to the official graph without being a concept there (the country extract
            # types FRA, DEU, NOR as dct:Location only): keep at least its typing.
            if not official_types <= set(graph.objects(concept, RDF.type)):
                problems.append(f"{concept}: lacks official types {sorted(official_types)}")
            continue
        pairs = (
            ("rdf:type", RDF.type),
            ("skos:inScheme", SKOS.inScheme),
            ("skos:broader", SKOS.broader),
        )
        for name, prop in pairs:
            ours, theirs = set(graph.objects(concept, prop)), set(official.objects(concept, prop))
            if ours != theirs:
                problems.append(f"{concept}: {name} {sorted(ours)} != official {sorted(theirs)}")
    if entry["complete"] or str(scheme).startswith(HDEU):
        ours = {code(c) for c in concepts(graph)}
        theirs = {code(c) for c in table}
        if ours != theirs:
            problems.append(
                f"codes differ: only shipped {sorted(ours - theirs)}, "
                f"only official {sorted(theirs - ours)}"
            )
    return problems


@pytest.mark.parametrize("entry", index(), ids=lambda e: e["name"])
def test_agrees_with_official_table(entry: dict) -> None:
    reference()
    problems = agreement_problems(entry)
    assert not problems, "\n".join(problems)


def test_every_complete_file_has_an_official_table() -> None:
    reference()
    tables = official_by_scheme()
    for entry in index():
        if entry["complete"]:
            assert tables.get(URIRef(entry["iri"])), f"{entry['name']}: no official table here"
