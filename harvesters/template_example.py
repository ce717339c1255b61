"""The filled example of the template: a FICTIONAL regional registry of congenital anomalies.

Val-de-Brume is an invented region; the registry, its figures, organisations and addresses
(``*.example``) are invented too. Written by the catalog-node project to show every sheet
filled in; ``template_files.py`` writes it to ``harvesters/examples/registre-template.xlsx``.
"""

from __future__ import annotations

SITE = "https://registre.val-de-brume.example/"

#: (field, value) rows of the dataset sheet, by their French names
DATASET: list[tuple[str, str | int]] = [
    ("identifiant", "rac-val-de-brume"),
    ("titre_fr", "Registre des anomalies congénitales du Val-de-Brume (exemple fictif)"),
    ("titre_en", "Val-de-Brume registry of congenital anomalies (fictional example)"),
    ("description_fr", "Exemple FICTIF livré avec catalog-node. Registre de population qui "
     "recense les anomalies congénitales des naissances vivantes, des morts fœtales et des "
     "interruptions médicales de grossesse des femmes résidant dans la région imaginaire du "
     "Val-de-Brume : description des cas, des anomalies codées en CIM-10 et de l'état de "
     "l'enfant à un an. Aucune donnée réelle."),
    ("description_en", "FICTIONAL example shipped with catalog-node. Population registry of "
     "the congenital anomalies of live births, fetal deaths and terminations of pregnancy "
     "for fetal anomaly among women living in the imaginary region of Val-de-Brume: cases, "
     "anomalies coded in ICD-10 and the child's status at one year. No real data."),
    ("acronyme", "RAC-VdB"),
    ("mots_cles_fr", "anomalies congénitales; registre; périnatalité; malformations"),
    ("mots_cles_en", "congenital anomalies; registry; perinatal health; birth defects"),
    ("version", "2024"),
    ("theme", "HEAL"),
    ("categorie_sante", "MRMR"),
    ("theme_sante", "LIFECOURSE_HEALTH; REPRODUCTIVE_HEALTH"),
    ("type_jeu", "STATISTICAL"),
    ("systeme_codage", "ICD-10"),
    ("valeurs_codes", "Q05; Q21; Q35; Q90"),
    ("droits_acces", "NON_PUBLIC"),
    ("legislation", "EHDS; RGPD"),
    ("base_legale_fr", "Registre qualifié (fictif) ; traitement d'intérêt public autorisé "
     "par l'autorité de protection des données."),
    ("base_legale_en", "Qualified registry (fictional); processing in the public interest "
     "authorised by the data protection authority."),
    ("finalite_fr", "Surveillance des anomalies congénitales, évaluation du dépistage "
     "prénatal et recherche en santé périnatale."),
    ("finalite_en", "Surveillance of congenital anomalies, evaluation of prenatal screening "
     "and perinatal health research."),
    ("donnees_personnelles", "Age; Gender"),
    ("conservation_debut", "2005"),
    ("conservation_fin", "2055"),
    ("editeur_nom_fr", "Registre des anomalies congénitales du Val-de-Brume (fictif)"),
    ("editeur_nom_en", "Val-de-Brume registry of congenital anomalies (fictional)"),
    ("editeur_type", "public-health-registry"),
    ("editeur_courriel", "registre@val-de-brume.example"),
    ("editeur_site", SITE),
    ("detenteur_nom_fr", "Centre hospitalier régional du Val-de-Brume (fictif)"),
    ("detenteur_nom_en", "Val-de-Brume regional hospital (fictional)"),
    ("detenteur_type", "healthcare-providers"),
    ("detenteur_courriel", "dpo@chr.val-de-brume.example"),
    ("organisme_acces_nom_fr", "Organisme d'accès aux données de santé (fictif)"),
    ("organisme_acces_nom_en", "Health data access body (fictional)"),
    ("organisme_acces_type", "gov-public-sector-org"),
    ("organisme_acces_courriel", "acces@hdab.example"),
    ("organisme_acces_site", "https://hdab.example/"),
    ("contact_nom", "Secrétariat du registre"),
    ("contact_courriel", "registre@val-de-brume.example"),
    ("contact_site", SITE + "contact"),
    ("couverture_population_fr", "Naissances vivantes, morts fœtales à partir de 22 semaines "
     "d'aménorrhée et interruptions médicales de grossesse des femmes résidant dans le "
     "Val-de-Brume (fictif)."),
    ("couverture_population_en", "Live births, fetal deaths from 22 weeks of gestation and "
     "terminations of pregnancy for fetal anomaly among women living in Val-de-Brume "
     "(fictional)."),
    ("age_typique_min", 0),
    ("age_typique_max", 1),
    ("nombre_enregistrements", 1240),
    ("nombre_individus", 1240),
    ("periode_debut", "2005"),
    ("periode_fin", "2023"),
    ("resolution_temporelle", "P1D"),
    ("couverture_geographique", "FRA"),
    ("langue", "FRA"),
    ("frequence", "ANNUAL"),
    ("provenance_fr", "Recueil actif par les enquêtrices du registre dans les maternités, "
     "les services de néonatologie et les centres de diagnostic prénatal de la région, à "
     "partir des dossiers médicaux ; codage CIM-10 et validation par un généticien."),
    ("provenance_en", "Active collection by the registry's staff in the region's maternity "
     "units, neonatal wards and prenatal diagnosis centres, from medical records; ICD-10 "
     "coding and review by a geneticist."),
    ("type_activite", "MEDICAL_REGISTRY"),
    ("page_accueil", SITE),
    ("documentation", SITE + "documentation"),
    ("publications", "https://doi.org/10.5555/rac-vdb-2023"),
    ("ressources_liees", SITE + "rapports"),
    ("certificat_qualite", SITE + "qualification"),
    ("distribution_titre_fr", "Accès sur projet auprès de l'organisme d'accès"),
    ("distribution_titre_en", "Project access through the access body"),
    ("distribution_description_fr", "Extraction pseudonymisée au format CSV, mise à "
     "disposition dans un espace sécurisé après autorisation."),
    ("distribution_description_en", "Pseudonymised CSV extract, made available in a secure "
     "workspace once access is authorised."),
    ("url_acces", "https://hdab.example/demande/rac-val-de-brume"),
    ("format", "CSV"),
    ("droits_fr", "Données individuelles non diffusées ; accès pour un projet autorisé, sans "
     "extraction de données individuelles."),
    ("droits_en", "Individual data are never released; access for an authorised project, "
     "with no extraction of individual data."),
    ("disponibilite", "STABLE"),
    ("url_echantillon", SITE + "echantillon-synthetique"),
    ("url_analyses", SITE + "indicateurs"),
]

