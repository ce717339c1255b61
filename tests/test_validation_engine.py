"""The validation engine in-process: profiles, access levels, reports, vocabularies.

Real data: the demo records (catalog_node/demo/), the official HealthDCAT-AP R8 example and the
official vocabulary tables in ../shared/reference (skipped cleanly when absent), small records
written here for the cases the demo records do not show, and a throw-away levelled profile in a
temporary shapes folder to pin down the per-level logic independently of the shipped shapes.
"""

from __future__ import annotations

import json
import logging
import shutil
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from catalog_node.errors import ConfigError
from catalog_node.rdf.parse import resolve_syntax
from catalog_node.validation.documents import read_document
from catalog_node.validation.engine import Validator, run_pyshacl
from catalog_node.validation.profiles import LEVELS, get_profile, load_profiles, shapes_dir
from catalog_node.validation.report import ValidationReport
from catalog_node.validation.vocabulary import load_vocabularies
from tests.conftest import BASE, ROOT, shared_path

DEMO = ROOT / "catalog_node" / "demo"
R8_PROFILE = ROOT / "shapes" / "healthdcat-ap-r8" / "profile.toml"
needs_r8 = pytest.mark.skipif(not R8_PROFILE.is_file(),
                              reason="shapes/healthdcat-ap-r8/profile.toml not written yet")
AR = "http://publications.europa.eu/resource/authority/access-right/"
AUTH = "http://publications.europa.eu/resource/authority/"
BRE = AUTH + "language/BRE"
EUROPE = AUTH + "continent/EUROPE"
PUBLIC_DEMO = ("open-medic", "finess")
NON_PUBLIC_DEMO = ("dcir", "constances")

# Mutations introduce ill-typed literals on purpose; rdflib would log each one.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


# -- data ------------------------------------------------------------------------------------
def demo_text(slug: str) -> str:
    return (DEMO / f"{slug}.ttl").read_text(encoding="utf-8")


def parse_ttl(text: str, source: str = "test.ttl") -> Graph:
    """A Turtle document as the node reads it (relative IRIs against the node's base)."""
    return read_document(text.encode(), source, resolve_syntax(source, None), base_iri=BASE)


def demo_graph(slug: str) -> Graph:
    return parse_ttl(demo_text(slug), f"demo/{slug}.ttl")


def as_restricted(text: str) -> str:
    """A demo record moved to the RESTRICTED level (there is no RESTRICTED demo record)."""
    for level in ("NON_PUBLIC", "PUBLIC"):
        text = text.replace(f"access-right/{level}>", "access-right/RESTRICTED>")
    return text


PREFIXES = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix ex: <https://example.org/cn/> .
"""


def small_record(description: bool = True, extra: str = "") -> str:
    """A small DCAT-AP dataset: titled in FR and EN, Breton, covering Europe, one distribution."""
    text = PREFIXES + """
ex:registry a dcat:Dataset ;
    dct:title "Registre d'essai"@fr, "Test registry"@en ;
"""
    if description:
        text += '    dct:description "Un registre."@fr, "A registry."@en ;\n'
    return text + f"""\
    dct:language <{BRE}> ;
    dct:spatial <{EUROPE}> ;
    dcat:distribution ex:registry-file .
ex:registry-file a dcat:Distribution ;
    dcat:accessURL <https://example.org/access> ;
    dct:license ex:licence .
ex:licence a dct:LicenseDocument ; dct:type <http://purl.org/adms/licencetype/PublicDomain> .
<{BRE}> a dct:LinguisticSystem .
<{EUROPE}> a dct:Location .
{extra}"""


@pytest.fixture(scope="module")
def official_vocabularies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder with the official tables: the R8 catalogue and the EU extracts."""
    ref = shared_path() / "reference"
    if not ref.is_dir():
        pytest.skip("../shared not present")
    folder = tmp_path_factory.mktemp("official-vocabularies")
    for source in (ref / "healthdcat-ap-r8" / "validator" / "catalogue",
                   ref / "SEMICeu-dcat-ap_shacl" / "resources",
                   ref / "Informasjonsforvaltning-fdk-reference-data" / "eu-vocab-sparql-extracts"):
        shutil.copytree(source, folder / source.name)
    return folder


