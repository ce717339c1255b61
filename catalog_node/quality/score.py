"""The quality score of one record, its rating, and the mean per publisher.

Several distributions: the MQA assumes they offer the same content, so a dimension's
distribution indicators are taken from the one distribution that earns the most points in
that dimension (ties: the first by IRI). The explanation says how many distributions meet
each indicator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Literal

from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from catalog_node.errors import RecordError
from catalog_node.namespaces import DCAT
from catalog_node.net.safe_http import UrlCheck
from catalog_node.quality.indicators import (
    DIMENSIONS,
    INDICATORS,
    MAXIMUM,
    Context,
    Indicator,
    Outcome,
    Status,
    Vocabulary,
    measure,
    membership,
)

Rating = Literal["excellent", "good", "sufficient", "bad"]
#: Lowest points of each rating (the MQA's bands: 351-405, 221-350, 121-220, 0-120).
RATING_BANDS: tuple[tuple[int, Rating], ...] = (
    (351, "excellent"),
    (221, "good"),
    (121, "sufficient"),
    (0, "bad"),
)
RATING_LABELS: dict[Rating, tuple[str, str]] = {
    "excellent": ("Excellent", "Excellent"),
    "good": ("Good", "Bon"),
    "sufficient": ("Sufficient", "Suffisant"),
    "bad": ("Bad", "Insuffisant"),
}

_DATASET_CLASSES = (URIRef(DCAT + "Dataset"), URIRef(DCAT + "DatasetSeries"))
_DISTRIBUTION = URIRef(DCAT + "distribution")


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    label_en: str
    label_fr: str
    points: float
    maximum: int
    status: Status
    explanation_en: str
    explanation_fr: str
    computed_on: str | None = None  # the dataset or the distribution measured


@dataclass(frozen=True)
class DimensionScore:
    name: str
    label_en: str
    label_fr: str
    points: float
    maximum: int
    indicators: list[IndicatorResult]


@dataclass(frozen=True)
class QualityScore:
    record: str
    dataset: str
    points: float
    rating: Rating
    dimensions: list[DimensionScore]
    maximum: int = MAXIMUM
    #: The most this record could score with what was checked (unchecked indicators left out).
    maximum_checked: int = MAXIMUM
    computed_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def indicators(self) -> Iterable[tuple[DimensionScore, IndicatorResult]]:
        for dimension in self.dimensions:
            for indicator in dimension.indicators:
                yield dimension, indicator

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["computed_at"] = self.computed_at.isoformat()
        data["rating_label"] = dict(zip(("en", "fr"), RATING_LABELS[self.rating], strict=True))
        return data


def rating(points: float) -> Rating:
    """The MQA rating of a score."""
    for lowest, name in RATING_BANDS:
        if points >= lowest:
            return name
    return "bad"


def score_record(
    graph: Graph,
    *,
    compliance: bool | None = None,
    url_checks: Mapping[str, UrlCheck] | None = None,
    vocabulary: Vocabulary | None = None,
    dataset: str | None = None,
    record: str | None = None,
) -> QualityScore:
    """Score the record in ``graph`` (one dataset and what it references).

    ``compliance``: the DCAT-AP validation verdict, ``None`` when not validated.
    ``url_checks``: results of ``check_record_urls``, ``None`` when URLs were not checked.
    ``vocabulary``: known concept IRIs (EU file types, IANA media types, licences, access
    rights), ``None`` when no vocabulary is loaded. Whatever is ``None`` is "not checked":
    it earns no points and is left out of ``maximum_checked``.
    """
    subject = _dataset(graph, dataset)
    ctx = Context(graph, compliance, url_checks, membership(vocabulary))
    distributions = sorted(
        (d for d in graph.objects(subject, _DISTRIBUTION) if isinstance(d, URIRef)), key=str
    )
    dimensions = [
        _dimension(ctx, name, en, fr, subject, distributions) for name, en, fr in DIMENSIONS
    ]
    points = sum(d.points for d in dimensions)
    unchecked = sum(
        i.maximum for d in dimensions for i in d.indicators if i.status == "not checked"
    )
    return QualityScore(
        record=record or str(subject),
        dataset=str(subject),
        points=points,
        rating=rating(points),
        dimensions=dimensions,
        maximum_checked=MAXIMUM - unchecked,
    )


def _dataset(graph: Graph, wanted: str | None) -> URIRef:
    if wanted is not None:
        return URIRef(wanted)
    found = sorted({s for cls in _DATASET_CLASSES for s in graph.subjects(RDF.type, cls)}, key=str)
    if len(found) != 1:
        raise RecordError(
            f"expected one dcat:Dataset in the record, found {len(found)}",
            place=", ".join(map(str, found[:3])) or "(record graph)",
            hint="score one record graph at a time, or name the dataset to score",
        )
    subject = found[0]
    if not isinstance(subject, URIRef):
        raise RecordError(
            "the dataset is a blank node",
            place="(record graph)",
            hint="score the stored record, whose blank nodes are skolemised",
        )
    return subject


def _dimension(
    ctx: Context,
    name: str,
    label_en: str,
    label_fr: str,
    dataset: URIRef,
    distributions: list[URIRef],
) -> DimensionScore:
    indicators = [i for i in INDICATORS if i.dimension == name]
    on_distribution = [i for i in indicators if i.level == "distribution"]
    outcomes: dict[str, tuple[Outcome, str | None]] = {
        i.id: (measure(i, ctx, dataset), str(dataset)) for i in indicators if i.level == "dataset"
    }
    if on_distribution:
        outcomes.update(_best_distribution(ctx, on_distribution, distributions))
    results = [_result(i, *outcomes[i.id]) for i in indicators]
    return DimensionScore(
        name=name,
        label_en=label_en,
        label_fr=label_fr,
        points=sum(r.points for r in results),
        maximum=sum(i.maximum for i in indicators),
        indicators=results,
    )


def _best_distribution(
    ctx: Context, indicators: list[Indicator], distributions: list[URIRef]
) -> dict[str, tuple[Outcome, str | None]]:
    if not distributions:
        none = Outcome(
            0,
            "not met",
            "The dataset has no distribution to measure.",
            "Le jeu de données n'a aucune distribution à mesurer.",
        )
        return {i.id: (none, None) for i in indicators}
    measured: dict[Node, list[Outcome]] = {
        d: [measure(i, ctx, d) for i in indicators] for d in distributions
    }
    best = max(distributions, key=lambda d: sum(o.points for o in measured[d]))
    chosen: dict[str, tuple[Outcome, str | None]] = {}
    for position, indicator in enumerate(indicators):
        outcome = measured[best][position]
        if len(distributions) > 1:
            meeting = sum(measured[d][position].status == "met" for d in distributions)
            outcome = Outcome(
                outcome.points,
                outcome.status,
                f"{outcome.explanation_en} Best distribution: {best}; "
                f"{meeting} of {len(distributions)} distributions meet it.",
                f"{outcome.explanation_fr} Meilleure distribution : {best} ; "
                f"{meeting} distribution(s) sur {len(distributions)} y satisfont.",
            )
        chosen[indicator.id] = (outcome, str(best))
    return chosen


def _result(indicator: Indicator, outcome: Outcome, computed_on: str | None) -> IndicatorResult:
    return IndicatorResult(
        id=indicator.id,
        label_en=indicator.label_en,
        label_fr=indicator.label_fr,
        points=outcome.points,
        maximum=indicator.maximum,
        status=outcome.status,
        explanation_en=outcome.explanation_en,
        explanation_fr=outcome.explanation_fr,
        computed_on=computed_on,
    )


# -- per publisher ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublisherScore:
    publisher: str
    records: int
    mean_points: float
    rating: Rating  # the rating of the mean
    ratings: dict[Rating, int]  # how many records have each rating
    mean_maximum_checked: float

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def publisher_scores(
    scores_by_publisher: Mapping[str, Iterable[QualityScore]],
) -> list[PublisherScore]:
    """Mean score per publisher with the count of records per rating, by publisher IRI."""
    result = []
    for publisher in sorted(scores_by_publisher):
        scores = list(scores_by_publisher[publisher])
        if not scores:
            continue
        mean = round(sum(s.points for s in scores) / len(scores), 2)
        counts: dict[Rating, int] = {name: 0 for _, name in RATING_BANDS}
        for s in scores:
            counts[s.rating] += 1
        result.append(
            PublisherScore(
                publisher=publisher,
                records=len(scores),
                mean_points=mean,
                rating=rating(mean),
                ratings=counts,
                mean_maximum_checked=round(sum(s.maximum_checked for s in scores) / len(scores), 2),
            )
        )
    return result
