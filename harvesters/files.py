"""Local RDF files as a source: what ``catalog-node load FILE…`` reads."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from catalog_node.loading import Document


@dataclass(frozen=True)
class FileSource:
    """RDF files on this machine; the syntax comes from each name or from ``input_format``."""

    paths: Sequence[Path]
    input_format: str | None = None
    source_type: str = "file"

    def documents(self) -> Iterator[Document]:
        for path in self.paths:
            yield Document(name=str(path), path=path, input_format=self.input_format)
