"""Publisher, creators and contact points of a CKAN package (part of the package mapping).

* ``dct:publisher``: the package's ``publisher`` (ckanext-dcat's DCAT-AP schema), else the
  legacy ``publisher_*`` / ``dcat_publisher_*`` extras, else its CKAN organisation: a
  ``foaf:Organization`` named ``{site}/organization/{id}``, its ``foaf:name`` the
  organisation's title, with ``foaf:page`` its page on the site.
* ``dct:creator``: ``creator`` records, else ``creator_*`` / ``dcat_creator_*`` extras.
* ``dcat:contactPoint``: ``contact`` records, ``contact_*`` extras, then the maintainer and
  the author (each with their e-mail), as ``vcard:Kind`` nodes; the same name and
  address are given once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode

from catalog_node.namespaces import RDF_TYPE
from harvesters.ckan_fields import Fields
from harvesters.ckan_terms import Out, Subject, as_iri
from harvesters.ckan_vocab import (
    AGENT,
    CONCEPT,
    CONTACT_POINT,
    CREATOR,
    DOCUMENT,
    FN,
    FOAF_NAME,
    FOAF_PAGE,
    HAS_EMAIL,
    HAS_URL,
    HOMEPAGE,
    IDENTIFIER,
    KIND,
    MBOX,
    ORGANIZATION,
    PUBLISHER,
    TYPE,
    texts,
)


def add_agents(out: Out, dataset: Subject, package: Fields, site: str) -> None:
    publisher = package.records("publisher")[:1] or _legacy(package, "publisher")
    if publisher:
        out.link(dataset, PUBLISHER, _agent(out, publisher[0], "publisher"), AGENT)
    elif isinstance(org := package.raw("organization"), Mapping):
        out.link(dataset, PUBLISHER, _organisation(out, Fields(org), site), AGENT)
    for index, creator in enumerate(package.records("creator") or _legacy(package, "creator")):
        out.link(dataset, CREATOR, _agent(out, creator, f"creator/{index}"), AGENT)
    _contact_points(out, dataset, package)


def _legacy(package: Fields, role: str) -> list[Fields]:
    """``{role}_name``, ``_email``, ``_url``, ``_uri``, ``_type`` extras (also ``dcat_``)."""
    found: dict[str, Any] = {}
    for part in ("name", "email", "url", "uri", "type", "identifier"):
        value = package.text(f"{role}_{part}", f"dcat_{role}_{part}")
        if value is not None:
            found[part] = value
    return [Fields(found)] if found.keys() & {"name", "email", "uri"} else []


def _agent(out: Out, agent: Fields, path: str) -> Subject:
    """A ``foaf:Agent``; ``path`` (``publisher``, ``creator/0``) names its blank node."""
    given = agent.text("uri") or agent.text("identifier")
    node = (as_iri(given) if given else None) or out.blank(path)
    role = path.split("/", 1)[0]
    names = agent.translated("name")
    texts(out, node, FOAF_NAME, names, f"{role}.name")
    if not names:
        out.note(f"{role}.name", "the agent has no name (foaf:name is mandatory)")
    if (email := agent.text("email")) is not None:
        out.add(node, MBOX, out.mailto(email, f"{role}.email"))
    if (url := agent.text("url")) is not None:
        out.link(node, HOMEPAGE, out.iri(url, f"{role}.url"), DOCUMENT)
    if (kind := agent.text("type")) is not None:
        out.link(node, TYPE, out.iri(kind, f"{role}.type"), CONCEPT)
    if (identifier := agent.text("identifier")) is not None and as_iri(identifier) is None:
        out.add(node, IDENTIFIER, Literal(identifier))
    return node


def _organisation(out: Out, org: Fields, site: str) -> Subject | None:
    key = org.text("id") or org.text("name")
    if key is None:
        out.note("organization", "the organisation has neither id nor name")
        return None
    node = NamedNode(f"{site}/organization/{quote(key, safe='')}")
    out.add(node, RDF_TYPE, ORGANIZATION)
    names = org.translated("title") or org.translated("name")
    texts(out, node, FOAF_NAME, names, "organization.title")
    if (name := org.text("name")) is not None:
        page = NamedNode(f"{site}/organization/{quote(name, safe='')}")
        if page != node:
            out.link(node, FOAF_PAGE, page, DOCUMENT)
    return node


def _contact_points(out: Out, dataset: Subject, package: Fields) -> None:
    people = package.records("contact") or _legacy(package, "contact")
    for role in ("maintainer", "author"):
        name, email = package.text(role), package.text(f"{role}_email")
        if name or email:
            people.append(Fields({"name": name, "email": email}))
    seen: set[tuple[str, str]] = set()
    for index, person in enumerate(people):
        key = ((person.text("name") or "").lower(), (person.text("email") or "").lower())
        if key in seen or key == ("", ""):
            continue
        seen.add(key)
        given = person.text("uri")
        node = (as_iri(given) if given else None) or out.blank(f"contact/{index}")
        out.link(dataset, CONTACT_POINT, node, KIND)
        texts(out, node, FN, person.translated("name"), "contact.name")
        if (email := person.text("email")) is not None:
            out.add(node, HAS_EMAIL, out.mailto(email, "contact.email"))
        if (url := person.text("url")) is not None:
            out.add(node, HAS_URL, out.iri(url, "contact.url"))
