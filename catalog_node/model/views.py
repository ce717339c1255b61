"""Typed read views of a dataset record, for the HTML pages and the JSON API."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad

from catalog_node.model.graph import Node, RecordGraphView, Term
from catalog_node.namespaces import (
    ADMS,
    CND,
    CSVW,
    DCAT,
    DCATAP,
    DCT,
    DQV,
    FOAF,
    HEALTHDCATAP,
    OWL,
    RDF,
    SCHEMA,
    SKOS,
    VCARD,
)

#: (predicate, English label, French label) of the facts shown on a dataset page, in order.
DATASET_FACTS: tuple[tuple[str, str, str], ...] = (
    (f"{DCT}identifier", "Identifier", "Identifiant"),
    (f"{ADMS}identifier", "Other identifier", "Autre identifiant"),
    (f"{DCT}publisher", "Publisher", "Éditeur"),
    (f"{DCT}creator", "Creator", "Créateur"),
    (f"{HEALTHDCATAP}hdab", "Health data access body", "Organisme d'accès aux données de santé"),
    (f"{DCT}accessRights", "Access rights", "Droits d'accès"),
    (f"{DCATAP}applicableLegislation", "Applicable legislation", "Législation applicable"),
    (f"{DCAT}theme", "Themes", "Thèmes"),
    (f"{HEALTHDCATAP}healthCategory", "Health categories", "Catégories de santé"),
    (f"{HEALTHDCATAP}healthTheme", "Health themes", "Thèmes de santé"),
    (f"{DCAT}keyword", "Keywords", "Mots-clés"),
    (f"{DCT}spatial", "Spatial coverage", "Couverture géographique"),
    (f"{DCT}accrualPeriodicity", "Update frequency", "Fréquence de mise à jour"),
    (f"{DCT}language", "Languages", "Langues"),
    (f"{DCT}type", "Type", "Type"),
    (f"{HEALTHDCATAP}populationCoverage", "Population coverage", "Population couverte"),
    (f"{HEALTHDCATAP}numberOfRecords", "Number of records", "Nombre d'enregistrements"),
    (f"{HEALTHDCATAP}numberOfUniqueIndividuals", "Unique individuals", "Individus distincts"),
    (f"{HEALTHDCATAP}minTypicalAge", "Typical age from", "Âge typique minimal"),
    (f"{HEALTHDCATAP}maxTypicalAge", "Typical age to", "Âge typique maximal"),
    (f"{DCAT}landingPage", "Landing page", "Page d'accueil"),
    (f"{FOAF}page", "Documentation", "Documentation"),
    (f"{DCT}conformsTo", "Conforms to", "Conforme à"),
    (f"{DCT}issued", "Issued", "Publié le"),
    (f"{DCT}modified", "Modified", "Modifié le"),
    (f"{DCAT}version", "Version", "Version"),
)
_SHOWN_ELSEWHERE = {f"{DCT}title", f"{DCT}description", f"{RDF}type", f"{DCAT}distribution",
                    f"{DCAT}contactPoint", f"{DCT}temporal", f"{HEALTHDCATAP}hasVariables",
                    f"{OWL}sameAs"}


@dataclass(frozen=True)
class Value:
    """One shown value: its text, and the IRI to link to when it is a resource."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class Fact:
    label: str
    values: list[Value]


@dataclass(frozen=True)
class ContactView:
    name: str
    email: str | None
    url: str | None


@dataclass(frozen=True)
class DistributionView:
    iri: str | None
    title: str
    description: str | None
    facts: list[Fact]


@dataclass(frozen=True)
class ColumnView:
    name: str
    title: str | None
    datatype: str | None
    description: str | None
    iri: str | None = None
    unit: str | None = None
    #: share of empty rows (0 to 1), when the warehouse measured and may publish it
    null_rate: str | None = None
    #: allowed values of a coded column: (code, label)
    values: list[tuple[str, str | None]] = field(default_factory=list)
    code_list: str | None = None


