"""Reading the producer's template: an XLSX workbook, or a folder of CSV files.

A sheet's first row that is not a comment is its header; rows whose first cell starts with
``#`` are comments (the blank template's guidance) and empty rows are skipped. Headers may be
English or French (``title_fr`` / ``titre_fr``). Every cell keeps its row and column, so an
error names the file, the sheet, the row (1-based, as a spreadsheet shows it) and the column.
CSV files may be separated by ``;``, ``,`` or tabs, in UTF-8 (or Windows-1252, as Excel
saves them).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from catalog_node.errors import ConfigError, InputError
from harvesters.table_schema import clean_text
from harvesters.template_fields import (
    DATASET_COLUMNS,
    IGNORED,
    SHEETS,
    TABLE_COLUMNS,
    VARIABLE_COLUMNS,
    aliases,
    normal,
    sheet_kind,
)

COLUMNS = {"dataset": DATASET_COLUMNS, "tables": TABLE_COLUMNS, "variables": VARIABLE_COLUMNS}
#: the columns a sheet cannot do without
REQUIRED = {"dataset": ("field", "value"), "tables": ("table",),
            "variables": ("table", "variable")}
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Cell:
    value: str
    row: int
    column: int
    header: str


@dataclass
class Row:
    number: int
    cells: dict[str, Cell] = field(default_factory=dict)

    def get(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.value if cell else ""


@dataclass
class Sheet:
    """One sheet (or CSV file): its rows keyed by column key."""

    kind: str
    name: str
    source: str
    rows: list[Row] = field(default_factory=list)
    headers: dict[str, tuple[int, str]] = field(default_factory=dict)

    def error(self, message: str, row: int | None = None, key: str | None = None,
              hint: str | None = None, column: int | None = None) -> InputError:
        """An error naming the sheet, the row and the column."""
        header = None
        if key:
            column, header = self.headers.get(key, (column, key))
        where = [f"sheet {self.name!r}"]
        if row is not None:
            where.append(f"row {row}")
        if header:
            where.append(f"column {header!r}" + (f" ({_letter(column)})" if column else ""))
        return InputError(f"{', '.join(where)}: {message}", source=self.source, line=row,
                          column=column, hint=hint)

    def cell_error(self, cell: Cell, message: str, hint: str | None = None) -> InputError:
        return self.error(message, cell.row, next(
            (k for k, (c, _) in self.headers.items() if c == cell.column), None), hint)


def read_template(path: Path, max_bytes: int = 50 * 1024 * 1024) -> dict[str, Sheet]:
    """The sheets of a workbook, a folder of CSV files, or one CSV file (the dataset sheet)."""
    if path.is_dir():
        return _csv_folder(path, max_bytes)
    if not path.is_file():
        raise ConfigError("no such template file or folder", place=str(path))
    _check_size(path, max_bytes)
    if path.suffix.lower() == ".xlsx":
        return _workbook(path)
    if path.suffix.lower() == ".csv":
        kind = sheet_kind(path.stem) or "dataset"
        return {kind: _csv_sheet(path, kind)}
    raise InputError("a template is an .xlsx workbook, a .csv file or a folder of CSV files",
                     source=str(path))


def _check_size(path: Path, max_bytes: int) -> None:
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"the file is {size} bytes, more than the {max_bytes} allowed",
                         source=str(path))


def _workbook(path: Path) -> dict[str, Sheet]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for broken files
        raise InputError(f"unreadable workbook: {exc}", source=str(path),
                         hint="save it again as an Excel workbook (.xlsx)") from exc
    sheets: dict[str, Sheet] = {}
    try:
        for worksheet in book.worksheets:
            kind = sheet_kind(worksheet.title)
            if kind is None or kind in sheets:
                continue
            rows = ([_text(v) for v in values] for values in worksheet.iter_rows(values_only=True))
            sheets[kind] = _sheet(kind, worksheet.title, str(path), rows)
    finally:
        book.close()
    return sheets


def _csv_folder(folder: Path, max_bytes: int) -> dict[str, Sheet]:
    sheets: dict[str, Sheet] = {}
    for path in sorted(folder.glob("*.csv")):
        kind = sheet_kind(path.stem)
        if kind is not None and kind not in sheets:
            _check_size(path, max_bytes)
            sheets[kind] = _csv_sheet(path, kind)
    if not sheets:
        names = ", ".join(f"{en}.csv" for en, _ in SHEETS.values())
        raise InputError("no template sheet in the folder", source=str(folder),
                         hint=f"write {names} (or their French names)")
    return sheets


def _csv_sheet(path: Path, kind: str) -> Sheet:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count)
    rows = ([clean_text(cell) for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _sheet(kind, path.stem, str(path), rows)


def _sheet(kind: str, name: str, source: str, rows: object) -> Sheet:
    sheet = Sheet(kind, name, source)
    known = aliases(COLUMNS[kind])
    header: list[str | None] | None = None
    for number, values in enumerate(rows, start=1):  # type: ignore[call-overload]
        if number > MAX_ROWS:
            raise sheet.error(f"more than {MAX_ROWS} rows", number)
        if not any(values) or _comment(values):
            continue
        if header is None:
            header = _header(sheet, values, known, number)
            continue
        row = Row(number)
        for at, value in enumerate(values):
            key = header[at] if at < len(header) else None
            if key is None or not value:
                if key is None and value and at >= len(header):
                    raise sheet.error(f"a value {value!r} in a column without header", number,
                                      hint="give the column a header, or clear the cell")
                continue
            row.cells[key] = Cell(value, number, at + 1, sheet.headers[key][1])
        if row.cells:
            sheet.rows.append(row)
    if header is None:
        raise sheet.error("the sheet has no header row",
                          hint="copy the header row of the blank template")
    return sheet


def _header(sheet: Sheet, values: list[str], known: dict[str, str],
            number: int) -> list[str | None]:
    keys: list[str | None] = []
    for at, value in enumerate(values):
        name = normal(value)
        key = known.get(name)
        if key is None and value and name not in IGNORED:
            raise sheet.error(f"unknown column {value!r} ({_letter(at + 1)})", number,
                              column=at + 1, hint="known columns: " + ", ".join(
                                  f"{c.key} ({c.fr})" if c.fr != c.key else c.key
                                  for c in COLUMNS[sheet.kind]))
        if key is not None and key in sheet.headers:
            raise sheet.error(f"the column {value!r} appears twice ({_letter(at + 1)})",
                              number, column=at + 1)
        if key is not None:
            sheet.headers[key] = (at + 1, value)
        keys.append(key)
    missing = [k for k in REQUIRED[sheet.kind] if k not in sheet.headers]
    if missing:
        raise sheet.error(f"the header row lacks {', '.join(missing)}", number,
                          hint="copy the header row of the blank template")
    return keys


def _comment(values: list[str]) -> bool:
    first = next((v for v in values if v), "")
    return first.startswith("#")


def _text(value: object) -> str:
    """A cell as text: integral numbers without ``.0``, dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return clean_text(str(value))


def _letter(column: int | None) -> str:
    """1 → A, 27 → AA: the column as a spreadsheet names it."""
    letters = ""
    number = column or 0
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
