"""The demo catalogue shipped in catalog_node/demo/: one HealthDCAT-AP Release 8 dataset per file.

Structural checks need only the shipped files. The conformance checks run the official
HealthDCAT-AP R8 shapes (and DCAT-AP 3.0.1) from ../shared/reference, and skip cleanly when that
folder is absent (set CATALOG_NODE_SHARED to point elsewhere).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import official
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "catalog_node" / "demo"
BASE = "http://127.0.0.1:8000/"

# Plain Namespace objects: rdflib's closed namespaces warn when pytest probes module globals.
CSVW = Namespace("http://www.w3.org/ns/csvw#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
CV = Namespace("http://data.europa.eu/m8g/")
GEODCATAP = Namespace("http://data.europa.eu/930/")
HEALTH = Namespace("http://healthdataportal.eu/ns/health#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
HEAL = URIRef("http://publications.europa.eu/resource/authority/data-theme/HEAL")
LEVELS = {"PUBLIC": "public", "RESTRICTED": "restricted", "NON_PUBLIC": "non-public"}
AGENT_PREDICATES = (
    DCTERMS.publisher,
    DCTERMS.creator,
    DCTERMS.rightsHolder,
    HEALTH.hdab,
    HEALTH.hdabCoordinator,
    GEODCATAP.custodian,
)
SCHEMA_SNDS_URL = re.compile(
    r"^https://github\.com/indsante/schema-snds/blob/[0-9a-f]{40}/schemas/(.+)$"
)
FRICTIONLESS_TO_CSVW = {
    "integer": "integer",
    "string": "string",
    "number": "decimal",
    "date": "date",
    "datetime": "dateTime",
    "yearmonth": "gYearMonth",
    "year": "gYear",
    "boolean": "boolean",
}

DEMO_FILES = sorted(DEMO.glob("*.ttl"))


# --------------------------------------------------------------------------- helpers


@cache
def parsed(path: Path) -> Graph:
    """A shipped file parsed as the node parses it: with the node's default base IRI."""
    graph = Graph()
    graph.parse(path, format="turtle", publicID=BASE)
    return graph


def dataset_of(graph: Graph) -> URIRef:
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1, f"expected exactly one dcat:Dataset, found {datasets}"
    node = datasets[0]
    assert isinstance(node, URIRef)
    return node


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    found = graph.objects(subject, predicate)
    return {o.language for o in found if isinstance(o, Literal) and o.language}


def access_level(graph: Graph) -> str:
    rights = graph.value(dataset_of(graph), DCTERMS.accessRights)
    return str(rights).removeprefix(ACCESS_RIGHT)


