"""The identifying keys of a dataset: what tells that two sources describe the same one.

The dataset IRI, each ``dct:identifier``, each ``adms:identifier`` notation, and each
landing page (host case, trailing slash and fragment ignored). The ledger keeps them for
every written record (table ``record_keys``), so duplicates across sources are found by index.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from catalog_node.model.record import literal_value
from catalog_node.namespaces import ADMS, DCAT, DCT, SKOS

_IDENTIFIER = f"<{DCT}identifier>"
_ADMS_ID = f"<{ADMS}identifier>"
_NOTATION = f"<{SKOS}notation>"
_LANDING = f"<{DCAT}landingPage>"


def _landing_key(iri: str) -> str:
    parts = urlsplit(iri)
    return "landing:" + urlunsplit(("", parts.netloc.lower(), parts.path.rstrip("/"),
                                    parts.query, "")).lstrip("/")


def record_keys(dataset_iri: str, lines: list[str]) -> set[str]:
    """The identifying keys of a record's dataset, from the record's N-Triples lines."""
    subject = f"<{dataset_iri}> "
    keys = {f"iri:{dataset_iri}"}
    id_nodes: set[str] = set()
    for line in lines:
        if not line.startswith(subject):
            continue
        predicate, obj = line[len(subject):-2].split(" ", 1)
        if predicate == _IDENTIFIER:
            value = literal_value(obj)
            keys.add(f"id:{(value.value if value else obj.strip('<>')).strip()}")
        elif predicate == _LANDING and obj.startswith("<"):
            keys.add(_landing_key(obj[1:-1]))
        elif predicate == _ADMS_ID:
            id_nodes.add(obj)
    for line in lines:
        node, rest = line.split(" ", 1)
        if node in id_nodes and rest.startswith(_NOTATION):
            value = literal_value(rest[len(_NOTATION) + 1:-2])
            if value is not None:
                keys.add(f"id:{value.value.strip()}")
    return {k for k in keys if len(k) > 4}
