"""What a harvest remembers of a source's pages, and how a page is read.

A committed run keeps, per page URL: validators, next link, digest and the records the page
gave (ledger table ``source_pages``), so that the next run can carry an unchanged page over.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode

from catalog_node.ledger import Ledger


@dataclass
class PageMemory:
    """What a page gave at the last committed run."""

    etag: str | None
    last_modified: str | None
    digest: str | None
    records: list[str]
    next_url: str | None = None


def first_invalid_iri(lines: list[str]) -> str | None:
    """The first IRI of ``lines`` (N-Triples) the store would refuse, if any."""
    for line in lines:
        subject, predicate, rest = line.split(" ", 2)
        obj = rest[:-2]
        datatype = obj.rsplit("^^", 1)[1] if obj.startswith('"') and "^^<" in obj else ""
        for term in (subject, predicate, obj if obj.startswith("<") else datatype):
            if term.startswith("<"):
                try:
                    NamedNode(term[1:-1])
                except ValueError:
                    return term
    return None


def base_of(url: str) -> str:
    """Relative IRIs of a page resolve against where it came from (a file: its file URI)."""
    if "://" in url:
        return url
    return Path(url).resolve().as_uri()


def page_memory(ledger: Ledger, source: str) -> dict[str, PageMemory]:
    return {url: PageMemory(etag, modified, digest, json.loads(zlib.decompress(records)),
                            next_url)
            for url, etag, modified, digest, next_url, records in ledger.read(
                "SELECT url, etag, last_modified, digest, next_url, records FROM source_pages "
                "WHERE source = ?", (source,))}
