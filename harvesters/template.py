"""The template a small producer fills in (XLSX, or a folder of CSV files) → one dataset.

``catalog-node source add NAME PATH --type template``: the ``dataset`` sheet gives the
metadata (``template_dataset.py``), the ``tables`` and ``variables`` sheets the data
dictionary: a table per row (name, titles, descriptions, declared rows, primary key, URL), a
variable per row (table, name, titles, descriptions, type, unit, required, allowed values
``code=label; code=label``, code list). Declared row counts are suppressed below the
threshold when the record is built, like measured ones. Errors name the file, the sheet, the
row and the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from catalog_node.describe.model import (
    AllowedValue,
    CodeList,
    DataDictionary,
    DatasetDescription,
    Table,
    Texts,
    Variable,
)
from catalog_node.describe.page import description_page
from catalog_node.model.iris import slugify
from harvesters.base import HarvestContext, Page, SourceConfig
from harvesters.template_dataset import read_dataset_sheet
from harvesters.template_fields import normal
from harvesters.template_sheets import Row, Sheet, read_template
from harvesters.template_values import FALSE, TRUE

#: the types a variable may have (English, French, Table Schema names) → CSVW datatype
DATATYPES = {
    **{name: "string" for name in ("string", "text", "texte", "chaine", "str", "varchar")},
    **{name: "integer" for name in ("integer", "int", "entier")},
    **{name: "decimal" for name in ("decimal", "number", "nombre", "numeric", "reel",
                                    "float")},
    "double": "double",
    **{name: "boolean" for name in ("boolean", "bool", "booleen")},
    "date": "date",
    **{name: "dateTime" for name in ("datetime", "date_heure", "dateheure", "timestamp")},
    **{name: "time" for name in ("time", "heure")},
    **{name: "gYear" for name in ("gyear", "year", "annee")},
    **{name: "gYearMonth" for name in ("gyearmonth", "yearmonth", "annee_mois")},
    **{name: "duration" for name in ("duration", "duree")},
    **{name: "anyURI" for name in ("anyuri", "uri", "url")},
}


class TemplateHarvester:
    """The producer's template → one page."""

    source_type = "template"

    def __init__(self, source: SourceConfig):
        self.source = source

    def description(self) -> DatasetDescription:
        return template_description(Path(self.source.url), self.source.max_bytes)

    def pages(self, context: HarvestContext) -> Iterator[Page]:
        context.progress("datasets", 0, 1)
        yield description_page(self.description(), context)
        context.progress("datasets", 1, 1)


def template_description(path: Path, max_bytes: int = 50 * 1024 * 1024) -> DatasetDescription:
    """The dataset a template describes: its metadata and data dictionary."""
    sheets = read_template(path, max_bytes)
    metadata = read_dataset_sheet(sheets["dataset"]) if "dataset" in sheets else None
    tables = read_dictionary(sheets.get("tables"), sheets.get("variables"))
    key = (metadata.identifier if metadata else None) or slugify(path.stem)
    return DatasetDescription(
        key=key, identifier=key, titles=metadata.titles if metadata else {},
        descriptions=metadata.descriptions if metadata else {},
        dictionary=DataDictionary(tables=tables) if tables else None,
        metadata=metadata.ntriples if metadata else None,
        metadata_subject=metadata.subject if metadata else None, place=str(path))


