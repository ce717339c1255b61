"""``catalog-node validate`` and ``profiles`` as a user runs them, and stored validation.

Exit status 0 conforms, 1 violations, 2 unusable input (2 wins over 1); every report format
parses; the stored records are validated once per content (a reload of unchanged data validates
nothing, a changed record is validated again, alone) and the ledger holds what the engine says.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, serialize
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from catalog_node.client import LocalNodeAPI
from catalog_node.ledger import validations as rows
from catalog_node.ledger.schema import _SCHEMA, SCHEMA_VERSION, ensure_schema
from catalog_node.node import Node
from catalog_node.validation.engine import Validator, level_of
from catalog_node.validation.stored import stored_plan
from tests.conftest import BASE, cli
from tests.test_validation_engine import (
    BRE,
    DEMO,
    R8_PROFILE,
    needs_r8,
    parse_ttl,
    small_record,
)

PROFILE = ("--profile", "dcat-ap")  # usable whatever the state of the HealthDCAT-AP files


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One file per kind of input."""
    folder = tmp_path_factory.mktemp("inputs")
    texts = {
        "good.ttl": small_record(),
        "broken.ttl": small_record(description=False),
        "bad-syntax.ttl": '@prefix dcat: <http://www.w3.org/ns/dcat#> .\n'
                          '<https://example.org/a> a dcat:Dataset ;\n'
                          '    <https://example.org/p> "x"\n'
                          '<https://example.org/b> <https://example.org/c> "d" .\n',
        "empty.ttl": "",
        "no-dataset.ttl": '<https://example.org/a> <https://example.org/p> "x" .\n',
    }
    paths = {}
    for name, text in texts.items():
        paths[name.removesuffix(".ttl")] = folder / name
        (folder / name).write_text(text, encoding="utf-8")
    broken = parse_ttl(small_record(description=False))
    paths["broken-nt"] = folder / "broken.data"
    paths["broken-nt"].write_text(broken.serialize(format="nt"), encoding="utf-8")
    return paths


