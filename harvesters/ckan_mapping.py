"""A CKAN package dict → DCAT-AP 3 triples, written from the DCAT-AP 3 specification and the
CKAN data model (core fields, legacy ``extras``, and the ckanext-dcat DCAT-AP schema).

Dataset (``dcat:Dataset``, or ``dcat:DatasetSeries`` for a ``dataset_series`` package):

* IRI: the package's ``uri`` (field or extra) when it is an http(s) IRI, else
  ``{site}/dataset/{id}`` (the name when there is no id), so a re-harvest reproduces it;
* ``title``/``notes`` → ``dct:title``/``dct:description``, one per language from
  ``title_translated``/``notes_translated``, untagged otherwise (no title: the name);
* ``tags`` (``tags_translated``) → ``dcat:keyword``; ``groups`` → ``dcat:theme`` when the
  group is named by an IRI, a keyword (its title) otherwise; ``theme`` → ``dcat:theme``;
* ``issued``/``modified`` (or legacy ``dcat_issued``/``dcat_modified``), else
  ``metadata_created``/``metadata_modified`` → ``dct:issued``/``dct:modified`` typed
  ``xsd:dateTime`` (``xsd:date``, ``gYear``… for shorter values);
* ``url`` → ``dcat:landingPage``; ``version`` → ``dcat:version``; ``identifier`` (or
  ``guid``) → ``dct:identifier``; ``alternate_identifier`` → ``adms:identifier``;
* ``spatial_uri``/``spatial_coverage`` (and GeoJSON ``spatial``, ``spatial_bbox``,
  ``spatial_centroid``) → ``dct:spatial``; ``temporal_start``/``temporal_end`` or
  ``temporal_coverage`` → ``dct:temporal``; ``language``, ``frequency``,
  ``access_rights``, ``conforms_to``, ``provenance``, ``documentation``,
  ``applicable_legislation``, ``is_referenced_by``, ``dcat_type``, ``in_series`` (IRIs) →
  their DCAT-AP 3 properties (EU codes such as ``monthly`` or ``en`` become EU IRIs);
* publisher, creators, contact points: ``ckan_agents``; resources: ``ckan_resources``, with
  the package's ``license_id``/``license_url`` as ``dct:license`` of each distribution.

Every node a property points to is typed with the class its DCAT-AP 3 range names, as the
profile asks of a self-contained record. A value that makes no valid term is left out and
noted (``MappedPackage.notes``); the rest of the package is still mapped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Triple

from catalog_node.namespaces import DCAT, DCT, RDF_TYPE, n
from harvesters.ckan_agents import add_agents
from harvesters.ckan_codes import GEOJSON_LITERAL, licence_code
from harvesters.ckan_fields import Fields
from harvesters.ckan_resources import add_distribution
from harvesters.ckan_terms import MappingNote, Out, Subject, as_iri
from harvesters.ckan_vocab import (
    ACCESS_RIGHTS,
    ADMS_IDENTIFIER,
    APPLICABLE_LEGISLATION,
    BBOX,
    CENTROID,
    CONCEPT,
    DATASET_CLASS,
    DATASET_TYPES,
    DESCRIPTION,
    DOCUMENT,
    END_DATE,
    FOAF_PAGE,
    FREQUENCIES,
    GEOMETRY,
    IDENTIFIER,
    IDENTIFIER_CLASS,
    ISSUED,
    KEYWORD,
    LANDING_PAGE,
    LEGISLATION,
    LOCATION,
    MODIFIED,
    NOTATION,
    PERIOD,
    PREF_LABEL,
    RIGHTS,
    SERIES_CLASS,
    SPATIAL,
    STANDARD,
    START_DATE,
    TEMPORAL,
    THEME,
    THEMES,
    TITLE,
    VERSION,
    VERSION_NOTES,
    Rule,
    apply,
    coded,
    language,
    licence,
    link,
    statements,
    texts,
)

_RULES: list[tuple[str, NamedNode, Rule, NamedNode | None]] = [
    ("theme", THEME, coded(THEMES), CONCEPT),
    ("language", n(DCT, "language"), language, n(DCT, "LinguisticSystem")),
    ("documentation", FOAF_PAGE, link, DOCUMENT),
    ("applicable_legislation", APPLICABLE_LEGISLATION, link, LEGISLATION),
    ("is_referenced_by", n(DCT, "isReferencedBy"), link, None),
    ("dcat_type", n(DCT, "type"), coded(DATASET_TYPES), CONCEPT),
    ("in_series", n(DCAT, "inSeries"), link, None),
]


@dataclass(frozen=True)
class MappedPackage:
    """One package's triples: the dataset IRI, its distributions and what was left out."""

    key: str
    iri: NamedNode
    triples: list[Triple]
    distributions: list[Subject]
    notes: list[MappingNote]


