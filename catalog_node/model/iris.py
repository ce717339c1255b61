"""The one module that mints IRIs, always from stable keys under the base IRI.

Layout (``{base}`` is the data directory's base IRI):

- ``{base}catalog`` the node's catalogue; ``{base}catalog/{name}`` a sub-catalogue
- ``{base}record/{source}/{key}`` a catalogue record (its named graph)
- ``{base}dataset/{source}/{key}`` a dataset that had no http(s) IRI of its own
- ``{base}record/{source}/{key}/node/{digest}`` a skolemised blank node of that record
- ``{base}source/{name}`` where records came from
- ``{dataset}/dictionary``, ``{dataset}/table/{table}``, ``{dataset}/table/{table}/column/{column}``
  the data dictionary of a dataset the node described itself (warehouses, data dictionaries);
  ``{dataset}/codelist/{name}`` (and ``/{code}``) its code lists; ``…/measurement/{metric}``
- ``{base}agent/{key}`` the node's own agents
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(text: str, limit: int = 48) -> str:
    """Lower-case ASCII words joined by hyphens; never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return slug or "x"


def digest(text: str, length: int = 12) -> str:
    """A short, stable hexadecimal digest of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def check_name(name: str, what: str = "name") -> str:
    """A sub-catalogue or source name: a slug, kept as given when it already is one."""
    from catalog_node.errors import ConfigError

    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", name):
        raise ConfigError(f"{what} {name!r} must be 1-64 lower-case letters, digits, - or _",
                          hint=f"for example {slugify(name)!r}")
    return name


_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,99}")


def _segment(name: str) -> str:
    """A path segment for a source's name: kept as it is when URL-safe, else a slug + digest."""
    if _SAFE_SEGMENT.fullmatch(name):
        return name
    return f"{slugify(name, 40)}-{digest(name, 6)}"


@dataclass(frozen=True)
class IriMinter:
    """Mints the node's IRIs from stable keys."""

    base: str

    def catalog(self) -> str:
        return self.base + "catalog"

    def subcatalog(self, name: str) -> str:
        return f"{self.base}catalog/{quote(name)}"

    def source(self, name: str) -> str:
        return f"{self.base}source/{quote(name)}"

    def agent(self, key: str) -> str:
        return f"{self.base}agent/{slugify(key)}"

    def record_key(self, dataset_key: str) -> str:
        """A readable, collision-safe key: the key's last segment plus a digest of it all."""
        tail = dataset_key.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return f"{slugify(tail, 40)}-{digest(dataset_key, 8)}"

    def record(self, source: str, dataset_key: str) -> str:
        """The record of the dataset known to ``source`` by ``dataset_key``.

        A dataset IRI this node minted for the same source maps back to its record, so a
        node's own export reloads onto the same records.
        """
        minted = f"{self.base}dataset/{quote(source)}/"
        if dataset_key.startswith(minted) and "/" not in dataset_key[len(minted):]:
            return f"{self.base}record/{quote(source)}/{dataset_key[len(minted):]}"
        return f"{self.base}record/{quote(source)}/{self.record_key(dataset_key)}"

    def dataset(self, source: str, identifier: str) -> str:
        """A dataset IRI for a source dataset that had none (a blank node)."""
        return f"{self.base}dataset/{quote(source)}/{self.record_key(identifier)}"

    def dictionary(self, dataset_iri: str) -> str:
        """The csvw:TableGroup describing the variables of a dataset the node described."""
        return f"{dataset_iri}/dictionary"

    def table(self, dataset_iri: str, table: str) -> str:
        return f"{dataset_iri}/table/{_segment(table)}"

    def column(self, table_iri: str, column: str) -> str:
        return f"{table_iri}/column/{_segment(column)}"

    def code_list(self, dataset_iri: str, name: str) -> str:
        return f"{dataset_iri}/codelist/{_segment(name)}"

    def code(self, code_list_iri: str, code: str) -> str:
        return f"{code_list_iri}/{_segment(code)}"

    def measurement(self, subject_iri: str, metric: str) -> str:
        """A DQV measurement of ``metric`` on a dataset, table or column the node minted."""
        return f"{subject_iri}/measurement/{_segment(metric)}"

    def skolem(self, record_iri: str, node_digest: str) -> str:
        """A stable IRI for a blank node of a record."""
        return f"{record_iri}/node/{node_digest}"

    def checksum(self, record_iri: str) -> str:
        return f"{record_iri}/checksum"

    def is_minted(self, iri: str) -> bool:
        """Whether the node is answerable for dereferencing ``iri``."""
        return iri.startswith(self.base)

    def path_to_iri(self, path: str) -> str:
        """The IRI a request path under the base stands for."""
        return self.base + path.lstrip("/")
