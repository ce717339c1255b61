"""The record-level store protocol and its backends, chosen by URL."""

from __future__ import annotations

from pathlib import Path

from catalog_node.store.base import RecordGraph, Store

__all__ = ["RecordGraph", "Store", "open_store"]


def open_store(url: str) -> Store:
    """Open the store a URL names: ``oxigraph:PATH`` (embedded, the default)."""
    scheme, _, rest = url.partition(":")
    if scheme == "oxigraph":
        from catalog_node.store.embedded import EmbeddedStore

        return EmbeddedStore(Path(rest))
    from catalog_node.errors import ConfigError

    raise ConfigError(f"unknown store URL {url!r}", hint="use oxigraph:PATH")
