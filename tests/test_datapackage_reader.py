"""Frictionless data dictionaries: the whole SNDS schema folder, and real data packages.

Counts are taken from the JSON files themselves, independently of the reader, and compared
with what the reader and the harvester produce.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Graph

from catalog_node.describe.model import DatasetDescription
from catalog_node.errors import InputError
from catalog_node.validation.engine import Validator
from harvesters.base import HarvestContext, SourceConfig
from harvesters.datapackage import DatapackageHarvester, read_source

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SNDS = SHARED / "corpus" / "schema-snds"
FRICTIONLESS = SHARED / "corpus" / "frictionless-health"
DEMO = ROOT / "catalog_node" / "demo"
EXAMPLE = ROOT / "harvesters" / "examples" / "registre-template.xlsx"
COLUMN = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/csvw#Column>"


@pytest.fixture(scope="module")
def snds() -> Path:
    if not (SNDS / "schemas").is_dir():
        pytest.skip("../shared/corpus/schema-snds not present")
    return SNDS


@pytest.fixture(scope="module")
def snds_read(snds: Path) -> dict[str, DatasetDescription]:
    return {d.identifier: d for d in read_source(snds)}


def _source(path: Path, **options: str) -> SourceConfig:
    return SourceConfig(name="dict", url=str(path), type="datapackage", catalog="dict",
                        options=options)


def _schemas(snds: Path) -> dict[str, dict[str, list[str]]]:
    """product → table → field names, straight from the JSON files."""
    out: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for path in sorted((snds / "schemas").rglob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        out[schema["produit"]][schema["name"]] = [f["name"] for f in schema["fields"]]
    return out


def _table(descriptions: dict[str, DatasetDescription], identifier: str, name: str):
    dictionary = descriptions[identifier].dictionary
    assert dictionary is not None
    return next(t for t in dictionary.tables if t.name == name)


def _variable(descriptions, identifier: str, table: str, name: str):
    return next(v for v in _table(descriptions, identifier, table).variables if v.name == name)


def test_every_snds_table_and_variable_is_read(snds, snds_read):
    expected = _schemas(snds)
    assert sum(len(t) for t in expected.values()) == 186
    assert sum(len(f) for t in expected.values() for f in t.values()) == 4754
    assert len(snds_read) == len(expected) == 11
    by_product = {d.titles["fr"].split(" : ")[0]: d for d in snds_read.values()}
    assert set(by_product) == set(expected)
    for product, tables in expected.items():
        dictionary = by_product[product].dictionary
        assert dictionary is not None
        assert {t.name: [v.name for v in t.variables] for t in dictionary.tables} == tables


def test_products_get_the_demo_catalogues_identifiers(snds_read):
    demo = {m.group(1) for path in DEMO.glob("*.ttl")
            for m in re.finditer(r'dct:identifier "([^"]+)"', path.read_text(encoding="utf-8"))}
    mapping = {d.titles["fr"].split(" : ")[0]: d.identifier for d in snds_read.values()}
    assert mapping == {
        "PMSI MCO": "pmsi-mco", "PMSI HAD": "pmsi-had", "PMSI SSR": "pmsi-ssr",
        "PMSI RIM-P": "rim-p", "DCIR": "dcir", "EGB": "egb",
        "CARTOGRAPHIE_PATHOLOGIES": "cartographie-pathologies",
        "BENEFICIAIRE": "snds-base-principale", "DAMIR": "damir", "DCIRS": "dcirs",
        "DCIR_DCIRS": "dcir-dcirs"}
    # every product the demo catalogue describes is matched; the others are not in it
    assert {i for i in mapping.values() if i in demo} == set(mapping.values()) - {
        "damir", "dcirs", "dcir-dcirs"}
    assert [d.identifier for d in read_source(SNDS)] == sorted(mapping.values())


def test_variable_labels_types_and_constraints(snds, snds_read):
    age = _variable(snds_read, "pmsi-mco", "T_MCOaaB", "AGE_ANN")
    assert age.titles == {"fr": "Age en années"} and age.datatype == "integer"
    assert age.source_type == "integer" and not age.coded
    assert _variable(snds_read, "pmsi-mco", "T_MCOaaB", "BDI_COD").datatype == "string"
    sex = _variable(snds_read, "pmsi-mco", "T_MCOaaB", "COD_SEX")
    assert sex.coded and [v.code for v in sex.allowed_values] == ["1", "2", "7", "8", "9"]
    births = _variable(snds_read, "snds-base-principale", "IR_BEN_R", "BEN_NAI_ANN")
    assert births.datatype == "gYear"
    assert births.titles["fr"] == "Année de naissance du bénéficiaire"
    assert _variable(snds_read, "snds-base-principale", "IR_BEN_R", "BEN_DCD_DTE").datatype \
        == "date"
    kinds = {v.datatype for d in snds_read.values() for t in d.dictionary.tables
             for v in t.variables}
    assert kinds == {"string", "integer", "decimal", "date", "dateTime", "boolean", "gYear",
                     "gYearMonth"}
    raw = json.loads((snds / "schemas" / "PMSI" / "PMSI MCO" / "T_MCOaaB.json").read_text(
        encoding="utf-8"))
    stays = _table(snds_read, "pmsi-mco", "T_MCOaaB")
    assert stays.titles == {"fr": raw["title"]} and stays.primary_key == raw["primaryKey"]
    assert len(stays.variables) == len(raw["fields"]) == 94


def test_texts_read_as_windows_1252_are_mended(snds, snds_read):
    raw = (snds / "schemas" / "DAMIR" / "MA_REM_FT.json").read_text(encoding="utf-8")
    assert "\x92" in raw
    texts = [text for t in snds_read["damir"].dictionary.tables for v in t.variables
             for text in (*v.titles.values(), *v.descriptions.values())]
    assert not any(re.search("[\x80-\x9f]", text) for text in texts)
    assert any("\u2019" in text for text in texts)


def test_a_short_code_list_comes_with_its_values(snds, snds_read):
    sex = _variable(snds_read, "snds-base-principale", "IR_BEN_R", "BEN_SEX_COD")
    assert sex.coded and sex.code_list is not None and sex.code_list.name == "IR_SEX_V"
    assert sex.code_list.titles == {"fr": "Sexe"}
    with (snds / "nomenclatures" / "ORAVAL" / "IR_SEX_V.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert {v.code: v.labels["fr"] for v in sex.code_list.values} == {
        r["SEX_COD"]: r["SEX_LIB"] for r in rows}
    assert sex.code_list.values[0].labels == {"fr": "MASCULIN"}
    # 8,161 CCAM codes: the list is named, its values are not listed
    ccam = _variable(snds_read, "pmsi-mco", "T_MCOaaA", "CDC_ACT").code_list
    assert ccam is not None and ccam.name == "IR_CCAM_V63" and ccam.values == []


def test_foreign_keys_within_a_product_are_kept(snds_read):
    prestations = _table(snds_read, "dcir", "ER_PRS_F")
    assert len(prestations.primary_key) == 9
    targets = {k.table for t in snds_read["dcir"].dictionary.tables for k in t.foreign_keys}
    assert targets and targets <= {t.name for t in snds_read["dcir"].dictionary.tables}
    assert any("IR_BEN_R" in note for note in snds_read["dcir"].notes)


def test_harvested_pages_hold_every_column(snds):
    source = _source(snds)
    context = HarvestContext(source)
    seen: list[tuple[str, int, int | None]] = []
    context.progress = lambda stage, done, total: seen.append((stage, done, total))
    pages = list(DatapackageHarvester(source).pages(context))
    assert len(pages) == 11 and not context.errors and context.complete
    assert seen[0] == ("datasets", 0, 11) and seen[-1] == ("datasets", 11, 11)
    columns = sum(line.count(COLUMN) for p in pages for line in p.data.decode().split("\n"))
    assert columns == 4754
    for page in pages:  # strict N-Triples, every line one triple
        assert len(list(parse(page.data, format=RdfFormat.N_TRIPLES))) \
            == page.data.count(b"\n"), page.url
    mco = next(p for p in pages if p.url.endswith("#pmsi-mco"))
    assert mco.input_format == "ntriples"
    assert b'"Age en ann\\u00E9es"@fr' in mco.data or '"Age en années"@fr'.encode() in mco.data
    again = list(DatapackageHarvester(source).pages(HarvestContext(source)))
    # the same triples again; blank nodes (foreign keys) aside, the same bytes
    assert [_named(p.data) for p in again] == [_named(p.data) for p in pages]
    assert [p.data.count(b"\n") for p in again] == [p.data.count(b"\n") for p in pages]


def _named(data: bytes) -> list[bytes]:
    return [line for line in data.splitlines() if b"_:" not in line]


def test_a_single_schema_file(snds):
    [only] = read_source(snds / "schemas" / "PMSI" / "PMSI MCO" / "T_MCOaaB.json")
    assert only.identifier == "pmsi-mco"
    assert [t.name for t in only.dictionary.tables] == ["T_MCOaaB"]


def test_a_broken_json_file_is_named(snds, tmp_path):
    folder = tmp_path / "dico"
    shutil.copytree(snds / "schemas" / "EGB", folder / "schemas" / "EGB")
    shutil.copytree(snds / "schemas" / "DAMIR", folder / "schemas" / "DAMIR")
    broken = folder / "schemas" / "EGB" / "EB_PRS_F.json"
    broken.write_text(broken.read_text(encoding="utf-8")[:300], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_source(folder)
    assert str(broken) in str(caught.value) and "not valid JSON" in str(caught.value)
    assert caught.value.line is not None
    # harvested, the broken file is reported and the rest goes on, withdrawing nothing
    context = HarvestContext(_source(folder))
    pages = list(DatapackageHarvester(_source(folder)).pages(context))
    assert [p.url.rsplit("#", 1)[1] for p in pages] == ["damir", "egb"]
    assert len(context.errors) == 1 and str(broken) in str(context.errors[0])
    assert not context.complete


def test_an_unknown_type_names_the_file_and_the_field(tmp_path):
    schema = tmp_path / "t.json"
    schema.write_text(json.dumps({"name": "t", "fields": [
        {"name": "a", "type": "string"}, {"name": "b", "type": "texte"}]}))
    with pytest.raises(InputError) as caught:
        read_source(schema)
    assert str(schema) in str(caught.value) and "'b'" in str(caught.value)
    assert "texte" in str(caught.value)


@pytest.fixture
def frictionless() -> Path:
    if not FRICTIONLESS.is_dir():
        pytest.skip("../shared/corpus/frictionless-health not present")
    return FRICTIONLESS


def test_a_data_package_with_an_inline_schema(frictionless):
    package = frictionless / "ct-alcohol-induced-deaths"
    raw = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    [description] = read_source(package)
    assert description.key == description.identifier == raw["name"]
    assert description.titles == {"": raw["title"]}
    assert description.descriptions == {"": raw["description"]}
    [resource] = raw["resources"]
    [table] = description.dictionary.tables
    assert [v.name for v in table.variables] == [f["name"] for f in resource["schema"]["fields"]]
    for field, variable in zip(resource["schema"]["fields"], table.variables, strict=True):
        enum = field.get("constraints", {}).get("enum")
        assert [v.code for v in variable.allowed_values] == (enum or [])
        assert variable.datatype == {"string": "string", "number": "decimal"}[field["type"]]
    assert table.url is None  # a local path is not published as it stands
    [same] = read_source(package / "datapackage.json", base_url="https://data.example/ct/")
    assert same.dictionary.tables[0].url == "https://data.example/ct/" + resource["path"]


def test_a_data_package_with_a_schema_file(frictionless):
    package = frictionless / "mg-indicadores-hospitalares"
    schema = json.loads((package / "schema.json").read_text(encoding="utf-8"))
    [description] = read_source(package, language="pt")
    tables = description.dictionary.tables
    assert [t.name for t in tables] == ["indicadores-hospitalares-2021-09",
                                        "indicadores-hospitalares-2021-10"]
    assert tables[0].titles == {"pt": "indicadores hospitalares de setembro"}
    for table in tables:
        assert [v.name for v in table.variables] == [f["name"] for f in schema["fields"]]
    hospital = tables[0].variables[0]
    assert hospital.titles == {"pt": "Hospital"}
    assert hospital.descriptions == {"pt": "sigla da unidade hospitalar"}
    assert '"indicadores hospitalares"@pt' in description.metadata
    assert "<https://github.com/fhemig>" in description.metadata


def test_a_package_with_the_producers_metadata_passes_healthdcat_ap(frictionless):
    source = _source(frictionless / "ct-alcohol-induced-deaths", metadata=str(EXAMPLE))
    [page] = DatapackageHarvester(source).pages(HarvestContext(source))
    graph = Graph()
    graph.parse(data=page.data.decode("utf-8"), format="nt")
    report = Validator("healthdcat-ap").validate(graph, source="test")
    assert report.violations == 0, [r.to_json() for r in report.results][:5]
