"""The node's own catalogue and its sub-catalogues, kept in the graph ``{base}catalog``."""

from __future__ import annotations

import json
from collections.abc import Iterable

from catalog_node.model.iris import IriMinter
from catalog_node.namespaces import DCAT, DCT, EU_AUTHORITY, FOAF, RDF, VCARD
from catalog_node.settings import NodeDescription


def _text(value: str, lang: str) -> str:
    return json.dumps(value, ensure_ascii=False) + f"@{lang}"


def catalog_lines(minter: IriMinter, about: NodeDescription,
                  subcatalogs: Iterable[str]) -> list[str]:
    """N-Triples of the node's catalogue, its publisher and its sub-catalogues."""
    top = f"<{minter.catalog()}>"
    agent = f"<{minter.agent('node')}>"
    contact = f"<{minter.agent('node')}/contact>"
    lines = [
        f"{top} <{RDF}type> <{DCAT}Catalog> .",
        f"{top} <{DCT}title> {_text(about.title_fr, 'fr')} .",
        f"{top} <{DCT}title> {_text(about.title_en, 'en')} .",
        f"{top} <{DCT}description> {_text(about.description_fr, 'fr')} .",
        f"{top} <{DCT}description> {_text(about.description_en, 'en')} .",
        f"{top} <{DCT}publisher> {agent} .",
        f"{top} <{DCAT}contactPoint> {contact} .",
        f"{top} <{DCT}language> <{EU_AUTHORITY}language/FRA> .",
        f"{top} <{DCT}language> <{EU_AUTHORITY}language/ENG> .",
        f"{top} <{DCT}spatial> <{EU_AUTHORITY}country/FRA> .",
        f"{agent} <{RDF}type> <{FOAF}Agent> .",
        f"{agent} <{FOAF}name> {json.dumps(about.publisher_name, ensure_ascii=False)} .",
        f"{contact} <{RDF}type> <{VCARD}Kind> .",
        f"{contact} <{VCARD}fn> {json.dumps(about.publisher_name, ensure_ascii=False)} .",
        f"{contact} <{VCARD}hasEmail> <mailto:{about.publisher_email}> .",
    ]
    if about.homepage:
        lines.append(f"{top} <{FOAF}homepage> <{about.homepage}> .")
    for name in sorted(set(subcatalogs)):
        sub = f"<{minter.subcatalog(name)}>"
        lines += [
            f"{top} <{DCT}hasPart> {sub} .",
            f"{top} <{DCAT}catalog> {sub} .",
            f"{sub} <{RDF}type> <{DCAT}Catalog> .",
            f"{sub} <{DCT}title> {_text(f'Sous-catalogue « {name} »', 'fr')} .",
            f"{sub} <{DCT}title> {_text(f'Sub-catalogue “{name}”', 'en')} .",
            f"{sub} <{DCT}description> "
            f"{_text(f'Fiches chargées ou moissonnées sous le nom « {name} ».', 'fr')} .",
            f"{sub} <{DCT}description> "
            f"{_text(f'Records loaded or harvested under the name “{name}”.', 'en')} .",
            f"{sub} <{DCT}publisher> {agent} .",
            f"{sub} <{DCT}isPartOf> {top} .",
        ]
    return lines