def official_example() -> Path:
    path = shared_path() / "reference" / "healthdcat-ap-r8" / "examples" / \
        "example-healthdcat-dataset.ttl"
    if not path.is_file():
        pytest.skip("../shared not present")
    return path


# -- a levelled profile of our own, in a temporary shapes folder -----------------------------
SHAPE_PREFIXES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rule: <https://example.org/rules#> .
@prefix cn: <https://w3id.org/catalog-node/ns#> .
"""
RULE = "https://example.org/rules#"


def write_levelled_profile(root: Path) -> Path:
    """``lev``: base rules for every level plus one required property per access level."""
    folder = root / "lev"
    folder.mkdir(parents=True)
    (folder / "profile.toml").write_text(
        'name = "lev"\ntitle = "Levelled"\nversion = "0.1"\nfiles = ["lev/base.ttl"]\n'
        '[levels]\nPUBLIC = ["lev/public.ttl"]\nRESTRICTED = ["lev/restricted.ttl"]\n'
        'NON_PUBLIC = ["lev/non-public.ttl"]\n', encoding="utf-8")
    (folder / "base.ttl").write_text(SHAPE_PREFIXES + """
rule:Dataset a sh:NodeShape ; sh:targetClass dcat:Dataset ; sh:property rule:Dataset-title .
rule:Dataset-title a sh:PropertyShape ; sh:path dct:title ; sh:minCount 1 ;
    sh:name "title"@en, "titre"@fr ; sh:message "No title."@en, "Pas de titre."@fr ;
    cn:hint "Add a title."@en, "Ajoutez un titre."@fr .
rule:Catalog a sh:NodeShape ; sh:targetClass dcat:Catalog ;
    sh:property [ sh:path dct:title ; sh:minCount 1 ] .
rule:Agent a sh:NodeShape ; sh:targetClass foaf:Agent ;
    sh:property [ sh:path foaf:name ; sh:minCount 1 ; sh:severity sh:Warning ] .
""", encoding="utf-8")
    for level in ("public", "restricted", "non-public"):
        (folder / f"{level}.ttl").write_text(SHAPE_PREFIXES + f"""
rule:{level} a sh:NodeShape ; sh:targetClass dcat:Dataset ;
    sh:property [ sh:path rule:{level} ; sh:minCount 1 ;
                  sh:name "{level} rule"@en, "règle {level}"@fr ] .
""", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def levelled(tmp_path_factory: pytest.TempPathFactory) -> Validator:
    return Validator("lev", shapes_root=write_levelled_profile(tmp_path_factory.mktemp("shapes")))


def level_record(*datasets: tuple[str, str | None], catalog: bool = False,
                 shared_agent: bool = False) -> Graph:
    """Datasets ``(name, level or None)``, titled, without any level rule satisfied."""
    text = PREFIXES
    for name, level in datasets:
        text += f'ex:{name} a dcat:Dataset ; dct:title "{name}"@en'
        if level:
            text += f" ; dct:accessRights <{AR}{level}>"
        if shared_agent:
            text += " ; dct:publisher ex:agency"
        text += " .\n"
    if shared_agent:
        text += "ex:agency a foaf:Agent .\n"
    if catalog:
        text += "ex:cat a dcat:Catalog ; dcat:dataset " + ", ".join(
            f"ex:{name}" for name, _ in datasets) + " .\n"
    return Graph().parse(data=text, format="turtle")


def rules_broken(report: ValidationReport, focus: str) -> set[str]:
    return {r.path.removeprefix(RULE) for r in report.results
            if r.focus == f"https://example.org/cn/{focus}" and r.path.startswith(RULE)}


# -- profile registry ------------------------------------------------------------------------
def test_shipped_profiles_resolve_to_existing_files() -> None:
    profiles = load_profiles()
    dcat_ap = profiles["dcat-ap"]
    assert dcat_ap.version == "3.0.1" and not dcat_ap.levelled and dcat_ap.include is None
    assert [p.relative_to(shapes_dir()).as_posix() for p in dcat_ap.files] == [
        "dcat-ap-3.0.1/classes.ttl", "dcat-ap-3.0.1/ranges.ttl", "dcat-ap-3.0.1/vocabularies.ttl",
        "dcat-ap-3.0.1/recommended.ttl", "dcat-ap-3.0.1/deprecated.ttl"]
    for level in (*LEVELS, None, "BOGUS"):
        assert dcat_ap.files_for(level) == dcat_ap.files  # not levelled: one set for all
    described = dcat_ap.to_json()
    assert described["files"][0] == "dcat-ap-3.0.1/classes.ttl" and described["levels"] == {}
    assert described["description"]["en"] and described["description"]["fr"]
    for profile in profiles.values():
        assert all(path.is_file() for path in profile.all_files())
    with pytest.raises(ConfigError, match="unknown profile"):
        get_profile("no-such-profile")


@needs_r8
def test_healthdcat_ap_is_levelled_and_hdh_includes_it() -> None:
    r8, hdh = get_profile("healthdcat-ap"), get_profile("hdh")
    assert r8.levelled and set(r8.levels) == set(LEVELS)
    for level in LEVELS:
        chosen = r8.files_for(level)
        assert chosen[: len(r8.files)] == r8.files  # common files first, then the level's
        assert set(chosen) == set(r8.files) | set(r8.levels[level])
        others = {p for other in LEVELS if other != level for p in r8.levels[other]}
        assert not (others - set(r8.levels[level])) & set(chosen)  # one level per run
    assert r8.files_for(None) == r8.files_for("NON_PUBLIC") == r8.files_for("BOGUS")
    assert hdh.include == "healthdcat-ap"
    assert hdh.files[: len(r8.files)] == r8.files and hdh.files[-1].name == "hdh.ttl"
    for level in LEVELS:
        assert set(r8.files_for(level)) < set(hdh.files_for(level))


def test_include_resolution_cycles_and_missing_files(tmp_path: Path) -> None:
    def profile(name: str, body: str, *files: str) -> None:
        (tmp_path / name).mkdir()
        (tmp_path / name / "profile.toml").write_text(f'name = "{name}"\n{body}',
                                                      encoding="utf-8")
        for file in files:
            (tmp_path / name / file).write_text("", encoding="utf-8")

    profile("base", 'version = "1"\nfiles = ["base/a.ttl"]\n[levels]\n'
            'PUBLIC = ["base/p.ttl"]\nNON_PUBLIC = ["base/n.ttl"]\n', "a.ttl", "p.ttl", "n.ttl")
    profile("child", 'version = "2"\ninclude = "base"\nfiles = ["child/c.ttl"]\n[levels]\n'
            'PUBLIC = ["child/cp.ttl"]\n', "c.ttl", "cp.ttl")
    profile("grandchild", 'include = "child"\nfiles = ["grandchild/g.ttl"]\n', "g.ttl")
    profile("loop-a", 'include = "loop-b"\nfiles = []\n')
    profile("loop-b", 'include = "loop-a"\nfiles = []\n')
    profile("broken", 'files = ["broken/absent.ttl"]\n')
    profile("orphan", 'include = "nowhere"\nfiles = []\n')

    profiles = load_profiles(tmp_path)
    assert sorted(profiles) == ["base", "child", "grandchild"]  # the broken ones left out
    a, p, n = (tmp_path / "base" / f for f in ("a.ttl", "p.ttl", "n.ttl"))
    c, cp = tmp_path / "child" / "c.ttl", tmp_path / "child" / "cp.ttl"
    child = profiles["child"]
    assert child.include == "base" and child.version == "2"
    assert child.files == (a, c)
    assert child.files_for("PUBLIC") == (a, c, p, cp)
    assert child.files_for("NON_PUBLIC") == (a, c, n)
    assert child.files_for("RESTRICTED") == child.files_for(None) == (a, c, n)  # strictest
    assert child.all_files() == (a, c, p, cp, n)
    grandchild = profiles["grandchild"]
    assert grandchild.files == (a, c, tmp_path / "grandchild" / "g.ttl")
    assert grandchild.files_for("PUBLIC")[-2:] == (p, cp)
    for name in ("loop-a", "broken", "orphan"):
        with pytest.raises(ConfigError, match="unknown profile"):
            get_profile(name, tmp_path)


# -- access levels ---------------------------------------------------------------------------
@pytest.mark.parametrize(("level", "expected"), [
    ("PUBLIC", "PUBLIC"), ("RESTRICTED", "RESTRICTED"), ("NON_PUBLIC", "NON_PUBLIC"),
    (None, "NON_PUBLIC")])
def test_level_comes_from_access_rights(levelled: Validator, level: str | None,
                                        expected: str) -> None:
    report = levelled.validate(level_record(("one", level)))
    assert report.levels == [expected]
    assert rules_broken(report, "one") == {expected.lower().replace("_", "-")}
    assert report.violations == 1 and not report.conforms


def test_two_datasets_at_two_levels_are_judged_per_level(levelled: Validator) -> None:
    graph = level_record(("open", "PUBLIC"), ("closed", "RESTRICTED"), ("untitled", None),
                         catalog=True)
    graph.remove((URIRef("https://example.org/cn/untitled"), None, Literal("untitled",
                                                                          lang="en")))
    report = levelled.validate(graph)
    assert report.levels == ["NON_PUBLIC", "PUBLIC", "RESTRICTED"]
    assert rules_broken(report, "open") == {"public"}
    assert rules_broken(report, "closed") == {"restricted"}
    assert rules_broken(report, "untitled") == {"non-public"}
    # the common rules judge each dataset once, and what belongs to no dataset once
    titles = [r.focus.rsplit("/", 1)[-1] for r in report.results if r.path_label == "dct:title"]
    assert sorted(titles) == ["cat", "untitled"]
    assert report.violations == 5


def test_a_node_shared_by_two_levels_is_reported_once(levelled: Validator) -> None:
    report = levelled.validate(level_record(("open", "PUBLIC"), ("closed", "RESTRICTED"),
                                            shared_agent=True))
    agency = [r for r in report.results if r.focus == "https://example.org/cn/agency"]
    assert len(agency) == 1 and report.warnings == 1


@needs_r8
@pytest.mark.parametrize("slug", PUBLIC_DEMO + NON_PUBLIC_DEMO)
def test_demo_records_conform_at_their_own_level(slug: str) -> None:
    report = Validator("healthdcat-ap").validate(demo_graph(slug))
    assert report.levels == (["PUBLIC"] if slug in PUBLIC_DEMO else ["NON_PUBLIC"])
    assert report.conforms, [(r.focus, r.path, r.component) for r in report.results
                             if r.severity == "violation"]


@needs_r8
def test_restricted_record_is_checked_with_the_restricted_files() -> None:
    validator = Validator("healthdcat-ap")
    report = validator.validate(parse_ttl(as_restricted(demo_text("dcir"))))
    assert report.levels == ["RESTRICTED"]
    allowed = {""} | {
        p.relative_to(shapes_dir()).as_posix() for p in validator.profile.files_for("RESTRICTED")}
    assert {r.shape_file for r in report.results} <= allowed


@needs_r8
def test_file_with_two_levels_gives_each_dataset_its_own_verdict() -> None:
    validator = Validator("healthdcat-ap")
    public, restricted = demo_text("open-medic"), as_restricted(demo_text("dcir"))
    alone = {"open-medic": validator.validate(parse_ttl(public)),
             "dcir": validator.validate(parse_ttl(restricted))}
    both = validator.validate(parse_ttl(public + "\n" + restricted))
    assert both.levels == ["PUBLIC", "RESTRICTED"]
    for slug, report in alone.items():
        dataset = f"{BASE}dataset/{slug}"
        def mine(r: ValidationReport, dataset: str = dataset) -> set[tuple[str, str, str, str]]:
            return {(x.severity, x.path, x.component, x.shape_file) for x in r.results
                    if x.focus == dataset}
        assert mine(both) == mine(report), slug


@needs_r8
def test_official_example_is_non_public_and_conforms() -> None:
    path = official_example()
    graph = read_document(path.read_bytes(), str(path), resolve_syntax(str(path), None))
    report = Validator("healthdcat-ap").validate(graph, source=str(path))
    assert report.levels == ["NON_PUBLIC"]
    assert report.conforms, [(r.focus, r.path, r.component) for r in report.results
                             if r.severity == "violation"]


# -- the report ------------------------------------------------------------------------------
@cache
def broken_report() -> ValidationReport:
    """dcat-ap on a record without its required description and with an untyped language."""
    text = small_record(description=False).replace(f"<{BRE}> a dct:LinguisticSystem .", "")
    return Validator("dcat-ap").validate(parse_ttl(text), source="broken.ttl")


def test_report_is_grouped_by_resource_and_worded_in_fr_and_en() -> None:
    report = broken_report()
    assert not report.conforms and report.levels == [] and report.profile == "dcat-ap"
    groups = report.by_resource()
    assert groups[0][0] == "https://example.org/cn/registry"
    assert len({focus for focus, _, _ in groups}) == len(groups)  # one group per resource
    for focus, _, results in groups:
        assert {r.focus for r in results} == {focus}
        severities = [r.severity for r in results]
        assert severities == sorted(severities, key=["violation", "warning", "info"].index)
    focus, label, results = groups[0]
    assert label == "Test registry"  # the English title names the dataset
    by_path = {r.path_label: r for r in results if r.severity == "violation"}
    assert set(by_path) == {"dct:description", "dct:language"}
    missing = by_path["dct:description"]
    assert missing.component.endswith("MinCountConstraintComponent") and missing.value is None
    assert missing.constraint == {"en": "needs at least 1 value", "fr": "exige au moins 1 valeur"}
    assert missing.property_name["en"] == "description" and missing.property_name["fr"]
    assert "dct:description" in missing.message["en"] and "dct:description" in missing.message[
        "fr"] and missing.message["en"] != missing.message["fr"]
    assert missing.hint["en"] and missing.hint["fr"] and missing.hint["en"] != missing.hint["fr"]
    assert missing.shape_file.startswith("dcat-ap-3.0.1/") and missing.focus_type == "dcat:Dataset"
    untyped = by_path["dct:language"]
    assert untyped.value == BRE and untyped.component.endswith("ClassConstraintComponent")
    assert "LinguisticSystem" in untyped.constraint["en"] and untyped.constraint["fr"]


def test_json_report_shape() -> None:
    report = broken_report()
    body = json.loads(json.dumps(report.to_json()))
    assert set(body) == {"profile", "version", "levels", "conforms", "violations", "warnings",
                         "infos", "source", "by_component", "resources"}
    assert body["source"] == "broken.ttl" and body["conforms"] is False
    assert body["violations"] == report.violations == 2
    assert body["warnings"] == report.warnings > 0
    assert sum(body["by_component"].values()) == len(report.results)
    assert body["by_component"]["MinCountConstraintComponent"] >= 1
    results = [r for resource in body["resources"] for r in resource["results"]]
    assert len(results) == len(report.results)
    for resource in body["resources"]:
        assert set(resource) == {"focus", "label", "results"}
    assert set(results[0]) == {"severity", "focus", "focus_label", "focus_type", "path",
                               "path_label", "component", "constraint", "value", "message",
                               "hint", "property_name", "shape_file", "details"}
    assert {r["severity"] for r in results} <= {"violation", "warning", "info"}


def _top_level(graph: Graph) -> tuple[BNode, set]:
    (root,) = graph.subjects(RDF.type, SH.ValidationReport)
    return root, set(graph.objects(root, SH.result))


@pytest.mark.parametrize("syntax", ["turtle", "json-ld"])
def test_report_graph_round_trips_and_holds_only_top_level_results(syntax: str) -> None:
    validator = Validator("dcat-ap")
    report = validator.validate(parse_ttl(demo_text("open-medic") + (
        "\n<dataset/open-medic> <http://purl.org/dc/terms/accessRights> <rights/none> .\n")))
    text = report.graph.serialize(format=syntax)
    again = Graph().parse(data=text, format=syntax)
    assert isomorphic(again, report.graph) and not report.conforms
    root, results = _top_level(again)
    assert again.value(root, SH.conforms) == Literal(report.conforms)
    assert len(results) == len(report.results)
    assert sorted(str(again.value(r, SH.focusNode)) for r in results) == sorted(
        r.focus for r in report.results)
    # nested results are there only as sh:detail of a top-level one
    nested = set(again.subjects(RDF.type, SH.ValidationResult)) - results
    assert nested and all((None, SH.detail, n) in again for n in nested)
    assert sum(r.details for r in report.results) >= 1


def test_results_on_vocabulary_nodes_are_left_out(official_vocabularies: Path) -> None:
    """The official ADMS and continent schemes lack dct:title; that is not the record's fault."""
    validator = Validator("dcat-ap", official_vocabularies)
    graph = parse_ttl(small_record())
    data = Graph() + graph
    for triple in validator.vocabularies.triples_for(graph):
        data.add(triple)
    raw = run_pyshacl(data, validator.shapes(None))
    foreign = {str(raw.value(r, SH.focusNode)) for r in raw.objects(None, SH.result)} - {
        str(s) for s in graph.subjects()}
    assert "http://purl.org/adms/licencetype/1.0" in foreign
    report = validator.validate(graph)
    assert not foreign & {r.focus for r in report.results}
    _, results = _top_level(report.graph)
    assert not foreign & {str(report.graph.value(r, SH.focusNode)) for r in results}


