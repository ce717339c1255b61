"""The indicators of data.europa.eu's Metadata Quality Assessment (MQA) and how each is measured.

Points and dimensions are the MQA's (405 in all; sources in ``catalog_node/quality/__init__``). Each
indicator is measured on the dataset or on one distribution; ``score.py`` applies the rule for
several distributions.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from catalog_node.namespaces import DCAT, DCT
from catalog_node.net.safe_http import UrlCheck

Status = Literal["met", "partly", "not met", "not checked"]
Level = Literal["dataset", "distribution"]
#: Known concept IRIs: a set of IRIs or a membership test (the engine's loaded vocabularies).
Vocabulary = Callable[[str], bool] | Collection[str]

#: (id, English label, French label), in the MQA's order.
DIMENSIONS: tuple[tuple[str, str, str], ...] = (
    ("findability", "Findability", "Trouvabilité"),
    ("accessibility", "Accessibility", "Accessibilité"),
    ("interoperability", "Interoperability", "Interopérabilité"),
    ("reusability", "Reusability", "Réutilisabilité"),
    ("contextuality", "Contextuality", "Contexte"),
)


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension: str
    maximum: int
    level: Level
    property: str
    label_en: str
    label_fr: str
    graded: bool = False  # points between 0 and the maximum are possible


# fmt: off
_TABLE: tuple[tuple[str, str, int, Level, str, str, str], ...] = (
    # id, dimension, points, computed on, property, English label, French label
    ("keyword", "findability", 30, "dataset", "dcat:keyword", "Keywords", "Mots-clés"),
    ("theme", "findability", 30, "dataset", "dcat:theme", "Categories", "Catégories"),
    ("spatial", "findability", 20, "dataset", "dct:spatial",
     "Geographical coverage", "Couverture géographique"),
    ("temporal", "findability", 20, "dataset", "dct:temporal",
     "Temporal coverage", "Couverture temporelle"),
    ("access_url_status", "accessibility", 50, "distribution", "dcat:accessURL",
     "Access URL reachable", "URL d'accès joignable"),
    ("download_url", "accessibility", 20, "distribution", "dcat:downloadURL",
     "Download URL given", "URL de téléchargement indiquée"),
    ("download_url_status", "accessibility", 30, "distribution", "dcat:downloadURL",
     "Download URL reachable", "URL de téléchargement joignable"),
    ("format", "interoperability", 20, "distribution", "dct:format",
     "Format given", "Format indiqué"),
    ("media_type", "interoperability", 10, "distribution", "dcat:mediaType",
     "Media type given", "Type de média indiqué"),
    ("format_media_type_vocabulary", "interoperability", 10, "distribution",
     "dct:format, dcat:mediaType", "Format and media type from a vocabulary",
     "Format et type de média issus d'un vocabulaire"),
    ("non_proprietary", "interoperability", 20, "distribution", "dct:format",
     "Non-proprietary format", "Format non propriétaire"),
    ("machine_readable", "interoperability", 20, "distribution", "dct:format",
     "Machine-readable format", "Format lisible par machine"),
    ("dcat_ap_compliance", "interoperability", 30, "dataset", "DCAT-AP shapes",
     "DCAT-AP compliance", "Conformité à DCAT-AP"),
    ("licence", "reusability", 20, "distribution", "dct:license",
     "Licence given", "Licence indiquée"),
    ("licence_vocabulary", "reusability", 10, "distribution", "dct:license",
     "Licence from a vocabulary", "Licence issue d'un vocabulaire"),
    ("access_rights", "reusability", 10, "dataset", "dct:accessRights",
     "Access rights given", "Conditions d'accès indiquées"),
    ("access_rights_vocabulary", "reusability", 5, "dataset", "dct:accessRights",
     "Access rights from a vocabulary", "Conditions d'accès issues d'un vocabulaire"),
    ("contact_point", "reusability", 20, "dataset", "dcat:contactPoint",
     "Contact point", "Point de contact"),
    ("publisher", "reusability", 10, "dataset", "dct:publisher", "Publisher", "Éditeur"),
    ("rights", "contextuality", 5, "distribution", "dct:rights",
     "Rights statement", "Déclaration de droits"),
    ("byte_size", "contextuality", 5, "distribution", "dcat:byteSize",
     "File size", "Taille du fichier"),
    ("issued", "contextuality", 5, "dataset", "dct:issued", "Date of issue", "Date de publication"),
    ("modified", "contextuality", 5, "dataset", "dct:modified",
     "Modification date", "Date de modification"),
)
# fmt: on
_GRADED = frozenset({"format_media_type_vocabulary"})

#: The 23 indicators in the MQA's order; their maxima add up to 405.
INDICATORS: tuple[Indicator, ...] = tuple(
    Indicator(*row, graded=row[0] in _GRADED) for row in _TABLE
)
MAXIMUM = sum(indicator.maximum for indicator in INDICATORS)

_PREDICATES = {"dcat": DCAT, "dct": DCT}
_IANA = (
    "http://www.iana.org/assignments/media-types/",
    "https://www.iana.org/assignments/media-types/",
)


@dataclass(frozen=True)
class Outcome:
    points: float
    status: Status
    explanation_en: str
    explanation_fr: str


@dataclass(frozen=True)
class Context:
    """What a measurement needs besides the graph; ``None`` means "not available"."""

    graph: Graph
    compliance: bool | None
    url_checks: Mapping[str, UrlCheck] | None
    known: Callable[[str], bool] | None


@dataclass(frozen=True)
class FormatLists:
    machine_readable: frozenset[str]
    non_proprietary: frozenset[str]


@cache
def format_lists() -> FormatLists:
    """The machine-readable and non-proprietary file types of ``formats.toml``, as IRIs."""
    data = tomllib.loads((Path(__file__).with_name("formats.toml")).read_text("utf-8"))
    prefix = data["namespace"]
    return FormatLists(
        frozenset(prefix + c for c in data["machine_readable"]),
        frozenset(prefix + c for c in data["non_proprietary"]),
    )


def membership(vocabulary: Vocabulary | None) -> Callable[[str], bool] | None:
    if vocabulary is None or callable(vocabulary):
        return vocabulary
    known = frozenset(vocabulary)
    return known.__contains__


def _uri(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(_PREDICATES[prefix] + local)


def _values(ctx: Context, subject: Node, curie: str) -> list[Node]:
    return sorted(set(ctx.graph.objects(subject, _uri(curie))), key=str)


def _given(value: Node) -> bool:
    return not (isinstance(value, RdfLiteral) and not str(value).strip())


# -- outcomes -------------------------------------------------------------------------------


def _met(ind: Indicator, en: str, fr: str) -> Outcome:
    return Outcome(ind.maximum, "met", en, fr)


def _not_met(ind: Indicator, en: str, fr: str) -> Outcome:
    return Outcome(0, "not met", f"{en} (+{ind.maximum} points).", f"{fr} (+{ind.maximum} points).")


def _not_checked(en: str, fr: str) -> Outcome:
    return Outcome(0, "not checked", en, fr)


def _presence(ind: Indicator, ctx: Context, subject: Node) -> Outcome:
    given = [v for v in _values(ctx, subject, ind.property) if _given(v)]
    if given:
        return _met(
            ind,
            f"{ind.property} is given ({len(given)} value(s)).",
            f"{ind.property} est renseignée ({len(given)} valeur(s)).",
        )
    return _not_met(
        ind, f"{ind.property} is missing: add it", f"{ind.property} est absente : ajoutez-la"
    )


def _from_vocabulary(ind: Indicator, ctx: Context, subject: Node) -> Outcome:
    values = _values(ctx, subject, ind.property)
    if not values:
        return _not_met(
            ind,
            f"{ind.property} is missing, so not from a vocabulary",
            f"{ind.property} est absente, donc pas issue d'un vocabulaire",
        )
    if ctx.known is None:
        return _not_checked(
            "No controlled vocabulary was loaded to check against.",
            "Aucun vocabulaire contrôlé n'était chargé pour la vérification.",
        )
    outside = [str(v) for v in values if not (isinstance(v, URIRef) and ctx.known(str(v)))]
    if not outside:
        return _met(
            ind,
            f"{values[0]} is a concept of the controlled vocabulary.",
            f"{values[0]} est un concept du vocabulaire contrôlé.",
        )
    return _not_met(
        ind,
        f"{outside[0]} is not a concept of the controlled vocabulary: use one",
        f"{outside[0]} n'est pas un concept du vocabulaire contrôlé : utilisez-en un",
    )


def _format_in(
    ind: Indicator, ctx: Context, subject: Node, listed: frozenset[str], what_en: str, what_fr: str
) -> Outcome:
    formats = [str(v) for v in _values(ctx, subject, "dct:format") if isinstance(v, URIRef)]
    good = [f for f in formats if f in listed]
    if good:
        return _met(ind, f"{good[0]} is {what_en}.", f"{good[0]} est {what_fr}.")
    if not formats:
        return _not_met(
            ind,
            "No dct:format from the EU file-type table is given",
            "Aucun dct:format de la table européenne des types de fichier",
        )
    return _not_met(
        ind,
        f"{formats[0]} is not {what_en}: offer such a format",
        f"{formats[0]} n'est pas {what_fr} : proposez un tel format",
    )


def _vocabulary_pair(ind: Indicator, ctx: Context, subject: Node) -> Outcome:
    """Half of the points for dct:format, half for dcat:mediaType, each from a vocabulary."""
    if ctx.known is None:
        return _not_checked(
            "No controlled vocabulary was loaded to check against.",
            "Aucun vocabulaire contrôlé n'était chargé pour la vérification.",
        )
    known = ctx.known
    formats = _values(ctx, subject, "dct:format")
    media = _values(ctx, subject, "dcat:mediaType")
    format_ok = bool(formats) and all(isinstance(v, URIRef) and known(str(v)) for v in formats)
    media_ok = bool(media) and all(
        isinstance(v, URIRef) and _known_media(known, str(v)) for v in media
    )
    points = ind.maximum / 2 * (format_ok + media_ok)
    en = (
        f"dct:format {'is' if format_ok else 'is not'} from the EU file-type table; "
        f"dcat:mediaType {'is' if media_ok else 'is not'} an IANA media type."
    )
    fr_format, fr_media = ("est" if ok else "n'est pas" for ok in (format_ok, media_ok))
    fr = (
        f"dct:format {fr_format} issu de la table européenne des types de fichier ; "
        f"dcat:mediaType {fr_media} un type de média IANA."
    )
    status: Status = "met" if points == ind.maximum else "partly" if points else "not met"
    return Outcome(points, status, en, fr)


def _known_media(known: Callable[[str], bool], iri: str) -> bool:
    if known(iri):
        return True
    for prefix in _IANA:
        if iri.startswith(prefix):
            return any(known(other + iri[len(prefix) :]) for other in _IANA)
    return False


def _reachable(ind: Indicator, ctx: Context, subject: Node) -> Outcome:
    urls = [str(v) for v in _values(ctx, subject, ind.property) if isinstance(v, URIRef)]
    if not urls:
        return _not_met(ind, f"No {ind.property} to reach", f"Aucune {ind.property} à joindre")
    if ctx.url_checks is None:
        return _not_checked(
            f"{ind.property} was not checked: run the URL check.",
            f"{ind.property} n'a pas été vérifiée : lancez la vérification.",
        )
    checks = [ctx.url_checks[u] for u in urls if u in ctx.url_checks]
    for check in checks:
        if check.reachable:
            return _met(
                ind,
                f"{check.url} answered HTTP {check.status}.",
                f"{check.url} a répondu HTTP {check.status}.",
            )
    if len(checks) < len(urls):
        return _not_checked(
            f"{urls[0]} was not checked: run the URL check.",
            f"{urls[0]} n'a pas été vérifiée : lancez la vérification.",
        )
    why = checks[0].error or f"HTTP {checks[0].status}"
    return _not_met(
        ind,
        f"{checks[0].url} is not reachable ({why}): fix the link",
        f"{checks[0].url} n'est pas joignable ({why}) : corrigez le lien",
    )


def _compliance(ind: Indicator, ctx: Context, subject: Node) -> Outcome:
    if ctx.compliance is None:
        return _not_checked(
            "The record has not been validated against DCAT-AP yet.",
            "La fiche n'a pas encore été validée selon DCAT-AP.",
        )
    if ctx.compliance:
        return _met(
            ind,
            "The record passes the DCAT-AP validation.",
            "La fiche passe la validation DCAT-AP.",
        )
    return _not_met(
        ind,
        "The record fails the DCAT-AP validation: see its validation report",
        "La fiche échoue à la validation DCAT-AP : voyez son rapport de validation",
    )


def measure(ind: Indicator, ctx: Context, subject: Node) -> Outcome:
    """The outcome of ``ind`` on ``subject`` (the dataset or one distribution)."""
    lists = format_lists()
    if ind.id in ("access_url_status", "download_url_status"):
        return _reachable(ind, ctx, subject)
    if ind.id == "format_media_type_vocabulary":
        return _vocabulary_pair(ind, ctx, subject)
    if ind.id == "non_proprietary":
        return _format_in(
            ind,
            ctx,
            subject,
            lists.non_proprietary,
            "a non-proprietary format",
            "un format non propriétaire",
        )
    if ind.id == "machine_readable":
        return _format_in(
            ind,
            ctx,
            subject,
            lists.machine_readable,
            "a machine-readable format",
            "un format lisible par machine",
        )
    if ind.id in ("licence_vocabulary", "access_rights_vocabulary"):
        return _from_vocabulary(ind, ctx, subject)
    if ind.id == "dcat_ap_compliance":
        return _compliance(ind, ctx, subject)
    return _presence(ind, ctx, subject)
