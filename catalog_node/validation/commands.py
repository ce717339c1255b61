"""Validating files for the CLI and the API: one outcome per input, errors kept per input."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rdflib import Graph

from catalog_node.errors import CatalogNodeError, InputError
from catalog_node.rdf.parse import resolve_syntax
from catalog_node.validation.documents import MAX_VALIDATION_BYTES, read_document, read_file
from catalog_node.validation.engine import Validator
from catalog_node.validation.report import ValidationReport


@dataclass
class Outcome:
    source: str
    report: ValidationReport | None = None
    error: CatalogNodeError | None = None


def validate_paths(paths: Sequence[Path], profile: str, input_format: str | None,
                   vocabularies: Path | None, stdin: IO[bytes]) -> list[Outcome]:
    """Validate each file (``-`` is stdin); an unusable one is reported, the others go on."""
    validator = Validator(profile, vocabularies)
    outcomes = []
    for path in paths:
        source = str(path)
        try:
            if source == "-":
                if not input_format:
                    raise InputError("reading stdin needs --input-format", source="-")
                data = stdin.read(MAX_VALIDATION_BYTES + 1)
                if len(data) > MAX_VALIDATION_BYTES:
                    raise InputError("larger than the validation limit", source="-")
                graph = read_document(data, "-", resolve_syntax("-", input_format))
            else:
                graph = read_file(path, input_format)
            outcomes.append(Outcome(source, validator.validate(graph, source=source)))
        except CatalogNodeError as exc:
            outcomes.append(Outcome(source, error=exc))
    return outcomes


def merged_report_graph(reports: Sequence[ValidationReport]) -> Graph:
    graph = Graph()
    for report in reports:
        for prefix, namespace in report.graph.namespace_manager.namespaces():
            graph.bind(prefix, namespace, override=False)
        graph += report.graph
    return graph
