"""Source types the node harvests, one module per type, behind :class:`Harvester`.

Every harvester yields RDF documents; the node's one write pipeline turns them into
records (``catalog_node.pipeline``), so a harvest and a ``catalog-node load`` store the
same way. The DCAT, CKAN, SPARQL and FAIR Data Point harvesters come with the harvesting
issue; warehouses and data dictionaries after it.
"""