#: the tables sheet: table, titre_fr, titre_en, description_fr, description_en, lignes,
#: cle_primaire, url
TABLES: list[list[str | int]] = [
    ["cas", "Cas enregistrés", "Registered cases",
     "Une ligne par issue de grossesse avec au moins une anomalie congénitale.",
     "One row per pregnancy outcome with at least one congenital anomaly.", 1240, "id_cas",
     SITE + "documentation/cas"],
    ["anomalies", "Anomalies", "Anomalies", "Une ligne par anomalie d'un cas.",
     "One row per anomaly of a case.", 1870, "id_cas; rang", SITE + "documentation/anomalies"],
    ["suivi", "Suivi à un an", "Follow-up at one year",
     "Une ligne par enfant né vivant, à un an.", "One row per live-born child, at one year.",
     1105, "id_cas", SITE + "documentation/suivi"],
]

YES_NO = "1=oui | yes; 0=non | no; 9=inconnu | unknown"
#: the variables sheet: table, variable, titre_fr, titre_en, description_fr, description_en,
#: type, unite, obligatoire, valeurs_autorisees, liste_de_codes
VARIABLES: list[list[str]] = [
    ["cas", "id_cas", "Identifiant du cas", "Case identifier",
     "Numéro pseudonymisé attribué par le registre.", "Pseudonymised number given by the "
     "registry.", "texte", "", "oui", "", ""],
    ["cas", "date_enregistrement", "Date d'enregistrement", "Registration date",
     "Date à laquelle le cas a été enregistré.", "Date the case was registered.", "date",
     "", "oui", "", ""],
    ["cas", "annee_issue", "Année de l'issue", "Year of outcome",
     "Année de la naissance, de la mort fœtale ou de l'interruption.",
     "Year of the birth, fetal death or termination.", "annee", "", "oui", "", ""],
    ["cas", "type_issue", "Type d'issue", "Type of outcome", "Issue de la grossesse.",
     "Outcome of the pregnancy.", "entier", "", "oui",
     "1=naissance vivante | live birth; 2=mort fœtale | fetal death; 3=interruption "
     "médicale de grossesse | termination of pregnancy for fetal anomaly", ""],
    ["cas", "sexe", "Sexe", "Sex", "Sexe de l'enfant ou du fœtus.",
     "Sex of the child or fetus.", "entier", "", "oui",
     "1=masculin | male; 2=féminin | female; 9=indéterminé | undetermined", ""],
    ["cas", "age_gestationnel", "Âge gestationnel", "Gestational age",
     "Âge gestationnel à l'issue, en semaines révolues.",
     "Gestational age at the outcome, in completed weeks.", "entier", "wk", "oui", "", ""],
    ["cas", "poids_naissance", "Poids de naissance", "Birth weight",
     "Poids à la naissance ou à l'expulsion.", "Weight at birth or delivery.", "entier", "g",
     "non", "", ""],
    ["cas", "grossesse_multiple", "Grossesse multiple", "Multiple pregnancy",
     "Vrai pour une grossesse gémellaire ou plus.", "True for twins or more.", "booleen", "",
     "oui", "", ""],
    ["cas", "age_maternel", "Âge de la mère", "Maternal age",
     "Âge de la mère à l'issue, en années révolues.",
     "Mother's age at the outcome, in completed years.", "entier", "a", "non", "", ""],
    ["cas", "departement_residence", "Département de résidence", "Département of residence",
     "Département de résidence de la mère (code officiel géographique).",
     "Mother's département of residence (official geographic code).", "texte", "", "oui",
     "", "COG départements"],
    ["anomalies", "id_cas", "Identifiant du cas", "Case identifier", "Cas de l'anomalie.",
     "Case of the anomaly.", "texte", "", "oui", "", ""],
    ["anomalies", "rang", "Rang de l'anomalie", "Anomaly rank",
     "Numéro de l'anomalie pour le cas.", "Number of the anomaly within the case.",
     "entier", "", "oui", "", ""],
    ["anomalies", "code_cim10", "Code CIM-10", "ICD-10 code",
     "Code de l'anomalie dans la CIM-10 (chapitre Q).",
     "Code of the anomaly in ICD-10 (chapter Q).", "texte", "", "oui", "", "CIM-10"],
    ["anomalies", "groupe", "Groupe d'anomalies", "Anomaly group",
     "Grand groupe de l'anomalie.", "Main group of the anomaly.", "texte", "", "oui",
     "SNC=anomalies du système nerveux | nervous system anomalies; COEUR=cardiopathies "
     "congénitales | congenital heart defects; FENTE=fentes orales | orofacial clefts; "
     "CHROM=anomalies chromosomiques | chromosomal anomalies; AUTRE=autres anomalies | "
     "other anomalies", ""],
    ["anomalies", "isolee", "Anomalie isolée", "Isolated anomaly",
     "Vrai si le cas n'a pas d'autre anomalie majeure.",
     "True when the case has no other major anomaly.", "booleen", "", "non", "", ""],
    ["anomalies", "diagnostic_prenatal", "Diagnostic prénatal", "Prenatal diagnosis",
     "L'anomalie a-t-elle été diagnostiquée avant la naissance ?",
     "Was the anomaly diagnosed before birth?", "entier", "", "oui", YES_NO, ""],
    ["suivi", "id_cas", "Identifiant du cas", "Case identifier", "Cas suivi.",
     "Case followed up.", "texte", "", "oui", "", ""],
    ["suivi", "statut_un_an", "Statut à un an", "Status at one year",
     "État de l'enfant à son premier anniversaire.", "Child's status on its first birthday.",
     "texte", "", "oui",
     "V=vivant | alive; D=décédé | deceased; P=perdu de vue | lost to follow-up", ""],
    ["suivi", "age_deces", "Âge au décès", "Age at death",
     "Âge au décès, en jours, pour un enfant décédé avant un an.",
     "Age at death, in days, for a child who died before one year.", "entier", "d", "non",
     "", ""],
    ["suivi", "chirurgie", "Chirurgie la première année", "Surgery in the first year",
     "L'enfant a-t-il été opéré pour l'anomalie avant un an ?",
     "Did the child have surgery for the anomaly before one year?", "entier", "", "non",
     YES_NO, ""],
]
