"""A CKAN resource → a DCAT-AP 3 ``dcat:Distribution`` (part of the package mapping)."""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

from pyoxigraph import NamedNode

from catalog_node.namespaces import ADMS, DCAT, DCATAP, DCT, n
from harvesters.ckan_codes import (
    FILE_TYPE,
    IANA,
    MEDIA_TYPES,
    PAGE_FORMATS,
    algorithm_iri,
    file_type_code,
)
from harvesters.ckan_fields import Fields
from harvesters.ckan_terms import Out, Subject, as_iri, is_media_type
from harvesters.ckan_vocab import (
    ACCESS_SERVICE,
    ACCESS_URL,
    ALGORITHM,
    ALGORITHM_CLASS,
    APPLICABLE_LEGISLATION,
    AVAILABILITIES,
    BYTE_SIZE,
    CHECKSUM,
    CHECKSUM_CLASS,
    CHECKSUM_VALUE,
    CONCEPT,
    DESCRIPTION,
    DISTRIBUTION,
    DISTRIBUTION_CLASS,
    DOCUMENT,
    DOWNLOAD_URL,
    ENDPOINT_DESCRIPTION,
    ENDPOINT_URL,
    FOAF_PAGE,
    FORMAT,
    FORMAT_CLASS,
    ISSUED,
    LEGISLATION,
    LICENSE,
    LICENSE_DOCUMENT,
    MEDIA_TYPE,
    MEDIA_TYPE_CLASS,
    MODIFIED,
    RIGHTS,
    SERVES,
    SERVICE_CLASS,
    STANDARD,
    TITLE,
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
    ("status", n(ADMS, "status"), link, CONCEPT),
    ("availability", n(DCATAP, "availability"), coded(AVAILABILITIES), CONCEPT),
    ("compress_format", n(DCAT, "compressFormat"), link, MEDIA_TYPE_CLASS),
    ("package_format", n(DCAT, "packageFormat"), link, MEDIA_TYPE_CLASS),
    ("documentation", FOAF_PAGE, link, DOCUMENT),
    ("language", n(DCT, "language"), language, n(DCT, "LinguisticSystem")),
    ("applicable_legislation", APPLICABLE_LEGISLATION, link, LEGISLATION),
]


def add_distribution(out: Out, dataset: Subject, resource: Fields, site: str, package: str,
                     index: int, package_licence: Subject | None) -> Subject:
    """Map one resource; ``package_licence`` applies when the resource names none."""
    node = _node(out, resource, site, package, index)
    out.link(dataset, DISTRIBUTION, node, DISTRIBUTION_CLASS)
    texts(out, node, TITLE, resource.translated("name"), "name")
    texts(out, node, DESCRIPTION, resource.translated("description"), "description")
    _urls(out, node, resource)
    _formats(out, node, resource)
    if (size := resource.raw("size")) is not None:
        out.add(node, BYTE_SIZE, out.count(size, "size"))
    _checksum(out, node, resource, index)
    for predicate, keys in ((ISSUED, ("issued", "created")),
                            (MODIFIED, ("modified", "last_modified"))):
        if (value := resource.text(*keys)) is not None:
            out.add(node, predicate, out.when(value, keys[0]))
    own = resource.text("license", "license_id", "license_url")
    chosen = licence(out, own, "license") if own else package_licence
    out.link(node, LICENSE, chosen, LICENSE_DOCUMENT)
    statements(out, node, n(DCT, "rights"), resource, "rights", RIGHTS, single=True)
    statements(out, node, n(DCT, "conformsTo"), resource, "conforms_to", STANDARD)
    apply(out, node, resource, _RULES)
    if (value := resource.text("temporal_resolution")) is not None:
        out.add(node, n(DCAT, "temporalResolution"), out.duration(value, "temporal_resolution"))
    if (value := resource.text("spatial_resolution_in_meters")) is not None:
        out.add(node, n(DCAT, "spatialResolutionInMeters"),
                out.decimal(value, "spatial_resolution_in_meters"))
    _services(out, node, resource, index)
    return node


def _node(out: Out, resource: Fields, site: str, package: str, index: int) -> Subject:
    """The resource's own ``uri``, else its page under the CKAN site, else a blank node."""
    if (given := resource.text("uri")) is not None and (node := as_iri(given)) is not None:
        return node
    if (rid := resource.text("id")) is not None:
        return NamedNode(f"{site}/dataset/{quote(package, safe='')}/resource/"
                         f"{quote(rid, safe='')}")
    return out.blank(f"resource/{index}")


