"""Descriptions built from warehouses and data dictionaries, as HealthDCAT-AP RDF.

Source types that do not speak RDF (OMOP and other SQL warehouses, Frictionless data
packages, the fill-in template) read their source into the neutral model of
:mod:`catalog_node.describe.model`; :mod:`catalog_node.describe.build` turns it into one
RDF page per dataset, applying the disclosure rules of :mod:`catalog_node.describe.disclosure`
on the way, so no source type can publish a small count by forgetting to check it.
"""