@dataclass(frozen=True)
class TableView:
    iri: str | None
    name: str
    description: str | None
    columns: list[ColumnView]
    rows: str | None = None
    #: the dataset of another source whose dictionary this table comes from
    linked_from: str | None = None


@dataclass
class DatasetView:
    """Everything a dataset page or the JSON API shows about one dataset."""

    iri: str
    lang: str
    title: str
    description: str | None
    facts: list[Fact] = field(default_factory=list)
    temporal: list[tuple[str | None, str | None]] = field(default_factory=list)
    contacts: list[ContactView] = field(default_factory=list)
    distributions: list[DistributionView] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)
    other: list[Fact] = field(default_factory=list)


def _href(term: Term) -> str | None:
    return term.value if isinstance(term, NamedNode) else None


#: Properties whose values are web pages or files: shown as their address.
_ADDRESSES = {f"{DCAT}landingPage", f"{FOAF}page", f"{DCAT}accessURL", f"{DCAT}downloadURL",
              f"{FOAF}homepage"}


def _values(graph: RecordGraphView, subject: Node, predicate: str, lang: str) -> list[Value]:
    objects = graph.objects(subject, predicate)
    if predicate in _ADDRESSES:
        return [Value(o.value, _href(o)) for o in objects]
    literals = [o for o in objects if isinstance(o, Literal)]
    in_lang = [o for o in literals if (o.language or "").split("-")[0] == lang]
    if in_lang and len(in_lang) < len(literals):
        objects = [o for o in objects if not isinstance(o, Literal)] + in_lang
    return [Value(graph.label(o, lang), _href(o)) for o in objects]


def _facts(graph: RecordGraphView, subject: Node, table: tuple[tuple[str, str, str], ...],
           lang: str) -> list[Fact]:
    facts = []
    for predicate, label_en, label_fr in table:
        values = _values(graph, subject, predicate, lang)
        if values:
            facts.append(Fact(label_fr if lang == "fr" else label_en, values))
    return facts


_DISTRIBUTION_FACTS: tuple[tuple[str, str, str], ...] = (
    (f"{DCAT}accessURL", "Access URL", "URL d'accès"),
    (f"{DCAT}downloadURL", "Download URL", "URL de téléchargement"),
    (f"{DCT}format", "Format", "Format"),
    (f"{DCAT}mediaType", "Media type", "Type de média"),
    (f"{DCT}license", "Licence", "Licence"),
    (f"{DCT}rights", "Rights", "Droits"),
    (f"{DCAT}byteSize", "Size (bytes)", "Taille (octets)"),
    (f"{ADMS}status", "Status", "Statut"),
    (f"{DCATAP}availability", "Availability", "Disponibilité"),
    (f"{DCAT}accessService", "Access service", "Service d'accès"),
)


def _measured(graph: RecordGraphView, subject: Node, metric: str) -> str | None:
    """The value of a DQV measurement of ``metric`` (a catalog-node dictionary metric)."""
    for m in graph.nodes(subject, f"{DQV}hasQualityMeasurement"):
        if any(o.value == CND + metric for o in graph.nodes(m, f"{DQV}isMeasurementOf")):
            return graph.text(m, f"{DQV}value", "")
    return None


def _column(graph: RecordGraphView, column: Node, lang: str) -> ColumnView:
    datatype = next(iter(graph.objects(column, f"{CSVW}datatype")), None)
    code_list = next(iter(graph.nodes(column, f"{DCT}conformsTo")), None)
    values = [(graph.text(v, f"{SKOS}notation", lang) or graph.label(v, lang),
               graph.text(v, f"{SKOS}prefLabel", lang))
              for v in graph.nodes(column, CND + "allowedValue")]
    return ColumnView(
        name=graph.text(column, f"{CSVW}name", lang) or graph.label(column, lang),
        title=graph.text(column, f"{CSVW}title", lang),
        datatype=graph.label(datatype, lang) if datatype is not None else None,
        description=graph.text(column, f"{DCT}description", lang),
        iri=_href(column), unit=graph.text(column, f"{SCHEMA}unitText", lang),
        null_rate=_measured(graph, column, "nullRate"),
        values=sorted(values, key=lambda v: (len(v[0]), v[0])),
        code_list=(graph.text(code_list, f"{DCT}title", lang) or graph.label(code_list, lang))
        if code_list is not None else None)


