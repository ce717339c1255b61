"""Code tables the CKAN mapping needs: EU authority codes, IANA media types, SPDX algorithms.

The EU codes a value may name are those of the node's own shipped vocabularies
(``vocabularies/*.ttl``, read once), so a code the mapping accepts is one the validator
knows; a few newer file-type codes of the current EU table are added by hand. The other
tables are facts from the EU file-type, licence and language tables, the IANA media-type
registry, ISO 639 and SPDX: CKAN spellings of formats and licences that mean a known code.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse

from catalog_node.namespaces import EU_AUTHORITY, SKOS

VOCABULARIES = Path(__file__).resolve().parents[1] / "vocabularies"
FILE_TYPE = EU_AUTHORITY + "file-type/"
LICENCE = EU_AUTHORITY + "licence/"
LANGUAGE = EU_AUTHORITY + "language/"
FREQUENCY = EU_AUTHORITY + "frequency/"
ACCESS_RIGHT = EU_AUTHORITY + "access-right/"
DATA_THEME = EU_AUTHORITY + "data-theme/"
DATASET_TYPE = EU_AUTHORITY + "dataset-type/"
PLANNED_AVAILABILITY = EU_AUTHORITY + "planned-availability/"
IANA = "https://www.iana.org/assignments/media-types/"
SPDX_ALGORITHM = "http://spdx.org/rdf/terms#checksumAlgorithm_"
GEOJSON_LITERAL = IANA + "application/vnd.geo+json"

#: File-type codes of the current EU table that the shipped (2022) file leaves out.
NEWER_FILE_TYPES = frozenset({"GEOJSON", "GPKG", "PARQUET", "YAML", "7Z"})

#: CKAN spellings of formats → EU file-type code (beyond the codes themselves).
FORMAT_ALIASES: dict[str, str] = {
    "TTL": "RDF_TURTLE", "TURTLE": "RDF_TURTLE", "RDF/XML": "RDF_XML", "RDFXML": "RDF_XML",
    "NT": "RDF_N_TRIPLES", "N-TRIPLES": "RDF_N_TRIPLES", "NTRIPLES": "RDF_N_TRIPLES",
    "NQ": "RDF_N_QUADS", "N-QUADS": "RDF_N_QUADS", "TRIG": "RDF_TRIG",
    "JSON-LD": "JSON_LD", "JSONLD": "JSON_LD", "SHAPEFILE": "SHP", "ESRI SHAPEFILE": "SHP",
    "GZ": "GZIP", "TGZ": "TAR_GZ", "TAR.GZ": "TAR_GZ", "JPG": "JPEG", "TIF": "TIFF",
    "HTM": "HTML", "TEXT": "TXT", "NC": "NETCDF", "SPARQL": "SPARQLQ", "YML": "YAML",
}

#: EU file-type code → IANA media type.
MEDIA_TYPES: dict[str, str] = {
    "CSV": "text/csv", "TSV": "text/tab-separated-values", "JSON": "application/json",
    "JSON_LD": "application/ld+json", "XML": "application/xml", "HTML": "text/html",
    "XHTML": "application/xhtml+xml", "TXT": "text/plain", "PDF": "application/pdf",
    "RTF": "application/rtf", "XLS": "application/vnd.ms-excel",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "DOC": "application/msword",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "PPTX": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ODS": "application/vnd.oasis.opendocument.spreadsheet",
    "ODT": "application/vnd.oasis.opendocument.text", "ZIP": "application/zip",
    "GZIP": "application/gzip", "RDF_XML": "application/rdf+xml", "RDF_TURTLE": "text/turtle",
    "RDF_N_TRIPLES": "application/n-triples", "RDF_N_QUADS": "application/n-quads",
    "RDF_TRIG": "application/trig", "KML": "application/vnd.google-earth.kml+xml",
    "KMZ": "application/vnd.google-earth.kmz", "GML": "application/gml+xml",
    "GEOJSON": "application/geo+json", "PNG": "image/png", "JPEG": "image/jpeg",
    "GIF": "image/gif", "TIFF": "image/tiff", "ATOM": "application/atom+xml",
    "EPUB": "application/epub+zip", "SQL": "application/sql", "MPEG4": "video/mp4",
    "PARQUET": "application/vnd.apache.parquet", "YAML": "application/yaml",
}

#: IANA media type → EU file-type code (the inverse of MEDIA_TYPES, plus older names).
CODES_BY_MEDIA_TYPE: dict[str, str] = {
    **{media: code for code, media in MEDIA_TYPES.items()},
    "text/xml": "XML", "application/vnd.geo+json": "GEOJSON", "text/rtf": "RTF",
}

#: File-type codes that name web pages, not files to download.
PAGE_FORMATS = frozenset({"HTML", "XHTML", "HTML_SIMPL", "XHTML_SIMPL", "MHTML"})

#: CKAN licence ids (lower case) → EU licence code. CKAN's unversioned Creative Commons
#: ids are taken as the current (4.0) version of the licence.
LICENCE_IDS: dict[str, str] = {
    "cc-by": "CC_BY_4_0", "cc-by-4.0": "CC_BY_4_0", "cc-by-3.0": "CC_BY_3_0",
    "cc-by-sa": "CC_BYSA_4_0", "cc-by-sa-4.0": "CC_BYSA_4_0", "cc-by-sa-3.0": "CC_BYSA_3_0",
    "cc-nc": "CC_BYNC_4_0", "cc-by-nc": "CC_BYNC_4_0", "cc-by-nc-4.0": "CC_BYNC_4_0",
    "cc-by-nd": "CC_BYND_4_0", "cc-by-nd-4.0": "CC_BYND_4_0",
    "cc-by-nc-sa-4.0": "CC_BYNCSA_4_0", "cc-by-nc-nd-4.0": "CC_BYNCND_4_0",
    "cc-zero": "CC0", "cc0": "CC0", "cc0-1.0": "CC0", "odc-odbl": "ODC_BL", "odbl": "ODC_BL",
    "odbl-1.0": "ODC_BL", "odc-by": "ODC_BY", "odc-pddl": "ODC_PDDL", "pddl": "ODC_PDDL",
    "gfdl": "GNU_FDL_1_3", "uk-ogl": "OGL_3_0", "ogl-uk-3.0": "OGL_3_0",
    "lov2": "ETALAB_2_0", "etalab-2.0": "ETALAB_2_0", "fr-lo": "ETALAB_2_0",
    "eupl-1.2": "EUPL_1_2", "apache-2.0": "APACHE_2_0", "mit": "MIT",
}
#: CKAN licence ids that say "no licence given": no value, and nothing to report.
NO_LICENCE = frozenset({"", "notspecified", "none"})

_CC_URL = re.compile(r"https?://creativecommons\.org/licenses/(by(?:-nc)?(?:-nd|-sa)?)/"
                     r"([34])\.0/?(?:[a-z]{2}/?)?(?:legalcode)?", re.IGNORECASE)
_CC0_URL = re.compile(r"https?://creativecommons\.org/publicdomain/zero/1\.0/?", re.IGNORECASE)
_ODC_URL = re.compile(r"https?://(?:www\.)?opendatacommons\.org/licenses/(odbl|by|pddl)"
                      r"(?:/[0-9.]*)?/?", re.IGNORECASE)
_ODC = {"odbl": "ODC_BL", "by": "ODC_BY", "pddl": "ODC_PDDL"}

#: ISO 639-1 code → the EU language table's code (ISO 639-3).
LANGUAGES_639_1: dict[str, str] = {
    "bg": "BUL", "hr": "HRV", "cs": "CES", "da": "DAN", "nl": "NLD", "en": "ENG",
    "et": "EST", "fi": "FIN", "fr": "FRA", "de": "DEU", "el": "ELL", "hu": "HUN",
    "ga": "GLE", "it": "ITA", "lv": "LAV", "lt": "LIT", "mt": "MLT", "pl": "POL",
    "pt": "POR", "ro": "RON", "sk": "SLK", "sl": "SLV", "es": "SPA", "sv": "SWE",
    "is": "ISL", "no": "NOR", "nb": "NOB", "nn": "NNO", "ca": "CAT", "eu": "EUS",
    "gl": "GLG", "cy": "CYM", "gd": "GLA", "br": "BRE", "co": "COS", "oc": "OCI",
    "lb": "LTZ", "sq": "SQI", "mk": "MKD", "sr": "SRP", "bs": "BOS", "uk": "UKR",
    "tr": "TUR", "ka": "KAT", "hy": "HYE", "ru": "RUS", "ar": "ARA", "zh": "ZHO",
    "ja": "JPN", "ko": "KOR", "he": "HEB", "hi": "HIN", "fa": "FAS",
}
LOC_639_1 = "http://id.loc.gov/vocabulary/iso639-1/"
LOC_639_2 = "http://id.loc.gov/vocabulary/iso639-2/"

#: Hash length in hexadecimal digits → SPDX algorithm (the lengths are unique).
ALGORITHMS_BY_LENGTH = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}
ALGORITHM_NAMES = {"md5": "md5", "sha1": "sha1", "sha-1": "sha1", "sha256": "sha256",
                   "sha-256": "sha256", "sha512": "sha512", "sha-512": "sha512",
                   "sha384": "sha384", "sha-384": "sha384", "sha224": "sha224"}


@cache
def shipped_codes(scheme_file: str) -> frozenset[str]:
    """The codes (last IRI segment) of the concepts in a shipped vocabulary file."""
    path = VOCABULARIES / scheme_file
    if not path.is_file():
        return frozenset()
    notation = NamedNode(SKOS + "notation")
    with path.open("rb") as stream:
        return frozenset(quad.subject.value.rsplit("/", 1)[-1]
                         for quad in parse(stream, format=RdfFormat.TURTLE)
                         if quad.predicate == notation and isinstance(quad.subject, NamedNode))


def file_type_code(value: str) -> str | None:
    """The EU file-type code a CKAN format (``CSV``, ``.csv``, ``text/csv``…) means."""
    text = value.strip()
    if "/" in text and text.lower() in CODES_BY_MEDIA_TYPE:
        return CODES_BY_MEDIA_TYPE[text.lower()]
    upper = text.lstrip(".").upper()
    if upper in FORMAT_ALIASES:
        return FORMAT_ALIASES[upper]
    code = re.sub(r"[\s.\-]+", "_", upper)
    known = shipped_codes("file-type.ttl") | NEWER_FILE_TYPES
    return code if code in known else None


def licence_code(value: str) -> str | None:
    """The EU licence code of a CKAN licence id or a well-known licence URL."""
    text = value.strip()
    if text.lower() in LICENCE_IDS:
        return LICENCE_IDS[text.lower()]
    if match := _CC_URL.fullmatch(text):
        kind, version = match.group(1).lower(), match.group(2)
        return "CC_" + kind.replace("-", "").upper() + f"_{version}_0"
    if _CC0_URL.fullmatch(text):
        return "CC0"
    if match := _ODC_URL.fullmatch(text):
        return _ODC[match.group(1).lower()]
    return None


def language_code(value: str) -> str | None:
    """The EU language code of an ISO 639-1/-2/-3 code or a Library of Congress IRI."""
    text = value.strip()
    for prefix in (LOC_639_1, LOC_639_2):
        if text.startswith(prefix):
            text = text[len(prefix):]
    primary = re.split(r"[-_]", text, maxsplit=1)[0]
    if len(primary) == 2 and primary.isalpha():
        return LANGUAGES_639_1.get(primary.lower())
    if len(primary) == 3 and primary.isascii() and primary.isalpha():
        return primary.upper()
    return None


def algorithm_iri(name: str | None, hex_digits: str) -> str | None:
    """The SPDX algorithm IRI of a named algorithm, or the one the hash's length implies."""
    if name:
        if name.startswith(("http://", "https://")):
            return name
        known = ALGORITHM_NAMES.get(name.strip().lower())
        return SPDX_ALGORITHM + known if known else None
    length = ALGORITHMS_BY_LENGTH.get(len(hex_digits))
    return SPDX_ALGORITHM + length if length else None
