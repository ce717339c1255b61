"""A :class:`DatasetDescription` → the RDF of one HealthDCAT-AP dataset (sorted N-Triples).

The producer's metadata (title, publisher, HDAB, legislation, access rights… from
``--metadata`` or the template's dataset sheet) is kept as given, moved onto the dataset's
IRI; the warehouse's measured figures replace any the metadata declares. What is missing
stays missing, so the record's validation report names it. Output is deterministic: the
same warehouse gives the same bytes, so an unchanged source rewrites nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize

from catalog_node.describe.csvw import DictionaryWriter
from catalog_node.describe.model import DatasetDescription, Texts
from catalog_node.describe.population import MEASURED, PopulationWriter
from catalog_node.describe.terms import a, has_text, iri, metric_definition, texts, typed
from catalog_node.errors import InputError
from catalog_node.model.iris import IriMinter
from catalog_node.namespaces import DCAT, DCT, HEALTHDCATAP, RDF, SKOS
from catalog_node.validation.vocabulary import load_vocabularies

RDF_TYPE = RDF + "type"


def dataset_iri(description: DatasetDescription, minter: IriMinter, source: str) -> str:
    """The producer's own http(s) IRI for the dataset, else one the node mints."""
    subject = description.metadata_subject or ""
    if subject.startswith(("http://", "https://")):
        return subject
    return minter.dataset(source, description.key)


def description_triples(description: DatasetDescription, minter: IriMinter, source: str,
                        threshold: int) -> list[Triple]:
    """Every triple of the dataset's description, suppression applied."""
    target = dataset_iri(description, minter, source)
    dataset = iri(target)
    given = list(_metadata(description, dataset))
    have = {t.predicate.value for t in given if t.subject == dataset}
    metrics: set[str] = set()
    measured: list[Triple] = []
    sentences: Texts = {}
    hidden_tables: set[str] = set()
    if description.population is not None:
        population = PopulationWriter(minter, target, threshold)
        hidden_tables = set(population.event_cells(description.population).suppressed)
        measured = list(population.triples(description.population))
        metrics |= population.metrics
        sentences = population.sentences
        given = [t for t in given if not (t.subject == dataset and t.predicate.value in MEASURED)]
    own_descriptions = [t for t in given
                        if t.subject == dataset and t.predicate.value == DCT + "description"]
    if sentences:
        given = [t for t in given if t not in own_descriptions]
    out: list[Triple] = [a(dataset, DCAT + "Dataset"), *given, *measured]
    if DCT + "identifier" not in have:
        out.append(Triple(dataset, iri(DCT + "identifier"), Literal(description.identifier)))
    titles = description.titles if has_text(description.titles) else {"": description.key}
    if DCT + "title" not in have:
        out.extend(texts(dataset, DCT + "title", titles))
    title = next(iter(v for _, v in sorted(titles.items()) if v.strip()), description.key)
    if sentences or not own_descriptions:
        out.extend(_descriptions(dataset, description, own_descriptions, sentences))
    if description.dictionary is not None and description.dictionary.tables:
        writer = DictionaryWriter(minter, target, threshold)
        dictionary = description.dictionary
        if hidden_tables:
            dictionary = replace(dictionary, tables=[
                replace(t, row_count=None) if t.name in hidden_tables else t
                for t in dictionary.tables])
        out.append(Triple(dataset, iri(HEALTHDCATAP + "hasVariables"),
                          iri(minter.dictionary(target))))
        if HEALTHDCATAP + "hasStructuredData" not in have:
            out.append(Triple(dataset, iri(HEALTHDCATAP + "hasStructuredData"),
                              typed("true", "boolean")))
        out.extend(writer.triples(dictionary, title))
        metrics |= writer.metrics
    for metric in sorted(metrics):
        out.extend(metric_definition(metric))
    out.extend(list(_controlled_terms(out)))
    return out


def description_ntriples(description: DatasetDescription, minter: IriMinter, source: str,
                         threshold: int) -> bytes:
    """The description as sorted, distinct N-Triples (blank nodes relabelled stably)."""
    data = serialize(description_triples(description, minter, source, threshold),
                     format=RdfFormat.N_TRIPLES)
    assert data is not None
    return _stable_blank_nodes(sorted(set(data.decode("utf-8").split("\n")) - {""}))


