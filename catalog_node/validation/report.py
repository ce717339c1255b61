"""Reports a producer can act on: grouped, worded in FR/EN, and as sh:ValidationReport."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from catalog_node.namespaces import PREFIXES
from catalog_node.validation.shapes import ShapeSet
from catalog_node.validation.wording import plain_words

SEVERITIES = {str(SH.Violation): "violation", str(SH.Warning): "warning", str(SH.Info): "info"}
GUARD = URIRef("urn:x-shacl:guard")
_LABELS = (SKOS.prefLabel, RDFS.label, URIRef("http://purl.org/dc/terms/title"),
           URIRef("http://xmlns.com/foaf/0.1/name"), URIRef("http://www.w3.org/2006/vcard/ns#fn"),
           URIRef("http://www.w3.org/ns/csvw#name"))

Verdict = tuple[str, str, str]


def canonical_path(graph: Graph, path: Node | None) -> str:
    """A property path as text that does not depend on blank node labels."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return str(path)
    if (path, RDF.first, None) in graph:
        return "(" + " / ".join(canonical_path(graph, p) for p in Collection(graph, path)) + ")"
    for key, name in ((SH.alternativePath, "alt"), (SH.inversePath, "inv"),
                      (SH.zeroOrMorePath, "zeroOrMore"), (SH.oneOrMorePath, "oneOrMore"),
                      (SH.zeroOrOnePath, "zeroOrOne")):
        value = graph.value(path, key)
        if value is not None:
            if (value, RDF.first, None) in graph:
                inner = " | ".join(canonical_path(graph, p) for p in Collection(graph, value))
            else:
                inner = canonical_path(graph, value)
            return f"{name}({inner})"
    return str(path)


def node_text(node: Node | None) -> str:
    if node is None:
        return ""
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def short_path(data: Graph, path: str) -> str:
    """A path with the data's prefixes (dct:title rather than the full IRI)."""
    for prefix, namespace in sorted([*PREFIXES.items(), *data.namespace_manager.namespaces()],
                                    key=lambda item: -len(str(item[1]))):
        if prefix and str(namespace):
            path = path.replace(str(namespace), f"{prefix}:")
    return path


@dataclass
class ValidationResult:
    """One top-level result of a report: a verdict with everything needed to fix it."""

    severity: str
    focus: str
    focus_label: str
    focus_type: str
    path: str
    path_label: str
    component: str
    constraint: dict[str, str]
    value: str | None
    message: dict[str, str]
    hint: dict[str, str]
    property_name: dict[str, str]
    shape_file: str
    details: int = 0

    def verdict(self) -> Verdict:
        return (self.focus, self.path, self.component)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class ValidationReport:
    """The outcome of validating one document or record against one profile."""

    profile: str
    version: str
    levels: list[str]
    results: list[ValidationResult] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)
    source: str = ""

    @property
    def conforms(self) -> bool:
        return self.violations == 0

    def _count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        return self._count("violation")

    @property
    def warnings(self) -> int:
        return self._count("warning")

    @property
    def infos(self) -> int:
        return self._count("info")

    def verdicts(self) -> set[Verdict]:
        return {r.verdict() for r in self.results if r.severity == "violation"}

    def by_resource(self) -> list[tuple[str, str, list[ValidationResult]]]:
        """``(focus, label, results)`` per resource, violations first, stable order."""
        order = {"violation": 0, "warning": 1, "info": 2}
        groups: dict[str, list[ValidationResult]] = {}
        for result in sorted(self.results, key=lambda r: (order[r.severity], r.focus, r.path)):
            groups.setdefault(result.focus, []).append(result)
        return [(focus, items[0].focus_label, items) for focus, items in groups.items()]

    def summary(self) -> dict[str, object]:
        return {"profile": self.profile, "version": self.version, "levels": self.levels,
                "conforms": self.conforms, "violations": self.violations,
                "warnings": self.warnings, "infos": self.infos}

    def to_json(self) -> dict[str, object]:
        return {**self.summary(), "source": self.source,
                "by_component": dict(Counter(r.component.rsplit("#", 1)[-1]
                                             for r in self.results)),
                "resources": [{"focus": focus, "label": label,
                               "results": [r.to_json() for r in items]}
                              for focus, label, items in self.by_resource()]}


def label_of(data: Graph, node: Node | None, lang: str = "en") -> str:
    if node is None:
        return ""
    fallback = None
    for predicate in _LABELS:
        for value in data.objects(node, predicate):
            if isinstance(value, Literal):
                if value.language == lang:
                    return str(value)
                fallback = fallback or str(value)
    if fallback:
        return fallback
    text = str(node)
    return text.rstrip("/#").rsplit("/", 1)[-1] if isinstance(node, URIRef) else "(blank node)"


def read_results(report: Graph, data: Graph, shapes: ShapeSet,
                 keep: set[Node] | None = None) -> tuple[list[ValidationResult], list[Node]]:
    """The report's top-level results on the data's own resources (``keep`` narrows further)."""
    own = set(data.subjects())
    results: list[ValidationResult] = []
    nodes: list[Node] = []
    seen: set[tuple[object, ...]] = set()
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        if focus != GUARD and (focus not in own or (keep is not None and focus not in keep)):
            continue
        severity = SEVERITIES.get(str(report.value(node, SH.resultSeverity)), "violation")
        shape = report.value(node, SH.sourceShape)
        component = str(report.value(node, SH.sourceConstraintComponent) or "")
        path = canonical_path(report, report.value(node, SH.resultPath))
        text = shapes.text(shape)
        messages = {(m.language or "en"): str(m) for m in report.objects(node, SH.resultMessage)
                    if isinstance(m, Literal)}
        value = report.value(node, SH.value)
        key = (focus, path, component, value, severity, tuple(sorted(messages.items())))
        if key in seen:  # two shapes saying the same thing about the same value
            continue
        seen.add(key)
        types = [str(t) for t in data.objects(focus, RDF.type)] if focus is not None else []
        results.append(ValidationResult(
            severity=severity, focus=node_text(focus),
            focus_label=label_of(data, focus) if focus != GUARD else "(document)",
            focus_type=short_path(data, types[0]) if types else "",
            path=path, path_label=short_path(data, path), component=component,
            constraint=plain_words(component, lambda p, s=shape: shapes.parameter(s, p)),
            value=None if value is None else node_text(value),
            message=text.message or messages, hint=text.hint,
            property_name=text.name, shape_file=shapes.file_of(shape),
            details=len(list(report.objects(node, SH.detail)))))
        nodes.append(node)
    return results, nodes


def report_graph(sources: list[tuple[Graph, list[Node]]], conforms: bool) -> Graph:
    """A standard sh:ValidationReport holding only the kept top-level results."""
    out = Graph()
    out.bind("sh", SH)
    root = BNode()
    out.add((root, RDF.type, SH.ValidationReport))
    out.add((root, SH.conforms, Literal(conforms)))
    for report, nodes in sources:
        for node in nodes:
            out.add((root, SH.result, node))
            stack, seen = [node], set()
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                for _, p, o in report.triples((current, None, None)):
                    out.add((current, p, o))
                    if isinstance(o, BNode) and p != SH.sourceShape:
                        stack.append(o)
    return out