def status(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    done = cli("validate", *args, stdin=stdin)
    return done.returncode, done.stdout, done.stderr


# -- exit status ---------------------------------------------------------------------------
def test_conforming_violating_and_unusable_files(files: dict[str, Path]) -> None:
    code, out, _ = status(*PROFILE, "--format", "json", str(files["good"]))
    assert code == 0 and json.loads(out)["conforms"] is True
    code, out, err = status(*PROFILE, str(files["bad-syntax"]))
    assert code == 2 and f"{files['bad-syntax']}:4:1: syntax error" in err
    assert "nothing was validated" in err and out.strip() == ""
    code, out, err = status(*PROFILE, str(files["broken"]), str(files["bad-syntax"]),
                            str(files["good"]), str(files["empty"]), str(files["no-dataset"]),
                            str(files["good"].with_name("absent.ttl")))
    assert code == 2  # unusable input wins over violations
    assert f"{files['bad-syntax']}:4:1" in err
    assert f"{files['empty']}: the document holds no RDF statement" in err
    assert f"{files['no-dataset']}: the document describes no dcat:Dataset" in err
    assert f"{files['good'].with_name('absent.ttl')}: no such file" in err
    # the usable files are still reported
    assert f"{files['broken']}: does not conform" in out and f"{files['good']}: conforms" in out
    assert "empty.ttl" not in out


def test_stdin_needs_and_uses_input_format(files: dict[str, Path]) -> None:
    data = files["broken-nt"].read_bytes()
    # `-` is stdin; a file name that says nothing about its syntax takes --input-format too
    code, out, _ = status(*PROFILE, "--input-format", "ntriples", "-", str(files["broken-nt"]),
                          stdin=data)
    assert code == 1 and "-: does not conform" in out
    assert f"{files['broken-nt']}: does not conform" in out
    code, out, err = status(*PROFILE, "-", str(files["good"]), stdin=data)
    assert code == 2 and "-: reading stdin needs --input-format" in err
    assert f"{files['good']}: conforms" in out
    code, _, err = status(*PROFILE, "--input-format", "turtle", "-",
                          stdin=files["bad-syntax"].read_bytes())
    assert code == 2 and "-:4:1" in err


# -- formats -------------------------------------------------------------------------------
def test_json_format(files: dict[str, Path]) -> None:
    code, out, _ = status(*PROFILE, "--format", "json", str(files["good"]), str(files["broken"]))
    good, broken = json.loads(out)
    assert code == 1 and good["conforms"] is True and broken["conforms"] is False
    assert broken["violations"] == 1 and broken["profile"] == "dcat-ap"
    assert broken["source"] == str(files["broken"]) and good["source"] == str(files["good"])
    (result,) = [r for res in broken["resources"] for r in res["results"]
                 if r["severity"] == "violation"]
    assert result["path_label"] == "dct:description" and result["message"]["fr"]
    assert result["focus"] == "https://example.org/cn/registry" and result["hint"]["en"]


@pytest.mark.parametrize(("fmt", "syntax"), [("turtle", "turtle"), ("jsonld", "json-ld")])
def test_rdf_formats_hold_a_shacl_report(files: dict[str, Path], fmt: str, syntax: str) -> None:
    code, out, _ = status(*PROFILE, "--format", fmt, str(files["broken"]))
    graph = Graph().parse(data=out, format=syntax)
    (root,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert code == 1 and graph.value(root, SH.conforms).toPython() is False
    violations = [r for r in graph.objects(root, SH.result)
                  if (r, SH.resultSeverity, SH.Violation) in graph]
    assert len(violations) == 1
    assert str(graph.value(violations[0], SH.resultPath)) == "http://purl.org/dc/terms/description"


def test_text_report_in_french_and_english(files: dict[str, Path]) -> None:
    code, english, _ = status(*PROFILE, str(files["good"]), str(files["broken"]))
    assert code == 1
    assert f"{files['good']}: conforms" in english
    assert f"{files['broken']}: does not conform · profile dcat-ap 3.0.1" in english
    assert "violation dct:description (description): needs at least 1 value" in english
    assert "fix: " in english and "warning" in english and "exige" not in english
    code, french, _ = status(*PROFILE, "--lang", "fr", str(files["broken"]))
    assert code == 1
    assert f"{files['broken']}: non conforme · profil dcat-ap 3.0.1" in french
    assert "violation dct:description (description): exige au moins 1 valeur" in french
    assert "Le jeu de données n'a aucune valeur pour « description »" in french
    assert "correction: " in french and "avertissement" in french
    assert "Test registry" in french  # the resource is named by its label
    assert "needs at least" not in french


# -- vocabularies and profiles ---------------------------------------------------------------
def test_vocabularies_option(files: dict[str, Path], tmp_path: Path) -> None:
    # the shipped tables know Breton (the conforming file above is in Breton)
    official = tmp_path / "vocabularies"
    official.mkdir()
    (official / "language.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<http://publications.europa.eu/resource/authority/language/FRA> skos:inScheme "
        "<http://publications.europa.eu/resource/authority/language> .\n", encoding="utf-8")
    code, out, _ = status(*PROFILE, "--vocabularies", str(official), str(files["good"]))
    assert code == 1 and BRE in out  # a table without Breton
    code, _, err = status(*PROFILE, "--vocabularies", str(tmp_path / "absent"),
                          str(files["good"]))
    assert code == 2 and "no such vocabulary directory" in err


def test_profiles_command() -> None:
    done = cli("profiles")
    assert done.returncode == 0
    assert "dcat-ap  DCAT-AP 3.0.1" in done.stdout
    assert "dcat-ap-3.0.1/classes.ttl" in done.stdout
    listed = json.loads(cli("profiles", "--json").stdout)
    by_name = {p["name"]: p for p in listed}
    assert by_name["dcat-ap"]["version"] == "3.0.1"
    assert by_name["dcat-ap"]["files"][-1] == "dcat-ap-3.0.1/deprecated.ttl"
    if R8_PROFILE.is_file():
        assert set(by_name) >= {"dcat-ap", "healthdcat-ap", "hdh"}
        assert "(includes healthdcat-ap)" in done.stdout
        for level in ("PUBLIC", "RESTRICTED", "NON_PUBLIC"):
            assert f"[{level}] " in done.stdout
        assert by_name["hdh"]["files"][-1] == "hdh/hdh.ttl"


@needs_r8
def test_default_profile_picks_the_level(files: dict[str, Path]) -> None:
    code, out, _ = status(str(DEMO / "open-medic.ttl"), str(DEMO / "dcir.ttl"),
                          "--format", "json")
    reports = json.loads(out)
    assert code == 0, out
    assert [(r["profile"], r["levels"]) for r in reports] == [
        ("healthdcat-ap", ["PUBLIC"]), ("healthdcat-ap", ["NON_PUBLIC"])]


# -- stored validation ---------------------------------------------------------------------
def ledger_rows(data_dir: Path) -> dict[tuple[str, str], tuple]:
    with sqlite3.connect(data_dir / "ledger.sqlite") as db:
        return {(iri, profile): rest for iri, profile, *rest in db.execute(
            "SELECT record_iri, profile, hash, fingerprint, level, conforms, violations, "
            "warnings, infos, validated_at FROM validations")}


def stored_profiles() -> tuple[str, ...]:
    return stored_plan().profiles


stored_ready = pytest.mark.skipif(
    not R8_PROFILE.is_file() and not os.environ.get("CATALOG_NODE_VALIDATION_PROFILES"),
    reason="shapes/healthdcat-ap-r8/profile.toml not written yet")


@stored_ready
def test_stored_validation_once_per_content(data_dir: Path, tmp_path: Path) -> None:
    profiles = stored_profiles()
    if not os.environ.get("CATALOG_NODE_VALIDATION_PROFILES"):
        assert profiles == ("healthdcat-ap", "hdh")
    loaded = cli("load", "--demo", "--no-validate", data_dir=data_dir)
    assert loaded.returncode == 0 and "created 43" in loaded.stdout
    assert "validated" not in loaded.stdout and ledger_rows(data_dir) == {}

    summary = cli("validate", "--stored", "--format", "json", data_dir=data_dir)
    assert summary.returncode == 0, summary.stderr
    figures = {s["profile"]: s for s in json.loads(summary.stdout)}
    assert list(figures) == list(profiles)
    for profile, s in figures.items():
        assert s["records"] == s["validated"] == 43 and s["pending"] == 0, profile
        assert sum(p["records"] for p in s["publishers"]) == 43
        assert sum(p["violations"] for p in s["publishers"]) == s["violations"]
        assert sum(p["conforming"] for p in s["publishers"]) == s["conforming"]
        by_name = {p["publisher"]: p for p in s["publishers"]}
        assert by_name["French National Health Insurance Fund (CNAM)"]["records"] == 9
    before = ledger_rows(data_dir)
    assert len(before) == 43 * len(profiles)

    # a reload of unchanged data validates nothing
    with Node.open(data_dir) as node:
        again = LocalNodeAPI(node).load([], "demo", None, True, lambda *a: None)
    assert again["unchanged"] == 43 and again["validated"] == 0
    assert ledger_rows(data_dir) == before

    # one record changed: that record, and only it, is validated again
    changed = tmp_path / "open-medic.ttl"
    changed.write_text((DEMO / "open-medic.ttl").read_text(encoding="utf-8").replace(
        '"Open Medic: inter-scheme drug expenditure"@en',
        '"Open Medic: drug expenditure across schemes"@en'), encoding="utf-8")
    reloaded = cli("load", "--catalog", "demo", str(changed), data_dir=data_dir)
    assert reloaded.returncode == 0, reloaded.stderr
    assert "updated 1" in reloaded.stdout and "validated 1" in reloaded.stdout
    after = ledger_rows(data_dir)
    differing = {key for key in after if after[key] != before.get(key)}
    (iri,) = {key[0] for key in differing}
    assert "/record/demo/open-medic" in iri and len(differing) == len(profiles)
    assert all(after[key][0] != before[key][0] for key in differing)  # the new hash

    text = cli("validate", "--stored", data_dir=data_dir)
    assert text.returncode == 0
    for profile in profiles:
        assert re.search(rf"^{re.escape(profile)}: 43 records · validated 43 · .* pending 0$",
                         text.stdout, re.MULTILINE), text.stdout
    assert "French National Health Insurance Fund (CNAM)" in text.stdout
    assert_ledger_matches_engine(data_dir, profiles)


def assert_ledger_matches_engine(data_dir: Path, profiles: tuple[str, ...]) -> None:
    """The ledger rows of a few records equal an in-process run on the stored graph."""
    with Node.open(data_dir) as node:
        iris = {row.dataset_iri.rsplit("/", 1)[-1]: row.record_iri
                for row in node.ledger.listing(catalog="demo", limit=100)}
        for slug in ("open-medic", "dcir", "constances"):
            iri = iris[slug]
            graph = Graph().parse(data=serialize(
                [q.triple for q in node.store.graph_quads(iri)],
                format=RdfFormat.N_TRIPLES).decode(), format="nt")
            dataset = URIRef(f"{BASE}dataset/{slug}")
            assert (dataset, RDF.type, None) in graph
            for profile in profiles:
                stored = rows.get(node.ledger, iri, profile)
                validator = Validator(profile)
                fresh = validator.validate(graph, source=iri)
                assert stored is not None and stored.hash == node.ledger.get(iri).hash
                assert (stored.conforms, stored.violations, stored.warnings, stored.infos) == (
                    fresh.conforms, fresh.violations, fresh.warnings, fresh.infos), (slug,
                                                                                     profile)
                if validator.profile.levelled:
                    assert stored.level == level_of(graph, dataset)
                verdicts = {(r["severity"], r["focus"], r["path"], r["component"])
                            for res in stored.report["resources"] for r in res["results"]}
                assert verdicts == {(r.severity, r.focus, r.path, r.component)
                                    for r in fresh.results}
            summary = json.loads(node.ledger.get(iri).validation)
            assert set(summary) >= set(profiles) | {"quality"}


def test_ledger_v1_is_migrated_to_current(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    with db:
        db.executescript(_SCHEMA)
        db.execute("PRAGMA user_version = 1")
        db.execute("INSERT INTO records (record_iri, dataset_iri, source, catalog, status, "
                   "issued, modified, hash) VALUES ('r', 'd', 's', 'c', 'published', 'i', 'm', "
                   "'h')")
    ensure_schema(db, str(path))
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"validations", "quality", "records", "sources", "runs", "run_undo"} <= tables
    assert db.execute("SELECT count(*) FROM records").fetchone()[0] == 1
    assert db.execute("SELECT validation FROM records").fetchone()[0] == "{}"
    ensure_schema(db, str(path))  # a current ledger is left as it is
    db.close()
