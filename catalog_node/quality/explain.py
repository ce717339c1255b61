"""A plain-text explanation of a quality score, dimension by dimension, in French or English."""

from __future__ import annotations

from typing import Literal

from catalog_node.quality.score import RATING_LABELS, QualityScore

_STATUS = {
    "en": {
        "met": "met",
        "partly": "partly met",
        "not met": "not met",
        "not checked": "not checked",
    },
    "fr": {
        "met": "satisfait",
        "partly": "en partie",
        "not met": "non satisfait",
        "not checked": "non vérifié",
    },
}
_TEXT = {
    "en": {
        "title": "Metadata quality of {record}: {points} of {maximum} points, rating {rating}.",
        "checked": "Not everything was checked: at most {checked} points are reachable now.",
        "dimension": "{label}: {points} of {maximum} points",
    },
    "fr": {
        "title": "Qualité des métadonnées de {record} : {points} points sur {maximum}, "
        "note {rating}.",
        "checked": "Tout n'a pas été vérifié : au plus {checked} points sont atteignables.",
        "dimension": "{label} : {points} points sur {maximum}",
    },
}


def _n(value: float) -> str:
    return f"{value:g}"


def explain(score: QualityScore, lang: Literal["en", "fr"] = "en") -> str:
    """Explain ``score`` indicator by indicator, with what to add to earn more points."""
    if lang not in _TEXT:
        raise ValueError(f"unknown language {lang!r}: use 'en' or 'fr'")
    text, status = _TEXT[lang], _STATUS[lang]
    rating = RATING_LABELS[score.rating][0 if lang == "en" else 1]
    lines = [
        text["title"].format(
            record=score.record, points=_n(score.points), maximum=score.maximum, rating=rating
        )
    ]
    if score.maximum_checked < score.maximum:
        lines.append(text["checked"].format(checked=score.maximum_checked))
    for dimension in score.dimensions:
        label = dimension.label_en if lang == "en" else dimension.label_fr
        lines += [
            "",
            text["dimension"].format(
                label=label, points=_n(dimension.points), maximum=dimension.maximum
            ),
        ]
        for result in dimension.indicators:
            name = result.label_en if lang == "en" else result.label_fr
            why = result.explanation_en if lang == "en" else result.explanation_fr
            colon = ":" if lang == "en" else " :"
            mark = f"[{status[result.status]}, {_n(result.points)}/{result.maximum}]"
            lines.append(f"  - {name} {mark}{colon} {why}")
    return "\n".join(lines) + "\n"
