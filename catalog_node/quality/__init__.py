"""Metadata quality in the spirit of data.europa.eu's MQA: indicators, score, DQV, URL checks.

Sources of the figures (the methodology is published at https://data.europa.eu/mqa/methodology
and in the data provider manual, https://dataeuropa.gitlab.io/data-provider-manual/):
23 indicators in 5 dimensions, Findability 100, Accessibility 100, Interoperability 110,
Reusability 75, Contextuality 20 = 405 points, and the rating bands Excellent 351-405,
Good 221-350, Sufficient 121-220, Bad 0-120, as quoted from the methodology by mjanez/ckan-mqa
(README) and the PISTIS copy of the methodology. piveau's own code (``PiveauScoring``) puts 120
in "sufficient"; we follow the published bands.

Rules applied here:
- several distributions: the MQA assumes identical content, so "only the distribution with
  the highest number of points is used" (stated for Interoperability); we apply it to every
  dimension's distribution indicators, choosing per dimension (ties: first distribution IRI);
- reachable: the final answer after redirects is 2xx or 3xx (HEAD, or a ranged GET when HEAD
  gets 405/501); a URL refused by the outbound policy is "not met";
- format/media type from a vocabulary: 5 points for dct:format in the EU file-type table, 5
  for dcat:mediaType an IANA media type (http or https IANA IRIs), each for all its values;
- machine-readable and non-proprietary formats: the EDP lists, in ``formats.toml``;
- what was not checked (URLs, DCAT-AP validation, no vocabulary given) is "not checked": no
  points, no DQV measurement, and left out of ``QualityScore.maximum_checked``.
"""

from catalog_node.quality.dqv import metrics_graph, to_dqv
from catalog_node.quality.explain import explain
from catalog_node.quality.indicators import DIMENSIONS, INDICATORS, MAXIMUM, Vocabulary
from catalog_node.quality.score import (
    DimensionScore,
    IndicatorResult,
    PublisherScore,
    QualityScore,
    publisher_scores,
    rating,
    score_record,
)
from catalog_node.quality.url_checks import check_record_urls, record_urls

__all__ = [
    "DIMENSIONS",
    "INDICATORS",
    "MAXIMUM",
    "DimensionScore",
    "IndicatorResult",
    "PublisherScore",
    "QualityScore",
    "Vocabulary",
    "check_record_urls",
    "explain",
    "metrics_graph",
    "publisher_scores",
    "rating",
    "record_urls",
    "score_record",
    "to_dqv",
]
