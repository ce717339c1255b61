"""A data dictionary as CSVW, the way HealthDCAT-AP R8 describes variables.

``healthdcatap:hasVariables`` → ``csvw:TableGroup`` → ``csvw:table`` → ``csvw:column``, every
table and column with an IRI minted under the dataset (so each dereferences on the node).
Row counts and null rates are DQV measurements, suppressed below the threshold; allowed
values of coded columns are SKOS concepts (``skos:notation``, ``skos:prefLabel``) of a code
list (``dct:conformsTo`` a ``skos:ConceptScheme``), listed only when their measured frequency
is not small. Free-text columns never carry values.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from catalog_node.describe.disclosure import safe_count, safe_rate
from catalog_node.describe.model import AllowedValue, CodeList, DataDictionary, Table, Variable
from catalog_node.describe.terms import (
    CND,
    a,
    has_text,
    iri,
    measurement,
    texts,
    title_of,
    typed,
)
from catalog_node.model.iris import IriMinter
from catalog_node.namespaces import CSVW, DCAT, DCT, SCHEMA, SKOS


@dataclass
class DictionaryWriter:
    """Writes one dataset's dictionary; remembers which metrics it used."""

    minter: IriMinter
    dataset_iri: str
    threshold: int
    metrics: set[str] = field(default_factory=set)
    suppressed: int = 0

    def triples(self, dictionary: DataDictionary, dataset_title: str) -> Iterator[Triple]:
        group = iri(self.minter.dictionary(self.dataset_iri))
        yield a(group, CSVW + "TableGroup")
        titles = dictionary.titles if has_text(dictionary.titles) else {
            "en": f"Data dictionary of {dataset_title}",
            "fr": f"Dictionnaire des données de {dataset_title}"}
        yield from texts(group, DCT + "title", titles)
        for table in dictionary.tables:
            node = iri(self.minter.table(self.dataset_iri, table.name))
            yield Triple(group, iri(CSVW + "table"), node)
            yield from self._table(node, table)

    def _table(self, node: NamedNode, table: Table) -> Iterator[Triple]:
        yield a(node, CSVW + "Table")
        yield Triple(node, iri(CSVW + "name"), Literal(table.name))
        yield from texts(node, DCT + "title",
                         table.titles if has_text(table.titles) else {"": table.name})
        yield from texts(node, DCT + "description", table.descriptions)
        for keyword in table.keywords:
            yield Triple(node, iri(DCAT + "keyword"), Literal(keyword))
        if table.url:
            yield Triple(node, iri(CSVW + "url"), iri(table.url))
        rows = safe_count(table.row_count, self.threshold)
        if table.row_count is not None and rows is None:
            self.suppressed += 1
        if rows is not None:
            self.metrics.add("rowCount")
            yield from measurement(iri(self.minter.measurement(node.value, "rows")), node,
                                   "rowCount", typed(rows, "nonNegativeInteger"))
        for column in table.primary_key:
            yield Triple(node, iri(CSVW + "primaryKey"), Literal(column))
        for number, key in enumerate(table.foreign_keys, 1):
            yield from self._foreign_key(node, number, key.columns, key.table, key.referenced)
        for variable in table.variables:
            column = iri(self.minter.column(node.value, variable.name))
            yield Triple(node, iri(CSVW + "column"), column)
            yield from self._column(column, variable, table)

    def _foreign_key(self, table: NamedNode, number: int, columns: list[str], target: str,
                     referenced: list[str]) -> Iterator[Triple]:
        # IRIs, not blank nodes: keys look alike, so blank-node numbering would not be stable.
        key = iri(f"{table.value}/foreign-key/{number}")
        reference = iri(f"{key.value}/reference")
        yield Triple(table, iri(CSVW + "foreignKey"), key)
        for column in columns:
            yield Triple(key, iri(CSVW + "columnReference"), Literal(column))
        yield Triple(key, iri(CSVW + "reference"), reference)
        yield Triple(reference, iri(CSVW + "resource"),
                     iri(self.minter.table(self.dataset_iri, target)))
        for column in referenced:
            yield Triple(reference, iri(CSVW + "columnReference"), Literal(column))

    def _column(self, node: NamedNode, variable: Variable, table: Table) -> Iterator[Triple]:
        yield a(node, CSVW + "Column")
        yield Triple(node, iri(CSVW + "name"), Literal(variable.name))
        yield from texts(node, CSVW + "title", variable.titles if has_text(variable.titles)
                         else {"en": title_of(variable.name)})
        descriptions = variable.descriptions if has_text(variable.descriptions) else {
            "en": f"Column {variable.name} of table {table.name}.",
            "fr": f"Colonne {variable.name} de la table {table.name}."}
        yield from texts(node, DCT + "description", descriptions)
        yield Triple(node, iri(CSVW + "datatype"), Literal(variable.datatype or "string"))
        if variable.required is not None:
            yield Triple(node, iri(CSVW + "required"), typed(str(variable.required).lower(),
                                                               "boolean"))
        if variable.property_url:
            yield Triple(node, iri(CSVW + "propertyUrl"), iri(variable.property_url))
        if variable.unit:
            yield Triple(node, iri(SCHEMA + "unitText"), Literal(variable.unit))
        if variable.null_count is not None:
            rate = safe_rate(variable.null_count, table.row_count, self.threshold)
            if rate is None:
                self.suppressed += 1
            else:
                self.metrics.add("nullRate")
                yield from measurement(iri(self.minter.measurement(node.value, "null-rate")),
                                       node, "nullRate", typed(rate, "decimal"))
        if variable.coded:
            yield from self._code_list(node, variable, table)

    def _code_list(self, column: NamedNode, variable: Variable,
                   table: Table) -> Iterator[Triple]:
        code_list = variable.code_list or (
            CodeList(f"{table.name}.{variable.name}") if variable.allowed_values else None)
        if code_list is None:
            return
        scheme = iri(code_list.iri or self.minter.code_list(self.dataset_iri, code_list.name))
        yield Triple(column, iri(DCT + "conformsTo"), scheme)
        yield a(scheme, SKOS + "ConceptScheme")
        yield from texts(scheme, DCT + "title", code_list.titles
                         if has_text(code_list.titles) else {"": code_list.name})
        values = _publishable(variable.allowed_values or code_list.values, self.threshold)
        # Concepts get IRIs of the node's own, also when the list is someone else's.
        base = self.minter.code_list(self.dataset_iri, code_list.name)
        for value in values:
            concept = iri(self.minter.code(base, value.code))
            yield Triple(column, iri(CND + "allowedValue"), concept)
            yield a(concept, SKOS + "Concept")
            yield Triple(concept, iri(SKOS + "inScheme"), scheme)
            yield Triple(concept, iri(SKOS + "notation"), Literal(value.code))
            yield from texts(concept, SKOS + "prefLabel", value.labels if has_text(value.labels)
                             else {"": value.code})


def _publishable(values: list[AllowedValue], threshold: int) -> list[AllowedValue]:
    """Declared values, and measured ones that are not rare (a rare code singles people out)."""
    return [v for v in values
            if v.count is None or (v.count > 0 and safe_count(v.count, threshold) is not None)]
