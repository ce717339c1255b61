"""A Frictionless Table Schema → the neutral model's :class:`Table` and :class:`CodeList`.

Fields become variables: ``title`` and ``description`` in the source's language (a field
with no title takes its description as its label, as the SNDS schemas write them), the
Table Schema type as a CSVW datatype, ``constraints.required``, ``constraints.enum`` and
``categories`` as allowed values, a ``unit`` where the field has one, and the code list a
field names (the SNDS ``nomenclature`` key, ``NAME`` or ``NAME:CODE_COLUMN``).
``primaryKey`` and ``foreignKeys`` are kept. A code-list schema (its fields carry
``role: code`` / ``role: label``) with a CSV beside it gives a :class:`CodeList`; its values
are listed only when it is short.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from catalog_node.describe.model import (
    AllowedValue,
    CodeList,
    ForeignKey,
    Table,
    Texts,
    Variable,
)
from catalog_node.errors import InputError

#: Table Schema type → CSVW datatype name
DATATYPES: dict[str, str] = {
    "string": "string", "integer": "integer", "number": "decimal", "boolean": "boolean",
    "date": "date", "datetime": "dateTime", "time": "time", "year": "gYear",
    "yearmonth": "gYearMonth", "duration": "duration", "geopoint": "string",
    "geojson": "string", "object": "string", "array": "string", "list": "string",
    "any": "string",
}
#: a code list is published with its values up to this many rows
CODE_LIST_LIMIT = 200
#: the value a schema-snds field gives when it names no code list
NO_CODE_LIST = frozenset({"", "-"})

CodeLists = Callable[[str], CodeList | None]


def read_json(path: Path, max_bytes: int = 50 * 1024 * 1024) -> Any:
    """A JSON file, with errors naming the file, line and column."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"the file is {size} bytes, more than the {max_bytes} allowed",
                         source=str(path), hint="raise the source's --max-bytes")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("the file is not UTF-8 text", source=str(path)) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", source=str(path), line=exc.lineno,
                         column=exc.colno, hint="fix the JSON syntax") from exc


#: line and page separators other than ``\n`` (read as a space)
_SEPARATORS = re.compile("[\x0b\x0c\x1c-\x1e\u2028\u2029]")
_C1 = re.compile("[\x80-\x9f]")


def clean_text(text: str) -> str:
    """A text as its author meant it: C1 control characters, which come from Windows-1252
    text read as Latin-1 (``\x92`` an apostrophe, ``\x85`` an ellipsis), become the characters
    they stood for; other line separators become spaces."""
    def windows(match: re.Match[str]) -> str:
        try:
            return match.group().encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            return ""

    return _SEPARATORS.sub(" ", _C1.sub(windows, text)).strip()


def texts(value: object, language: str) -> Texts:
    """A text of the source as ``{language: text}`` (empty when there is none)."""
    if isinstance(value, str) and (text := clean_text(value)):
        return {language: text}
    return {}


