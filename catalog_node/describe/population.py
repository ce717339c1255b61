"""Population aggregates of a warehouse as HealthDCAT-AP properties and DQV measurements.

- ``healthdcatap:numberOfRecords``: rows of the clinical event tables (their total, once the
  breakdown per table has been suppressed like any other; the total goes when it would give a
  suppressed table back);
- ``healthdcatap:numberOfUniqueIndividuals``: persons;
- ``healthdcatap:minTypicalAge`` / ``maxTypicalAge``: 5th and 95th percentiles of age at the
  start of the first observation period (never min/max, which expose outliers);
- ``dct:temporal``: from the earliest observation start to the latest observation end;
- ``healthdcatap:hasCodingSystem``: HealthData@EU coding systems coding at least ``threshold``
  rows;
- sex: R8 has no property, so it is a sentence of the description and one DQV measurement per
  category (metrics ``cnd:personsFemale`` …), with complementary suppression.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, Triple

from catalog_node.describe.disclosure import (
    Cells,
    safe_count,
    suppress_cells,
    typical_range,
)
from catalog_node.describe.model import PopulationFacts, Texts
from catalog_node.describe.terms import SEX_METRICS, a, iri, measurement, typed
from catalog_node.model.iris import IriMinter
from catalog_node.namespaces import DCAT, DCT, HEALTHDCATAP

#: the predicates the warehouse's own figures replace in a producer's metadata
MEASURED = frozenset(HEALTHDCATAP + p for p in (
    "numberOfRecords", "numberOfUniqueIndividuals", "minTypicalAge", "maxTypicalAge"))

_SEX_WORDS = {"female": ("female", "féminin"), "male": ("male", "masculin"),
              "other": ("another sex", "autre sexe"), "unknown": ("unknown", "inconnu")}


@dataclass
class PopulationWriter:
    minter: IriMinter
    dataset_iri: str
    threshold: int
    metrics: set[str] = field(default_factory=set)
    #: sentences to add to the dataset's description, per language
    sentences: Texts = field(default_factory=dict)
    suppressed: int = 0

    def event_cells(self, facts: PopulationFacts) -> Cells:
        """Rows per event table after suppression (the dictionary shows the same counts)."""
        return suppress_cells(facts.event_rows, self.threshold)

    def triples(self, facts: PopulationFacts) -> Iterator[Triple]:
        dataset = iri(self.dataset_iri)
        t = self.threshold
        events = self.event_cells(facts)
        self.suppressed += len(events.suppressed)
        if events.total is not None and facts.event_rows:
            yield Triple(dataset, iri(HEALTHDCATAP + "numberOfRecords"),
                         typed(events.total, "nonNegativeInteger"))
        persons = safe_count(facts.persons, t)
        if persons is not None:
            yield Triple(dataset, iri(HEALTHDCATAP + "numberOfUniqueIndividuals"),
                         typed(persons, "nonNegativeInteger"))
        ages = typical_range(facts.age_histogram, t)
        if ages is not None and persons is not None:
            low, high = max(ages[0], 0), max(ages[1], 0)
            yield Triple(dataset, iri(HEALTHDCATAP + "minTypicalAge"),
                         typed(low, "nonNegativeInteger"))
            yield Triple(dataset, iri(HEALTHDCATAP + "maxTypicalAge"),
                         typed(high, "nonNegativeInteger"))
        if persons is not None and facts.observation_start and facts.observation_end:
            period = iri(f"{self.dataset_iri}/temporal")
            yield Triple(dataset, iri(DCT + "temporal"), period)
            yield a(period, DCT + "PeriodOfTime")
            yield Triple(period, iri(DCAT + "startDate"),
                         typed(facts.observation_start.isoformat(), "date"))
            yield Triple(period, iri(DCAT + "endDate"),
                         typed(facts.observation_end.isoformat(), "date"))
        for system in sorted(facts.coding_systems):
            if safe_count(facts.coding_systems[system], t) is not None:
                yield Triple(dataset, iri(HEALTHDCATAP + "hasCodingSystem"), NamedNode(system))
        if facts.persons_by_sex and persons is not None:
            yield from self._sex(dataset, facts)

    def _sex(self, dataset: NamedNode, facts: PopulationFacts) -> Iterator[Triple]:
        cells = suppress_cells(facts.persons_by_sex, self.threshold, total=facts.persons)
        self.suppressed += len(cells.suppressed)
        whole = facts.persons or 0
        parts_en, parts_fr = [], []
        for category in ("female", "male", "other", "unknown"):
            if category not in cells.published or category not in SEX_METRICS:
                continue
            count = cells.published[category]
            metric = SEX_METRICS[category]
            self.metrics.add(metric)
            yield from measurement(iri(self.minter.measurement(self.dataset_iri, metric)),
                                   dataset, metric, typed(count, "nonNegativeInteger"))
            share = 100 * count / whole if whole else 0.0
            en, fr = _SEX_WORDS[category]
            parts_en.append(f"{share:.1f} % {en}")
            parts_fr.append(f"{share:.1f} % {fr}".replace(".", ","))
        if not parts_en and not cells.suppressed:
            return
        note_en = note_fr = ""
        if cells.suppressed:
            note_en = (f" (the other categories are not published: fewer than "
                       f"{self.threshold} persons, or they would give such a count back)")
            note_fr = (f" (les autres catégories ne sont pas publiées : moins de "
                       f"{self.threshold} personnes, ou elles permettraient de retrouver un "
                       f"tel effectif)")
        self.sentences["en"] = f"Sex of the persons: {', '.join(parts_en) or '—'}{note_en}."
        self.sentences["fr"] = (f"Sexe des personnes : {', '.join(parts_fr) or '—'}"
                                f"{note_fr}.")