# -- vocabularies ----------------------------------------------------------------------------
def test_official_tables_change_which_concepts_are_known(official_vocabularies: Path) -> None:
    shipped, official = load_vocabularies(), load_vocabularies(official_vocabularies)
    assert BRE in shipped and BRE not in official  # the official language extract is partial
    assert EUROPE in official and EUROPE not in shipped  # continents are not shipped
    assert len(official.files) > 20 and official.fingerprint != shipped.fingerprint
    graph = parse_ttl(small_record())

    def verdicts(vocabularies: Path | None) -> dict[str, tuple[str, str | None]]:
        report = Validator("dcat-ap", vocabularies).validate(graph)
        return {r.path_label: (r.severity, r.value) for r in report.results
                if r.focus == "https://example.org/cn/registry"
                and r.path_label in ("dct:language", "dct:spatial")}

    assert verdicts(None) == {"dct:spatial": ("warning", EUROPE)}
    assert verdicts(official_vocabularies) == {"dct:language": ("violation", BRE)}
    assert Validator("dcat-ap").fingerprint() != Validator("dcat-ap",
                                                           official_vocabularies).fingerprint()


def test_vocabulary_directory_errors_name_the_place(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such vocabulary directory") as missing:
        load_vocabularies(tmp_path / "absent")
    assert missing.value.place == str(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="no RDF file"):
        load_vocabularies(tmp_path / "empty")
