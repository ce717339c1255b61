"""Run pySHACL with a profile's compiled shapes over one graph, as given."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from rdflib.term import Node

from catalog_node.validation.profiles import DEFAULT_PROFILE, LEVELS, get_profile
from catalog_node.validation.report import ValidationReport, read_results, report_graph
from catalog_node.validation.shapes import ShapeSet, shape_set
from catalog_node.validation.vocabulary import Vocabularies, load_vocabularies

ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
DATASET_CLASSES = (DCAT.Dataset, URIRef(f"{DCAT}DatasetSeries"))
#: A dataset without a known dct:accessRights is checked at the strictest level.
FALLBACK_LEVEL = "NON_PUBLIC"
_READY = False


def _prepare_pyshacl() -> None:
    """pySHACL's own start-up, and its constraint-parameter table as a set.

    pySHACL looks each shape predicate up in a list of ~40 parameters on every evaluation of
    every shape; with rdflib terms' equality that was a third of the time per record
    (measured: 11.7 M ``__eq__`` calls for 100 records). A frozenset gives the same answers.
    """
    global _READY
    if not _READY:
        import pyshacl.shape
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
        from pyshacl.monkey import apply_patches
        from pyshacl.validator import assign_baked_in

        apply_patches()
        assign_baked_in()
        pyshacl.shape.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
            frozenset(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)
        _READY = True


def datasets_of(graph: Graph) -> list[Node]:
    return sorted({s for cls in DATASET_CLASSES for s in graph.subjects(RDF.type, cls)}, key=str)


def level_of(graph: Graph, dataset: Node) -> str:
    for rights in graph.objects(dataset, DCTERMS.accessRights):
        code = str(rights).removeprefix(ACCESS_RIGHT)
        if code in LEVELS:
            return code
    return FALLBACK_LEVEL


def closure(graph: Graph, start: Node, stop: set[Node]) -> set[Node]:
    """Nodes reachable from ``start`` by outgoing links, not entering other datasets."""
    seen, stack = {start}, [start]
    while stack:
        for obj in graph.objects(stack.pop()):
            if obj not in seen and obj not in stop and not isinstance(obj, Literal):
                seen.add(obj)
                stack.append(obj)
    return seen


def run_pyshacl(data: Graph, shapes: ShapeSet) -> Graph:
    """pySHACL over ``data`` in place, with the shape set's prebuilt shapes graph."""
    from pyshacl import Validator as PyShaclValidator
    from pyshacl.graph_abstraction import DataGraph

    _prepare_pyshacl()
    validator = PyShaclValidator(DataGraph.from_rdflib(data), shacl_graph=shapes.graph, options={
        "inference": "none", "inplace": True, "allow_warnings": True, "allow_infos": True})
    validator.shacl_graph = shapes.pyshacl_shapes_for(data)
    _, report, _ = validator.run()
    return report


class Validator:
    """Validates graphs against one profile, its shapes and vocabularies loaded once."""

    def __init__(self, profile: str = DEFAULT_PROFILE, vocabularies: Path | None = None,
                 shapes_root: Path | None = None):
        self.profile = get_profile(profile, shapes_root)
        self.vocabularies: Vocabularies = load_vocabularies(vocabularies)

    def shapes(self, level: str | None) -> ShapeSet:
        return shape_set(self.profile, level if self.profile.levelled else None)

    def fingerprint(self) -> str:
        parts = [self.shapes(level).fingerprint for level in (LEVELS if self.profile.levelled
                                                              else (None,))]
        return "-".join([self.profile.version, *parts, self.vocabularies.fingerprint])

    def validate(self, graph: Graph, source: str = "") -> ValidationReport:
        """Validate ``graph`` as given, merged with the concepts it references."""
        data = Graph()
        for prefix, namespace in graph.namespace_manager.namespaces():
            data.bind(prefix, namespace, override=False)
        for triple in graph:
            data.add(triple)
        for triple in self.vocabularies.triples_for(graph):
            data.add(triple)
        datasets = datasets_of(graph)
        groups: dict[str, list[Node]] = defaultdict(list)
        if self.profile.levelled:
            for dataset in datasets:
                groups[level_of(graph, dataset)].append(dataset)
        if len(groups) <= 1:
            level = next(iter(groups), FALLBACK_LEVEL) if self.profile.levelled else None
            shapes = self.shapes(level)
            pyshacl_report = run_pyshacl(data, shapes)
            results, nodes = read_results(pyshacl_report, graph, shapes)
            sources = [(pyshacl_report, nodes)]
        else:
            results, sources = self._by_level(graph, data, datasets, groups)
        report = ValidationReport(profile=self.profile.name, version=self.profile.version,
                                  levels=sorted(groups) if groups else (
                                      [FALLBACK_LEVEL] if self.profile.levelled else []),
                                  results=results, source=source)
        report.graph = report_graph(sources, report.conforms)
        return report

    def _by_level(self, graph: Graph, data: Graph, datasets: list[Node],
                  groups: dict[str, list[Node]]) -> tuple[list, list]:
        """Datasets at different levels: each level's shapes judge that level's datasets."""
        stop = set(datasets)
        reach = {d: closure(graph, d, stop - {d}) for d in datasets}
        anywhere = set().union(*reach.values())
        results, sources = [], []
        seen: set[tuple[object, ...]] = set()
        for index, (level, members) in enumerate(sorted(groups.items())):
            keep = set().union(*(reach[d] for d in members))
            if index == 0:  # what belongs to no dataset (a catalogue…) is judged once
                keep |= set(graph.subjects()) - anywhere
            shapes = self.shapes(level)
            pyshacl_report = run_pyshacl(data, shapes)
            found, nodes = read_results(pyshacl_report, graph, shapes, keep)
            kept = []
            for result, node in zip(found, nodes, strict=True):
                key = (*result.verdict(), result.value, result.severity)
                if key not in seen:  # a node shared by datasets of two levels: report once
                    seen.add(key)
                    results.append(result)
                    kept.append(node)
            sources.append((pyshacl_report, kept))
        return results, sources


def validate_graph(graph: Graph, profile: str = DEFAULT_PROFILE,
                   vocabularies: Path | None = None) -> ValidationReport:
    """Validate one graph (a convenience over :class:`Validator`)."""
    return Validator(profile, vocabularies).validate(graph)
