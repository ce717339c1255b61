"""A deterministic synthetic OMOP CDM warehouse (5.3 or 5.4) for tests and benchmarks.

    python bench/omop_synthetic.py --persons 10000 --url sqlite:///omop.db [--version 5.3]

or ``generate(persons, seed=…)`` then ``create_and_load(engine, data)`` from Python. The same
arguments give the same rows: one ``random.Random(seed)`` draws everything in a fixed order,
and the version only renames or drops columns (the values are the same in 5.3 and 5.4).

Concept ids (``omop_concepts.py``): the Gender, Race, Ethnicity, Visit, Type Concept (32817
EHR, 32810 Claim) and UCUM ids are the standard OMOP ones, as is cdm_version_concept_id 756265
(CDM 5.4); every id from 2,000,000,000 up (SNOMED, ICD10, ICD10CM, LOINC, RxNorm, ATC, CPT4,
HCPCS and the vocabulary concepts) is invented.

Deliberate small cells, for suppression tests (at any size of at least 20 persons):
3 persons of gender 8521 (OTHER) and none of 8551 (UNKNOWN); 2 persons born in 1905 (the
others 1930-2020); 7 device_exposure rows; deaths for 2 % of the persons; HCPCS in exactly 4
procedure_occurrence rows (procedure_source_concept_id); the kilogram (9529) unit in exactly
6 measurement rows. Observation periods lie within 2010-01-01 to 2023-12-31, 1 or 2 per person.
Free-text and identifier columns (person_source_value, *_source_value, sig, value_as_string,
unique_device_id) hold local codes and notes that a harvester must never publish.

This module has no ``from __future__ import annotations``, so it loads by path
(``importlib.util.spec_from_file_location``) without being registered in ``sys.modules``.
"""

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
from omop_cdm import RENAMED_53, layout, load  # noqa: E402
from omop_concepts import CLAIM, EHR, INVENTED, VOCABULARIES, concepts  # noqa: E402

FIRST_DAY, LAST_DAY = date(2010, 1, 1), date(2023, 12, 31)
#: event tables and their share of the events (device_exposure and death are fixed)
SHARES = {"visit_occurrence": 0.18, "condition_occurrence": 0.17, "drug_exposure": 0.20,
          "procedure_occurrence": 0.10, "measurement": 0.25, "observation": 0.10}
DEVICE_ROWS, HCPCS_ROWS, RARE_UNIT_ROWS, OTHER_SEX, BORN_1905 = 7, 4, 6, 3, 2
DEATH_SHARE = 0.02

#: LOINC code → (unit concept, unit code, mean, sd, range low, range high)
_LABS = {"4548-4": (8554, "%", 6.0, 1.2, 4.0, 5.6), "8480-6": (8876, "mm[Hg]", 130, 18, 90, 140),
         "8462-4": (8876, "mm[Hg]", 80, 11, 60, 90), "8867-4": (8541, "/min", 74, 12, 50, 100),
         "2345-7": (8840, "mg/dL", 105, 25, 70, 99), "8302-2": (8582, "cm", 168, 10, 140, 200),
         "29463-7": (9529, "kg", 74, 15, 40, 150)}
_SIGS = ["1 cp matin et soir", "1 comprimé le soir au coucher", "2 bouffées si besoin",
         "500 mg x3/j pendant le repas", "1 cp/j, arrêt si vertiges"]


@dataclass
class SyntheticOmop:
    """A generated warehouse: table → column names (DDL order) and rows (tuples)."""

    version: str
    columns: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, list[tuple]] = field(default_factory=dict)

    def total_rows(self) -> int:
        return sum(len(r) for r in self.rows.values())


