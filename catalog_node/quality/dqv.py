"""A quality score as W3C Data Quality Vocabulary (DQV) measurements.

Metrics and dimensions are the node's own, under https://w3id.org/catalog-node/quality#; one
``dqv:QualityMeasurement`` per checked indicator (unchecked indicators produce none), on the
dataset or the distribution it was measured on.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef

from catalog_node.quality.indicators import DIMENSIONS, INDICATORS
from catalog_node.quality.score import QualityScore

QUALITY = Namespace("https://w3id.org/catalog-node/quality#")
DQV = Namespace("http://www.w3.org/ns/dqv#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

_GRADED = {i.id for i in INDICATORS if i.graded}


def metric_iri(indicator_id: str) -> URIRef:
    return QUALITY[indicator_id]


def dimension_iri(name: str) -> URIRef:
    return QUALITY[name]


def metrics_graph() -> Graph:
    """The 5 ``dqv:Dimension``s and 23 ``dqv:Metric``s, with FR/EN labels."""
    graph = Graph()
    graph.bind("dqv", DQV)
    graph.bind("cnq", QUALITY)
    graph.bind("skos", SKOS)
    for name, en, fr in DIMENSIONS:
        node = dimension_iri(name)
        graph.add((node, RDF.type, DQV.Dimension))
        graph.add((node, SKOS.prefLabel, Literal(en, lang="en")))
        graph.add((node, SKOS.prefLabel, Literal(fr, lang="fr")))
    for indicator in INDICATORS:
        node = metric_iri(indicator.id)
        graph.add((node, RDF.type, DQV.Metric))
        graph.add((node, DQV.inDimension, dimension_iri(indicator.dimension)))
        graph.add((node, SKOS.prefLabel, Literal(indicator.label_en, lang="en")))
        graph.add((node, SKOS.prefLabel, Literal(indicator.label_fr, lang="fr")))
        kind = XSD.decimal if indicator.id in _GRADED else XSD.boolean
        graph.add((node, DQV.expectedDataType, kind))
    return graph


def to_dqv(score: QualityScore, record_iri: str, *, generated_at: datetime | None = None) -> Graph:
    """``score`` as DQV: metric definitions plus one measurement per checked indicator.

    Graded indicators carry the points earned (``xsd:decimal``), the others met or not
    (``xsd:boolean``). The measurements hang off a ``dqv:QualityMetadata`` derived from
    ``record_iri``.
    """
    when = Literal((generated_at or score.computed_at).isoformat(), datatype=XSD.dateTime)
    graph = metrics_graph()
    graph.bind("prov", PROV)
    metadata = BNode()
    graph.add((metadata, RDF.type, DQV.QualityMetadata))
    graph.add((metadata, PROV.wasDerivedFrom, URIRef(record_iri)))
    graph.add((metadata, PROV.generatedAtTime, when))
    for _dimension, result in score.indicators():
        if result.status == "not checked":
            continue
        target = URIRef(result.computed_on or score.dataset)
        if result.id in _GRADED:
            value = Literal(Decimal(str(result.points)), datatype=XSD.decimal)
        else:
            value = Literal(result.status == "met", datatype=XSD.boolean)
        measurement = BNode()
        graph.add((measurement, RDF.type, DQV.QualityMeasurement))
        graph.add((measurement, DQV.computedOn, target))
        graph.add((measurement, DQV.isMeasurementOf, metric_iri(result.id)))
        graph.add((measurement, DQV.value, value))
        graph.add((measurement, PROV.generatedAtTime, when))
        graph.add((measurement, PROV.wasDerivedFrom, metadata))
        graph.add((target, DQV.hasQualityMeasurement, measurement))
    return graph