def shared_root() -> Path:
    env = os.environ.get("CATALOG_NODE_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def require_shared(*parts: str) -> Path:
    path = shared_root().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


# --------------------------------------------------------------------------- structure (no shared)


def test_enough_demo_records() -> None:
    assert len(DEMO_FILES) >= 30, f"only {len(DEMO_FILES)} demo records in {DEMO}"


@pytest.mark.parametrize("path", DEMO_FILES, ids=ids(DEMO_FILES))
def test_one_dataset_named_after_the_file(path: Path) -> None:
    graph = parsed(path)
    assert dataset_of(graph) == URIRef(f"{BASE}dataset/{path.stem}")
    assert not list(graph.subjects(RDF.type, DCAT.Catalog)), "records must not carry a dcat:Catalog"


@pytest.mark.parametrize("path", DEMO_FILES, ids=ids(DEMO_FILES))
def test_iris_are_relative_without_base_directive(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(@base|BASE)\b", text, re.MULTILINE | re.IGNORECASE)
    assert BASE not in text, "node IRIs must be written relative to the base"


@pytest.mark.parametrize("path", DEMO_FILES, ids=ids(DEMO_FILES))
def test_bilingual_title_and_description(path: Path) -> None:
    graph = parsed(path)
    dataset = dataset_of(graph)
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert {"fr", "en"} <= languages(graph, dataset, predicate), predicate
    assert {"fr", "en"} <= languages(graph, dataset, DCAT.keyword)


@pytest.mark.parametrize("path", DEMO_FILES, ids=ids(DEMO_FILES))
def test_theme_and_access_rights(path: Path) -> None:
    graph = parsed(path)
    dataset = dataset_of(graph)
    assert (dataset, DCAT.theme, HEAL) in graph
    rights = list(graph.objects(dataset, DCTERMS.accessRights))
    assert len(rights) == 1 and access_level(graph) in LEVELS, rights


@pytest.mark.parametrize("path", DEMO_FILES, ids=ids(DEMO_FILES))
def test_no_blank_nodes(path: Path) -> None:
    blanks = {term for triple in parsed(path) for term in triple if isinstance(term, BNode)}
    assert not blanks


@pytest.mark.parametrize("path", DEMO_FILES, ids=ids(DEMO_FILES))
def test_agents_are_described_inline(path: Path) -> None:
    graph = parsed(path)
    missing = []
    for predicate in AGENT_PREDICATES:
        for agent in graph.objects(None, predicate):
            described = (agent, RDF.type, FOAF.Agent) in graph and graph.value(agent, FOAF.name)
            contact = graph.value(agent, CV.contactPoint)
            if not described or contact is None or (contact, RDF.type, None) not in graph:
                missing.append(f"{predicate.n3(graph.namespace_manager)} {agent}")
    assert not missing, "agents named but not described in the file:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", DEMO_FILES, ids=ids(DEMO_FILES))
def test_contact_points_are_described_inline(path: Path) -> None:
    graph = parsed(path)
    for contact in graph.objects(None, DCAT.contactPoint):
        assert (contact, RDF.type, VCARD.Kind) in graph
        assert graph.value(contact, VCARD.hasURL) or graph.value(contact, VCARD.hasEmail)


def dictionary_tables(graph: Graph) -> list[URIRef]:
    group = graph.value(dataset_of(graph), HEALTH.hasVariables)
    return [] if group is None else list(graph.objects(group, CSVW.table))


def test_enough_data_dictionaries() -> None:
    with_dictionary = []
    for path in DEMO_FILES:
        graph = parsed(path)
        tables = dictionary_tables(graph)
        if tables and all(table_is_documented(graph, table) for table in tables):
            with_dictionary.append(path.stem)
    assert len(with_dictionary) >= 6, with_dictionary


def table_is_documented(graph: Graph, table: URIRef) -> bool:
    columns = list(graph.objects(table, CSVW.column))
    return len(columns) >= 5 and all(graph.value(c, CSVW.name) for c in columns)


@pytest.mark.parametrize("path", DEMO_FILES, ids=ids(DEMO_FILES))
def test_structured_data_flag_matches_dictionary(path: Path) -> None:
    graph = parsed(path)
    flag = graph.value(dataset_of(graph), HEALTH.hasStructuredData)
    assert flag is not None and flag.toPython() is bool(dictionary_tables(graph))


def test_readme_lists_every_record() -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    absent = [p.stem for p in DEMO_FILES if f"`{p.stem}`" not in readme]
    assert not absent, f"records missing from catalog_node/demo/README.md: {absent}"


# --------------------------------------------------------------------------- schema-snds


def schema_snds_tables() -> Iterator[tuple[str, Graph, URIRef, str]]:
    for path in DEMO_FILES:
        graph = parsed(path)
        for table in dictionary_tables(graph):
            match = SCHEMA_SNDS_URL.match(str(graph.value(table, DCTERMS.source) or ""))
            if match:
                yield path.stem, graph, table, unquote(match.group(1))


def test_snds_columns_exist_in_schema_snds() -> None:
    schemas = require_shared("corpus", "schema-snds", "schemas")
    problems = []
    for stem, graph, table, rel_path in schema_snds_tables():
        fields = {f["name"]: f for f in json.loads((schemas / rel_path).read_text())["fields"]}
        for column in graph.objects(table, CSVW.column):
            name = str(graph.value(column, CSVW.name))
            datatype = str(graph.value(column, CSVW.datatype))
            field = fields.get(name)
            if field is None or FRICTIONLESS_TO_CSVW[field["type"]] != datatype:
                problems.append(f"{stem} {rel_path} {name} {datatype} vs {field and field['type']}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- official shapes


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    return official.official_vocabularies()


@pytest.fixture(scope="module")
def r8_shapes() -> dict[str, Graph]:
    """The R8 level sets exactly as config.properties lists them (the imports left out)."""
    return {level: official.load_shapes(official.r8_config_files(name))
            for level, name in LEVELS.items()}


@pytest.fixture(scope="module")
def r8_dcatap301_shapes() -> dict[str, Graph]:
    """R8 with the DCAT-AP shapes it imports, taken from release 3.0.1."""
    return {level: official.official_shapes("healthdcat-ap", level) for level in LEVELS}


def violations(data: Graph, vocabularies: Graph, shapes: Graph) -> list[str]:
    """Top-level sh:Violation results of validating data merged with the vocabularies."""
    report = official.run_pyshacl(data, vocabularies, shapes)
    return [
        describe(report, result)
        for result in report.objects(None, SH.result)
        if (result, SH.resultSeverity, SH.Violation) in report
    ]


def describe(report: Graph, result: Node) -> str:
    parts = (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent, SH.resultMessage)
    return " | ".join(str(report.value(result, part)) for part in parts)


@pytest.mark.parametrize("path", DEMO_FILES, ids=ids(DEMO_FILES))
def test_conforms_to_official_r8_shapes(
    path: Path, vocabularies: Graph, r8_shapes: dict[str, Graph]
) -> None:
    graph = parsed(path)
    found = violations(graph, vocabularies, r8_shapes[access_level(graph)])
    assert not found, f"{len(found)} violation(s) in {path.name}:\n" + "\n".join(found)


@pytest.mark.parametrize("path", DEMO_FILES, ids=ids(DEMO_FILES))
def test_conforms_to_r8_with_dcatap_301(
    path: Path, vocabularies: Graph, r8_dcatap301_shapes: dict[str, Graph]
) -> None:
    graph = parsed(path)
    own = {str(subject) for subject in graph.subjects()}
    found = violations(graph, vocabularies, r8_dcatap301_shapes[access_level(graph)])
    # The vocabulary extracts' own gaps (schemes without dct:title) are not the record's fault.
    found = [line for line in found if line.split(" | ", 1)[0] in own]
    assert not found, f"{len(found)} violation(s) in {path.name}:\n" + "\n".join(found)
