"""The OMOP CDM tables the synthetic warehouse fills, as portable SQLAlchemy DDL, and a loader.

Column names, datatypes and required flags follow the OMOP CDM field-level specification
(5.3 and 5.4); the tables are the subset ``bench/omop_synthetic.py`` fills. Layouts are written
for 5.4; 5.3 is derived from them (visit_occurrence's 5.3 names, no 5.4-only column or table).

Loading: PostgreSQL through psycopg 3 uses ``COPY … FROM STDIN``; DuckDB reads a temporary CSV
file with ``COPY``; anything else gets batched ``executemany`` through SQLAlchemy Core.
"""

import csv
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.schema import CreateSchema

#: table → "column:type" in 5.4 order; type i integer, f float, d date, t datetime,
#: x unbounded text, a number a varchar(n); a trailing ``!`` marks a required column.
LAYOUT_54: dict[str, str] = {
    "location": "location_id:i! address_1:50 address_2:50 city:50 state:2 zip:9 county:20 "
                "location_source_value:50 country_concept_id:i country_source_value:80 "
                "latitude:f longitude:f",
    "care_site": "care_site_id:i! care_site_name:255 place_of_service_concept_id:i "
                 "location_id:i care_site_source_value:50 place_of_service_source_value:50",
    "person": "person_id:i! gender_concept_id:i! year_of_birth:i! month_of_birth:i "
              "day_of_birth:i birth_datetime:t race_concept_id:i! ethnicity_concept_id:i! "
              "location_id:i provider_id:i care_site_id:i person_source_value:50 "
              "gender_source_value:50 gender_source_concept_id:i race_source_value:50 "
              "race_source_concept_id:i ethnicity_source_value:50 ethnicity_source_concept_id:i",
    "observation_period": "observation_period_id:i! person_id:i! "
                          "observation_period_start_date:d! observation_period_end_date:d! "
                          "period_type_concept_id:i!",
    "visit_occurrence": "visit_occurrence_id:i! person_id:i! visit_concept_id:i! "
                        "visit_start_date:d! visit_start_datetime:t visit_end_date:d! "
                        "visit_end_datetime:t visit_type_concept_id:i! provider_id:i "
                        "care_site_id:i visit_source_value:50 visit_source_concept_id:i "
                        "admitted_from_concept_id:i admitted_from_source_value:50 "
                        "discharged_to_concept_id:i discharged_to_source_value:50 "
                        "preceding_visit_occurrence_id:i",
    "condition_occurrence": "condition_occurrence_id:i! person_id:i! condition_concept_id:i! "
                            "condition_start_date:d! condition_start_datetime:t "
                            "condition_end_date:d condition_end_datetime:t "
                            "condition_type_concept_id:i! condition_status_concept_id:i "
                            "stop_reason:20 provider_id:i visit_occurrence_id:i "
                            "visit_detail_id:i condition_source_value:50 "
                            "condition_source_concept_id:i condition_status_source_value:50",
    "drug_exposure": "drug_exposure_id:i! person_id:i! drug_concept_id:i! "
                     "drug_exposure_start_date:d! drug_exposure_start_datetime:t "
                     "drug_exposure_end_date:d! drug_exposure_end_datetime:t verbatim_end_date:d "
                     "drug_type_concept_id:i! stop_reason:20 refills:i quantity:f days_supply:i "
                     "sig:x route_concept_id:i lot_number:50 provider_id:i "
                     "visit_occurrence_id:i visit_detail_id:i drug_source_value:50 "
                     "drug_source_concept_id:i route_source_value:50 dose_unit_source_value:50",
    "procedure_occurrence": "procedure_occurrence_id:i! person_id:i! procedure_concept_id:i! "
                            "procedure_date:d! procedure_datetime:t procedure_end_date:d "
                            "procedure_end_datetime:t procedure_type_concept_id:i! "
                            "modifier_concept_id:i quantity:i provider_id:i "
                            "visit_occurrence_id:i visit_detail_id:i procedure_source_value:50 "
                            "procedure_source_concept_id:i modifier_source_value:50",
    "measurement": "measurement_id:i! person_id:i! measurement_concept_id:i! "
                   "measurement_date:d! measurement_datetime:t measurement_time:10 "
                   "measurement_type_concept_id:i! operator_concept_id:i value_as_number:f "
                   "value_as_concept_id:i unit_concept_id:i range_low:f range_high:f "
                   "provider_id:i visit_occurrence_id:i visit_detail_id:i "
                   "measurement_source_value:50 measurement_source_concept_id:i "
                   "unit_source_value:50 unit_source_concept_id:i value_source_value:50 "
                   "measurement_event_id:i meas_event_field_concept_id:i",
    "observation": "observation_id:i! person_id:i! observation_concept_id:i! "
                   "observation_date:d! observation_datetime:t observation_type_concept_id:i! "
                   "value_as_number:f value_as_string:60 value_as_concept_id:i "
                   "qualifier_concept_id:i unit_concept_id:i provider_id:i "
                   "visit_occurrence_id:i visit_detail_id:i observation_source_value:50 "
                   "observation_source_concept_id:i unit_source_value:50 "
                   "qualifier_source_value:50 value_source_value:50 observation_event_id:i "
                   "obs_event_field_concept_id:i",
    "device_exposure": "device_exposure_id:i! person_id:i! device_concept_id:i! "
                       "device_exposure_start_date:d! device_exposure_start_datetime:t "
                       "device_exposure_end_date:d device_exposure_end_datetime:t "
                       "device_type_concept_id:i! unique_device_id:255 production_id:255 "
                       "quantity:i provider_id:i visit_occurrence_id:i visit_detail_id:i "
                       "device_source_value:50 device_source_concept_id:i unit_concept_id:i "
                       "unit_source_value:50 unit_source_concept_id:i",
    "death": "person_id:i! death_date:d! death_datetime:t death_type_concept_id:i "
             "cause_concept_id:i cause_source_value:50 cause_source_concept_id:i",
    "episode": "episode_id:i! person_id:i! episode_concept_id:i! episode_start_date:d! "
               "episode_start_datetime:t episode_end_date:d episode_end_datetime:t "
               "episode_parent_id:i episode_number:i episode_object_concept_id:i! "
               "episode_type_concept_id:i! episode_source_value:50 episode_source_concept_id:i",
    "concept": "concept_id:i! concept_name:255! domain_id:20! vocabulary_id:20! "
               "concept_class_id:20! standard_concept:1 concept_code:50! valid_start_date:d! "
               "valid_end_date:d! invalid_reason:1",
    "vocabulary": "vocabulary_id:20! vocabulary_name:255! vocabulary_reference:255 "
                  "vocabulary_version:255 vocabulary_concept_id:i!",
    "cdm_source": "cdm_source_name:255! cdm_source_abbreviation:25! cdm_holder:255! "
                  "source_description:x source_documentation_reference:255 "
                  "cdm_etl_reference:255 source_release_date:d! cdm_release_date:d! "
                  "cdm_version:10 cdm_version_concept_id:i! vocabulary_version:20!",
}
#: 5.4 names → their 5.3 names
RENAMED_53 = {
    ("visit_occurrence", "admitted_from_concept_id"): "admitting_source_concept_id",
    ("visit_occurrence", "admitted_from_source_value"): "admitting_source_value",
    ("visit_occurrence", "discharged_to_concept_id"): "discharge_to_concept_id",
    ("visit_occurrence", "discharged_to_source_value"): "discharge_to_source_value",
}
#: 5.4 columns and tables 5.3 does not have
ONLY_54 = {
    "location": {"country_concept_id", "country_source_value", "latitude", "longitude"},
    "procedure_occurrence": {"procedure_end_date", "procedure_end_datetime"},
    "measurement": {"unit_source_concept_id", "measurement_event_id",
                    "meas_event_field_concept_id"},
    "observation": {"value_source_value", "observation_event_id", "obs_event_field_concept_id"},
    "device_exposure": {"production_id", "unit_concept_id", "unit_source_value",
                        "unit_source_concept_id"},
    "cdm_source": {"cdm_version_concept_id"},
}
TABLES_ONLY_54 = {"episode"}
#: 5.3 required flags or sizes that differ from 5.4
CHANGED_53 = {
    ("device_exposure", "unique_device_id"): "50",
    ("vocabulary", "vocabulary_reference"): "255!",
    **{("cdm_source", c): t for c, t in (
        ("cdm_source_abbreviation", "25"), ("cdm_holder", "255"), ("source_release_date", "d"),
        ("cdm_release_date", "d"), ("vocabulary_version", "20"))},
}
#: tables without a primary key (every other table's first column is its key)
NO_KEY = {"death", "cdm_source"}
VERSIONS = ("5.3", "5.4")