def package_key(package: Mapping[str, Any]) -> str | None:
    """The package's id, else its name: what ``package_show`` and the site's URLs take."""
    for name in ("id", "name"):
        value = package.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def map_package(package: Mapping[str, Any], site: str) -> MappedPackage:
    """Map one package of the CKAN site ``site`` (its root URL, no trailing slash)."""
    fields = Fields(package)
    key = package_key(package)
    if key is None:
        raise ValueError("a CKAN package needs an id or a name")
    out = Out(key)
    dataset = _dataset_iri(out, fields, site, key)
    kind = SERIES_CLASS if fields.text("type") == "dataset_series" else DATASET_CLASS
    out.add(dataset, RDF_TYPE, kind)
    texts(out, dataset, TITLE, fields.translated("title") or fields.translated("name"), "title")
    texts(out, dataset, DESCRIPTION, fields.translated("notes"), "notes")
    _dates(out, dataset, fields)
    _keywords(out, dataset, fields)
    _simple(out, dataset, fields)
    apply(out, dataset, fields, _RULES)
    statements(out, dataset, n(DCT, "accessRights"), fields, "access_rights", RIGHTS,
               ACCESS_RIGHTS, single=True)
    statements(out, dataset, n(DCT, "conformsTo"), fields, "conforms_to", STANDARD)
    statements(out, dataset, n(DCT, "provenance"), fields, "provenance",
               n(DCT, "ProvenanceStatement"), single=True)
    for value in fields.texts("frequency")[:1]:
        out.link(dataset, n(DCT, "accrualPeriodicity"),
                 coded(FREQUENCIES)(out, value, "frequency"), n(DCT, "Frequency"))
    _temporal(out, dataset, fields)
    _spatial(out, dataset, fields)
    add_agents(out, dataset, fields, site)
    package_licence = _package_licence(out, fields)
    resources = fields.raw("resources")
    distributions = [
        add_distribution(out, dataset, Fields(resource), site, key, index, package_licence)
        for index, resource in enumerate(resources if isinstance(resources, list) else [])
        if isinstance(resource, Mapping)]
    triples = list(dict.fromkeys(out.triples))
    return MappedPackage(key, dataset, triples, distributions, out.notes)


def _dataset_iri(out: Out, fields: Fields, site: str, key: str) -> NamedNode:
    given = fields.text("uri")
    if given is not None and (node := out.iri(given, "uri")) is not None:
        return node
    return NamedNode(f"{site}/dataset/{quote(key, safe='')}")


def _dates(out: Out, dataset: Subject, fields: Fields) -> None:
    for predicate, keys in ((ISSUED, ("issued", "dcat_issued", "metadata_created")),
                            (MODIFIED, ("modified", "dcat_modified", "metadata_modified"))):
        for name in keys:
            if (value := fields.text(name)) is not None:
                out.add(dataset, predicate, out.when(value, name))
                break


def _keywords(out: Out, dataset: Subject, fields: Fields) -> None:
    tags = fields.translated_lists("tags") or [(tag, None) for tag in fields.texts("tags")]
    texts(out, dataset, KEYWORD, tags, "tags")
    groups = fields.raw("groups")
    for group in groups if isinstance(groups, list) else []:
        if not isinstance(group, Mapping):
            continue
        group_fields = Fields(group)
        named = group_fields.text("uri") or group_fields.text("name")
        if named is not None and (iri := as_iri(named)) is not None:
            out.link(dataset, THEME, iri, CONCEPT)
        elif label := group_fields.text("title", "display_name", "name"):
            out.add(dataset, KEYWORD, Literal(label))


