"""Namespaces and the few IRIs the node's code refers to by name."""

from __future__ import annotations

from pyoxigraph import NamedNode

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ADMS = "http://www.w3.org/ns/adms#"
SPDX = "http://spdx.org/rdf/terms#"
CSVW = "http://www.w3.org/ns/csvw#"
DCATAP = "http://data.europa.eu/r5r/"
HEALTHDCATAP = "http://healthdataportal.eu/ns/health#"
DQV = "http://www.w3.org/ns/dqv#"
PROV = "http://www.w3.org/ns/prov#"
LOCN = "http://www.w3.org/ns/locn#"
ELI = "http://data.europa.eu/eli/ontology#"
DPV = "https://w3id.org/dpv#"
SCHEMA = "http://schema.org/"
#: the node's own data-dictionary terms and warehouse metrics (docs/decisions.md)
CND = "https://w3id.org/catalog-node/dictionary#"
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
ACCESS_RIGHT = EU_AUTHORITY + "access-right/"
ADMS_STATUS = "http://purl.org/adms/status/"

PREFIXES: dict[str, str] = {
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "dcat": DCAT, "dct": DCT,
    "foaf": FOAF, "vcard": VCARD, "skos": SKOS, "adms": ADMS, "spdx": SPDX, "csvw": CSVW,
    "dcatap": DCATAP, "healthdcatap": HEALTHDCATAP, "dqv": DQV, "prov": PROV,
    "locn": LOCN, "eli": ELI, "dpv": DPV,
}


def n(namespace: str, local: str) -> NamedNode:
    """The named node ``namespace + local``."""
    return NamedNode(namespace + local)


RDF_TYPE = n(RDF, "type")
DCAT_CATALOG = n(DCAT, "Catalog")
DCAT_DATASET = n(DCAT, "Dataset")
DCAT_DATASET_SERIES = n(DCAT, "DatasetSeries")
DCAT_DATA_SERVICE = n(DCAT, "DataService")
DCAT_CATALOG_RECORD = n(DCAT, "CatalogRecord")
DCAT_DATASET_PROP = n(DCAT, "dataset")
DCAT_RECORD_PROP = n(DCAT, "record")
DCAT_CATALOG_PROP = n(DCAT, "catalog")
SKOS_CONCEPT = n(SKOS, "Concept")
SKOS_CONCEPT_SCHEME = n(SKOS, "ConceptScheme")

#: Classes whose instances are records of their own: traversal of a record stops there.
RECORD_BOUNDARY_CLASSES = frozenset(
    {DCAT_CATALOG, DCAT_DATASET, DCAT_DATASET_SERIES, DCAT_CATALOG_RECORD}
)
#: Classes whose own triples are copied into a record, without following their links.
LEAF_CLASSES = frozenset({SKOS_CONCEPT, SKOS_CONCEPT_SCHEME})
#: Classes that start a record.
RECORD_ROOT_CLASSES = frozenset({DCAT_DATASET, DCAT_DATASET_SERIES})
