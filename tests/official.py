"""The official oracle: pySHACL over the published shape files in ../shared/reference.

Loaded as ../shared/reference/README.md says: one HealthDCAT-AP R8 access-level set per run (the
files its validator's config.properties lists), the DCAT-AP shapes that set imports taken from
release 3.0.1 (not 3.0.0), the path-less property shape patched in memory, the EU and
HealthData@EU vocabularies merged into the data graph, and only the report's top-level results
counted as verdicts. Nothing here is shipped: tests use it to judge the project's own profiles.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
LEVELS = {"PUBLIC": "public", "RESTRICTED": "restricted", "NON_PUBLIC": "non-public"}

# DCAT-AP 3.0.1 "Full" in the Interoperability Test Bed's configuration, plus its code lists.
DCATAP_FULL = ("shapes.ttl", "range.ttl", "shapes_recommended.ttl", "deprecateduris.ttl")
DCATAP_CODELISTS = ("mdr-vocabularies.shape.ttl",)
# What the R8 files import from DCAT-AP (they name 3.0.0; we load 3.0.1, see the README).
R8_IMPORTS = ("shapes.ttl", "range.ttl", "shapes_recommended.ttl", "deprecateduris.ttl")

Verdict = tuple[str, str, str]  # (focus node, canonical path, constraint component)


def shared_root() -> Path:
    env = os.environ.get("CATALOG_NODE_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def reference() -> Path:
    path = shared_root() / "reference"
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def r8_validator() -> Path:
    return reference() / "healthdcat-ap-r8" / "validator"


def dcatap301() -> Path:
    return reference() / "SEMICeu-DCAT-AP" / "3.0.1" / "shacl-html"


def r8_config_files(level: str) -> list[Path]:
    """The files config.properties lists for a level (`public`, `restricted`, `non-public`)."""
    validator = r8_validator()
    text = (validator / "config.properties").read_text(encoding="utf-8")
    match = re.search(rf"^validator\.shaclFile\.{level}\s*=\s*(.+)$", text, re.MULTILINE)
    assert match, f"no shape list for {level} in config.properties"
    names = [name.strip() for name in match.group(1).split(",")]
    return [validator / name for name in names if (validator / name).exists()]


def patch_pathless_property_shapes(shapes: Graph) -> None:
    """pySHACL rejects a property shape without sh:path; make it a node shape on dcat:Dataset."""
    for parent, prop in list(shapes.subject_objects(SH.property)):
        if (prop, SH.path, None) not in shapes:
            shapes.remove((parent, SH.property, prop))
            shapes.add((prop, RDF.type, SH.NodeShape))
            shapes.add((prop, SH.targetClass, DCAT.Dataset))


def load_shapes(files: list[Path]) -> Graph:
    shapes = Graph()
    for file in files:
        shapes.parse(file, format="turtle", publicID=f"urn:x-shapes:{file.name}")
    patch_pathless_property_shapes(shapes)
    return shapes


@cache
def official_shapes(profile: str, level: str | None = None) -> Graph:
    """Official shapes: `healthdcat-ap` at a level (PUBLIC/RESTRICTED/NON_PUBLIC), or `dcat-ap`."""
    if profile == "dcat-ap":
        return load_shapes([dcatap301() / name for name in DCATAP_FULL + DCATAP_CODELISTS])
    assert profile == "healthdcat-ap" and level in LEVELS, (profile, level)
    files = r8_config_files(LEVELS[level])
    files += [dcatap301() / name for name in R8_IMPORTS]
    return load_shapes(list(dict.fromkeys(files)))


def official_vocabulary_files() -> list[Path]:
    ref = reference()
    files = sorted((ref / "healthdcat-ap-r8" / "validator" / "catalogue").glob("*.rdf"))
    files += sorted((ref / "SEMICeu-dcat-ap_shacl" / "resources").glob("*.rdf"))
    extracts = ref / "Informasjonsforvaltning-fdk-reference-data" / "eu-vocab-sparql-extracts"
    return files + sorted(p for p in extracts.iterdir() if p.suffix in (".rdf", ".ttl"))


@cache
def official_vocabularies() -> Graph:
    """Every official table, concepts typed skos:Concept (compact extracts lack the typing)."""
    graph = Graph()
    for file in official_vocabulary_files():
        graph.parse(file, format="xml" if file.suffix == ".rdf" else "turtle")
    for concept in set(graph.subjects(SKOS.inScheme, None)):
        graph.add((concept, RDF.type, SKOS.Concept))
    return graph


def access_level(data: Graph) -> str:
    """The level named by the first dataset's dct:accessRights (NON_PUBLIC if none)."""
    for dataset in data.subjects(RDF.type, DCAT.Dataset):
        for rights in data.objects(dataset, DCTERMS.accessRights):
            code = str(rights).removeprefix(ACCESS_RIGHT)
            if code in LEVELS:
                return code
    return "NON_PUBLIC"


