"""The template's dataset sheet → HealthDCAT-AP metadata of one dataset, as N-Triples.

One field per row (``field`` / ``value``, or ``champ`` / ``valeur``); lists are separated by
``;`` (or given on several rows of the same field). Codes are those of the node's
vocabularies (``template_codes.py``); an unknown code, a malformed date, number, e-mail or
address is an error naming the file, the sheet, the row and the value. What the sheet leaves
out stays out, so the record's validation report names what is missing. The dataset is the
blank node ``_:dataset``, or the sheet's ``iri``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from catalog_node.describe.model import Texts
from catalog_node.describe.terms import texts
from catalog_node.errors import InputError
from catalog_node.namespaces import (
    DCAT,
    DCATAP,
    DCT,
    DPV,
    DQV,
    ELI,
    FOAF,
    HEALTHDCATAP,
    PROV,
    RDF,
    RDFS,
    VCARD,
    XSD,
)
from harvesters.template_codes import code_iri, concept_typing
from harvesters.template_fields import normal
from harvesters.template_sheets import Cell, Sheet, read_template
from harvesters.template_values import DURATION, FieldValues

CV = "http://data.europa.eu/m8g/"
GEODCATAP = "http://data.europa.eu/930/"
OA = "http://www.w3.org/ns/oa#"
DPV_PD = "https://w3id.org/dpv/dpv-pd#"
ACCESS_LEVELS = {"PUBLIC": "PUBLIC", "PUBLIQUE": "PUBLIC", "RESTRICTED": "RESTRICTED",
                 "RESTREINT": "RESTRICTED", "NON_PUBLIC": "NON_PUBLIC",
                 "NON_PUBLIQUE": "NON_PUBLIC", "NONPUBLIC": "NON_PUBLIC"}
#: shortcuts for the legislation most health datasets name, with their titles
LEGISLATION = {
    "EHDS": ("http://data.europa.eu/eli/reg/2025/327/oj",
             "Règlement (UE) 2025/327 relatif à l'espace européen des données de santé",
             "Regulation (EU) 2025/327 on the European Health Data Space"),
    "GDPR": ("http://data.europa.eu/eli/reg/2016/679/oj",
             "Règlement (UE) 2016/679 (règlement général sur la protection des données)",
             "Regulation (EU) 2016/679 (General Data Protection Regulation)"),
    "DGA": ("http://data.europa.eu/eli/reg/2022/868/oj",
            "Règlement (UE) 2022/868 sur la gouvernance des données",
            "Regulation (EU) 2022/868 (Data Governance Act)"),
}
LEGISLATION["RGPD"] = LEGISLATION["GDPR"]


@dataclass
class DatasetSheet:
    """What the dataset sheet says, as N-Triples, with what a harvester needs to know."""

    ntriples: str
    subject: str
    identifier: str | None
    titles: Texts
    descriptions: Texts
    structured: bool | None


def metadata_from_template(path: Path) -> tuple[str, str]:
    """The dataset sheet of a template (workbook, folder, or the sheet as one CSV file) as
    N-Triples, and its dataset's subject (``_:dataset`` or the sheet's IRI)."""
    sheet = read_template(path).get("dataset")
    if sheet is None:
        raise InputError("the template has no dataset sheet", source=str(path),
                         hint="add a sheet named dataset (or jeu_de_donnees)")
    read = read_dataset_sheet(sheet)
    return read.ntriples, read.subject


def read_dataset_sheet(sheet: Sheet) -> DatasetSheet:
    return _Builder(sheet).build()


@dataclass
class _Builder(FieldValues):
    """The dataset sheet's values → the triples of the dataset's metadata."""

    out: list[Triple] = field(default_factory=list)
    legislation: list[NamedNode] = field(default_factory=list)

    # -- writing --------------------------------------------------------------------------
    def add(self, subject: NamedNode | BlankNode, predicate: str,
            obj: NamedNode | BlankNode | Literal) -> None:
        self.out.append(Triple(subject, NamedNode(predicate), obj))

    def typed(self, node: NamedNode | BlankNode, cls: str) -> None:
        self.add(node, RDF + "type", NamedNode(cls))

    def build(self) -> DatasetSheet:
        iri_cell = self.one("iri")
        dataset: NamedNode | BlankNode = self.iri(iri_cell.value, iri_cell) if iri_cell \
            else BlankNode("dataset")
        self.typed(dataset, DCAT + "Dataset")
        identifier = self.one("identifier")
        if identifier is not None:
            self.add(dataset, DCT + "identifier", Literal(identifier.value))
        titles, descriptions = self.text("title"), self.text("description")
        self.out.extend(texts(dataset, DCT + "title", titles))
        self.out.extend(texts(dataset, DCT + "description", descriptions))
        self._identification(dataset)
        self._classification(dataset)
        self._access(dataset)
        self._agents(dataset)
        self._coverage(dataset)
        self._documentation(dataset)
        self._distributions(dataset)
        structured = self.flag("structured_data")
        if structured is not None:
            self.add(dataset, HEALTHDCATAP + "hasStructuredData",
                     Literal(str(structured).lower(), datatype=NamedNode(XSD + "boolean")))
        self.out.extend(concept_typing(self.used))
        data = serialize(list(dict.fromkeys(self.out)), format=RdfFormat.N_TRIPLES)
        assert data is not None
        subject = dataset.value if isinstance(dataset, NamedNode) else f"_:{dataset.value}"
        return DatasetSheet(data.decode("utf-8"), subject,
                            identifier.value if identifier else None, titles, descriptions,
                            structured)

    def _identification(self, dataset: NamedNode | BlankNode) -> None:
        if (acronym := self.one("acronym")) is not None:
            self.add(dataset, DCT + "alternative", Literal(acronym.value))
        for lang in ("fr", "en"):
            for keyword, _ in self.many(f"keywords_{lang}"):
                self.add(dataset, DCAT + "keyword", Literal(keyword, language=lang))
        if (version := self.one("version")) is not None:
            self.add(dataset, DCAT + "version", Literal(version.value))

    def _classification(self, dataset: NamedNode | BlankNode) -> None:
        themes = self.codes("theme", "data-theme") or [
            self.code("data-theme", "HEAL", Cell("HEAL", 0, 0, "theme"))]
        for theme in themes:
            self.add(dataset, DCAT + "theme", theme)
        for key, predicate, scheme, classes in (
                ("health_category", HEALTHDCATAP + "healthCategory", "healthcategories", ()),
                ("health_theme", HEALTHDCATAP + "healthTheme", "health-theme", ()),
                ("dataset_type", DCT + "type", "dataset-type", ()),
                ("coding_system", HEALTHDCATAP + "hasCodingSystem", "coding-system",
                 (DCT + "Standard",))):
            for node in self.codes(key, scheme, *classes):
                self.add(dataset, predicate, node)
        for value, _ in self.many("code_values"):
            self.add(dataset, HEALTHDCATAP + "hasCodeValues", Literal(value))
        for value, cell in self.many("conforms_to"):
            node = self.iri(value, cell) if "://" in value else self.code(
                "standard", value, cell, DCT + "Standard")
            if "://" in value:
                self.typed(node, DCT + "Standard")
            self.add(dataset, DCT + "conformsTo", node)

    def _access(self, dataset: NamedNode | BlankNode) -> None:
        if (rights := self.one("access_rights")) is not None:
            level = ACCESS_LEVELS.get(normal(rights.value).upper())
            if level is None:
                raise self.sheet.cell_error(rights, f"unknown access rights {rights.value!r}",
                                            hint="write PUBLIC, RESTRICTED or NON_PUBLIC")
            node = self.code("access-right", level, rights, DCT + "RightsStatement")
            self.add(dataset, DCT + "accessRights", node)
        for value, cell in self.many("legislation"):
            known = LEGISLATION.get(value.upper())
            node = NamedNode(known[0]) if known else self.iri(value, cell)
            if node not in self.legislation:
                self.legislation.append(node)
            self.typed(node, ELI + "LegalResource")
            if known:
                self.out.extend(texts(node, DCT + "title", {"fr": known[1], "en": known[2]}))
            self.add(dataset, DCATAP + "applicableLegislation", node)
        self._statement(dataset, DPV + "hasLegalBasis", DPV + "LegalBasis",
                        DCT + "description", "legal_basis")
        self._statement(dataset, DPV + "hasPurpose", DPV + "Purpose", DCT + "description",
                        "purpose")
        for value, cell in self.many("personal_data"):
            term = value.removeprefix(DPV_PD).removeprefix("dpv-pd:")
            if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", term):
                raise self.sheet.cell_error(cell, f"{value!r} is not a DPV personal-data term",
                                            hint="write a term such as Age, Gender, "
                                                 "HealthRecord")
            node = NamedNode(DPV_PD + term)
            self.typed(node, DPV + "PersonalData")
            self.add(dataset, DPV + "hasPersonalData", node)
        self._period(dataset, HEALTHDCATAP + "retentionPeriod", "retention")

    def _statement(self, subject: NamedNode | BlankNode, predicate: str, cls: str,
                   text_predicate: str, base: str) -> None:
        found = self.text(base)
        if not found:
            return
        node = BlankNode(base.replace("_", "-"))
        self.add(subject, predicate, node)
        self.typed(node, cls)
        self.out.extend(texts(node, text_predicate, found))

    def _period(self, subject: NamedNode | BlankNode, predicate: str, base: str) -> None:
        start, end = self.one(f"{base}_start"), self.one(f"{base}_end")
        if start is None and end is None:
            return
        node = BlankNode(f"{base}-period")
        self.add(subject, predicate, node)
        self.typed(node, DCT + "PeriodOfTime")
        if start is not None:
            self.add(node, DCAT + "startDate", self.moment(start))
        if end is not None:
            self.add(node, DCAT + "endDate", self.moment(end))

    def _agents(self, dataset: NamedNode | BlankNode) -> None:
        for prefix, predicate in (("publisher", DCT + "publisher"),
                                  ("custodian", GEODCATAP + "custodian"),
                                  ("hdab", HEALTHDCATAP + "hdab")):
            self._agent(dataset, prefix, predicate)
        name, email, url = (self.one(f"contact_{k}") for k in ("name", "email", "url"))
        if name is None and email is None and url is None:
            return
        contact = BlankNode("contact")
        self.add(dataset, DCAT + "contactPoint", contact)
        self.typed(contact, VCARD + "Kind")
        if name is not None:
            self.add(contact, VCARD + "fn", Literal(name.value))
        if email is not None:
            self.add(contact, VCARD + "hasEmail", NamedNode("mailto:" + self.email(email)))
        if url is not None:
            self.add(contact, VCARD + "hasURL", self.iri(url.value, url))

    def _agent(self, dataset: NamedNode | BlankNode, prefix: str, predicate: str) -> None:
        names = self.text(f"{prefix}_name")
        own, kind = self.one(f"{prefix}_iri"), self.one(f"{prefix}_type")
        email, page = self.one(f"{prefix}_email"), self.one(f"{prefix}_homepage")
        if not (names or own or kind or email or page):
            return
        agent: NamedNode | BlankNode = self.iri(own.value, own) if own else BlankNode(prefix)
        self.add(dataset, predicate, agent)
        self.typed(agent, FOAF + "Agent")
        self.out.extend(texts(agent, FOAF + "name", names))
        if kind is not None:
            self.add(agent, DCT + "type", self.code("publisher-type", kind.value, kind))
        if email is None and page is None:
            return
        contact = BlankNode(f"{prefix}-contact")
        self.add(agent, CV + "contactPoint", contact)
        self.typed(contact, CV + "ContactPoint")
        if email is not None:
            self.add(contact, CV + "email", Literal(self.email(email)))
        if page is not None:
            self.add(contact, CV + "contactPage", self.iri(page.value, page))

    def _coverage(self, dataset: NamedNode | BlankNode) -> None:
        for lang, text in sorted(self.text("population_coverage").items()):
            self.add(dataset, HEALTHDCATAP + "populationCoverage", Literal(text, language=lang))
        for key, name in (("min_typical_age", "minTypicalAge"),
                          ("max_typical_age", "maxTypicalAge"),
                          ("number_of_records", "numberOfRecords"),
                          ("number_of_unique_individuals", "numberOfUniqueIndividuals")):
            if (value := self.count(key)) is not None:
                self.add(dataset, HEALTHDCATAP + name, value)
        self._period(dataset, DCT + "temporal", "temporal")
        if (step := self.one("temporal_resolution")) is not None:
            if not DURATION.fullmatch(step.value.upper()):
                raise self.sheet.cell_error(step, f"{step.value!r} is not an ISO 8601 duration",
                                            hint="write P1D (a day), P1M (a month), P1Y …")
            self.add(dataset, DCAT + "temporalResolution",
                     Literal(step.value.upper(), datatype=NamedNode(XSD + "duration")))
        for value, cell in self.many("spatial"):
            node = self.iri(value, cell) if "://" in value and not value.startswith(
                "http://publications.europa.eu/") else self.code(
                "country", value, cell, DCT + "Location")
            self.typed(node, DCT + "Location")
            self.add(dataset, DCT + "spatial", node)
        for node in self.codes("language", "language", DCT + "LinguisticSystem"):
            self.add(dataset, DCT + "language", node)
        if (frequency := self.one("frequency")) is not None:
            self.add(dataset, DCT + "accrualPeriodicity", self.code(
                "frequency", frequency.value, frequency, DCT + "Frequency"))
        self._statement(dataset, DCT + "provenance", DCT + "ProvenanceStatement",
                        RDFS + "label", "provenance")
        if (activity := self.one("activity_type")) is not None:
            node = BlankNode("activity")
            self.add(dataset, PROV + "wasGeneratedBy", node)
            self.typed(node, PROV + "Activity")
            self.add(node, DCT + "type", self.code("health-activity", activity.value, activity))

    def _documentation(self, dataset: NamedNode | BlankNode) -> None:
        for key, predicate, document in (("landing_page", DCAT + "landingPage", True),
                                         ("documentation", FOAF + "page", True),
                                         ("referenced_by", DCT + "isReferencedBy", False),
                                         ("related", DCT + "relation", False)):
            for value, cell in self.many(key):
                node = self.iri(value, cell)
                self.add(dataset, predicate, node)
                if document:
                    self.typed(node, FOAF + "Document")
        for number, (value, cell) in enumerate(self.many("quality_certificate")):
            node = BlankNode(f"quality-{number}")
            self.add(dataset, DQV + "hasQualityAnnotation", node)
            self.typed(node, DQV + "QualityCertificate")
            self.add(node, OA + "hasTarget", dataset)
            self.add(node, OA + "hasBody", self.iri(value, cell))
            self.add(node, OA + "motivatedBy", NamedNode(DQV + "qualityAssessment"))

    def _distributions(self, dataset: NamedNode | BlankNode) -> None:
        keys = ("distribution_title", "distribution_description", "rights")
        singles = ("access_url", "download_url", "format", "licence", "availability")
        if any(self.text(k) for k in keys) or any(self.one(k) for k in singles):
            node = self._distribution(dataset, DCAT + "distribution", "distribution",
                                      self.one("access_url"), {})
            self.out.extend(texts(node, DCT + "title", self.text("distribution_title")))
            self.out.extend(texts(node, DCT + "description",
                                  self.text("distribution_description")))
            if (download := self.one("download_url")) is not None:
                self.add(node, DCAT + "downloadURL", self.iri(download.value, download))
            if (kind := self.one("format")) is not None:
                self.add(node, DCT + "format", self.code(
                    "file-type", kind.value, kind, DCT + "MediaTypeOrExtent"))
            if (licence := self.one("licence")) is not None:
                found = code_iri("licence", licence.value)
                target = NamedNode(found) if found else self.iri(licence.value, licence)
                if found:
                    self.used.setdefault(found, set())
                self.typed(target, DCT + "LicenseDocument")
                self.add(node, DCT + "license", target)
            self._statement(node, DCT + "rights", DCT + "RightsStatement", RDFS + "label",
                            "rights")
            if (availability := self.one("availability")) is not None:
                self.add(node, DCATAP + "availability", self.code(
                    "planned-availability", availability.value, availability))
        self._distribution(dataset, "http://www.w3.org/ns/adms#sample", "sample",
                           self.one("sample_url"), {"fr": "Échantillon", "en": "Sample"})
        self._distribution(dataset, HEALTHDCATAP + "analytics", "analytics",
                           self.one("analytics_url"),
                           {"fr": "Résultats agrégés", "en": "Aggregate results"})

    def _distribution(self, dataset: NamedNode | BlankNode, predicate: str, label: str,
                      access: Cell | None, title: Texts) -> BlankNode:
        node = BlankNode(label)
        if access is None and title:
            return node  # no sample or analytics given
        self.add(dataset, predicate, node)
        self.typed(node, DCAT + "Distribution")
        self.out.extend(texts(node, DCT + "title", title))
        if access is not None:
            self.add(node, DCAT + "accessURL", self.iri(access.value, access))
        for law in self.legislation:
            self.add(node, DCATAP + "applicableLegislation", law)
        return node