def _simple(out: Out, dataset: Subject, fields: Fields) -> None:
    """Single literals and links: landing page, version, identifiers, resolutions."""
    if (url := fields.text("url")) is not None:
        out.link(dataset, LANDING_PAGE, out.iri(url, "url"), DOCUMENT)
    if (version := fields.text("version")) is not None:
        out.add(dataset, VERSION, Literal(version))
    texts(out, dataset, VERSION_NOTES, fields.translated("version_notes"), "version_notes")
    for value in fields.texts("identifier") or fields.texts("guid"):
        out.add(dataset, IDENTIFIER, Literal(value))
    for index, value in enumerate(fields.texts("alternate_identifier")):
        node = out.blank(f"alternate_identifier/{index}")
        out.link(dataset, ADMS_IDENTIFIER, node, IDENTIFIER_CLASS)
        out.add(node, NOTATION, Literal(value))
    if (value := fields.text("temporal_resolution")) is not None:
        out.add(dataset, n(DCAT, "temporalResolution"),
                out.duration(value, "temporal_resolution"))
    if (value := fields.text("spatial_resolution_in_meters")) is not None:
        out.add(dataset, n(DCAT, "spatialResolutionInMeters"),
                out.decimal(value, "spatial_resolution_in_meters"))


def _temporal(out: Out, dataset: Subject, fields: Fields) -> None:
    periods = fields.records("temporal_coverage")
    if not periods and (fields.raw("temporal_start") or fields.raw("temporal_end")):
        periods = [Fields({"start": fields.text("temporal_start"),
                           "end": fields.text("temporal_end")})]
    for index, period in enumerate(periods):
        start, end = period.text("start"), period.text("end")
        bounds = [(START_DATE, out.when(start, "temporal_start") if start else None),
                  (END_DATE, out.when(end, "temporal_end") if end else None)]
        if all(value is None for _, value in bounds):
            continue
        node = out.blank(f"temporal/{index}")
        out.link(dataset, TEMPORAL, node, PERIOD)
        for predicate, value in bounds:
            out.add(node, predicate, value)


def _spatial(out: Out, dataset: Subject, fields: Fields) -> None:
    places = fields.records("spatial_coverage")
    legacy = {"uri": fields.text("spatial_uri"), "text": fields.text("spatial_text"),
              "geom": fields.raw("spatial"), "bbox": fields.raw("spatial_bbox"),
              "centroid": fields.raw("spatial_centroid")}
    if not places and any(value is not None for value in legacy.values()):
        places = [Fields(legacy)]
    for index, place in enumerate(places):
        given = place.text("uri")
        node = (out.iri(given, "spatial_uri") if given else None) or out.blank(f"spatial/{index}")
        shapes = [(predicate, _geojson(out, place.raw(name), f"spatial.{name}"))
                  for predicate, name in ((GEOMETRY, "geom"), (BBOX, "bbox"),
                                          (CENTROID, "centroid"))]
        label = place.text("text")
        if not isinstance(node, NamedNode) and label is None and all(
                value is None for _, value in shapes):
            continue
        out.link(dataset, SPATIAL, node, LOCATION)
        for predicate, value in shapes:
            out.add(node, predicate, value)
        if label is not None:
            out.add(node, PREF_LABEL, Literal(label))


def _geojson(out: Out, value: Any, name: str) -> Literal | None:
    """A GeoJSON geometry (object or JSON text) as a compact GeoJSON literal."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            out.note(name, "not a GeoJSON geometry (invalid JSON)")
            return None
    if not isinstance(value, Mapping) or "type" not in value:
        out.note(name, "not a GeoJSON geometry (no type)")
        return None
    text = json.dumps(value, separators=(",", ":"), sort_keys=True)
    return Literal(text, datatype=NamedNode(GEOJSON_LITERAL))


def _package_licence(out: Out, fields: Fields) -> Subject | None:
    """The package licence: a known ``license_id`` (EU IRI), else ``license_url``; an
    unknown id is reported only when no URL names the licence either."""
    given, url = fields.text("license_id"), fields.text("license_url")
    if given is not None and (licence_code(given) or as_iri(given)):
        return licence(out, given, "license_id")
    if url is not None:
        return licence(out, url, "license_url")
    return licence(out, given, "license_id") if given is not None else None
