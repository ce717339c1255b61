"""Writes the blank templates and the filled example, from ``template_fields.py``.

``python -m harvesters.template_files`` rewrites the shipped files:

- ``harvesters/templates/catalog-node-template.xlsx`` (English names) and
  ``catalog-node-template.fr.xlsx`` (French names), blank, with what to write in each
  column or field, in French and English;
- ``harvesters/templates/csv/{dataset,tables,variables}.csv``, the same as CSV files;
- ``harvesters/examples/registre-template.xlsx`` and ``registre-template-csv/``, the
  fictional registry of ``template_example.py``, with French names.

CSV files are UTF-8 with a byte-order mark (so spreadsheet software reads the accents),
comma-separated. A workbook's cells, not its bytes, are what stays the same from one
writing to the next (XLSX files carry the time they were zipped).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from harvesters import template_example as example
from harvesters.template_fields import (
    DATASET_COLUMNS,
    DATASET_SECTIONS,
    NEEDS,
    SHEETS,
    TABLE_COLUMNS,
    VARIABLE_COLUMNS,
    Column,
)

HARVESTERS = Path(__file__).resolve().parent
TEMPLATES = HARVESTERS / "templates"
EXAMPLES = HARVESTERS / "examples"
Cells = list[list[str | int]]
ORDER = ("dataset", "tables", "variables")


def _name(column: Column, language: str) -> str:
    return column.fr if language == "fr" else column.key


def _need(code: str) -> str:
    french, english = NEEDS[code]
    return f"{french} / {english}"


def _guidance(columns: list[Column]) -> list[str | int]:
    """The comment row under a header: what to write in each column, FR and EN."""
    cells: list[str | int] = [
        f"FR : {c.help_fr} ({NEEDS[c.need][0]})\nEN: {c.help_en} ({NEEDS[c.need][1]})"
        for c in columns]
    cells[0] = f"# {cells[0]}"
    return cells


def blank_sheets(language: str = "en") -> dict[str, Cells]:
    """The blank template's sheets: headers, guidance and, on the dataset sheet, every
    field with what to write."""
    dataset: Cells = [[_name(c, language) for c in DATASET_COLUMNS]]
    for section_fr, section_en, fields in DATASET_SECTIONS:
        dataset.append([f"# {section_fr} / {section_en}"])
        dataset.extend([_name(f, language), "", _need(f.need), f.help_fr, f.help_en]
                       for f in fields)
    return {"dataset": dataset,
            "tables": [[_name(c, language) for c in TABLE_COLUMNS], _guidance(TABLE_COLUMNS)],
            "variables": [[_name(c, language) for c in VARIABLE_COLUMNS],
                          _guidance(VARIABLE_COLUMNS)]}


def example_sheets() -> dict[str, Cells]:
    """The fictional registry, with French sheet, column and field names."""
    help_by_name = {f.fr: f for _, _, fields in DATASET_SECTIONS for f in fields}
    dataset: Cells = [[_name(c, "fr") for c in DATASET_COLUMNS]]
    for name, value in example.DATASET:
        known = help_by_name[name]
        dataset.append([name, value, _need(known.need), known.help_fr, known.help_en])
    return {"dataset": dataset,
            "tables": [[_name(c, "fr") for c in TABLE_COLUMNS], _guidance(TABLE_COLUMNS),
                       *example.TABLES],
            "variables": [[_name(c, "fr") for c in VARIABLE_COLUMNS],
                          _guidance(VARIABLE_COLUMNS), *example.VARIABLES]}


def sheet_name(kind: str, language: str) -> str:
    english, french = SHEETS[kind]
    return french if language == "fr" else english


def write_xlsx(path: Path, sheets: dict[str, Cells], language: str) -> None:
    """A workbook with one sheet per kind; headers bold, guidance rows in grey."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "catalog-node"
    book.properties.created = book.properties.modified = datetime(2025, 1, 1)
    for kind in ORDER:
        sheet = book.create_sheet(sheet_name(kind, language))
        for row in sheets[kind]:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE7F0")
        for row in sheet.iter_rows(min_row=2):
            if isinstance(row[0].value, str) and row[0].value.startswith("#"):
                for cell in row:
                    cell.font = Font(italic=True, color="555555")
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [32, 48, 24, 48, 48] if kind == "dataset" else [24] * len(sheets[kind][0])
        for at, width in enumerate(widths):
            sheet.column_dimensions[chr(65 + at)].width = width
        sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def csv_text(rows: Cells) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    width = max(len(r) for r in rows)
    for row in rows:
        writer.writerow([*row, *[""] * (width - len(row))])
    return "\ufeff" + stream.getvalue()


def write_csv_folder(folder: Path, sheets: dict[str, Cells], language: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for kind in ORDER:
        (folder / f"{sheet_name(kind, language)}.csv").write_text(csv_text(sheets[kind]),
                                                                  encoding="utf-8")


def workbook_cells(path: Path) -> dict[str, Cells]:
    """A workbook's cell values by sheet name (trailing empty cells dropped)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        out: dict[str, Cells] = {}
        for sheet in book.worksheets:
            rows: Cells = []
            for values in sheet.iter_rows(values_only=True):
                row = ["" if v is None else v for v in values]
                while row and row[-1] == "":
                    row.pop()
                rows.append(row)
            out[sheet.title] = rows
        return out
    finally:
        book.close()


def shipped() -> list[tuple[Path, str, dict[str, Cells], str]]:
    """(path, kind ``xlsx`` or ``csv``, sheets, names language) of every shipped file."""
    blank_en, blank_fr, filled = blank_sheets("en"), blank_sheets("fr"), example_sheets()
    return [(TEMPLATES / "catalog-node-template.xlsx", "xlsx", blank_en, "en"),
            (TEMPLATES / "catalog-node-template.fr.xlsx", "xlsx", blank_fr, "fr"),
            (TEMPLATES / "csv", "csv", blank_en, "en"),
            (EXAMPLES / "registre-template.xlsx", "xlsx", filled, "fr"),
            (EXAMPLES / "registre-template-csv", "csv", filled, "fr")]


def main() -> None:
    for path, kind, sheets, language in shipped():
        (write_xlsx if kind == "xlsx" else write_csv_folder)(path, sheets, language)
        print(f"wrote {path.relative_to(HARVESTERS.parent)}")


if __name__ == "__main__":
    main()