def read_dictionary(tables_sheet: Sheet | None, variables_sheet: Sheet | None) -> list[Table]:
    """The tables sheet's tables, each with the variables sheet's rows that name it."""
    tables: dict[str, Table] = {}
    keys: dict[str, Row] = {}
    for row in tables_sheet.rows if tables_sheet else []:
        assert tables_sheet is not None
        name = _needed(tables_sheet, row, "table")
        if name in tables:
            raise tables_sheet.error(f"the table {name!r} is described twice", row.number,
                                     "table")
        tables[name] = Table(
            name=name, titles=_texts(row, "title"), descriptions=_texts(row, "description"),
            row_count=_count(tables_sheet, row, "rows"), url=_url(tables_sheet, row, "url"))
        keys[name] = row
    for row in variables_sheet.rows if variables_sheet else []:
        assert variables_sheet is not None
        name = _needed(variables_sheet, row, "table")
        table = tables.get(name)
        if table is None:
            raise variables_sheet.error(f"the table {name!r} is not in the tables sheet",
                                        row.number, "table",
                                        hint="add it to the tables sheet, or fix its name")
        variable = _variable(variables_sheet, row)
        if any(v.name == variable.name for v in table.variables):
            raise variables_sheet.error(f"the variable {variable.name!r} of table {name!r} "
                                        "is described twice", row.number, "variable")
        table.variables.append(variable)
    for name, row in keys.items():
        assert tables_sheet is not None
        table = tables[name]
        table.primary_key = [part.strip() for part in re.split(r"[;,]", row.get("primary_key"))
                             if part.strip()]
        unknown = [c for c in table.primary_key if c not in {v.name for v in table.variables}]
        if unknown:
            raise tables_sheet.error(f"the primary key names {', '.join(unknown)}, not a "
                                     f"variable of table {name!r}", row.number, "primary_key")
    return list(tables.values())


def _variable(sheet: Sheet, row: Row) -> Variable:
    name = _needed(sheet, row, "variable")
    kind = row.get("type")
    datatype = DATATYPES.get(normal(kind)) if kind else "string"
    if datatype is None:
        raise sheet.error(f"unknown type {kind!r}", row.number, "type",
                          hint="use string, integer, decimal, boolean, date, dateTime, time, "
                               "gYear, gYearMonth, duration or anyURI")
    required = row.get("required").lower()
    if required and required not in TRUE | FALSE:
        raise sheet.error(f"{row.get('required')!r} is neither yes nor no", row.number,
                          "required")
    allowed = _allowed_values(sheet, row)
    list_name = row.get("code_list")
    code_list = CodeList(list_name, titles={"": list_name}) if list_name else None
    return Variable(name=name, datatype=datatype, titles=_texts(row, "title"),
                    descriptions=_texts(row, "description"), unit=row.get("unit") or None,
                    required=(required in TRUE) if required else None,
                    coded=bool(allowed or code_list), allowed_values=allowed,
                    code_list=code_list, source_type=kind or None)


def _allowed_values(sheet: Sheet, row: Row) -> list[AllowedValue]:
    """``code=label; code=label``; a label may be ``français | English``."""
    values: dict[str, AllowedValue] = {}
    for part in re.split(r"[;\n]", row.get("allowed_values")):
        if not part.strip():
            continue
        code, _, label = (p.strip() for p in part.partition("="))
        if not code:
            raise sheet.error(f"the value {part.strip()!r} has no code", row.number,
                              "allowed_values", hint="write code=label; code=label")
        if code in values:
            raise sheet.error(f"the code {code!r} is given twice", row.number,
                              "allowed_values")
        if "|" in label:
            french, _, english = (p.strip() for p in label.partition("|"))
            labels = {k: v for k, v in (("fr", french), ("en", english)) if v}
        else:
            labels = {"": label or code}
        values[code] = AllowedValue(code, labels)
    return list(values.values())


def _needed(sheet: Sheet, row: Row, key: str) -> str:
    value = row.get(key)
    if not value:
        raise sheet.error(f"the {key} name is missing", row.number, key)
    return value


def _texts(row: Row, base: str) -> Texts:
    return {lang: value for lang in ("fr", "en") if (value := row.get(f"{base}_{lang}"))}


def _count(sheet: Sheet, row: Row, key: str) -> int | None:
    value = re.sub(r"[\s\u00a0\u202f]", "", row.get(key))
    if not value:
        return None
    if not value.isdigit():
        raise sheet.error(f"{row.get(key)!r} is not a whole number", row.number, key)
    return int(value)


def _url(sheet: Sheet, row: Row, key: str) -> str | None:
    value = row.get(key)
    if not value:
        return None
    if not value.startswith(("http://", "https://")) or any(c in value for c in ' <>"'):
        raise sheet.error(f"{value!r} is not an http(s) address", row.number, key)
    return value
