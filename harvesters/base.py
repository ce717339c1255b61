"""The interface every source type implements."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from catalog_node.loading import Document


class Harvester(Protocol):
    """Gathers a source's documents; a failed page is reported, never fatal to the run."""

    #: the ``--type`` name of the source type (``dcat``, ``ckan``, ``sparql``, ``fdp``…)
    source_type: str

    def documents(self) -> Iterator[Document]:
        """The source's documents, in order; each is loaded as a whole or not at all."""
        ...