def names(value: object) -> list[str]:
    """A key given as a list of names, one name, or names separated by commas."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return []


def datatype_of(field: Mapping[str, Any], source: str) -> str:
    """The CSVW datatype of a field (``string`` when it has no type)."""
    kind = field.get("type") or "string"
    if not isinstance(kind, str) or kind not in DATATYPES:
        raise InputError(f"field {field.get('name')!r} has the unknown type {kind!r}",
                         source=source, hint=f"use one of {', '.join(DATATYPES)}")
    if kind == "string" and field.get("format") == "uri":
        return "anyURI"
    return DATATYPES[kind]


def is_code_list(schema: object) -> bool:
    """A schema describing a code list: one of its fields has the ``code`` role."""
    return isinstance(schema, dict) and isinstance(schema.get("fields"), list) and any(
        isinstance(f, dict) and f.get("role") == "code" for f in schema["fields"])


def table_from_schema(schema: object, *, source: str, language: str = "",
                      name: str | None = None, code_lists: CodeLists | None = None) -> Table:
    """One Table Schema (a parsed JSON object) as a :class:`Table`."""
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise InputError("not a Table Schema: no list of fields", source=source,
                         hint='a Table Schema is a JSON object with a "fields" list')
    table_name = name or schema.get("name")
    if not isinstance(table_name, str) or not table_name.strip():
        table_name = Path(source).stem
    variables: list[Variable] = []
    seen: set[str] = set()
    for number, field in enumerate(schema["fields"], start=1):
        variable = variable_from_field(field, number, source=source, language=language,
                                       code_lists=code_lists)
        if variable.name in seen:
            raise InputError(f"field {variable.name!r} appears twice", source=source)
        seen.add(variable.name)
        variables.append(variable)
    descriptions = texts(schema.get("description"), language)
    scope = schema.get("champ")
    if not descriptions and isinstance(scope, str) and scope.strip():
        descriptions = {language: f"Champ : {clean_text(scope)}."} if language == "fr" else {
            language: clean_text(scope)}
    return Table(name=table_name.strip(), titles=texts(schema.get("title"), language),
                 descriptions=descriptions, variables=variables,
                 primary_key=names(schema.get("primaryKey")),
                 foreign_keys=_foreign_keys(schema.get("foreignKeys"), table_name, source))


def variable_from_field(field: object, number: int, *, source: str, language: str = "",
                        code_lists: CodeLists | None = None) -> Variable:
    """One field of a Table Schema as a :class:`Variable`."""
    if not isinstance(field, dict) or not isinstance(field.get("name"), str) \
            or not field["name"].strip():
        raise InputError(f"field number {number} has no name", source=source,
                         hint='every field needs a "name"')
    name = field["name"].strip()
    constraints = field.get("constraints") if isinstance(field.get("constraints"), dict) else {}
    description = texts(field.get("description"), language)
    titles = texts(field.get("title"), language) or description
    descriptions = _with_notes(description, field, language)
    allowed = _enum_values(constraints.get("enum"), language) + _categories(
        field.get("categories"), language, name, source)
    code_list = None
    reference = field.get("nomenclature")
    if isinstance(reference, str) and reference.strip() not in NO_CODE_LIST:
        list_name = reference.strip()
        code_list = (code_lists(list_name) if code_lists else None) or CodeList(
            list_name.split(":", 1)[0])
    required = constraints.get("required")
    unit = field.get("unit")
    kind = field.get("type") or "string"
    fmt = field.get("format")
    return Variable(
        name=name, datatype=datatype_of(field, f"{source} (field {name})"),
        titles=titles, descriptions=descriptions,
        unit=unit.strip() if isinstance(unit, str) and unit.strip() else None,
        required=required if isinstance(required, bool) else None,
        coded=bool(allowed or code_list), allowed_values=allowed, code_list=code_list,
        source_type=f"{kind} ({fmt})" if isinstance(fmt, str) and fmt not in ("", "default")
        else str(kind))


def _with_notes(base: Texts, field: Mapping[str, Any], language: str) -> Texts:
    """The description followed by the schema-snds notes (observation, management rule)."""
    parts = [base.get(language, "")]
    note = field.get("observation")
    rule = field.get("regle_gestion")
    if isinstance(note, str) and clean_text(note):
        parts.append(clean_text(note))
    if isinstance(rule, str) and clean_text(rule):
        parts.append(("Règle de gestion : " if language == "fr" else "") + clean_text(rule))
    text = " ".join(p.rstrip() for p in parts if p)
    return {language: text} if text else {}


def _enum_values(values: object, language: str) -> list[AllowedValue]:
    if not isinstance(values, list):
        return []
    codes = [str(v).strip() for v in values if v is not None and str(v).strip()]
    return [AllowedValue(code, {language: code}) for code in dict.fromkeys(codes)]


def _categories(values: object, language: str, field: str, source: str) -> list[AllowedValue]:
    """Table Schema v2 ``categories``: values, or ``{"value": …, "label": …}`` objects."""
    if not isinstance(values, list):
        return []
    out: list[AllowedValue] = []
    for item in values:
        if isinstance(item, dict) and "value" in item:
            code = str(item["value"]).strip()
            label = clean_text(str(item.get("label") or code))
        elif isinstance(item, str | int | float):
            code = label = str(item).strip()
        else:
            raise InputError(f"field {field!r}: a category is neither a value nor "
                             '{"value": …, "label": …}', source=source)
        if code:
            out.append(AllowedValue(code, {language: label}))
    return out


def _foreign_keys(keys: object, table: str, source: str) -> list[ForeignKey]:
    if keys is None:
        return []
    if not isinstance(keys, list):
        raise InputError("foreignKeys is not a list", source=source)
    out: list[ForeignKey] = []
    for key in keys:
        reference = key.get("reference") if isinstance(key, dict) else None
        if not isinstance(reference, dict):
            raise InputError("a foreign key has no reference", source=source,
                             hint='write {"fields": …, "reference": {"resource": …, '
                                  '"fields": …}}')
        target = reference.get("resource") or table  # "" refers to the table itself
        out.append(ForeignKey(names(key.get("fields")), str(target),
                              names(reference.get("fields"))))
    return out


# -- code lists ---------------------------------------------------------------------------

def code_list_from_schema(schema: Mapping[str, Any], *, source: str, language: str = "",
                          rows: Path | None = None, code_column: str | None = None,
                          limit: int = CODE_LIST_LIMIT) -> CodeList:
    """A code-list schema, with the values of its CSV (``;`` or ``,`` separated) when the
    list has at most ``limit`` rows; a longer list is named without its values."""
    name = schema.get("name") if isinstance(schema.get("name"), str) else Path(source).stem
    fields = [f for f in schema.get("fields", []) if isinstance(f, dict)]
    code = code_column or next((f.get("name") for f in fields if f.get("role") == "code"), None)
    label = next((f.get("name") for f in fields if f.get("role") == "label"), None)
    code_list = CodeList(name=name, titles=texts(schema.get("title"), language))
    if rows is None or not rows.is_file() or not isinstance(code, str):
        return code_list
    values = _csv_values(rows, code, label, language, limit)
    if values is not None:
        code_list.values = values
    return code_list


def _csv_values(path: Path, code: str, label: str | None, language: str,
                limit: int) -> list[AllowedValue] | None:
    """The rows of a code list's CSV as values; None when there are more than ``limit``."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        header = stream.readline()
        delimiter = ";" if header.count(";") >= header.count(",") else ","
        columns = next(csv.reader([header], delimiter=delimiter), [])
        if code not in columns:
            raise InputError(f"the code column {code!r} is not in the CSV header",
                             source=str(path), line=1)
        at = columns.index(code)
        label_at = columns.index(label) if label in columns else None
        values: dict[str, AllowedValue] = {}
        for number, row in enumerate(csv.reader(stream, delimiter=delimiter), start=2):
            if number - 1 > limit:
                return None
            if len(row) <= at or not row[at].strip():
                continue
            value = row[at].strip()
            text = clean_text(row[label_at]) if label_at is not None and len(row) > label_at \
                else ""
            values.setdefault(value, AllowedValue(value, {language: text or value}))
    return list(values.values())