def layout(version: str) -> dict[str, list[tuple[str, str]]]:
    """table → [(column, type code)] for a CDM version, in DDL order."""
    if version not in VERSIONS:
        raise ValueError(f"OMOP CDM version {version!r} is not one of {', '.join(VERSIONS)}")
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, spec in LAYOUT_54.items():
        if version == "5.3" and table in TABLES_ONLY_54:
            continue
        columns = []
        for item in spec.split():
            name, kind = item.split(":")
            if version == "5.3":
                if name in ONLY_54.get(table, ()):
                    continue
                kind = CHANGED_53.get((table, name), kind)
                name = RENAMED_53.get((table, name), name)
            columns.append((name, kind))
        tables[table] = columns
    return tables


def _type(kind: str) -> sa.types.TypeEngine:
    code = kind.rstrip("!")
    simple = {"i": sa.Integer(), "f": sa.Float(), "d": sa.Date(), "t": sa.DateTime(),
              "x": sa.Text()}
    return simple[code] if code in simple else sa.String(int(code))


def metadata(version: str, schema: str | None = None) -> sa.MetaData:
    """The tables of ``version`` as SQLAlchemy Core tables."""
    md = sa.MetaData(schema=schema)
    for table, columns in layout(version).items():
        sa.Table(table, md, *(
            sa.Column(name, _type(kind), nullable=not kind.endswith("!"),
                      primary_key=(i == 0 and table not in NO_KEY), autoincrement=False)
            for i, (name, kind) in enumerate(columns)))
    return md