def _urls(out: Out, node: Subject, resource: Fields) -> None:
    url, given = resource.text("url"), resource.text("access_url")
    access = out.iri(given, "access_url") if given is not None else None
    if access is None and url is not None:
        access = out.iri(url, "url", quiet=url == given)
    out.add(node, ACCESS_URL, access)
    download = resource.text("download_url")
    if download is None and url is not None and (
            resource.text("url_type") == "upload" or _looks_like_file(url)):
        download = url
    if download is not None:
        out.add(node, DOWNLOAD_URL, out.iri(download, "download_url", quiet=download == url))


def _looks_like_file(url: str) -> bool:
    """A URL whose last path segment ends in a data format's extension (not a web page)."""
    segment = urlsplit(url.strip()).path.rsplit("/", 1)[-1]
    if "." not in segment:
        return False
    code = file_type_code(segment.rsplit(".", 1)[-1])
    return code is not None and code not in PAGE_FORMATS


def _formats(out: Out, node: Subject, resource: Fields) -> None:
    """``dct:format`` (EU file type) and ``dcat:mediaType`` (IANA) from format and mimetype."""
    given, mimetype = resource.text("format"), resource.text("mimetype")
    code: str | None = None
    media: NamedNode | None = None
    file_type: NamedNode | None = None
    if given is not None:
        if (iri := as_iri(given)) is not None:
            if "/assignments/media-types/" in given:
                media = iri
            else:
                file_type = iri
                if given.startswith(FILE_TYPE):
                    code = given[len(FILE_TYPE):]
        elif (code := file_type_code(given)) is None:
            if is_media_type(given):
                media = out.media_type(given, "format")
            else:
                out.note("format", f"{given!r} is not a known file-type code or media type")
    if mimetype is not None:
        media = out.media_type(mimetype, "mimetype") or media
    if code is None and media is not None:
        code = file_type_code(media.value.rsplit("/media-types/", 1)[-1])
    if file_type is None and code is not None:
        file_type = NamedNode(FILE_TYPE + code)
    if media is None and code in MEDIA_TYPES:
        media = NamedNode(IANA + MEDIA_TYPES[code])
    out.link(node, FORMAT, file_type, FORMAT_CLASS)
    out.link(node, MEDIA_TYPE, media, MEDIA_TYPE_CLASS)


def _checksum(out: Out, node: Subject, resource: Fields, index: int) -> None:
    """``spdx:checksum`` from ``hash`` (``hex`` or ``algorithm:hex``) and ``hash_algorithm``."""
    value = resource.text("hash")
    if value is None:
        return
    named, _, digits = value.rpartition(":") if as_iri(value) is None else ("", "", value)
    value_literal = out.hex_binary(digits.strip(), "hash")
    if value_literal is None:
        return
    algorithm = algorithm_iri(resource.text("hash_algorithm") or named or None, digits.strip())
    if algorithm is None:
        out.note("hash", "no algorithm is given and the hash's length implies none")
        return
    checksum = out.blank(f"checksum/{index}")
    out.link(node, CHECKSUM, checksum, CHECKSUM_CLASS)
    out.link(checksum, ALGORITHM, NamedNode(algorithm), ALGORITHM_CLASS)
    out.add(checksum, CHECKSUM_VALUE, value_literal)


def _services(out: Out, node: Subject, resource: Fields, index: int) -> None:
    """``access_services`` (ckanext-dcat's DCAT-AP schema) → ``dcat:DataService`` nodes."""
    raw = resource.raw("access_services")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            out.note("access_services", "not a JSON list of services")
            return
    services = Fields({"s": raw}).records("s")
    for number, service in enumerate(services):
        given = service.text("uri")
        subject = (as_iri(given) if given else None) or out.blank(f"service/{index}/{number}")
        out.link(node, ACCESS_SERVICE, subject, SERVICE_CLASS)
        texts(out, subject, TITLE, service.translated("title"), "access_services.title")
        for value in service.texts("endpoint_url"):
            out.add(subject, ENDPOINT_URL, out.iri(value, "access_services.endpoint_url"))
        for value in service.texts("endpoint_description"):
            out.add(subject, ENDPOINT_DESCRIPTION,
                    out.iri(value, "access_services.endpoint_description"))
        for value in service.texts("serves_dataset"):
            out.add(subject, SERVES, out.iri(value, "access_services.serves_dataset"))
