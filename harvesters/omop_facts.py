"""Facts of the OMOP Common Data Model (5.3 and 5.4) that a warehouse description relies on.

Table and column names come from the OMOP CDM field-level specification; the titles and
descriptions below are the project's own words. Which columns are *coded* decides which
columns ever have their values read: concept ids only, never free text or identifiers.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from catalog_node.describe.model import Texts

CODING_SYSTEM = "https://hdeu-dcat.data.health.europa.eu/resource/authority/coding-system/"

_COMMON = (
    "person", "observation_period", "visit_occurrence", "visit_detail", "condition_occurrence",
    "drug_exposure", "procedure_occurrence", "device_exposure", "measurement", "observation",
    "death", "note", "note_nlp", "specimen", "fact_relationship", "location", "care_site",
    "provider", "payer_plan_period", "cost", "drug_era", "dose_era", "condition_era",
    "metadata", "cdm_source", "concept", "vocabulary", "domain", "concept_class",
    "concept_relationship", "relationship", "concept_synonym", "concept_ancestor",
    "source_to_concept_map", "drug_strength", "cohort_definition")
#: the tables of each CDM version (clinical, health system, derived, metadata, vocabulary)
CDM_TABLES: dict[str, frozenset[str]] = {
    "5.3": frozenset([*_COMMON, "attribute_definition"]),
    "5.4": frozenset([*_COMMON, "episode", "episode_event", "cohort"]),
}
ALL_CDM_TABLES = CDM_TABLES["5.3"] | CDM_TABLES["5.4"]
#: the standardised vocabularies: reference data, the same in every warehouse
VOCABULARY_TABLES = frozenset((
    "concept", "vocabulary", "domain", "concept_class", "concept_relationship", "relationship",
    "concept_synonym", "concept_ancestor", "source_to_concept_map", "drug_strength"))
#: a column only one version has, which tells them apart when cdm_source says nothing
VERSION_MARKERS = {"5.3": ("visit_occurrence", "admitting_source_concept_id"),
                   "5.4": ("visit_occurrence", "admitted_from_concept_id")}


class EventTable(NamedTuple):
    #: the standard concept the event is coded with
    concept: str
    #: the concept of the code the source gave, before mapping
    source_concept: str


#: clinical event tables, counted as the warehouse's records
EVENT_TABLES: dict[str, EventTable] = {
    "visit_occurrence": EventTable("visit_concept_id", "visit_source_concept_id"),
    "condition_occurrence": EventTable("condition_concept_id", "condition_source_concept_id"),
    "drug_exposure": EventTable("drug_concept_id", "drug_source_concept_id"),
    "procedure_occurrence": EventTable("procedure_concept_id", "procedure_source_concept_id"),
    "measurement": EventTable("measurement_concept_id", "measurement_source_concept_id"),
    "observation": EventTable("observation_concept_id", "observation_source_concept_id"),
    "device_exposure": EventTable("device_concept_id", "device_source_concept_id"),
    "death": EventTable("cause_concept_id", "cause_source_concept_id"),
}
#: (table, column) of the units of measurement (UCUM concepts)
UNIT_COLUMN = ("measurement", "unit_concept_id")

_CONCEPT_ID = re.compile(r"_concept_id(_\d+)?$")
#: free text, names, addresses and codes of local meaning: never read
FREE_TEXT: dict[str, frozenset[str]] = {t: frozenset(c.split()) for t, c in {
    "location": "address_1 address_2 city state zip county latitude longitude",
    "care_site": "care_site_name",
    "provider": "provider_name npi dea",
    "drug_exposure": "sig lot_number stop_reason",
    "condition_occurrence": "stop_reason",
    "observation": "value_as_string",
    "device_exposure": "unique_device_id production_id",
    "measurement": "measurement_time",
    "note": "note_title note_text",
    "note_nlp": "snippet offset lexical_variant nlp_system term_exists term_temporal "
                "term_modifiers",
    "specimen": "specimen_source_id",
    "metadata": "name value_as_string",
    "cdm_source": "source_description source_documentation_reference cdm_etl_reference",
    "cohort_definition": "cohort_definition_name cohort_definition_description "
                         "cohort_definition_syntax",
    "attribute_definition": "attribute_name attribute_description attribute_syntax",
}.items()}


def is_concept_column(column: str) -> bool:
    """``*_concept_id`` (and fact_relationship's ``domain_concept_id_1``…)."""
    return bool(_CONCEPT_ID.search(column.lower()))


def never_published(table: str, column: str) -> bool:
    """Free text, names, addresses, source codes and identifiers: their values stay inside."""
    table, column = table.lower(), column.lower()
    if column in FREE_TEXT.get(table, frozenset()):
        return True
    if column.endswith(("_source_value", "_source_id")):
        return True
    return column.endswith("_id") and not is_concept_column(column)


def coded(table: str, column: str) -> bool:
    """Whether a column's values may be read and published (after suppression).

    Concept ids of the CDM's clinical, health-system, derived and metadata tables: gender,
    race, ethnicity, visit, type, unit and every event's concepts. Not the vocabulary tables
    (their values are the vocabularies themselves), not tables outside the CDM, and never
    free text or identifiers.
    """
    table = table.lower()
    if table not in ALL_CDM_TABLES or table in VOCABULARY_TABLES:
        return False
    return is_concept_column(column) and not never_published(table, column)


def version_of(text: str | None) -> str | None:
    """``5.3`` or ``5.4`` from a ``cdm_version`` such as ``v5.4``, ``5.3.1``, ``CDM v5.4.0``."""
    match = re.search(r"(\d+)\.(\d+)", text or "")
    if not match:
        return None
    version = f"{match.group(1)}.{match.group(2)}"
    return version if version in CDM_TABLES else None


# -- sex ---------------------------------------------------------------------------------

#: OMOP Gender concepts → the population facts' sex categories
GENDER_CONCEPTS = {8532: "female", 8507: "male", 8521: "other", 8551: "unknown"}
SEX_CATEGORIES = ("female", "male", "other", "unknown")


def sex_of(concept_id: int | None) -> str:
    """The sex category of a gender concept id; 0, null or anything else is ``unknown``."""
    return GENDER_CONCEPTS.get(concept_id, "unknown") if concept_id is not None else "unknown"


# -- coding systems -----------------------------------------------------------------------

#: OMOP vocabulary_id → HealthData@EU coding-system code (each one in
#: vocabularies/coding-system.ttl). National variants of ICD-10 and national procedure
#: classifications (the US CPT4 and HCPCS, the French CCAM…) have a code of their own;
#: the vocabularies OHDSI itself defines are the OHDSI Standardized Vocabularies.
_SYSTEMS = {
    "SNOMED": "SNOMED-CT", "ICD10": "ICD-10", "ICD9CM": "ICD-9-CM", "ICD9Proc": "ICD-9-CM",
    "ICDO3": "ICD-O", "LOINC": "LOINC", "ATC": "ATC", "RxNorm": "RXNORM", "UCUM": "UCUM",
    "MeSH": "MESH", "MedDRA": "MEDDRA", "NCIt": "NCIT", "HGNC": "HGNC", "OPS": "OPS",
    **dict.fromkeys(("ICD10CM", "ICD10GM", "ICD10CN", "CIM10", "KCD7"), "ICD-10-NAT"),
    **dict.fromkeys(("CPT4", "HCPCS", "ICD10PCS", "CCAM", "OPCS4"), "PROC-CODES-NAT"),
    **dict.fromkeys((
        "Gender", "Ethnicity", "Visit", "Visit Type", "Type Concept", "Domain", "Vocabulary",
        "Concept Class", "Relationship", "Metadata", "OMOP Extension", "RxNorm Extension",
        "Cancer Modifier", "Episode", "Episode Type", "Condition Status", "Condition Type",
        "Drug Type", "Procedure Type", "Meas Type", "Observation Type", "Obs Period Type",
        "Death Type", "Device Type", "Note Type"), "OHDSI-VOCAB"),
}
#: what concept 0 ("no matching concept") belongs to: no coding system at all
NO_VOCABULARY = frozenset({"None", ""})


def coding_system(vocabulary_id: str | None) -> str | None:
    """The HealthData@EU coding-system IRI of an OMOP vocabulary, None when it has none."""
    code = _SYSTEMS.get((vocabulary_id or "").strip())
    return CODING_SYSTEM + code if code else None


def coding_system_codes() -> frozenset[str]:
    """Every coding-system code the mapping uses (a test checks each one exists)."""
    return frozenset(_SYSTEMS.values())


# -- titles and descriptions -----------------------------------------------------------

#: table → (title en, title fr, description en, description fr), in the project's words
_TEXTS: dict[str, tuple[str, str, str, str]] = {
    "person": (
        "Persons", "Personnes",
        "One row per person in the warehouse, with sex, year of birth, race and ethnicity.",
        "Une ligne par personne de l'entrepôt : sexe, année de naissance, origine ethnique."),
    "observation_period": (
        "Observation periods", "Périodes d'observation",
        "Spans of time during which the events of a person are expected to be recorded.",
        "Intervalles de temps pendant lesquels les événements d'une personne sont censés "
        "être enregistrés."),
    "visit_occurrence": (
        "Visits", "Venues",
        "Stays, consultations and emergency visits of the persons in care settings.",
        "Séjours, consultations et passages aux urgences des personnes dans les lieux de "
        "soins."),
    "visit_detail": (
        "Visit details", "Détails des venues",
        "Parts of a visit, such as the successive units of a hospital stay.",
        "Étapes d'une venue, comme les unités successives d'un séjour hospitalier."),
    "condition_occurrence": (
        "Conditions", "Pathologies",
        "Diagnoses, signs and symptoms recorded for the persons.",
        "Diagnostics, signes et symptômes enregistrés pour les personnes."),
    "drug_exposure": (
        "Drug exposures", "Expositions médicamenteuses",
        "Prescriptions, dispensings and administrations of medicines and vaccines.",
        "Prescriptions, délivrances et administrations de médicaments et de vaccins."),
    "procedure_occurrence": (
        "Procedures", "Actes",
        "Diagnostic and therapeutic procedures carried out on the persons.",
        "Actes diagnostiques et thérapeutiques réalisés sur les personnes."),
    "device_exposure": (
        "Device exposures", "Dispositifs médicaux",
        "Medical devices implanted in or used by the persons.",
        "Dispositifs médicaux implantés chez les personnes ou utilisés par elles."),
    "measurement": (
        "Measurements", "Mesures",
        "Laboratory results, vital signs and other measured values, with their units.",
        "Résultats de biologie, constantes et autres valeurs mesurées, avec leurs unités."),
    "observation": (
        "Observations", "Observations",
        "Clinical facts that fit no other event table, such as history or lifestyle.",
        "Faits cliniques qui n'entrent dans aucune autre table d'événements, comme les "
        "antécédents ou le mode de vie."),
    "death": (
        "Deaths", "Décès",
        "The date and, where known, the cause of death of the persons who died.",
        "La date et, si elle est connue, la cause du décès des personnes décédées."),
    "note": (
        "Clinical notes", "Notes cliniques",
        "Free-text documents written during care, such as reports and letters.",
        "Documents en texte libre rédigés pendant les soins, comme les comptes rendus et "
        "les courriers."),
    "note_nlp": (
        "Terms extracted from notes", "Termes extraits des notes",
        "Concepts found in the clinical notes by natural language processing.",
        "Concepts repérés dans les notes cliniques par traitement automatique de la langue."),
    "specimen": (
        "Specimens", "Prélèvements",
        "Biological samples taken from the persons.",
        "Échantillons biologiques prélevés sur les personnes."),
    "fact_relationship": (
        "Relationships between facts", "Relations entre faits",
        "Links between two records of the warehouse, such as a mother and her child.",
        "Liens entre deux enregistrements de l'entrepôt, comme une mère et son enfant."),
    "location": (
        "Locations", "Adresses",
        "Places where persons live or care sites are found.",
        "Lieux où résident les personnes ou où se trouvent les lieux de soins."),
    "care_site": (
        "Care sites", "Lieux de soins",
        "Organisational units where care is given, such as hospital departments.",
        "Unités d'organisation où les soins sont dispensés, comme les services "
        "hospitaliers."),
    "provider": (
        "Care providers", "Professionnels de santé",
        "Health professionals who gave care to the persons.",
        "Professionnels de santé ayant pris en charge les personnes."),
    "payer_plan_period": (
        "Insurance coverage periods", "Périodes de couverture",
        "Spans of time during which a person was covered by a health insurance plan.",
        "Intervalles de temps pendant lesquels une personne était couverte par un régime "
        "d'assurance maladie."),
    "cost": (
        "Costs", "Coûts",
        "Amounts charged, paid or reimbursed for the events of the warehouse.",
        "Montants facturés, payés ou remboursés pour les événements de l'entrepôt."),
    "drug_era": (
        "Drug eras", "Périodes de traitement",
        "Derived spans of continuous exposure of a person to an active ingredient.",
        "Périodes calculées d'exposition continue d'une personne à une substance active."),
    "dose_era": (
        "Dose eras", "Périodes de dose",
        "Derived spans of exposure of a person to an active ingredient at a constant dose.",
        "Périodes calculées d'exposition d'une personne à une substance active à dose "
        "constante."),
    "condition_era": (
        "Condition eras", "Périodes de pathologie",
        "Derived spans of time during which a person is taken to have a condition.",
        "Périodes calculées pendant lesquelles une personne est considérée comme atteinte "
        "d'une pathologie."),
    "episode": (
        "Episodes", "Épisodes",
        "Abstracted phases of a disease or its treatment, such as lines of cancer therapy.",
        "Phases abstraites d'une maladie ou de son traitement, comme les lignes de "
        "traitement d'un cancer."),
    "episode_event": (
        "Events of episodes", "Événements des épisodes",
        "Links between episodes and the clinical events that make them up.",
        "Liens entre les épisodes et les événements cliniques qui les composent."),
    "metadata": (
        "Metadata", "Métadonnées",
        "Facts about the warehouse itself, as name and value pairs.",
        "Informations sur l'entrepôt lui-même, sous forme de paires nom-valeur."),
    "cdm_source": (
        "Warehouse source", "Source de l'entrepôt",
        "The warehouse's name, holder, source data and the versions of the model and "
        "vocabularies it uses.",
        "Le nom de l'entrepôt, son détenteur, ses données sources et les versions du modèle "
        "et des vocabulaires utilisés."),
    "concept": (
        "Concepts", "Concepts",
        "Every code of the standardised vocabularies, with its domain and vocabulary.",
        "Tous les codes des vocabulaires standardisés, avec leur domaine et leur "
        "vocabulaire."),
    "vocabulary": (
        "Vocabularies", "Vocabulaires",
        "The vocabularies the concepts come from, with their versions.",
        "Les vocabulaires dont proviennent les concepts, avec leurs versions."),
    "domain": (
        "Domains", "Domaines",
        "The domains concepts belong to, such as condition, drug or measurement.",
        "Les domaines auxquels appartiennent les concepts, comme pathologie, médicament ou "
        "mesure."),
    "concept_class": (
        "Concept classes", "Classes de concepts",
        "The classes that group concepts within a vocabulary.",
        "Les classes qui regroupent les concepts au sein d'un vocabulaire."),
    "concept_relationship": (
        "Relationships between concepts", "Relations entre concepts",
        "Links between concepts, such as the mapping of a source code to a standard one.",
        "Liens entre concepts, comme la correspondance d'un code source vers un code "
        "standard."),
    "relationship": (
        "Relationship types", "Types de relations",
        "The kinds of links that may hold between two concepts.",
        "Les types de liens possibles entre deux concepts."),
    "concept_synonym": (
        "Concept synonyms", "Synonymes des concepts",
        "Other names of the concepts, in several languages.",
        "Autres noms des concepts, en plusieurs langues."),
    "concept_ancestor": (
        "Concept hierarchy", "Hiérarchie des concepts",
        "Every ancestor of every concept, with the number of levels between them.",
        "Tous les ancêtres de chaque concept, avec le nombre de niveaux qui les séparent."),
    "source_to_concept_map": (
        "Local code mappings", "Correspondances des codes locaux",
        "Mappings of local source codes to standard concepts, made for this warehouse.",
        "Correspondances entre des codes sources locaux et des concepts standard, établies "
        "pour cet entrepôt."),
    "drug_strength": (
        "Drug strengths", "Dosages des médicaments",
        "The amount of each active ingredient in the drug products.",
        "La quantité de chaque substance active dans les produits médicamenteux."),
    "cohort": (
        "Cohorts", "Cohortes",
        "The persons who belong to each cohort, with the dates they belong to it.",
        "Les personnes appartenant à chaque cohorte, avec les dates d'appartenance."),
    "cohort_definition": (
        "Cohort definitions", "Définitions des cohortes",
        "The cohorts defined on the warehouse and how each one was built.",
        "Les cohortes définies sur l'entrepôt et la façon dont chacune a été construite."),
    "attribute_definition": (
        "Attribute definitions", "Définitions des attributs",
        "Attributes derived for the members of cohorts, and how each one was computed.",
        "Attributs calculés pour les membres des cohortes, et la façon dont chacun a été "
        "obtenu."),
}


def table_titles(table: str) -> Texts:
    """English and French titles of a CDM table; empty for other tables."""
    texts = _TEXTS.get(table.lower())
    return {"en": texts[0], "fr": texts[1]} if texts else {}


def table_descriptions(table: str) -> Texts:
    """English and French one-sentence descriptions of a CDM table; empty for others."""
    texts = _TEXTS.get(table.lower())
    return {"en": texts[2], "fr": texts[3]} if texts else {}
