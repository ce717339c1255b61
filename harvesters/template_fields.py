"""The columns of the producer's template: English and French names, what to write.

Three sheets: ``dataset`` (``jeu_de_donnees``) holds one field per row (``field`` /
``value``); ``tables`` and ``variables`` hold one table or variable per row. Either name of
a sheet, a column or a field is accepted, in any case, with or without accents. The reader
(``template_sheets.py``), the blank template (``template_files.py``) and the documentation
(``docs/template.*.md``) all read these lists.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: how much a field is needed: in every record, in NON_PUBLIC records, recommended, optional
NEEDS = {"M": ("obligatoire", "required"),
         "N": ("obligatoire si non public", "required if non-public"),
         "R": ("recommandé", "recommended"), "": ("facultatif", "optional")}


@dataclass(frozen=True)
class Column:
    """A column of a sheet, or a field of the dataset sheet."""

    key: str
    fr: str
    need: str
    help_en: str
    help_fr: str


def normal(name: object) -> str:
    """A header as compared: lower case, no accents, ``_`` for spaces and hyphens."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    return "_".join(text.lower().replace("-", " ").replace("'", " ").split())


#: sheet key → (English name, French name)
SHEETS = {"dataset": ("dataset", "jeu_de_donnees"), "tables": ("tables", "tables"),
          "variables": ("variables", "variables")}

C = Column
DATASET_COLUMNS = [
    C("field", "champ", "M", "Name of the field (English or French).",
      "Nom du champ (français ou anglais)."),
    C("value", "valeur", "M", "Its value; lists are separated by ;",
      "Sa valeur ; les listes sont séparées par ;"),
    C("need", "obligation", "", "Whether the field is needed (for information).",
      "Si le champ est obligatoire (pour information)."),
    C("help_fr", "aide_fr", "", "What to write, in French.", "Quoi écrire, en français."),
    C("help_en", "aide_en", "", "What to write, in English.", "Quoi écrire, en anglais."),
]

TABLE_COLUMNS = [
    C("table", "table", "M", "Name of the table, as in the data (unique).",
      "Nom de la table, comme dans les données (unique)."),
    C("title_fr", "titre_fr", "M", "Title in French.", "Titre en français."),
    C("title_en", "titre_en", "R", "Title in English.", "Titre en anglais."),
    C("description_fr", "description_fr", "R", "What one row is, in French.",
      "Ce que représente une ligne, en français."),
    C("description_en", "description_en", "R", "What one row is, in English.",
      "Ce que représente une ligne, en anglais."),
    C("rows", "lignes", "R", "Number of rows (counts below 10 are not published).",
      "Nombre de lignes (les effectifs inférieurs à 10 ne sont pas publiés)."),
    C("primary_key", "cle_primaire", "", "Columns of the primary key, separated by ;",
      "Colonnes de la clé primaire, séparées par ;"),
    C("url", "url", "", "http(s) address where the table is published or documented.",
      "Adresse http(s) où la table est publiée ou documentée."),
]

VARIABLE_COLUMNS = [
    C("table", "table", "M", "Table of the variable (a name of the tables sheet).",
      "Table de la variable (un nom de la feuille tables)."),
    C("variable", "variable", "M", "Name of the column, as in the data.",
      "Nom de la colonne, comme dans les données."),
    C("title_fr", "titre_fr", "M", "Label in French.", "Libellé en français."),
    C("title_en", "titre_en", "R", "Label in English.", "Libellé en anglais."),
    C("description_fr", "description_fr", "R", "Definition in French.",
      "Définition en français."),
    C("description_en", "description_en", "R", "Definition in English.",
      "Définition en anglais."),
    C("type", "type", "M", "string, integer, decimal, boolean, date, dateTime, time, gYear "
      "(year), gYearMonth, duration, anyURI.",
      "texte, entier, decimal, booleen, date, date_heure, heure, annee, annee_mois, duree, "
      "url (ou les noms anglais)."),
    C("unit", "unite", "", "Unit of measure (UCUM if possible: kg, g, mm[Hg], d).",
      "Unité de mesure (UCUM si possible : kg, g, mm[Hg], d)."),
    C("required", "obligatoire", "", "yes if every row has a value, else no.",
      "oui si chaque ligne a une valeur, sinon non."),
    C("allowed_values", "valeurs_autorisees", "",
      "Codes of a coded variable: code=label; code=label (label: French | English).",
      "Codes d'une variable codée : code=libellé; code=libellé (libellé : français | "
      "anglais)."),
    C("code_list", "liste_de_codes", "", "Name of the code list or nomenclature (CIM-10…).",
      "Nom de la liste de codes ou nomenclature (CIM-10…)."),
]

