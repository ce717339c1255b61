"""Data dictionaries harvested through the node: the SNDS dictionary, and the template.

The SNDS dictionary (``../shared/corpus/schema-snds``) is harvested whole beside the demo
catalogue: every table and variable of its JSON files is in a record, and the demo's dataset
pages show the tables of the dictionary linked to them by identifier. The shipped filled
template goes template → record → export, and the export holds the sheet's values.
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import RdfFormat, parse

from catalog_node.node import Node
from catalog_node.rdf.formats import syntax_named
from catalog_node.web.app import create_app
from harvesters.base import SourceConfig
from tests.conftest import ROOT, shared_path

CSVW = "http://www.w3.org/ns/csvw#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
EXAMPLE = ROOT / "harvesters" / "examples" / "registre-template.xlsx"


def _snds() -> Path:
    folder = shared_path() / "corpus" / "schema-snds"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    return folder


def _schema_counts(folder: Path) -> tuple[set[str], int, dict[str, set[str]]]:
    """Table names, variable count and product → table names, read from the JSON files."""
    names: set[str] = set()
    variables = 0
    products: dict[str, set[str]] = {}
    for path in sorted((folder / "schemas").rglob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        names.add(schema["name"])
        variables += len(schema["fields"])
        products.setdefault(schema.get("produit", ""), set()).add(schema["name"])
    return names, variables, products


def _quads_of(node: Node, source: str) -> list:
    quads = []
    for (record,) in node.ledger.read("SELECT record_iri FROM records WHERE source = ? AND "
                                      "status = 'published'", (source,)):
        quads.extend(node.store.graph_quads(record))
    return quads


@pytest.fixture(scope="module")
def snds_node(tmp_path_factory) -> Node:
    from catalog_node.settings import init_data_dir
    from tests.conftest import BASE

    folder = _snds()
    directory = tmp_path_factory.mktemp("snds") / "data"
    init_data_dir(directory, BASE)
    node = Node.open(directory)
    node.prepare()
    node.load_demo()
    node.add_source(SourceConfig(name="snds", url=str(folder), type="datapackage",
                                 catalog="snds"))
    report = node.harvest("snds")
    assert report["committed"] and report["errors"] == [], report["errors"]
    node.report = report  # type: ignore[attr-defined]
    yield node
    node.close()


def test_every_snds_table_and_variable_is_harvested(snds_node: Node) -> None:
    names, variables, products = _schema_counts(_snds())
    assert (len(names), variables) == (186, 4754)
    quads = _quads_of(snds_node, "snds")
    tables = {q.subject for q in quads if q.predicate.value == RDF_TYPE
              and q.object.value == CSVW + "Table"}
    columns = {q.subject for q in quads if q.predicate.value == RDF_TYPE
               and q.object.value == CSVW + "Column"}
    table_names = {q.object.value for q in quads if q.subject in tables
                   and q.predicate.value == CSVW + "name"}
    assert table_names == names
    assert len(columns) == variables
    assert snds_node.report["created"] == len([p for p in products if p])  # one per product


def test_snds_dictionaries_are_linked_to_the_demo_datasets(snds_node: Node) -> None:
    _, _, products = _schema_counts(_snds())
    rows = snds_node.ledger.read("SELECT record_iri, dataset_iri FROM records WHERE source = "
                                 "'snds' AND status = 'published'")
    linked = 0
    for record, _ in rows:
        for other, _ in snds_node.linked_records(record):
            assert snds_node.ledger.get(other).source != "snds"
            linked += 1
    assert linked >= 5, "the SNDS products in the demo (PMSI, DCIR, EGB…) are linked"
    [(pmsi,)] = snds_node.ledger.read("SELECT dataset_iri FROM records WHERE source = 'demo' "
                                      "AND dataset_iri LIKE '%/pmsi-mco'")
    client = TestClient(create_app(snds_node), base_url="http://127.0.0.1:8000")
    page = client.get(pmsi.removeprefix("http://127.0.0.1:8000"), headers={"Accept": "text/html"})
    assert page.status_code == 200
    mco_tables = set().union(*(t for p, t in products.items() if "MCO" in p.upper()))
    assert mco_tables, products.keys()
    shown = [name for name in mco_tables if name in page.text]
    assert len(shown) == len(mco_tables), sorted(mco_tables - set(shown))[:5]


def test_a_second_snds_harvest_rewrites_nothing(snds_node: Node) -> None:
    again = snds_node.harvest("snds")
    assert (again["created"], again["updated"]) == (0, 0)
    assert again["pages_unchanged"] == again["pages"]  # the same bytes: nothing parsed
    assert again["unchanged"] == snds_node.report["created"]


def test_the_filled_template_round_trips_through_export(node: Node) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(EXAMPLE, read_only=True, data_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    node.add_source(SourceConfig(name="registre", url=str(EXAMPLE), type="template",
                                 catalog="registre"))
    report = node.harvest("registre")
    assert report["committed"] and report["created"] == 1, report["errors"]
    out = BytesIO()
    node.export(syntax_named("turtle"), out)
    triples = list(parse(out.getvalue(), format=RdfFormat.TURTLE))
    literals = {t.object.value for t in triples}
    dataset = _cells_by_key(sheets)
    for keys in (("identifier", "identifiant"), ("title_fr", "titre_fr"),
                 ("title_en", "titre_en"), ("description_fr",)):
        value = next((v for k, v in dataset.items() if k in keys), None)
        assert value and value in literals, (keys, value)
    header, *tables = _data_rows(sheets, "tables")
    rows_at = _column(header, ("rows", "lignes"))
    counts = {t.object.value for t in triples
              if t.predicate.value == "http://www.w3.org/ns/dqv#value"}
    for table in tables:
        assert table[0] in literals and str(table[rows_at]) in counts, table
    header, *rows = _data_rows(sheets, "variables")
    name_at = _column(header, ("name", "variable"))
    table_at = _column(header, ("table",))
    names = {(r[table_at], r[name_at]) for r in rows if r[name_at]}
    assert names
    columns = {t.object.value for t in triples if t.predicate.value == CSVW + "name"}
    assert {n for _, n in names} <= columns
    notations = {t.object.value for t in triples if t.predicate.value == SKOS + "notation"}
    allowed_at = _column(header, ("allowed_values", "valeurs_autorisees"))
    title_at = _column(header, ("title_fr", "titre_fr"))
    assert all(row[title_at] in literals for row in rows)
    checked = 0
    for row in rows:
        for part in str(row[allowed_at] or "").split(";"):
            if "=" in part:
                code, labels = (x.strip() for x in part.split("=", 1))
                assert code in notations, part
                assert all(label.strip() in literals for label in labels.split("|")), part
                checked += 1
    assert checked >= 5


def _cells_by_key(sheets: dict[str, list[list]]) -> dict[str, str]:
    """The dataset sheet as key → value (its first two columns), whatever its name."""
    sheet = sheets.get("dataset") or sheets.get("jeu_de_donnees")
    assert sheet, sheets.keys()
    return {str(r[0]).strip(): str(r[1]).strip() for r in sheet if r and r[0] and r[1]}


def _data_rows(sheets: dict[str, list[list]], name: str) -> list[list]:
    """A sheet's header row, then its rows (guidance rows starting with '#' dropped)."""
    header, *rows = sheets[name]
    return [header, *[r for r in rows if r and r[0] and not str(r[0]).startswith("#")]]


def _column(header: list, names: tuple[str, ...]) -> int:
    for index, cell in enumerate(header):
        if str(cell).strip().lower() in names:
            return index
    raise AssertionError(f"none of {names} in {header}")