class _Generator:
    def __init__(self, persons: int, seed: int, events_per_person: float):
        self.n = persons
        self.rng = random.Random(seed)
        self.events = events_per_person
        self.concept = {(c[3], c[6]): c[0] for c in concepts()}
        self.rows: dict[str, list[dict]] = {}
        self.periods: list[list[tuple[date, date]]] = []
        self.visits: list[list[tuple[int, date, date]]] = []

    def ids(self, vocabulary: str, domain: str) -> list[tuple[int, str]]:
        return [(c[0], c[6]) for c in concepts() if c[3] == vocabulary and c[2] == domain]

    def run(self) -> dict[str, list[dict]]:
        self.reference_tables()
        self.people()
        totals = {t: round(self.n * self.events * s) for t, s in SHARES.items()}
        self.visit_rows(totals["visit_occurrence"])
        self.condition_rows(totals["condition_occurrence"])
        self.drug_rows(totals["drug_exposure"])
        self.procedure_rows(max(totals["procedure_occurrence"], HCPCS_ROWS))
        self.measurement_rows(max(totals["measurement"], RARE_UNIT_ROWS))
        self.observation_rows(totals["observation"])
        self.device_rows()
        self.death_rows()
        self.rows["episode"] = []
        return self.rows

    def reference_tables(self) -> None:
        self.rows["concept"] = [
            dict(concept_id=c[0], concept_name=c[1], domain_id=c[2], vocabulary_id=c[3],
                 concept_class_id=c[4], standard_concept=c[5], concept_code=c[6],
                 valid_start_date=date(1970, 1, 1), valid_end_date=date(2099, 12, 31))
            for c in concepts()]
        self.rows["vocabulary"] = [
            dict(vocabulary_id=v, vocabulary_name=name, vocabulary_reference="synthetic",
                 vocabulary_version="2023-08-31", vocabulary_concept_id=INVENTED + 1000 + i)
            for i, (v, name) in enumerate(VOCABULARIES.items())]
        cities = [("Lille", "59000", 50.63, 3.06), ("Rennes", "35000", 48.11, -1.68),
                  ("Lyon", "69003", 45.76, 4.84), ("Toulouse", "31000", 43.60, 1.44),
                  ("Nancy", "54000", 48.69, 6.18)]
        self.rows["location"] = [
            dict(location_id=i, address_1=f"{10 * i} rue de l'Hôpital", city=city, zip=zip_,
                 location_source_value=f"GEO-{zip_}", country_source_value="FR",
                 latitude=lat, longitude=lon)
            for i, (city, zip_, lat, lon) in enumerate(cities, 1)]
        self.rows["care_site"] = [
            dict(care_site_id=i, care_site_name=name, place_of_service_concept_id=pos,
                 location_id=i, care_site_source_value=f"UF{1000 + 7 * i}")
            for i, (name, pos) in enumerate([("Cardiologie", 9201), ("Pneumologie", 9201),
                                             ("Consultations externes", 9202),
                                             ("Urgences adultes", 9203)], 1)]

    def people(self) -> None:
        rng, n = self.rng, self.n
        chosen = rng.sample(range(n), min(n, OTHER_SEX + BORN_1905))
        other, old = set(chosen[:OTHER_SEX]), set(chosen[OTHER_SEX:])
        races = [(8527, "W"), (8516, "B"), (8515, "A")]
        people, periods = [], []
        for i in range(n):
            pid = i + 1
            gender = 8521 if i in other else (8532 if rng.random() < 0.52 else 8507)
            year = 1905 if i in old else rng.randint(1930, 2020)
            born = date(year, rng.randint(1, 12), rng.randint(1, 28))
            race, race_code = races[0] if rng.random() < 0.7 else rng.choice(races[1:])
            hispanic = rng.random() < 0.1
            people.append(dict(
                person_id=pid, gender_concept_id=gender, year_of_birth=year,
                month_of_birth=born.month, day_of_birth=born.day,
                birth_datetime=datetime(year, born.month, born.day),
                race_concept_id=race, ethnicity_concept_id=38003563 if hispanic else 38003564,
                location_id=rng.randint(1, 5), care_site_id=rng.randint(1, 4),
                person_source_value=f"IPP{rng.randrange(10**9):09d}",
                gender_source_value={8532: "F", 8507: "M"}.get(gender, "X"),
                race_source_value=race_code, ethnicity_source_value="H" if hispanic else "N"))
            first = max(FIRST_DAY, born)
            span = (LAST_DAY - first).days
            bounds = sorted(rng.sample(range(span + 1), 4 if rng.random() < 0.4 else 2))
            mine = [(first + timedelta(bounds[k]), first + timedelta(bounds[k + 1]))
                    for k in range(0, len(bounds), 2)]
            self.periods.append(mine)
            for start, end in mine:
                periods.append(dict(observation_period_id=len(periods) + 1, person_id=pid,
                                    observation_period_start_date=start,
                                    observation_period_end_date=end,
                                    period_type_concept_id=EHR))
        self.rows["person"], self.rows["observation_period"] = people, periods

    def when(self) -> tuple[int, date, int | None]:
        """A person, an event date in one of their periods, and often a visit of theirs."""
        rng = self.rng
        i = rng.randrange(self.n)
        visits = self.visits[i] if self.visits else []
        if visits and rng.random() < 0.8:
            vid, start, end = visits[rng.randrange(len(visits))]
            return i + 1, start + timedelta(rng.randint(0, (end - start).days)), vid
        start, end = self.periods[i][rng.randrange(len(self.periods[i]))]
        return i + 1, start + timedelta(rng.randint(0, (end - start).days)), None

    def visit_rows(self, total: int) -> None:
        rng = self.rng
        by_person: list[list[tuple[int, date, date]]] = [[] for _ in range(self.n)]
        rows = []
        for vid in range(1, total + 1):
            pid, start, _ = self.when()
            kind = rng.choices((9202, 9201, 9203), (70, 20, 10))[0]
            period_end = next(e for s, e in self.periods[pid - 1] if s <= start <= e)
            end = min(period_end, start + timedelta(rng.randint(1, 12))) if kind == 9201 \
                else start
            by_person[pid - 1].append((vid, start, end))
            rows.append(dict(
                visit_occurrence_id=vid, person_id=pid, visit_concept_id=kind,
                visit_start_date=start, visit_start_datetime=datetime(*start.timetuple()[:3], 9),
                visit_end_date=end, visit_type_concept_id=EHR,
                care_site_id={9201: rng.choice((1, 2)), 9202: 3, 9203: 4}[kind],
                visit_source_value=f"SEJ{rng.randrange(10**8):08d}",
                admitted_from_concept_id=9203 if kind == 9201 and rng.random() < 0.3 else None,
                discharged_to_source_value="domicile" if kind == 9201 else None))
        self.visits = by_person
        self.rows["visit_occurrence"] = rows

    def condition_rows(self, total: int) -> None:
        rng = self.rng
        pairs = list(zip(self.ids("SNOMED", "Condition")[:8], self.ids("ICD10CM", "Condition"),
                         strict=True))
        rows = []
        for cid in range(1, total + 1):
            pid, day, vid = self.when()
            (snomed, _), (icd, code) = rng.choices(pairs, (9, 12, 4, 3, 2, 4, 5, 3))[0]
            rows.append(dict(
                condition_occurrence_id=cid, person_id=pid, condition_concept_id=snomed,
                condition_start_date=day,
                condition_end_date=day + timedelta(rng.randint(1, 60))
                if rng.random() < 0.4 else None,
                condition_type_concept_id=EHR if vid else CLAIM, visit_occurrence_id=vid,
                condition_source_value=f"{code.replace('.', '')}-UF{rng.randint(1000, 1040)}",
                condition_source_concept_id=icd))
        self.rows["condition_occurrence"] = rows

    def drug_rows(self, total: int) -> None:
        rng = self.rng
        pairs = list(zip(self.ids("RxNorm", "Drug"), self.ids("ATC", "Drug"), strict=True))
        rows = []
        for did in range(1, total + 1):
            pid, day, vid = self.when()
            (rxnorm, _), (atc, code) = pairs[rng.randrange(len(pairs))]
            supply = rng.choice((7, 30, 30, 90))
            rows.append(dict(
                drug_exposure_id=did, person_id=pid, drug_concept_id=rxnorm,
                drug_exposure_start_date=day,
                drug_exposure_end_date=day + timedelta(supply - 1),
                drug_type_concept_id=EHR, refills=rng.randint(0, 3), quantity=float(supply),
                days_supply=supply, sig=rng.choice(_SIGS) if rng.random() < 0.5 else None,
                visit_occurrence_id=vid, drug_source_value=f"UCD-{code}-{rng.randint(1, 9)}",
                drug_source_concept_id=atc))
        self.rows["drug_exposure"] = rows

    def procedure_rows(self, total: int) -> None:
        rng = self.rng
        snomed = self.ids("SNOMED", "Procedure")
        cpt4 = self.ids("CPT4", "Procedure")
        hcpcs, _ = self.ids("HCPCS", "Procedure")[0]
        flu = next(c for c, code in snomed if code == "86198006")
        special = set(rng.sample(range(total), HCPCS_ROWS))
        rows = []
        for i in range(total):
            pid, day, vid = self.when()
            if i in special:
                concept, source = flu, hcpcs
            elif rng.random() < 0.6:
                concept = source = cpt4[rng.randrange(len(cpt4))][0]
            else:
                concept, source = snomed[rng.randrange(len(snomed) - 1)][0], None
            rows.append(dict(
                procedure_occurrence_id=i + 1, person_id=pid, procedure_concept_id=concept,
                procedure_date=day, procedure_type_concept_id=EHR, quantity=1,
                visit_occurrence_id=vid,
                procedure_source_value=f"CCAM-{rng.choice('ABDEHJ')}{rng.randint(100, 999)}",
                procedure_source_concept_id=source))
        self.rows["procedure_occurrence"] = rows

    def measurement_rows(self, total: int) -> None:
        rng = self.rng
        labs = self.ids("LOINC", "Measurement")
        weight = labs.pop()  # body weight, in kilograms: the rare unit
        special = set(rng.sample(range(total), RARE_UNIT_ROWS))
        rows = []
        for i in range(total):
            pid, day, vid = self.when()
            concept, code = weight if i in special else labs[rng.randrange(len(labs))]
            unit, unit_code, mean, sd, low, high = _LABS[code]
            value = round(rng.gauss(mean, sd), 1)
            rows.append(dict(
                measurement_id=i + 1, person_id=pid, measurement_concept_id=concept,
                measurement_date=day, measurement_type_concept_id=EHR,
                value_as_number=value, unit_concept_id=unit, range_low=float(low),
                range_high=float(high), visit_occurrence_id=vid,
                measurement_source_value=f"LAB-{code}", measurement_source_concept_id=concept,
                unit_source_value=unit_code, value_source_value=str(value)))
        self.rows["measurement"] = rows

    def observation_rows(self, total: int) -> None:
        rng = self.rng
        smoker, never, alcohol = (c for c, _ in self.ids("SNOMED", "Observation"))
        rows = []
        for oid in range(1, total + 1):
            pid, day, vid = self.when()
            concept = rng.choice((smoker, never, alcohol))
            note = (f"environ {rng.randint(1, 4)} verres/j" if concept == alcohol else
                    f"{rng.randint(2, 40)} PA" if concept == smoker else None)
            rows.append(dict(
                observation_id=oid, person_id=pid, observation_concept_id=concept,
                observation_date=day, observation_type_concept_id=EHR, value_as_string=note,
                visit_occurrence_id=vid,
                observation_source_value=f"Q-{'ALC' if concept == alcohol else 'TAB'}-0"
                                         f"{rng.randint(1, 3)}"))
        self.rows["observation"] = rows

    def device_rows(self) -> None:
        rng = self.rng
        devices = self.ids("SNOMED", "Device")
        rows = []
        for did in range(1, DEVICE_ROWS + 1):
            pid, day, vid = self.when()
            concept, code = devices[rng.randrange(len(devices))]
            rows.append(dict(
                device_exposure_id=did, person_id=pid, device_concept_id=concept,
                device_exposure_start_date=day, device_type_concept_id=EHR,
                unique_device_id=f"(01)0{rng.randrange(10**13):013d}(21){rng.randrange(10**6)}",
                quantity=1, visit_occurrence_id=vid, device_source_value=f"DM-{code}"))
        self.rows["device_exposure"] = rows

    def death_rows(self) -> None:
        rng = self.rng
        conditions = [c for c, _ in self.ids("SNOMED", "Condition")]
        icd10 = self.ids("ICD10", "Condition")
        snomed = {"I21": conditions[4], "J44": conditions[3], "C34": conditions[8],
                  "I64": conditions[9]}
        rows = []
        for i in sorted(rng.sample(range(self.n), round(self.n * DEATH_SHARE))):
            day = self.periods[i][-1][1]
            icd, code = icd10[rng.randrange(len(icd10))]
            rows.append(dict(person_id=i + 1, death_date=day, death_type_concept_id=EHR,
                             cause_concept_id=snomed[code],
                             cause_source_value=f"CIM10:{code}/{rng.randint(1, 99):02d}",
                             cause_source_concept_id=icd))
        self.rows["death"] = rows