#: the dataset sheet's fields, by section: (section FR, section EN, fields)
DATASET_SECTIONS: list[tuple[str, str, list[Column]]] = [
    ("Identification", "Identification", [
        C("identifier", "identifiant", "M", "Stable identifier, e.g. rac-val-de-brume.",
          "Identifiant stable, par ex. rac-val-de-brume."),
        C("iri", "iri", "", "The dataset's own http(s) IRI, if it has one.",
          "IRI http(s) propre du jeu de données, s'il en a une."),
        C("title_fr", "titre_fr", "M", "Title in French.", "Titre en français."),
        C("title_en", "titre_en", "R", "Title in English.", "Titre en anglais."),
        C("description_fr", "description_fr", "M", "Description in French.",
          "Description en français."),
        C("description_en", "description_en", "R", "Description in English.",
          "Description en anglais."),
        C("acronym", "acronyme", "", "Acronym or short name.", "Acronyme ou nom court."),
        C("keywords_fr", "mots_cles_fr", "N", "Keywords in French, separated by ;",
          "Mots-clés en français, séparés par ;"),
        C("keywords_en", "mots_cles_en", "N", "Keywords in English, separated by ;",
          "Mots-clés en anglais, séparés par ;"),
        C("version", "version", "", "Version of the dataset.", "Version du jeu de données."),
    ]),
    ("Classement", "Classification", [
        C("theme", "theme", "M", "EU data-theme codes; HEAL is required (and used when empty).",
          "Codes des thèmes de l'UE ; HEAL est obligatoire (et pris si vide)."),
        C("health_category", "categorie_sante", "M",
          "HealthData@EU health-category codes, e.g. MRMR (registries), EHRS (health records).",
          "Codes des catégories de données de santé, par ex. MRMR (registres), EHRS "
          "(dossiers de santé)."),
        C("health_theme", "theme_sante", "R", "HealthData@EU health-theme codes, e.g. "
          "LIFECOURSE_HEALTH.", "Codes des thèmes de santé, par ex. LIFECOURSE_HEALTH."),
        C("dataset_type", "type_jeu", "N", "EU dataset-type code, e.g. STATISTICAL.",
          "Code du type de jeu de données de l'UE, par ex. STATISTICAL."),
        C("coding_system", "systeme_codage", "R",
          "HealthData@EU coding-system codes, e.g. ICD-10; ORPHACODE.",
          "Codes des systèmes de codage, par ex. ICD-10 ; ORPHACODE."),
        C("code_values", "valeurs_codes", "R", "Codes the data holds, e.g. Q90; Q05.",
          "Codes présents dans les données, par ex. Q90 ; Q05."),
        C("conforms_to", "norme", "R", "HealthData@EU standard codes (OMOP-CDM, FHIR…) or IRIs.",
          "Codes des normes (OMOP-CDM, FHIR…) ou IRI."),
    ]),
    ("Accès", "Access", [
        C("access_rights", "droits_acces", "M", "PUBLIC, RESTRICTED or NON_PUBLIC.",
          "PUBLIC, RESTREINT (RESTRICTED) ou NON_PUBLIC."),
        C("legislation", "legislation", "M",
          "ELI IRIs of the applicable legislation; EHDS and GDPR are accepted as shortcuts.",
          "IRI ELI de la législation applicable ; EHDS et RGPD sont acceptés en raccourci."),
        C("legal_basis_fr", "base_legale_fr", "R", "Legal basis of the processing, in French.",
          "Base légale du traitement, en français."),
        C("legal_basis_en", "base_legale_en", "R", "Legal basis of the processing, in English.",
          "Base légale du traitement, en anglais."),
        C("purpose_fr", "finalite_fr", "R", "Purpose of the data, in French.",
          "Finalité des données, en français."),
        C("purpose_en", "finalite_en", "R", "Purpose of the data, in English.",
          "Finalité des données, en anglais."),
        C("personal_data", "donnees_personnelles", "R",
          "DPV personal-data terms, e.g. Age; Gender; HealthRecord.",
          "Termes DPV des données personnelles, par ex. Age ; Gender ; HealthRecord."),
        C("retention_start", "conservation_debut", "R", "Start of the retention period "
          "(YYYY, YYYY-MM or YYYY-MM-DD).", "Début de la durée de conservation "
          "(AAAA, AAAA-MM ou AAAA-MM-JJ)."),
        C("retention_end", "conservation_fin", "R", "End of the retention period.",
          "Fin de la durée de conservation."),
        C("structured_data", "donnees_structurees", "",
          "yes or no; yes by default when the tables sheet describes tables.",
          "oui ou non ; oui par défaut quand la feuille tables décrit des tables."),
    ]),
    ("Éditeur", "Publisher", [
        C("publisher_name_fr", "editeur_nom_fr", "M", "Name of the publisher, in French.",
          "Nom de l'éditeur, en français."),
        C("publisher_name_en", "editeur_nom_en", "R", "Name of the publisher, in English.",
          "Nom de l'éditeur, en anglais."),
        C("publisher_type", "editeur_type", "M",
          "HealthData@EU publisher-type code, e.g. public-health-registry.",
          "Code du type d'éditeur, par ex. public-health-registry."),
        C("publisher_email", "editeur_courriel", "M",
          "Contact e-mail (an e-mail or a web page is required).",
          "Courriel de contact (un courriel ou une page web est obligatoire)."),
        C("publisher_homepage", "editeur_site", "R", "Contact web page.", "Page web de contact."),
        C("publisher_iri", "editeur_iri", "", "The publisher's own http(s) IRI, if any.",
          "IRI http(s) propre de l'éditeur, s'il en a une."),
    ]),
    ("Détenteur", "Custodian", [
        C("custodian_name_fr", "detenteur_nom_fr", "R", "Name of the data holder, in French.",
          "Nom du détenteur des données, en français."),
        C("custodian_name_en", "detenteur_nom_en", "R", "Name of the data holder, in English.",
          "Nom du détenteur des données, en anglais."),
        C("custodian_type", "detenteur_type", "R", "Publisher-type code of the holder.",
          "Code du type d'éditeur du détenteur."),
        C("custodian_email", "detenteur_courriel", "R", "Contact e-mail of the holder.",
          "Courriel de contact du détenteur."),
        C("custodian_homepage", "detenteur_site", "R", "Contact web page of the holder.",
          "Page web de contact du détenteur."),
        C("custodian_iri", "detenteur_iri", "", "The holder's own http(s) IRI, if any.",
          "IRI http(s) propre du détenteur, s'il en a une."),
    ]),
    ("Organisme d'accès aux données de santé", "Health data access body", [
        C("hdab_name_fr", "organisme_acces_nom_fr", "M",
          "Name of the health data access body, in French.",
          "Nom de l'organisme d'accès aux données de santé, en français."),
        C("hdab_name_en", "organisme_acces_nom_en", "R",
          "Name of the health data access body, in English.",
          "Nom de l'organisme d'accès aux données de santé, en anglais."),
        C("hdab_type", "organisme_acces_type", "R", "Publisher-type code of the body.",
          "Code du type d'éditeur de l'organisme."),
        C("hdab_email", "organisme_acces_courriel", "M",
          "Contact e-mail (an e-mail or a web page is required).",
          "Courriel de contact (un courriel ou une page web est obligatoire)."),
        C("hdab_homepage", "organisme_acces_site", "R", "Contact web page.",
          "Page web de contact."),
        C("hdab_iri", "organisme_acces_iri", "", "The body's own http(s) IRI, if any.",
          "IRI http(s) propre de l'organisme, s'il en a une."),
    ]),
    ("Point de contact", "Contact point", [
        C("contact_name", "contact_nom", "N", "Name of the contact (a service, not a person).",
          "Nom du contact (un service, pas une personne)."),
        C("contact_email", "contact_courriel", "N", "E-mail of the contact.",
          "Courriel du contact."),
        C("contact_url", "contact_site", "", "Contact web page.", "Page web de contact."),
    ]),
    ("Couverture", "Coverage", [
        C("population_coverage_fr", "couverture_population_fr", "R",
          "Who the data cover, in French.", "Qui les données couvrent, en français."),
        C("population_coverage_en", "couverture_population_en", "R",
          "Who the data cover, in English.", "Qui les données couvrent, en anglais."),
        C("min_typical_age", "age_typique_min", "R", "Lowest typical age (years).",
          "Âge typique le plus bas (années)."),
        C("max_typical_age", "age_typique_max", "R", "Highest typical age (years).",
          "Âge typique le plus haut (années)."),
        C("number_of_records", "nombre_enregistrements", "R", "Number of records.",
          "Nombre d'enregistrements."),
        C("number_of_unique_individuals", "nombre_individus", "R",
          "Number of distinct persons.", "Nombre de personnes distinctes."),
        C("temporal_start", "periode_debut", "R",
          "Start of the period covered (YYYY, YYYY-MM or YYYY-MM-DD).",
          "Début de la période couverte (AAAA, AAAA-MM ou AAAA-MM-JJ)."),
        C("temporal_end", "periode_fin", "R", "End of the period covered.",
          "Fin de la période couverte."),
        C("temporal_resolution", "resolution_temporelle", "R",
          "Smallest time step, as an ISO 8601 duration: P1D, P1M, P1Y.",
          "Plus petit pas de temps, en durée ISO 8601 : P1D, P1M, P1Y."),
        C("spatial", "couverture_geographique", "R",
          "EU country codes (FRA) or http(s) IRIs of places.",
          "Codes pays de l'UE (FRA) ou IRI http(s) de lieux."),
        C("language", "langue", "R", "Languages of the data: FRA, ENG (or fr, en).",
          "Langues des données : FRA, ENG (ou fr, en)."),
        C("frequency", "frequence", "R", "EU frequency code, e.g. ANNUAL, CONT, IRREG.",
          "Code de fréquence de l'UE, par ex. ANNUAL, CONT, IRREG."),
        C("provenance_fr", "provenance_fr", "N", "How the data are collected, in French.",
          "Comment les données sont recueillies, en français."),
        C("provenance_en", "provenance_en", "N", "How the data are collected, in English.",
          "Comment les données sont recueillies, en anglais."),
        C("activity_type", "type_activite", "", "HealthData@EU health-activity code of the "
          "collection, e.g. MEDICAL_REGISTRY.", "Code de l'activité de santé qui produit les "
          "données, par ex. MEDICAL_REGISTRY."),
    ]),
    ("Documentation", "Documentation", [
        C("landing_page", "page_accueil", "R", "Web page of the dataset.",
          "Page web du jeu de données."),
        C("documentation", "documentation", "R", "Documentation pages, separated by ;",
          "Pages de documentation, séparées par ;"),
        C("referenced_by", "publications", "R", "Publications using the data (DOI or URL).",
          "Publications qui utilisent les données (DOI ou URL)."),
        C("related", "ressources_liees", "R", "Related resources (http(s) IRIs).",
          "Ressources liées (IRI http(s))."),
        C("quality_certificate", "certificat_qualite", "R",
          "Address of a quality certificate or label.",
          "Adresse d'un certificat ou label de qualité."),
    ]),
    ("Distribution", "Distribution", [
        C("distribution_title_fr", "distribution_titre_fr", "", "Title of the way of access, "
          "in French.", "Titre du mode d'accès, en français."),
        C("distribution_title_en", "distribution_titre_en", "", "Title of the way of access, "
          "in English.", "Titre du mode d'accès, en anglais."),
        C("distribution_description_fr", "distribution_description_fr", "R",
          "How the data are made available, in French.",
          "Comment les données sont mises à disposition, en français."),
        C("distribution_description_en", "distribution_description_en", "R",
          "How the data are made available, in English.",
          "Comment les données sont mises à disposition, en anglais."),
        C("access_url", "url_acces", "M", "Where to ask for or reach the data (http(s)).",
          "Où demander ou consulter les données (http(s))."),
        C("download_url", "url_telechargement", "", "Direct download address, if any.",
          "Adresse de téléchargement direct, s'il y en a une."),
        C("format", "format", "R", "EU file-type code, e.g. CSV, XLSX, SAS.",
          "Code de type de fichier de l'UE, par ex. CSV, XLSX, SAS."),
        C("licence", "licence", "R", "EU licence code (CC_BY_4_0, ETALAB_2_0) or IRI.",
          "Code de licence de l'UE (CC_BY_4_0, ETALAB_2_0) ou IRI."),
        C("rights_fr", "droits_fr", "R", "Conditions of access and reuse, in French.",
          "Conditions d'accès et de réutilisation, en français."),
        C("rights_en", "droits_en", "R", "Conditions of access and reuse, in English.",
          "Conditions d'accès et de réutilisation, en anglais."),
        C("availability", "disponibilite", "R", "EU planned-availability code: AVAILABLE, "
          "STABLE, EXPERIMENTAL, TEMPORARY.", "Code de disponibilité prévue de l'UE : "
          "AVAILABLE, STABLE, EXPERIMENTAL, TEMPORARY."),
        C("sample_url", "url_echantillon", "R", "Where a sample (e.g. synthetic) is.",
          "Où se trouve un échantillon (par ex. synthétique)."),
        C("analytics_url", "url_analyses", "R", "Where aggregate results are published.",
          "Où sont publiés des résultats agrégés."),
    ]),
]
del C

DATASET_FIELDS = [f for _, _, fields in DATASET_SECTIONS for f in fields]
#: columns any sheet may carry and the reader ignores
IGNORED = frozenset({"need", "obligation", "help_fr", "aide_fr", "help_en", "aide_en",
                     "help", "aide", "notes", "note", "remarques", "comment", "commentaire"})


def aliases(columns: list[Column]) -> dict[str, str]:
    """Every accepted spelling (normalised) → the column's key."""
    out: dict[str, str] = {}
    for column in columns:
        out[normal(column.key)] = column.key
        out[normal(column.fr)] = column.key
    return out


def sheet_kind(name: str) -> str | None:
    """``dataset``, ``tables`` or ``variables`` for a sheet (or CSV file) name."""
    wanted = normal(name)
    return next((key for key, names in SHEETS.items()
                 if wanted in {normal(n) for n in names}), None)
