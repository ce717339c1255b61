"""Data dictionaries as Frictionless files: a data package, a folder of Table Schemas, one schema.

``catalog-node source add NAME PATH --type datapackage``, where PATH is

- a ``datapackage.json`` (or a folder holding one): one dataset, a table per resource that has
  a schema (inline or a file beside the package; remote schemas are never fetched);
- a folder of Table Schemas without a package, such as the SNDS dictionary (``schema-snds``:
  tables under ``schemas/``, code lists under ``nomenclatures/``): one dataset per product
  the schemas name (``produit``), else one for the folder;
- a single Table Schema file.

Options (``--option KEY=VALUE``): ``language`` of the texts (default ``fr`` for schemas that
name their product, as schema-snds does, else none); ``base_url``, where the package's files
are published, so that resource paths become table URLs (``csvw:url``); an http(s) path is
kept as it is, and a local path is never published as it stands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from catalog_node.describe.model import CodeList, DataDictionary, DatasetDescription, Table
from catalog_node.describe.page import description_page
from catalog_node.errors import CatalogNodeError, ConfigError, InputError
from catalog_node.model.iris import slugify
from catalog_node.namespaces import DCAT, FOAF, RDF
from harvesters.base import HarvestContext, Page, SourceConfig
from harvesters.table_schema import (
    code_list_from_schema,
    is_code_list,
    read_json,
    table_from_schema,
    texts,
)

#: SNDS products whose identifier in the demo catalogue is not the product's slug
SNDS_IDENTIFIERS = {"PMSI RIM-P": "rim-p", "BENEFICIAIRE": "snds-base-principale"}
PACKAGE = "datapackage.json"
Errors = Callable[[CatalogNodeError], None]


class DatapackageHarvester:
    """Frictionless data packages and Table Schemas → one page per dataset."""

    source_type = "datapackage"

    def __init__(self, source: SourceConfig):
        self.source = source

    def descriptions(self, on_error: Errors | None = None) -> list[DatasetDescription]:
        """Every dataset the source describes, in a stable order."""
        options = self.source.options
        return read_source(Path(self.source.url), language=options.get("language"),
                           base_url=options.get("base_url"),
                           max_bytes=self.source.max_bytes, on_error=on_error)

    def pages(self, context: HarvestContext) -> Iterator[Page]:
        descriptions = self.descriptions(on_error=context.page_failed)
        context.progress("datasets", 0, len(descriptions))
        for done, description in enumerate(descriptions, start=1):
            yield description_page(description, context)
            context.progress("datasets", done, len(descriptions))


def read_source(path: Path, *, language: str | None = None, base_url: str | None = None,
                max_bytes: int = 50 * 1024 * 1024,
                on_error: Errors | None = None) -> list[DatasetDescription]:
    """The datasets of a package, a folder of schemas or a single schema file."""
    if path.is_dir():
        if (path / PACKAGE).is_file():
            return [read_package(path / PACKAGE, language=language or "", base_url=base_url,
                                 max_bytes=max_bytes)]
        folder = SchemaFolder(path, language, max_bytes, on_error)
        return folder.descriptions()
    if not path.is_file():
        raise ConfigError("no such file or folder", place=str(path))
    document = read_json(path, max_bytes)
    if isinstance(document, dict) and "resources" in document:
        return [read_package(path, language=language or "", base_url=base_url,
                             max_bytes=max_bytes, document=document)]
    folder = SchemaFolder(path.parent, language, max_bytes, on_error)
    return folder.descriptions([path])


# -- (a) a data package -----------------------------------------------------------------

def read_package(path: Path, *, language: str = "", base_url: str | None = None,
                 max_bytes: int = 50 * 1024 * 1024,
                 document: Any = None) -> DatasetDescription:
    """A ``datapackage.json``: its resources with a schema are the tables."""
    package = read_json(path, max_bytes) if document is None else document
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise InputError("not a data package: no list of resources", source=str(path),
                         hint='a data package is a JSON object with a "resources" list')
    folder = path.parent.resolve()
    name = package.get("name") if isinstance(package.get("name"), str) else folder.name
    notes: list[str] = []
    tables: list[Table] = []
    for number, resource in enumerate(package["resources"], start=1):
        table = _resource_table(resource, number, path, folder, language, base_url,
                                max_bytes, notes)
        if table is None:
            continue
        if any(t.name == table.name for t in tables):
            raise InputError(f"two resources are named {table.name!r}", source=str(path),
                             hint="give every resource its own name")
        tables.append(table)
    identifier = package.get("id") if isinstance(package.get("id"), str) else name
    return DatasetDescription(
        key=name, identifier=identifier, titles=texts(package.get("title"), language),
        descriptions=texts(package.get("description"), language),
        dictionary=DataDictionary(tables=tables), metadata=_package_metadata(package, language),
        metadata_subject="_:dataset", place=str(path), notes=notes)


def _resource_table(resource: object, number: int, path: Path, folder: Path, language: str,
                    base_url: str | None, max_bytes: int, notes: list[str]) -> Table | None:
    if not isinstance(resource, dict):
        raise InputError(f"resource number {number} is not an object", source=str(path))
    paths = resource.get("path")
    first = paths[0] if isinstance(paths, list) and paths else paths
    stem = Path(first).stem if isinstance(first, str) else f"resource-{number}"
    name = resource.get("name") if isinstance(resource.get("name"), str) else stem
    schema = resource.get("schema")
    place = f"{path} (resource {name})"
    if isinstance(schema, str):
        if schema.startswith(("http://", "https://")):
            notes.append(f"resource {name}: its schema {schema} was not fetched")
            return None
        schema_path = (folder / schema).resolve()
        if not schema_path.is_relative_to(folder):
            raise InputError(f"the schema {schema!r} is outside the package's folder",
                             source=place, hint="keep schema files beside datapackage.json")
        place = str(schema_path)
        schema = read_json(schema_path, max_bytes)
    if schema is None:
        notes.append(f"resource {name}: no schema, so no table")
        return None
    table = table_from_schema(schema, source=place, language=language, name=name)
    table.titles = texts(resource.get("title"), language) or table.titles
    table.descriptions = texts(resource.get("description"), language) or table.descriptions
    if isinstance(paths, list) and len(paths) > 1:
        notes.append(f"resource {name}: {len(paths)} files, the table URL names the first")
    table.url = resource_url(first, base_url)
    return table


def resource_url(path: object, base_url: str | None) -> str | None:
    """Where a resource is published: its http(s) path, or its path under ``base_url``."""
    if not isinstance(path, str) or not path.strip():
        return None
    if path.startswith(("http://", "https://")):
        return path
    if base_url:
        return urljoin(base_url if base_url.endswith("/") else base_url + "/",
                       quote(path.lstrip("./")))
    return None


def _package_metadata(package: dict[str, Any], language: str) -> str | None:
    """What a package says beyond its tables: keywords, home page, version."""
    dataset = BlankNode("dataset")
    out = [Triple(dataset, NamedNode(RDF + "type"), NamedNode(DCAT + "Dataset"))]
    for keyword in package.get("keywords") or []:
        if isinstance(keyword, str) and keyword.strip():
            out.append(Triple(dataset, NamedNode(DCAT + "keyword"),
                              Literal(keyword.strip(), language=language or None)))
    homepage = package.get("homepage")
    if isinstance(homepage, str) and homepage.startswith(("http://", "https://")):
        try:
            page = NamedNode(homepage)
        except ValueError:
            page = None
        if page is not None:
            out.append(Triple(dataset, NamedNode(DCAT + "landingPage"), page))
            out.append(Triple(page, NamedNode(RDF + "type"), NamedNode(FOAF + "Document")))
    if isinstance(package.get("version"), str | int | float):
        out.append(Triple(dataset, NamedNode(DCAT + "version"), Literal(str(package["version"]))))
    if len(out) == 1:
        return None
    data = serialize(out, format=RdfFormat.N_TRIPLES)
    assert data is not None
    return data.decode("utf-8")


# -- (b) a folder of Table Schemas --------------------------------------------------------

@dataclass
class _Schema:
    path: Path
    document: dict[str, Any]

    @property
    def product(self) -> str | None:
        value = self.document.get("produit")
        return value.strip() if isinstance(value, str) and value.strip() else None


@dataclass
class SchemaFolder:
    """Table Schemas of one folder, grouped by product, with the code lists they name."""

    root: Path
    language: str | None
    max_bytes: int
    on_error: Errors | None
    _lists: dict[str, Path] = field(default_factory=dict)
    _parsed_lists: dict[str, dict[str, Any]] = field(default_factory=dict)
    _resolved: dict[str, CodeList | None] = field(default_factory=dict)
    _language: str = ""

    def descriptions(self, files: list[Path] | None = None) -> list[DatasetDescription]:
        tables_dir = self.root / "schemas" if (self.root / "schemas").is_dir() else self.root
        lists_dir = self.root / "nomenclatures"
        if lists_dir.is_dir():
            self._lists = {p.stem: p for p in _json_files(lists_dir)}
        schemas: list[_Schema] = []
        for path in files or _json_files(tables_dir):
            document = self._read(path)
            if document is None:
                continue
            if is_code_list(document):
                self._lists.setdefault(path.stem, path)
                self._parsed_lists[path.stem] = document
            elif isinstance(document, dict) and isinstance(document.get("fields"), list):
                schemas.append(_Schema(path, document))
        if not schemas:
            raise InputError("no Table Schema found", source=str(files[0] if files else
                                                               self.root),
                             hint="give a datapackage.json, a Table Schema or a folder of them")
        language = self.language if self.language is not None else (
            "fr" if any(s.product for s in schemas) else "")
        self._language = language
        groups: dict[str, list[_Schema]] = {}
        for schema in schemas:
            groups.setdefault(schema.product or "", []).append(schema)
        single = files is not None and len(files) == 1
        out = [self._dataset(product, members, language, single)
               for product, members in groups.items()]
        return sorted((d for d in out if d is not None), key=lambda d: d.identifier)

    def _read(self, path: Path) -> Any:
        try:
            return read_json(path, self.max_bytes)
        except InputError as exc:
            if self.on_error is None:
                raise
            self.on_error(exc)
            return None

    def _dataset(self, product: str, members: list[_Schema], language: str,
                 single: bool) -> DatasetDescription | None:
        tables: list[Table] = []
        for schema in members:
            try:
                tables.append(table_from_schema(schema.document, source=str(schema.path),
                                                language=language, code_lists=self.code_list))
            except InputError as exc:
                if self.on_error is None:
                    raise
                self.on_error(exc)
        if not tables:
            return None
        notes = _keep_inner_keys(tables)
        variables = sum(len(t.variables) for t in tables)
        if product:
            identifier = SNDS_IDENTIFIERS.get(product, slugify(product))
            titles = {"fr": f"{product} : dictionnaire des données (schéma du SNDS)",
                      "en": f"{product}: data dictionary (SNDS schema)"}
            descriptions = {
                "fr": f"Tables et variables du produit {product} du SNDS, lues dans le schéma "
                      f"du SNDS (Table Schema) : {len(tables)} tables, {variables} variables.",
                "en": f"Tables and variables of the SNDS product {product}, read from the SNDS "
                      f"schema (Table Schema): {len(tables)} tables, {variables} variables."}
        else:
            name = tables[0].name if single else self.root.name
            identifier = slugify(name)
            titles = {"": name}
            descriptions = {
                "fr": f"Tables et variables décrites par {len(members)} schémas Table Schema "
                      f"({len(tables)} tables, {variables} variables).",
                "en": f"Tables and variables described by {len(members)} Table Schema files "
                      f"({len(tables)} tables, {variables} variables)."}
        return DatasetDescription(key=identifier, identifier=identifier, titles=titles,
                                  descriptions=descriptions,
                                  dictionary=DataDictionary(tables=tables),
                                  place=str(self.root), notes=notes)

    def code_list(self, reference: str) -> CodeList | None:
        """The code list a field names (``NAME`` or ``NAME:CODE_COLUMN``), read once."""
        if reference in self._resolved:
            return self._resolved[reference]
        name, _, column = reference.partition(":")
        path = self._lists.get(name)
        found: CodeList | None = None
        if path is not None:
            document = self._parsed_lists.get(name)
            if document is None:
                document = self._read(path)
            if isinstance(document, dict):
                self._parsed_lists[name] = document
                try:
                    found = code_list_from_schema(
                        document, source=str(path), language=self._language,
                        rows=path.with_suffix(".csv"), code_column=column or None)
                except InputError as exc:
                    if self.on_error is None:
                        raise
                    self.on_error(exc)
        self._resolved[reference] = found
        return found


def _json_files(folder: Path) -> list[Path]:
    """JSON files under ``folder``, hidden folders left out, in a stable order."""
    return sorted(p for p in folder.rglob("*.json") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(folder).parts))


def _keep_inner_keys(tables: list[Table]) -> list[str]:
    """Foreign keys to tables of the same dataset are kept; the others are noted."""
    known = {t.name for t in tables}
    notes: list[str] = []
    for table in tables:
        outer = [k for k in table.foreign_keys if k.table not in known]
        if outer:
            table.foreign_keys = [k for k in table.foreign_keys if k.table in known]
            notes.append(f"table {table.name}: {len(outer)} foreign keys to tables of other "
                         f"datasets ({', '.join(sorted({k.table for k in outer}))}) left out")
    return notes
