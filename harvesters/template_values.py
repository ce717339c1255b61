"""Reading and checking the values of the template's dataset sheet.

Each value keeps its cell, so that a bad code, date, number, e-mail or address is an error
naming the file, the sheet, the row and the column. Codes are looked up in the node's
vocabularies (``template_codes.py``); the concepts used are remembered, so the record can
type them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from pyoxigraph import Literal, NamedNode

from catalog_node.describe.model import Texts
from catalog_node.namespaces import XSD
from harvesters.template_codes import code_iri, some_codes
from harvesters.template_fields import DATASET_FIELDS, aliases, normal
from harvesters.template_sheets import Cell, Sheet

TRUE = frozenset({"yes", "oui", "true", "vrai", "1", "y", "o"})
FALSE = frozenset({"no", "non", "false", "faux", "0", "n"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
DURATION = re.compile(r"P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?")
_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass
class FieldValues:
    """The dataset sheet's values by field key, each with its cell."""

    sheet: Sheet
    fields: dict[str, list[Cell]] = field(default_factory=dict)
    #: concept IRI → the classes the record gives it
    used: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        known = aliases(DATASET_FIELDS)
        for row in self.sheet.rows:
            name, value = row.cells.get("field"), row.cells.get("value")
            if name is None:
                if value is not None:
                    raise self.sheet.cell_error(value, "a value without a field name")
                continue
            key = known.get(normal(name.value))
            if key is None:
                raise self.sheet.cell_error(name, f"unknown field {name.value!r}",
                                            hint="use a field name of the blank template")
            if value is not None:
                self.fields.setdefault(key, []).append(value)

    # -- reading values -------------------------------------------------------------------
    def one(self, key: str) -> Cell | None:
        cells = self.fields.get(key, [])
        if len(cells) > 1:
            raise self.sheet.cell_error(cells[1], f"the field {key} is given twice")
        return cells[0] if cells else None

    def many(self, key: str) -> list[tuple[str, Cell]]:
        return [(part.strip(), cell) for cell in self.fields.get(key, [])
                for part in re.split(r"[;\n]", cell.value) if part.strip()]

    def text(self, base: str) -> Texts:
        found = {lang: cell.value for lang in ("fr", "en")
                 if (cell := self.one(f"{base}_{lang}")) is not None}
        return found

    def iri(self, value: str, cell: Cell) -> NamedNode:
        if not value.startswith(("http://", "https://")):
            raise self.sheet.cell_error(cell, f"{value!r} is not an http(s) address")
        try:
            return NamedNode(value)
        except ValueError as exc:
            raise self.sheet.cell_error(cell, f"{value!r} is not a valid address") from exc

    def code(self, scheme: str, value: str, cell: Cell, *classes: str) -> NamedNode:
        found = code_iri(scheme, value)
        if found is None:
            raise self.sheet.cell_error(cell, f"unknown {scheme} code {value!r}",
                                        hint=f"codes: {some_codes(scheme)}")
        self.used.setdefault(found, set()).update(classes)
        return NamedNode(found)

    def codes(self, key: str, scheme: str, *classes: str) -> list[NamedNode]:
        return [self.code(scheme, value, cell, *classes) for value, cell in self.many(key)]

    def count(self, key: str) -> Literal | None:
        cell = self.one(key)
        if cell is None:
            return None
        digits = re.sub(r"[\s\u00a0\u202f]", "", cell.value)
        if not digits.isdigit():
            raise self.sheet.cell_error(cell, f"{cell.value!r} is not a whole number")
        return Literal(str(int(digits)), datatype=NamedNode(XSD + "nonNegativeInteger"))

    def moment(self, cell: Cell) -> Literal:
        value = cell.value.strip()
        if match := _FRENCH_DATE.fullmatch(value):
            value = f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
        if re.fullmatch(r"\d{4}", value):
            return Literal(value, datatype=NamedNode(XSD + "gYear"))
        if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            return Literal(value, datatype=NamedNode(XSD + "gYearMonth"))
        try:
            return Literal(date.fromisoformat(value[:10]).isoformat(),
                           datatype=NamedNode(XSD + "date"))
        except ValueError:
            raise self.sheet.cell_error(cell, f"{cell.value!r} is not a date",
                                        hint="write YYYY, YYYY-MM or YYYY-MM-DD") from None

    def flag(self, key: str) -> bool | None:
        cell = self.one(key)
        if cell is None:
            return None
        word = cell.value.strip().lower()
        if word not in TRUE | FALSE:
            raise self.sheet.cell_error(cell, f"{cell.value!r} is neither yes nor no")
        return word in TRUE

    def email(self, cell: Cell) -> str:
        value = cell.value.strip().removeprefix("mailto:")
        if not _EMAIL.fullmatch(value):
            raise self.sheet.cell_error(cell, f"{cell.value!r} is not an e-mail address")
        return value
