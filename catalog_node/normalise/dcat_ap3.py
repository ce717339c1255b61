"""DCAT-AP 2.x → 3 renames: properties deprecated in favour of a DCAT 3 term.

From the DCAT-AP 3.0.1 specification ("Deprecated properties and classes") and its
``deprecateduris.ttl`` shapes, which still carry the DCAT-AP 1.x → 2 deprecations of
``schema:startDate``/``schema:endDate`` on ``dct:PeriodOfTime``. Only pure renames are
here: the same statement under the new property. Not here, because they are not
renames: the Distribution status code list change (ADMS status → the EU
``distribution-status`` table, a different code list whose meaning depends on the
subject's class) and the ``dcat:byteSize`` range change (a datatype, see ``literals``).
``schema:`` in its https form is first brought to http by the namespace rule.
"""

from __future__ import annotations

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
SCHEMA = "http://schema.org/"

#: old predicate → (new predicate, rule)
PREDICATES: dict[str, tuple[str, str]] = {
    DCT + "hasVersion": (DCAT + "hasVersion", "dcat-ap-3/hasVersion"),
    DCT + "isVersionOf": (DCAT + "isVersionOf", "dcat-ap-3/isVersionOf"),
    OWL + "versionInfo": (DCAT + "version", "dcat-ap-3/version"),
    SCHEMA + "startDate": (DCAT + "startDate", "dcat-ap-3/startDate"),
    SCHEMA + "endDate": (DCAT + "endDate", "dcat-ap-3/endDate"),
}
