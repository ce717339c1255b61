"""The page a non-RDF harvester yields for one dataset it described."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from catalog_node.describe.build import description_ntriples
from catalog_node.describe.disclosure import DEFAULT_THRESHOLD
from catalog_node.describe.metadata import read_metadata
from catalog_node.describe.model import DatasetDescription
from catalog_node.errors import CatalogNodeError, ConfigError
from catalog_node.model.iris import IriMinter
from harvesters.base import HarvestContext, Page


def threshold_of(options: dict[str, str] | object) -> int:
    """The small-count threshold a source's options set (default 10)."""
    value = getattr(options, "get", lambda *_: None)("threshold")
    if value is None:
        return DEFAULT_THRESHOLD
    try:
        threshold = int(value)
    except ValueError:
        threshold = 0
    if threshold < 2:
        raise ConfigError(f"threshold {value!r} must be a whole number of at least 2",
                          hint="the default, 10, is what most disclosure rules ask")
    return threshold


def description_page(description: DatasetDescription, context: HarvestContext) -> Page:
    """One dataset's description as an N-Triples page, small counts suppressed."""
    source = context.source
    metadata = source.options.get("metadata")
    if metadata:
        text, subject = read_metadata(Path(metadata))
        description = replace(description, metadata=text, metadata_subject=subject)
    data = description_ntriples(description, IriMinter(context.base_iri), source.name,
                                threshold_of(source.options))
    return Page(url=page_url(description, context), data=data, input_format="ntriples")


def described_page(context: HarvestContext,
                   describe: Callable[[], DatasetDescription]) -> Iterator[Page]:
    """The one page of a source read in one go (a database): a failure to read it is a
    failed page of the run (reported; nothing withdrawn), not an aborted run."""
    try:
        page = description_page(describe(), context)
    except CatalogNodeError as exc:
        context.page_failed(exc)
        return
    yield page


def page_url(description: DatasetDescription, context: HarvestContext) -> str:
    """A file's path (as reports name it), else ``TYPE://SOURCE/KEY``: never a database URL,
    which may hold a secret's name and is no valid base IRI."""
    key = quote(description.key, safe="")
    place = description.place or context.source.url
    if "://" not in place and not place.startswith("{"):
        return f"{place}#{key}"
    return f"{context.source.type}://{context.source.name}/{key}"
