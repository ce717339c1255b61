"""SHACL constraint components said in plain words, in English and French."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

Lookup = Callable[[Node], Node | None]  # a parameter of the failing shape


def _short(node: Node | None) -> str:
    if node is None:
        return "?"
    if isinstance(node, Literal):
        return str(node)
    text = str(node)
    for sep in ("#", "/"):
        if sep in text.rstrip(sep):
            return text.rstrip(sep).rsplit(sep, 1)[1]
    return text


def _count(n: Node | None, en: str, fr: str) -> tuple[str, str]:
    value = int(n) if isinstance(n, Literal) else 0
    return (f"{en} {value} value{'s' if value != 1 else ''}",
            f"{fr} {value} valeur{'s' if value > 1 else ''}")


def plain_words(component: str, param: Lookup) -> dict[str, str]:
    """``{"en": ..., "fr": ...}`` describing the constraint a result broke."""
    name = component.removeprefix(str(SH)).removesuffix("ConstraintComponent")
    if name == "MinCount":
        en, fr = _count(param(SH.minCount), "at least", "au moins")
        return {"en": f"needs {en}", "fr": f"exige {fr}"}
    if name == "MaxCount":
        en, fr = _count(param(SH.maxCount), "at most", "au plus")
        return {"en": f"allows {en}", "fr": f"admet {fr}"}
    if name == "Datatype":
        dt = _short(param(SH.datatype))
        return {"en": f"value must be a literal of type {dt}",
                "fr": f"la valeur doit être un littéral de type {dt}"}
    if name == "Class":
        cls = _short(param(SH["class"]))
        return {"en": f"value must be a resource of class {cls}",
                "fr": f"la valeur doit être une ressource de classe {cls}"}
    if name == "NodeKind":
        kind = _short(param(SH.nodeKind))
        words = {"IRI": ("an IRI", "une IRI"), "Literal": ("a literal", "un littéral"),
                 "BlankNodeOrIRI": ("a resource (IRI or blank node)",
                                    "une ressource (IRI ou nœud anonyme)"),
                 "IRIOrLiteral": ("an IRI or a literal", "une IRI ou un littéral"),
                 "BlankNode": ("a blank node", "un nœud anonyme")}
        en, fr = words.get(kind, (kind, kind))
        return {"en": f"value must be {en}", "fr": f"la valeur doit être {fr}"}
    if name == "HasValue":
        value = _short(param(SH.hasValue))
        return {"en": f"must have the value {value}", "fr": f"doit avoir la valeur {value}"}
    if name == "In":
        return {"en": "value must be one of the listed values",
                "fr": "la valeur doit faire partie des valeurs admises"}
    if name == "Node":
        return {"en": "value must itself conform to its shape (see its own results)",
                "fr": "la valeur doit elle-même être conforme à sa forme (voir ses résultats)"}
    if name == "Or":
        return {"en": "value must satisfy one of the alternatives",
                "fr": "la valeur doit satisfaire l'une des alternatives"}
    if name in ("QualifiedMinCount", "QualifiedMaxCount"):
        return {"en": "the number of values of the required kind is wrong",
                "fr": "le nombre de valeurs du type exigé est incorrect"}
    if name == "Pattern":
        pattern = str(param(SH.pattern) or "")
        return {"en": f"value must match the pattern {pattern}",
                "fr": f"la valeur doit respecter le motif {pattern}"}
    if name in ("MinLength", "MaxLength"):
        return {"en": "value length is out of bounds", "fr": "longueur de la valeur hors limites"}
    if name == "UniqueLang":
        return {"en": "at most one value per language", "fr": "au plus une valeur par langue"}
    if name == "SPARQL":
        return {"en": "a rule over several properties is broken",
                "fr": "une règle portant sur plusieurs propriétés n'est pas respectée"}
    if name in ("Not", "And", "Xone"):
        return {"en": f"value breaks a combined rule ({name})",
                "fr": f"la valeur enfreint une règle combinée ({name})"}
    return {"en": f"breaks the {name} constraint", "fr": f"enfreint la contrainte {name}"}


def iri_text(node: Node | None) -> str:
    return "" if node is None else str(node) if isinstance(node, URIRef) else node.n3()