def _stable_blank_nodes(lines: list[str]) -> bytes:
    """Blank node labels numbered in order of first appearance in content-sorted lines."""
    import re

    pattern = re.compile(r"_:([A-Za-z0-9]+)")
    names: dict[str, str] = {}

    def content(line: str) -> str:
        return pattern.sub("_:", line)

    for line in sorted(lines, key=content):
        for label in pattern.findall(line):
            names.setdefault(label, f"b{len(names)}")
    relabelled = sorted(pattern.sub(lambda m: "_:" + names[m.group(1)], line) for line in lines)
    return ("\n".join(relabelled) + "\n").encode("utf-8")


def _metadata(description: DatasetDescription, dataset: NamedNode) -> Iterator[Triple]:
    """The producer's metadata with its dataset subject moved onto ``dataset``."""
    if not description.metadata:
        return
    subject = description.metadata_subject
    try:
        triples = list(parse(description.metadata.encode("utf-8"),
                             format=RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise InputError(f"unreadable metadata: {exc}", source=description.place) from exc

    def moved(term: Any) -> Any:
        if subject and ((isinstance(term, BlankNode) and subject == f"_:{term.value}")
                        or (isinstance(term, NamedNode) and term.value == subject)):
            return dataset
        return term

    for t in triples:
        yield Triple(moved(t.subject), t.predicate, moved(t.object))


def _descriptions(dataset: NamedNode, description: DatasetDescription,
                  own: list[Triple], sentences: Texts) -> Iterator[Triple]:
    """dct:description per language: the producer's, else the source's; sentences appended."""
    texts_by_lang: Texts = {}
    for t in own:
        if isinstance(t.object, Literal):
            texts_by_lang.setdefault(t.object.language or "", t.object.value)
    if not own:
        texts_by_lang = dict(description.descriptions)
    for lang, sentence in sentences.items():
        base = texts_by_lang.get(lang, "").rstrip()
        texts_by_lang[lang] = f"{base} {sentence}".strip() if base else sentence
    yield from texts(dataset, DCT + "description", texts_by_lang)


#: predicates whose controlled-vocabulary objects the shapes expect typed with a class
RANGES = {
    DCT + "accessRights": DCT + "RightsStatement",
    DCT + "language": DCT + "LinguisticSystem",
    DCT + "spatial": DCT + "Location",
    DCT + "accrualPeriodicity": DCT + "Frequency",
    DCT + "license": DCT + "LicenseDocument",
    DCT + "format": DCT + "MediaTypeOrExtent",
    DCAT + "mediaType": DCT + "MediaType",
    HEALTHDCATAP + "hasCodingSystem": DCT + "Standard",
}
_KEPT = {str(RDF_TYPE), SKOS + "inScheme", SKOS + "prefLabel"}


def _controlled_terms(out: list[Triple]) -> Iterator[Triple]:
    """Concepts of the shipped vocabularies the record names, typed and labelled, so the
    record stands on its own (as the demo records do)."""
    vocabularies = load_vocabularies()
    used: dict[str, set[str]] = {}
    for t in out:
        if isinstance(t.object, NamedNode) and t.object.value in vocabularies:
            used.setdefault(t.object.value, set())
            if t.predicate.value in RANGES:
                used[t.object.value].add(RANGES[t.predicate.value])
    for concept in sorted(used):
        node = iri(concept)
        yield a(node, SKOS + "Concept")
        for cls in sorted(used[concept]):
            yield a(node, cls)
        for _, predicate, value in vocabularies.concept_triples(concept):
            if str(predicate) not in _KEPT:
                continue
            if str(predicate) == SKOS + "prefLabel":
                language = getattr(value, "language", None)
                if language in (None, "en", "fr"):
                    yield Triple(node, iri(SKOS + "prefLabel"),
                                 Literal(str(value), language=language) if language
                                 else Literal(str(value)))
            elif str(predicate) == SKOS + "inScheme":
                yield Triple(node, iri(SKOS + "inScheme"), iri(str(value)))
