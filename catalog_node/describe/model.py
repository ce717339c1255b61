"""The neutral description of a dataset read from a warehouse or a data dictionary.

Figures are held raw here (as measured in the warehouse, or as a producer declared them);
they are suppressed when the description is built (``describe/disclosure.py``), never by a
reader. Texts are ``{language: text}`` maps (``""`` when the language is unknown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

Texts = dict[str, str]


@dataclass
class AllowedValue:
    """One value a coded column takes, with its labels and (measured) frequency."""

    code: str
    labels: Texts = field(default_factory=dict)
    #: rows holding it, when measured; a value below the threshold is never published
    count: int | None = None


@dataclass
class CodeList:
    """A code list (nomenclature) a column's values come from."""

    name: str
    titles: Texts = field(default_factory=dict)
    #: an IRI of its own (e.g. a HealthData@EU coding system), else the node mints one
    iri: str | None = None
    values: list[AllowedValue] = field(default_factory=list)


@dataclass
class Variable:
    """A column of a table."""

    name: str
    #: a CSVW datatype name: string, integer, decimal, double, boolean, date, dateTime, time…
    datatype: str = "string"
    titles: Texts = field(default_factory=dict)
    descriptions: Texts = field(default_factory=dict)
    unit: str | None = None
    required: bool | None = None
    #: an IRI naming the property the column holds
    property_url: str | None = None
    #: coded columns (concept ids, code lists) may publish their values; others never do
    coded: bool = False
    allowed_values: list[AllowedValue] = field(default_factory=list)
    code_list: CodeList | None = None
    #: measured in a warehouse: rows where the column is null
    null_count: int | None = None
    #: the type the source declares (``VARCHAR(50)``, ``integer``…), kept for the reader
    source_type: str | None = None


@dataclass
class ForeignKey:
    columns: list[str]
    table: str
    referenced: list[str]


@dataclass
class Table:
    name: str
    titles: Texts = field(default_factory=dict)
    descriptions: Texts = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    #: measured rows (or declared by the producer); suppressed below the threshold
    row_count: int | None = None
    variables: list[Variable] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    #: where the table's data is described or published (csvw:url), if anywhere
    url: str | None = None


@dataclass
class DataDictionary:
    titles: Texts = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)


@dataclass
class PopulationFacts:
    """Aggregates measured in a person-level warehouse (OMOP CDM)."""

    persons: int | None = None
    #: rows per clinical event table (visit_occurrence, condition_occurrence…)
    event_rows: dict[str, int] = field(default_factory=dict)
    #: persons per sex: keys ``female``, ``male``, ``other``, ``unknown``
    persons_by_sex: dict[str, int] = field(default_factory=dict)
    #: persons per whole year of age at the start of their first observation period
    age_histogram: dict[int, int] = field(default_factory=dict)
    observation_start: date | None = None
    observation_end: date | None = None
    #: HealthData@EU coding-system IRI → rows coded with it
    coding_systems: dict[str, int] = field(default_factory=dict)
    #: e.g. ``OMOP CDM 5.4``
    model: str | None = None


@dataclass
class DatasetDescription:
    """Everything a non-RDF source says about one dataset."""

    #: stable key of the dataset within its source (used to mint its IRIs)
    key: str
    #: dct:identifier; a dictionary whose identifier matches a dataset of another source
    #: enriches that dataset (linked by the duplicate rules, never merged)
    identifier: str
    titles: Texts = field(default_factory=dict)
    descriptions: Texts = field(default_factory=dict)
    dictionary: DataDictionary | None = None
    population: PopulationFacts | None = None
    #: what the producer says about the dataset (title, publisher, HDAB, legislation,
    #: access rights…) as N-Triples whose dataset subject is ``metadata_subject``
    metadata: str | None = None
    metadata_subject: str | None = None
    #: where the description came from (file, database URL without secrets), for errors
    place: str = ""
    #: notes for the harvest report (what could not be read, what was suppressed)
    notes: list[str] = field(default_factory=list)