def _tables(graph: RecordGraphView, dataset: Node, lang: str) -> list[TableView]:
    tables: list[TableView] = []
    for group in graph.nodes(dataset, f"{HEALTHDCATAP}hasVariables"):
        candidates = graph.nodes(group, f"{CSVW}table") or [group]
        for table in candidates:
            columns = [_column(graph, c, lang) for c in graph.nodes(table, f"{CSVW}column")]
            for schema in graph.nodes(table, f"{CSVW}tableSchema"):
                columns.extend(_column(graph, c, lang)
                               for c in graph.nodes(schema, f"{CSVW}column"))
            name = (graph.text(table, f"{DCT}title", lang) or graph.text(table, f"{CSVW}name", lang)
                    or graph.label(table, lang))
            tables.append(TableView(_href(table), name,
                                    graph.text(table, f"{DCT}description", lang), columns,
                                    rows=_measured(graph, table, "rowCount")))
    return tables


def linked_tables(quads: list[Quad], dataset_iri: str, lang: str = "en") -> list[TableView]:
    """The tables of a linked record's dictionary (a data dictionary of another source)."""
    graph = RecordGraphView(quads)
    return [TableView(t.iri, t.name, t.description, t.columns, t.rows, dataset_iri)
            for t in _tables(graph, NamedNode(dataset_iri), lang)]


def dataset_view(quads: list[Quad], dataset_iri: str, lang: str = "en") -> DatasetView:
    """Build the view of ``dataset_iri`` from its record's quads."""
    graph = RecordGraphView(quads)
    ds = NamedNode(dataset_iri)
    view = DatasetView(iri=dataset_iri, lang=lang,
                       title=graph.text(ds, f"{DCT}title", lang) or dataset_iri,
                       description=graph.text(ds, f"{DCT}description", lang))
    view.facts = _facts(graph, ds, DATASET_FACTS, lang)
    for period in graph.nodes(ds, f"{DCT}temporal"):
        view.temporal.append((graph.text(period, f"{DCAT}startDate", lang),
                              graph.text(period, f"{DCAT}endDate", lang)))
    for contact in graph.nodes(ds, f"{DCAT}contactPoint"):
        emails = [o.value.removeprefix("mailto:") for o in graph.objects(
            contact, f"{VCARD}hasEmail") if isinstance(o, NamedNode | Literal)]
        urls = [o.value for o in graph.objects(contact, f"{VCARD}hasURL")]
        view.contacts.append(ContactView(graph.label(contact, lang), next(iter(emails), None),
                                         next(iter(urls), None)))
    for dist in graph.nodes(ds, f"{DCAT}distribution"):
        view.distributions.append(DistributionView(
            iri=_href(dist),
            title=graph.text(dist, f"{DCT}title", lang) or graph.label(dist, lang),
            description=graph.text(dist, f"{DCT}description", lang),
            facts=_facts(graph, dist, _DISTRIBUTION_FACTS, lang)))
    view.tables = _tables(graph, ds, lang)
    known = {p for p, _, _ in DATASET_FACTS} | _SHOWN_ELSEWHERE
    for predicate in sorted(graph.properties(ds)):
        if predicate not in known:
            view.other.append(Fact(_short(predicate), _values(graph, ds, predicate, lang)))
    return view


def _short(iri: str) -> str:
    from catalog_node.namespaces import PREFIXES

    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