def load(engine: sa.Engine, version: str, rows: dict[str, list[tuple]], *,
         schema: str | None = None, batch: int = 10_000) -> None:
    """Drop and recreate the tables of ``version``, then insert ``rows`` (table → tuples)."""
    md = metadata(version, schema)
    if schema is not None:
        if engine.dialect.name == "sqlite":
            raise ValueError("SQLite has no schemas: leave --schema out (or ATTACH a file)")
        with engine.begin() as conn:
            conn.execute(CreateSchema(schema, if_not_exists=True))
    md.drop_all(engine)
    md.create_all(engine)
    for table in md.sorted_tables:
        data = rows.get(table.name, [])
        if not data:
            continue
        if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
            _copy_postgres(engine, table, data)
        elif engine.dialect.name == "duckdb":
            _copy_duckdb(engine, table, data)
        else:
            _executemany(engine, table, data, batch)


def _executemany(engine: sa.Engine, table: sa.Table, data: Sequence[tuple], batch: int) -> None:
    names = [c.name for c in table.columns]
    with engine.begin() as conn:
        for start in range(0, len(data), batch):
            conn.execute(table.insert(),
                         [dict(zip(names, row, strict=True)) for row in data[start:start + batch]])


def _quoted(engine: sa.Engine, table: sa.Table) -> tuple[str, str]:
    prep = engine.dialect.identifier_preparer
    return prep.format_table(table), ", ".join(prep.quote(c.name) for c in table.columns)


def _copy_postgres(engine: sa.Engine, table: sa.Table, data: Iterable[tuple]) -> None:
    name, columns = _quoted(engine, table)
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor, cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
        raw.commit()
    finally:
        raw.close()


def _copy_duckdb(engine: sa.Engine, table: sa.Table, data: Iterable[tuple]) -> None:
    """DuckDB's executemany goes row by row; a CSV file and COPY take a second per million."""
    name, columns = _quoted(engine, table)
    with tempfile.TemporaryDirectory(prefix="omop-load-") as work:
        path = Path(work) / "rows.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            for row in data:
                writer.writerow(["\\N" if v is None else v for v in row])
        with engine.begin() as conn:
            conn.exec_driver_sql(f"COPY {name} ({columns}) FROM '{path}' "
                                 "(FORMAT csv, HEADER false, NULLSTR '\\N', QUOTE '\"')")
