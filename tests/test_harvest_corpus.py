"""Every real DCAT RDF catalogue of the corpus harvested end to end, counts checked."""

from __future__ import annotations

from pathlib import Path

import rdflib

from catalog_node.node import Node
from harvesters.base import SourceConfig
from tests.test_harvest_dcat import (
    INVALID_IRI_FILES,
    RDF_FORMATS,
    STRICT_REFUSALS,
    provenance,
)

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def _roots(path: Path, fmt: str) -> int:
    """dcat:Dataset and dcat:DatasetSeries subjects rdflib finds (every graph)."""
    graph = rdflib.Dataset() if fmt in ("trig", "nquads") else rdflib.Graph()
    graph.parse(str(path), format=fmt)
    kinds = (DCAT.Dataset, DCAT.DatasetSeries)
    if isinstance(graph, rdflib.Dataset):
        return len({q[0] for kind in kinds for q in graph.quads((None, rdflib.RDF.type, kind,
                                                                   None))})
    return len({s for kind in kinds for s in graph.subjects(rdflib.RDF.type, kind)})


def test_every_corpus_catalogue_harvested_with_its_dataset_count(shared: Path,
                                                                 node: Node) -> None:
    corpus = shared / "corpus"
    problems, harvested, datasets = [], 0, 0
    for number, (relative, fmt, note) in enumerate(provenance(corpus)):
        if (fmt not in RDF_FORMATS or "does not parse" in note or relative in STRICT_REFUSALS
                or note.startswith("0 triples")):
            continue
        expected = _roots(corpus / relative, RDF_FORMATS[fmt])
        name = f"c{number}"
        node.add_source(SourceConfig(name=name, url=str(corpus / relative), type="dcat",
                                     catalog="corpus"))
        report = node.harvest(name)
        published = node.ledger.read_one("SELECT count(*) FROM records WHERE source = ? AND "
                                         "status = 'published'", (name,))
        if expected == 0:
            if report["committed"] and published:
                problems.append(f"{relative}: no dataset, yet {published} records")
            continue
        harvested += 1
        datasets += expected
        if relative in INVALID_IRI_FILES:  # only the records with an invalid IRI skipped
            skipped = [e for e in report["errors"] if e["message"].startswith("invalid IRI")]
            if (not report["committed"] or not skipped or report["failed"] != len(skipped)
                    or published + len(skipped) != expected):
                problems.append(f"{relative}: {published} records + {len(skipped)} skipped "
                                f"for {expected} datasets; {report['errors']}")
            continue
        if not report["committed"] or published != expected or report["failed"]:
            problems.append(f"{relative}: {published} records for {expected} datasets; "
                            f"{report['errors']}")
    assert not problems, "\n".join(problems)
    assert (harvested, datasets) == (155, 307)  # the corpus is fixed
    assert node.check().differences == 0
