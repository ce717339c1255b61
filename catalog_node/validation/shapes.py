"""Compiled shape sets: a profile's files at one access level, parsed once per process."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyshacl.shapes_graph import ShapesGraph
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from catalog_node.errors import ConfigError
from catalog_node.validation.profiles import Profile, shapes_dir

CN = Namespace("https://w3id.org/catalog-node/ns#")


@dataclass(frozen=True)
class ShapeText:
    """What a shape says to people, by language."""

    name: dict[str, str]
    message: dict[str, str]
    hint: dict[str, str]


def _by_language(graph: Graph, node: Node, predicate: Node) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in graph.objects(node, predicate):
        if isinstance(value, Literal):
            found.setdefault(value.language or "", str(value))
    return found


class ShapeSet:
    """One validation run's shapes, with the file each shape came from and its wording."""

    def __init__(self, profile: Profile, level: str | None, files: tuple[Path, ...]):
        self.profile = profile
        self.level = level
        self.files = files
        self.graph = Graph()
        self.origin: dict[Node, Path] = {}
        digest = hashlib.sha256()
        for path in files:
            part = Graph()
            try:
                part.parse(path, format="turtle")
            except Exception as exc:  # rdflib raises many types for bad syntax
                raise ConfigError(f"unreadable shape file: {exc}", place=str(path)) from exc
            digest.update(path.read_bytes())
            for subject in set(part.subjects()):
                self.origin.setdefault(subject, path)
            for triple in part:
                self.graph.add(triple)
        self.fingerprint = digest.hexdigest()[:16]
        self._check_paths()
        self._pyshacl_shapes: object | None = None

    def _check_paths(self) -> None:
        for parent, prop in self.graph.subject_objects(SH.property):
            if (prop, SH.path, None) not in self.graph:
                place = self.origin.get(parent, self.files[0])
                raise ConfigError("a property shape has no sh:path", place=str(place),
                                  hint="give it a path, or make it a node shape")

    def text(self, shape: Node | None) -> ShapeText:
        if shape is None:
            return ShapeText({}, {}, {})
        name = _by_language(self.graph, shape, SH.name) or _by_language(self.graph, shape,
                                                                        RDFS.label)
        return ShapeText(name, _by_language(self.graph, shape, SH.message),
                         _by_language(self.graph, shape, CN.hint))

    def parameter(self, shape: Node | None, predicate: Node) -> Node | None:
        return None if shape is None else self.graph.value(shape, predicate)

    def file_of(self, shape: Node | None) -> str:
        path = self.origin.get(shape) if shape is not None else None
        if path is None and isinstance(shape, BNode):
            parents = list(self.graph.subjects(SH.property, shape))
            path = self.origin.get(parents[0]) if parents else None
        if path is None:
            return ""
        root = shapes_dir()
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    def pyshacl_shapes(self) -> object:
        """pySHACL's shapes graph, built once and reused for every record."""
        if self._pyshacl_shapes is None:
            shapes = ShapesGraph(self.graph)
            self._targets = [(shape, _targets(shape)) for shape in shapes.shapes]
            self._pyshacl_shapes = shapes
        return self._pyshacl_shapes

    def pyshacl_shapes_for(self, data: Graph) -> object:
        """The shapes graph restricted to the shapes that can have a focus node in ``data``.

        pySHACL otherwise computes the targets of every shape (~400) for every record; a shape
        whose targets cannot occur in the record has no focus node and gives no result, so
        leaving it out changes nothing (measured: a third of the time per record).
        """
        shapes = self.pyshacl_shapes()
        if (None, RDFS.subClassOf, None) in data:  # class targets reach subclasses: keep all
            return shapes
        classes = set(data.objects(None, RDF.type))
        predicates = set(data.predicates())
        selected = [shape for shape, (nodes, kinds, subjects_of, objects_of) in self._targets
                    if nodes or kinds & classes or (subjects_of | objects_of) & predicates]
        view = _SelectedShapes.__new__(_SelectedShapes)
        view.__dict__.update(shapes.__dict__)  # shares pySHACL's caches of parsed shapes
        view.selected = selected
        return view


def _targets(shape: object) -> tuple[bool, set[Node], set[Node], set[Node]]:
    """(has target nodes, target classes incl. implicit, subjects-of, objects-of) of a shape."""
    nodes, classes, implicit, objects_of, subjects_of = shape.target()  # type: ignore[attr-defined]
    advanced = bool(list(shape.sg.objects(shape.node, SH.target)))  # type: ignore[attr-defined]
    return (bool(list(nodes)) or advanced, set(classes) | set(implicit), set(subjects_of),
            set(objects_of))


class _SelectedShapes(ShapesGraph):
    """A view of a built shapes graph whose ``shapes`` are a chosen subset."""

    selected: list[object]

    @property
    def shapes(self) -> list[object]:  # type: ignore[override]
        return self.selected


@cache
def shape_set(profile: Profile, level: str | None) -> ShapeSet:
    """The compiled shapes of ``profile`` at ``level``, cached for the life of the process."""
    return ShapeSet(profile, level, profile.files_for(level))
