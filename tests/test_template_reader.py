"""The producer's template: shipped files, the fictional registry's record, errors, CSV form.

The example's cells are read here with openpyxl directly, not through the reader, and each
one is looked for in the record the harvester builds.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from catalog_node.describe.metadata import read_metadata
from catalog_node.errors import InputError
from catalog_node.namespaces import CSVW, DCT, DQV, FOAF, HEALTHDCATAP, SKOS
from catalog_node.validation.engine import Validator
from harvesters.base import HarvestContext, SourceConfig
from harvesters.template import TemplateHarvester, template_description
from harvesters.template_dataset import metadata_from_template
from harvesters.template_fields import (
    DATASET_COLUMNS,
    DATASET_FIELDS,
    TABLE_COLUMNS,
    VARIABLE_COLUMNS,
)
from harvesters.template_files import (
    blank_sheets,
    example_sheets,
    shipped,
    workbook_cells,
    write_csv_folder,
    write_xlsx,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "harvesters" / "examples" / "registre-template.xlsx"
EXAMPLE_CSV = ROOT / "harvesters" / "examples" / "registre-template-csv"
BLANK = ROOT / "harvesters" / "templates" / "catalog-node-template.xlsx"
CND = "https://w3id.org/catalog-node/dictionary#"


def _page(path: Path, name: str = "rac", **options: str) -> bytes:
    source = SourceConfig(name=name, url=str(path), type="template", catalog=name,
                          options=options)
    [page] = TemplateHarvester(source).pages(HarvestContext(source))
    assert page.data is not None and page.input_format == "ntriples"
    return page.data


def _graph(data: bytes) -> Graph:
    graph = Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


@pytest.fixture(scope="module")
def record() -> Graph:
    return _graph(_page(EXAMPLE))


def _cells(sheet) -> list[list[str]]:
    """A sheet's rows as text, comment rows (first cell ``#…``) and empty rows left out."""
    rows = []
    for values in sheet.iter_rows(values_only=True):
        row = ["" if v is None else str(v).strip() for v in values]
        if any(row) and not row[0].startswith("#"):
            rows.append(row)
    return rows


@pytest.fixture(scope="module")
def example_cells() -> dict[str, list[dict[str, str]]]:
    """Each sheet of the example as dicts keyed by its (French) header."""
    book = load_workbook(EXAMPLE, read_only=True)
    out = {}
    for sheet in book.worksheets:
        header, *rows = _cells(sheet)
        out[sheet.title] = [dict(zip(header, row, strict=False)) for row in rows]
    book.close()
    return out


# -- the shipped files ---------------------------------------------------------------------

def test_shipped_files_are_what_the_script_writes(tmp_path):
    for path, kind, sheets, language in shipped():
        fresh = tmp_path / path.name
        if kind == "xlsx":
            write_xlsx(fresh, sheets, language)
            assert workbook_cells(path) == workbook_cells(fresh), path
        else:
            write_csv_folder(fresh, sheets, language)
            names = sorted(p.name for p in fresh.iterdir())
            assert sorted(p.name for p in path.iterdir()) == names, path
            for name in names:
                assert (path / name).read_bytes() == (fresh / name).read_bytes(), path / name


def test_the_blank_template_has_its_sheets_headers_and_guidance():
    cells = workbook_cells(BLANK)
    assert list(cells) == ["dataset", "tables", "variables"]
    assert cells["dataset"][0] == [c.key for c in DATASET_COLUMNS]
    fields = [row[0] for row in cells["dataset"][1:] if not str(row[0]).startswith("#")]
    assert fields == [f.key for f in DATASET_FIELDS]
    for name, columns in (("tables", TABLE_COLUMNS), ("variables", VARIABLE_COLUMNS)):
        header, guidance = cells[name]
        assert header == [c.key for c in columns]
        assert guidance[0].startswith("# FR : ") and all("\nEN: " in g for g in guidance)
    french = workbook_cells(BLANK.with_name("catalog-node-template.fr.xlsx"))
    assert list(french) == ["jeu_de_donnees", "tables", "variables"]
    assert french["variables"][0][:3] == ["table", "variable", "titre_fr"]
    csv_header = (BLANK.parent / "csv" / "variables.csv").read_text(encoding="utf-8-sig")
    assert csv_header.splitlines()[0] == ",".join(c.key for c in VARIABLE_COLUMNS)
    # a blank template reads without error, and says almost nothing
    text, subject = metadata_from_template(BLANK)
    assert subject == "_:dataset" and "data-theme/HEAL" in text
    assert "_:dataset <http://purl.org/dc/terms/title>" not in text


# -- the example's record ------------------------------------------------------------------

def test_the_example_passes_healthdcat_ap(record):
    report = Validator("healthdcat-ap").validate(record, source="test")
    assert report.violations == 0, [r.to_json() for r in report.results][:5]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from official import official_verdicts, reference

    if reference().is_dir():
        assert official_verdicts(record) == set()