def canonical_path(report: Graph, path: Node | None) -> str:
    """A path as text that does not depend on blank node labels."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return str(path)
    if isinstance(path, BNode):
        if (path, RDF.first, None) in report:
            steps = (canonical_path(report, p) for p in Collection(report, path))
            return "(" + " / ".join(steps) + ")"
        for key, name in (
            (SH.alternativePath, "alt"),
            (SH.inversePath, "inv"),
            (SH.zeroOrMorePath, "zeroOrMore"),
            (SH.oneOrMorePath, "oneOrMore"),
            (SH.zeroOrOnePath, "zeroOrOne"),
        ):
            value = report.value(path, key)
            if value is not None:
                if (value, RDF.first, None) in report:
                    inner = " | ".join(canonical_path(report, p) for p in Collection(report, value))
                else:
                    inner = canonical_path(report, value)
                return f"{name}({inner})"
    return str(path)


def focus_text(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def top_level_violations(report: Graph, data: Graph) -> set[Verdict]:
    """(focus, path, component) of the report's top-level violations on the data's own nodes."""
    return top_level_results(report, data, SH.Violation)


def top_level_results(report: Graph, data: Graph, severity: Node) -> set[Verdict]:
    """(focus, path, component) of the report's top-level results of one severity.

    A focus node counts when the data describes it (it is a subject there): a vocabulary table's
    own gaps (the ADMS licence-type scheme has no dct:title) are not the record's fault.
    """
    own = set(data.subjects())
    found: set[Verdict] = set()
    for result in report.objects(None, SH.result):
        if (result, SH.resultSeverity, severity) not in report:
            continue
        focus = report.value(result, SH.focusNode)
        if focus not in own and focus != URIRef("urn:x-shacl:guard"):
            continue
        path = canonical_path(report, report.value(result, SH.resultPath))
        component = str(report.value(result, SH.sourceConstraintComponent))
        found.add((focus_text(focus), path, component))
    return found


def run_pyshacl(data: Graph, vocabularies: Graph, shapes: Graph) -> Graph:
    """Validate data merged with vocabularies (without copying the vocabularies)."""
    from pyshacl import validate

    added = [triple for triple in data if triple not in vocabularies]
    for triple in added:
        vocabularies.add(triple)
    try:
        _, report, _ = validate(
            vocabularies, shacl_graph=shapes, inference="none", inplace=True, allow_warnings=True
        )
    finally:
        for triple in added:
            vocabularies.remove(triple)
    return report


def official_verdicts(data: Graph, profile: str = "healthdcat-ap") -> set[Verdict]:
    """The official verdict on data: its top-level violations (empty set = conforms)."""
    level = access_level(data) if profile == "healthdcat-ap" else None
    shapes = official_shapes(profile, level)
    report = run_pyshacl(data, official_vocabularies(), shapes)
    return top_level_violations(report, data)
