"""``--metadata FILE``: what a warehouse cannot say about itself, from RDF or the template.

An RDF file (Turtle, N-Triples, RDF/XML, JSON-LD…) must describe exactly one
``dcat:Dataset`` (an IRI or a blank node); everything in the file is kept. A ``.xlsx`` or
``.csv`` file is the template's dataset sheet (``harvesters/template_dataset.py``).
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, parse, serialize

from catalog_node.errors import ConfigError, InputError
from catalog_node.namespaces import DCAT, RDF
from catalog_node.rdf.parse import located_error, open_document, resolve_syntax

TEMPLATE_SUFFIXES = (".xlsx", ".csv")


def read_metadata(path: Path) -> tuple[str, str]:
    """The file as N-Triples, and its dataset's subject (an IRI, or ``_:label``)."""
    if not path.is_file():
        raise ConfigError("no such metadata file", place=str(path),
                          hint="give a Turtle file describing one dcat:Dataset, or the "
                               "template's dataset sheet (.xlsx or .csv)")
    if path.suffix.lower() in TEMPLATE_SUFFIXES:
        from harvesters.template_dataset import metadata_from_template

        return metadata_from_template(path)
    syntax = resolve_syntax(str(path), None)
    with open_document(path) as stream:
        data = stream.read()
    try:
        triples = list(parse(data, format=syntax.rdf_format, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise located_error(exc, str(path)) from exc
    datasets = sorted({t.subject for t in triples if t.predicate == NamedNode(RDF + "type")
                       and t.object == NamedNode(DCAT + "Dataset")}, key=str)
    if len(datasets) != 1:
        raise InputError(f"the metadata file describes {len(datasets)} dcat:Dataset, not one",
                         source=str(path), hint="describe the warehouse's dataset once")
    subject = datasets[0]
    text = serialize([Triple(t.subject, t.predicate, t.object) for t in triples],
                     format=RdfFormat.N_TRIPLES)
    assert text is not None
    label = f"_:{subject.value}" if isinstance(subject, BlankNode) else subject.value
    return text.decode("utf-8"), label