def _dataset(record: Graph) -> URIRef:
    [dataset] = record.subjects(RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset"))
    return dataset


def _objects(graph: Graph, subject, predicate: str) -> set[str]:
    return {str(o) for o in graph.objects(subject, URIRef(predicate))}


def test_every_value_of_the_dataset_sheet_is_in_the_record(record, example_cells):
    fields = {row["champ"]: row["valeur"] for row in example_cells["jeu_de_donnees"]}
    dataset = _dataset(record)
    assert _objects(record, dataset, DCT + "identifier") == {fields["identifiant"]}
    titles = set(record.objects(dataset, URIRef(DCT + "title")))
    assert titles == {Literal(fields["titre_fr"], lang="fr"),
                      Literal(fields["titre_en"], lang="en")}
    [publisher] = record.objects(dataset, URIRef(DCT + "publisher"))
    assert _objects(record, publisher, FOAF + "name") == {fields["editeur_nom_fr"],
                                                           fields["editeur_nom_en"]}
    [hdab] = record.objects(dataset, URIRef(HEALTHDCATAP + "hdab"))
    assert fields["organisme_acces_nom_fr"] in _objects(record, hdab, FOAF + "name")
    emails = {str(o) for o in record.objects(None, URIRef("http://data.europa.eu/m8g/email"))}
    assert {fields["editeur_courriel"], fields["organisme_acces_courriel"]} <= emails
    keywords = _objects(record, dataset, "http://www.w3.org/ns/dcat#keyword")
    assert keywords == {k.strip() for lang in ("fr", "en")
                        for k in fields[f"mots_cles_{lang}"].split(";")}
    assert _objects(record, dataset, HEALTHDCATAP + "numberOfUniqueIndividuals") == {
        fields["nombre_individus"]}
    assert _objects(record, dataset, DCT + "accessRights") == {
        "http://publications.europa.eu/resource/authority/access-right/" +
        fields["droits_acces"]}
    text = record.serialize(format="nt")
    # every value of the sheet is in the record, as a literal or inside an IRI
    for name, value in fields.items():
        for part in (p.strip() for p in value.split(";")):
            wanted = {"EHDS": "2025/327", "RGPD": "2016/679"}.get(part, part)
            assert wanted in text or wanted.replace("'", "\\'") in text, (name, part)


def test_every_table_variable_and_allowed_value_is_in_the_record(record, example_cells):
    tables = {str(record.value(t, URIRef(CSVW + "name"))): t
              for t in record.subjects(RDF.type, URIRef(CSVW + "Table"))}
    assert set(tables) == {row["table"] for row in example_cells["tables"]}
    for row in example_cells["tables"]:
        table = tables[row["table"]]
        assert _objects(record, table, DCT + "title") == {row["titre_fr"], row["titre_en"]}
        assert _objects(record, table, CSVW + "primaryKey") == {
            c.strip() for c in row["cle_primaire"].split(";")}
        rows = [m for m in record.subjects(URIRef(DQV + "computedOn"), table)]
        assert [str(record.value(m, URIRef(DQV + "value"))) for m in rows] == [row["lignes"]]
    variables = example_cells["variables"]
    assert len(variables) == 20
    for row in variables:
        table = tables[row["table"]]
        [column] = [c for c in record.objects(table, URIRef(CSVW + "column"))
                    if str(record.value(c, URIRef(CSVW + "name"))) == row["variable"]]
        assert _objects(record, column, CSVW + "title") == {row["titre_fr"], row["titre_en"]}
        assert _objects(record, column, DCT + "description") == {row["description_fr"],
                                                                 row["description_en"]}
        if row.get("unite"):
            assert _objects(record, column, "http://schema.org/unitText") == {row["unite"]}
        assert _objects(record, column, CSVW + "required") == {
            "true" if row["obligatoire"] == "oui" else "false"}
        expected = {}
        for part in filter(None, (p.strip() for p in row.get("valeurs_autorisees", "")
                                  .split(";"))):
            code, label = (p.strip() for p in part.split("=", 1))
            expected[code] = {p.strip() for p in label.split("|")}
        found = {str(record.value(v, URIRef(SKOS + "notation"))):
                 _objects(record, v, SKOS + "prefLabel")
                 for v in record.objects(column, URIRef(CND + "allowedValue"))}
        assert found == expected, row["variable"]
        if row.get("liste_de_codes"):
            [scheme] = record.objects(column, URIRef(DCT + "conformsTo"))
            assert _objects(record, scheme, DCT + "title") == {row["liste_de_codes"]}


def test_types_are_csvw_datatypes(record):
    datatypes = {str(o) for o in record.objects(None, URIRef(CSVW + "datatype"))}
    assert datatypes == {"string", "date", "gYear", "integer", "boolean"}


def test_declared_rows_below_the_threshold_are_not_published(tmp_path):
    changed = tmp_path / "registre.xlsx"
    _edit(EXAMPLE, changed, "tables", "cas", "lignes", 7)
    graph = _graph(_page(changed))
    values = {str(o) for o in graph.objects(None, URIRef(DQV + "value"))}
    assert "7" not in values and "1870" in values


# -- forms of the template -----------------------------------------------------------------

def test_the_csv_form_gives_the_same_triples():
    assert _page(EXAMPLE_CSV) == _page(EXAMPLE)


def test_english_names_give_the_same_triples_as_french_ones(tmp_path):
    french = {f.fr: f.key for f in DATASET_FIELDS}
    sheets = example_sheets()
    english = blank_sheets("en")
    sheets = {kind: [english[kind][0], *rows[1:]] for kind, rows in sheets.items()}
    sheets["dataset"] = [sheets["dataset"][0],
                         *([french[r[0]], *r[1:]] for r in sheets["dataset"][1:])]
    workbook = tmp_path / "registry.xlsx"
    write_xlsx(workbook, sheets, "en")
    assert workbook_cells(workbook)["dataset"][1][0] == "identifier"
    assert _page(workbook) == _page(EXAMPLE)


def test_the_metadata_option_reads_the_dataset_sheet():
    text, subject = read_metadata(EXAMPLE)
    assert (text, subject) == metadata_from_template(EXAMPLE)
    assert read_metadata(EXAMPLE_CSV / "jeu_de_donnees.csv") == (text, subject)
    assert subject == "_:dataset" and "rac-val-de-brume" in text


# -- errors ----------------------------------------------------------------------------------

def _edit(source: Path, target: Path, sheet: str, first: str, column: str,
          value: object) -> int:
    """Copy a workbook with one cell changed: in ``sheet``, the row whose first cell is
    ``first``, the column headed ``column``. Returns the row number."""
    book = load_workbook(source)
    worksheet = book[sheet]
    header = [c.value for c in worksheet[1]]
    for row in worksheet.iter_rows(min_row=2):
        if row[0].value == first:
            row[header.index(column)].value = value
            book.save(target)
            return row[0].row
    raise AssertionError(f"no row {first!r} in {sheet}")


def test_an_unknown_code_names_the_sheet_row_and_value(tmp_path):
    broken = tmp_path / "registre.xlsx"
    row = _edit(EXAMPLE, broken, "jeu_de_donnees", "categorie_sante", "valeur", "MRMR; XYZ")
    with pytest.raises(InputError) as caught:
        metadata_from_template(broken)
    message = str(caught.value)
    assert str(broken) in message and "'jeu_de_donnees'" in message
    assert f"row {row}" in message and "'XYZ'" in message and "healthcategories" in message
    assert caught.value.line == row and caught.value.column == 2
    assert "MRMR" in message  # the hint lists known codes


@pytest.mark.parametrize(("sheet", "first", "column", "value", "words"), [
    ("variables", "cas", "type", "texte libre", "unknown type 'texte libre'"),
    ("variables", "cas", "table", "cass", "table 'cass' is not in the tables sheet"),
    ("variables", "cas", "valeurs_autorisees", "1=a; 1=b", "code '1' is given twice"),
    ("tables", "cas", "lignes", "beaucoup", "'beaucoup' is not a whole number"),
    ("jeu_de_donnees", "periode_debut", "valeur", "2005-13", "'2005-13' is not a date"),
    ("jeu_de_donnees", "editeur_courriel", "valeur", "registre", "not an e-mail address"),
    ("jeu_de_donnees", "droits_acces", "valeur", "OUVERT", "unknown access rights"),
    ("jeu_de_donnees", "langue", "valeur", "francais", "unknown language code"),
])
def test_bad_cells_are_named(tmp_path, sheet, first, column, value, words):
    broken = tmp_path / "registre.xlsx"
    row = _edit(EXAMPLE, broken, sheet, first, column, value)
    with pytest.raises(InputError) as caught:
        template_description(broken)
    message = str(caught.value)
    assert words in message and f"sheet {sheet!r}" in message and f"row {row}" in message
    assert re.search(r"column '[^']+' \([A-Z]+\)", message), message


def test_an_unknown_field_or_column_is_named(tmp_path):
    folder = tmp_path / "csv"
    shutil.copytree(EXAMPLE_CSV, folder)
    data = folder / "jeu_de_donnees.csv"
    data.write_text(data.read_text(encoding="utf-8-sig").replace("\nacronyme,",
                                                                 "\nacronym_fr,"),
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        template_description(folder)
    assert "unknown field 'acronym_fr'" in str(caught.value)
    assert str(data) in str(caught.value)
    tables = folder / "tables.csv"
    shutil.copy(EXAMPLE_CSV / "jeu_de_donnees.csv", data)
    tables.write_text(tables.read_text(encoding="utf-8-sig").replace("titre_fr", "titel_fr"),
                      encoding="utf-8")
    with pytest.raises(InputError) as caught:
        template_description(folder)
    assert "unknown column 'titel_fr'" in str(caught.value) and ":1:2:" in str(caught.value)


def test_the_documentation_names_every_field_and_column():
    english = (ROOT / "docs" / "template.en.md").read_text(encoding="utf-8")
    french = (ROOT / "docs" / "template.fr.md").read_text(encoding="utf-8")
    for column in [*DATASET_FIELDS, *TABLE_COLUMNS, *VARIABLE_COLUMNS]:
        assert f"| `{column.key}` | `{column.fr}` |" in english, column.key
        assert f"| `{column.fr}` | `{column.key}` |" in french, column.fr
