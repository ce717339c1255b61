"""Small helpers to write RDF terms, and the node's own dictionary terms and metrics.

The node's terms live under ``https://w3id.org/catalog-node/dictionary#``: DQV metrics for
what a warehouse measures (rows of a table, null rate of a column, persons per sex) and
``allowedValue``, linking a coded column to the SKOS concepts of the values it takes.
Each record carries the definitions of the metrics it uses, so it stands on its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from catalog_node.describe.model import Texts
from catalog_node.namespaces import CND, DCT, DQV, RDF, SKOS, XSD

Subject = NamedNode | BlankNode
Object = NamedNode | BlankNode | Literal


def iri(value: str) -> NamedNode:
    return NamedNode(value)


def typed(value: object, datatype: str) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + datatype))


def texts(subject: Subject, predicate: str, values: Texts) -> Iterator[Triple]:
    """One literal per language (``""``: a plain literal)."""
    for lang, text in sorted(values.items()):
        if text.strip():
            yield Triple(subject, iri(predicate),
                         Literal(text.strip(), language=lang) if lang else Literal(text.strip()))


def a(subject: Subject, cls: str) -> Triple:
    return Triple(subject, iri(RDF + "type"), iri(cls))


#: metric → (English label, French label, definition in English, definition in French)
METRICS: dict[str, tuple[str, str, str, str]] = {
    "rowCount": ("Rows", "Lignes", "Number of rows of the table.", "Nombre de lignes de la table."),
    "nullRate": ("Null rate", "Taux de valeurs manquantes",
                 "Share of the table's rows where the column is empty (0 to 1).",
                 "Part des lignes de la table où la colonne est vide (de 0 à 1)."),
    "personsFemale": ("Female persons", "Personnes de sexe féminin",
                      "Persons recorded as female.", "Personnes enregistrées de sexe féminin."),
    "personsMale": ("Male persons", "Personnes de sexe masculin",
                    "Persons recorded as male.", "Personnes enregistrées de sexe masculin."),
    "personsOtherSex": ("Persons of another sex", "Personnes d'un autre sexe",
                        "Persons recorded with another sex or gender.",
                        "Personnes enregistrées avec un autre sexe ou genre."),
    "personsUnknownSex": ("Persons of unknown sex", "Personnes de sexe inconnu",
                          "Persons whose sex is not recorded.",
                          "Personnes dont le sexe n'est pas renseigné."),
}

SEX_METRICS = {"female": "personsFemale", "male": "personsMale", "other": "personsOtherSex",
               "unknown": "personsUnknownSex"}


def metric_definition(metric: str) -> Iterator[Triple]:
    """The ``dqv:Metric`` a record's measurements point to."""
    en, fr, definition_en, definition_fr = METRICS[metric]
    node = iri(CND + metric)
    yield a(node, DQV + "Metric")
    yield from texts(node, SKOS + "prefLabel", {"en": en, "fr": fr})
    yield from texts(node, SKOS + "definition", {"en": definition_en, "fr": definition_fr})


def measurement(node: NamedNode, computed_on: Subject, metric: str,
                value: Literal) -> Iterator[Triple]:
    """A ``dqv:QualityMeasurement`` of ``metric`` on ``computed_on``."""
    yield Triple(computed_on, iri(DQV + "hasQualityMeasurement"), node)
    yield a(node, DQV + "QualityMeasurement")
    yield Triple(node, iri(DQV + "isMeasurementOf"), iri(CND + metric))
    yield Triple(node, iri(DQV + "computedOn"), computed_on)
    yield Triple(node, iri(DQV + "value"), value)


def title_of(name: str) -> str:
    """``condition_concept_id`` → ``Condition concept id``."""
    words = name.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or name
    return text[:1].upper() + text[1:]


def has_text(values: Texts) -> bool:
    return any(v.strip() for v in values.values())


__all__ = ["CND", "DCT", "METRICS", "SEX_METRICS", "a", "has_text", "iri", "measurement",
           "metric_definition", "texts", "title_of", "typed"]