def _cdm_source(version: str) -> dict:
    return dict(cdm_source_name="Synthetic hospital warehouse (catalog-node)",
                cdm_source_abbreviation="SYNTH", cdm_holder="catalog-node bench",
                source_description="Deterministic synthetic data; no real person.",
                source_release_date=date(2024, 1, 15), cdm_release_date=date(2024, 1, 31),
                cdm_version=f"v{version}", cdm_version_concept_id=756265,
                vocabulary_version="v5.0 31-AUG-23")


def generate(persons: int = 10_000, *, seed: int = 6, version: str = "5.4",
             events_per_person: float = 12.0) -> SyntheticOmop:
    """A warehouse of ``persons`` persons and about ``events_per_person`` events each."""
    tables = layout(version)
    built = _Generator(persons, seed, events_per_person).run()
    built["cdm_source"] = [_cdm_source(version)]
    data = SyntheticOmop(version)
    renamed = {new: old for (_, new), old in RENAMED_53.items()} if version == "5.3" else {}
    for table, columns in tables.items():
        names = [name for name, _ in columns]
        keys = [next((k for k, v in renamed.items() if v == name), name) for name in names]
        data.columns[table] = names
        data.rows[table] = [tuple(map(row.get, keys)) for row in built.get(table, [])]
    return data


def create_and_load(engine: sa.Engine, data: SyntheticOmop, *, schema: str | None = None,
                    batch: int = 10_000) -> None:
    """Create ``data``'s tables (dropping tables of the same names) and insert its rows."""
    load(engine, data.version, data.rows, schema=schema, batch=batch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of the target database")
    parser.add_argument("--version", choices=("5.3", "5.4"), default="5.4")
    parser.add_argument("--schema")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--events-per-person", type=float, default=12.0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = generate(args.persons, seed=args.seed, version=args.version,
                    events_per_person=args.events_per_person)
    generated = time.perf_counter()
    engine = sa.create_engine(args.url)
    try:
        create_and_load(engine, data, schema=args.schema)
    finally:
        engine.dispose()
    done = time.perf_counter()
    print(f"OMOP CDM {args.version}: {args.persons} persons, {data.total_rows()} rows; "
          f"generated in {generated - started:.1f} s, loaded in {done - generated:.1f} s "
          f"({engine.url.render_as_string(hide_password=True)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
