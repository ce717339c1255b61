"""Source types the node harvests, one module per type, behind :class:`Harvester`.

Every harvester yields pages (RDF documents); the harvest engine
(``catalog_node.harvest``) turns them into records through the node's one write
pipeline, so a harvest and a ``catalog-node load`` store the same way.
"""

from __future__ import annotations

from importlib import import_module

from catalog_node.errors import ConfigError
from harvesters.base import Harvester, SourceConfig

#: ``--type`` name → ``module:class`` of its harvester (each takes the SourceConfig).
SOURCE_TYPES: dict[str, str] = {
    "dcat": "harvesters.dcat:DcatHarvester",
    "ckan": "harvesters.ckan:CkanHarvester",
    "sparql": "harvesters.sparql:SparqlHarvester",
    "fdp": "harvesters.fdp:FdpHarvester",
    "omop": "harvesters.omop:OmopHarvester",
    "sql": "harvesters.sql:SqlHarvester",
    "datapackage": "harvesters.datapackage:DatapackageHarvester",
    "template": "harvesters.template:TemplateHarvester",
}


def harvester_for(source: SourceConfig) -> Harvester:
    """The harvester of a source's type."""
    target = SOURCE_TYPES.get(source.type)
    if target is None:
        raise ConfigError(f"unknown source type {source.type!r}",
                          hint=f"use one of {', '.join(sorted(SOURCE_TYPES))}")
    module, name = target.split(":")
    return getattr(import_module(module), name)(source)
