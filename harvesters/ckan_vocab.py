"""The DCAT-AP 3 terms the CKAN mapping writes, and value rules shared by its parts.

A *rule* turns one CKAN value into the node a property points to, with the class the
DCAT-AP 3 range of that property expects (``dct:language`` → ``dct:LinguisticSystem``…):
the record then types what it uses, as DCAT-AP 3 asks. Rules accept an IRI as given, or
a bare code of the EU table they name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pyoxigraph import Literal, NamedNode

from catalog_node.namespaces import (
    ADMS,
    DCAT,
    DCATAP,
    DCT,
    ELI,
    FOAF,
    LOCN,
    RDFS,
    SKOS,
    SPDX,
    VCARD,
    n,
)
from harvesters.ckan_codes import (
    ACCESS_RIGHT,
    DATA_THEME,
    DATASET_TYPE,
    FREQUENCY,
    LANGUAGE,
    LICENCE,
    NO_LICENCE,
    PLANNED_AVAILABILITY,
    language_code,
    licence_code,
    shipped_codes,
)
from harvesters.ckan_fields import Fields, by_language
from harvesters.ckan_terms import Out, Subject, as_iri

# -- terms -----------------------------------------------------------------------------
TITLE, DESCRIPTION = n(DCT, "title"), n(DCT, "description")
ISSUED, MODIFIED = n(DCT, "issued"), n(DCT, "modified")
IDENTIFIER, LICENSE, FORMAT = n(DCT, "identifier"), n(DCT, "license"), n(DCT, "format")
PUBLISHER, CREATOR, TEMPORAL = n(DCT, "publisher"), n(DCT, "creator"), n(DCT, "temporal")
SPATIAL, TYPE = n(DCT, "spatial"), n(DCT, "type")
KEYWORD, THEME, LANDING_PAGE = n(DCAT, "keyword"), n(DCAT, "theme"), n(DCAT, "landingPage")
CONTACT_POINT, DISTRIBUTION = n(DCAT, "contactPoint"), n(DCAT, "distribution")
VERSION, ACCESS_URL = n(DCAT, "version"), n(DCAT, "accessURL")
DOWNLOAD_URL, MEDIA_TYPE = n(DCAT, "downloadURL"), n(DCAT, "mediaType")
BYTE_SIZE, START_DATE, END_DATE = n(DCAT, "byteSize"), n(DCAT, "startDate"), n(DCAT, "endDate")
BBOX, CENTROID, GEOMETRY = n(DCAT, "bbox"), n(DCAT, "centroid"), n(LOCN, "geometry")
ACCESS_SERVICE, ENDPOINT_URL = n(DCAT, "accessService"), n(DCAT, "endpointURL")
ENDPOINT_DESCRIPTION, SERVES = n(DCAT, "endpointDescription"), n(DCAT, "servesDataset")
VERSION_NOTES, ADMS_IDENTIFIER = n(ADMS, "versionNotes"), n(ADMS, "identifier")
CHECKSUM, ALGORITHM = n(SPDX, "checksum"), n(SPDX, "algorithm")
CHECKSUM_VALUE = n(SPDX, "checksumValue")
FOAF_NAME, MBOX, FOAF_PAGE = n(FOAF, "name"), n(FOAF, "mbox"), n(FOAF, "page")
HOMEPAGE = n(FOAF, "homepage")
FN, HAS_EMAIL, HAS_URL = n(VCARD, "fn"), n(VCARD, "hasEmail"), n(VCARD, "hasURL")
LABEL, NOTATION, PREF_LABEL = n(RDFS, "label"), n(SKOS, "notation"), n(SKOS, "prefLabel")

DATASET_CLASS, SERIES_CLASS = n(DCAT, "Dataset"), n(DCAT, "DatasetSeries")
DISTRIBUTION_CLASS, SERVICE_CLASS = n(DCAT, "Distribution"), n(DCAT, "DataService")
AGENT, ORGANIZATION, KIND = n(FOAF, "Agent"), n(FOAF, "Organization"), n(VCARD, "Kind")
DOCUMENT, CONCEPT = n(FOAF, "Document"), n(SKOS, "Concept")
PERIOD, LOCATION, STANDARD = n(DCT, "PeriodOfTime"), n(DCT, "Location"), n(DCT, "Standard")
LICENSE_DOCUMENT, RIGHTS = n(DCT, "LicenseDocument"), n(DCT, "RightsStatement")
MEDIA_TYPE_CLASS, FORMAT_CLASS = n(DCT, "MediaType"), n(DCT, "MediaTypeOrExtent")
CHECKSUM_CLASS, ALGORITHM_CLASS = n(SPDX, "Checksum"), n(SPDX, "ChecksumAlgorithm")
IDENTIFIER_CLASS = n(ADMS, "Identifier")
LEGISLATION = n(ELI, "LegalResource")
APPLICABLE_LEGISLATION = n(DCATAP, "applicableLegislation")

#: EU tables a bare code may come from: (namespace, shipped vocabulary file)
ACCESS_RIGHTS = (ACCESS_RIGHT, "access-right.ttl")
FREQUENCIES = (FREQUENCY, "frequency.ttl")
THEMES = (DATA_THEME, "data-theme.ttl")
DATASET_TYPES = (DATASET_TYPE, "dataset-type.ttl")
AVAILABILITIES = (PLANNED_AVAILABILITY, "planned-availability.ttl")

#: (text, language) as the ``translated`` readers give them
Texts = list[tuple[str, str | None]]
#: one CKAN value → the node it names (None: left out, with a note when it was wrong)
Rule = Callable[[Out, str, str], Subject | None]


def link(out: Out, value: str, name: str) -> Subject | None:
    return out.iri(value, name)


def code_iri(table: tuple[str, str], value: str) -> NamedNode | None:
    """The IRI of a code of an EU table (``monthly``, ``notPlanned``, ``HEAL``), if it is one.

    ``table`` is ``(namespace, shipped vocabulary file)``.
    """
    code = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", value.strip())
    code = re.sub(r"[\s\-]+", "_", code).upper()
    return NamedNode(table[0] + code) if code in shipped_codes(table[1]) else None


def coded(table: tuple[str, str]) -> Rule:
    """A rule: an IRI as given, or a code of the EU ``table``."""

    def rule(out: Out, value: str, name: str) -> Subject | None:
        if (node := as_iri(value) or code_iri(table, value)) is not None:
            return node
        out.note(name, f"{value!r} is neither an IRI nor a code of {table[0]}")
        return None

    return rule


def language(out: Out, value: str, name: str) -> Subject | None:
    """An EU language IRI from ``en``, ``eng``, a Library of Congress IRI; other IRIs kept."""
    code = language_code(value)
    if code is not None:
        return NamedNode(LANGUAGE + code)
    if (node := as_iri(value)) is not None:
        return node
    out.note(name, f"{value!r} is not a language code or IRI")
    return None


def licence(out: Out, value: str, name: str) -> Subject | None:
    """An EU licence IRI for a known CKAN id or licence URL; another URL as given."""
    if (code := licence_code(value)) is not None:
        return NamedNode(LICENCE + code)
    if (node := as_iri(value)) is not None:
        return node
    if value.strip().lower() not in NO_LICENCE:
        out.note(name, f"licence {value!r} has no known IRI and no licence URL was given")
    return None


def apply(out: Out, subject: Subject, fields: Fields,
          rules: list[tuple[str, NamedNode, Rule, NamedNode | None]]) -> None:
    """Every value of every ``(field, predicate, rule, class)`` row."""
    for name, predicate, rule, cls in rules:
        for value in fields.texts(name, split=name == "language"):
            out.link(subject, predicate, rule(out, value, name), cls)


def statements(out: Out, subject: Subject, predicate: NamedNode, fields: Fields, name: str,
               cls: NamedNode, table: tuple[str, str] | None = None,
               single: bool = False) -> None:
    """IRIs (or codes) as nodes; free text as a node of ``cls`` labelled with the text.

    ``dct:accessRights``, ``dct:conformsTo``, ``dct:provenance``, ``dct:rights`` take a
    resource in DCAT-AP 3, never a literal, so a statement in words gets its own node.
    """
    value = fields.raw(name)
    if by_language(value) or fields.raw(f"{name}_translated") is not None:
        pairs = fields.translated(name)
        if pairs:
            node = out.blank(name)
            texts(out, node, LABEL, pairs, name)
            out.link(subject, predicate, node, cls)
        return
    for index, text in enumerate(fields.texts(name)[:1] if single else fields.texts(name)):
        node = as_iri(text) or (code_iri(table, text) if table else None)
        if node is None:
            node = out.blank(f"{name}/{index}")
            out.add(node, LABEL, Literal(text))
        out.link(subject, predicate, node, cls)


def texts(out: Out, subject: Subject, predicate: NamedNode, pairs: Texts, name: str) -> None:
    for text, lang in pairs:
        out.add(subject, predicate, out.literal(text, lang, name))

