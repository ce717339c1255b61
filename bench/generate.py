#!/usr/bin/env python3
"""Deterministic synthetic HealthDCAT-AP (Release 8) catalogues for the benchmarks.

    python bench/generate.py --datasets 10000 [--seed 1] [--format turtle|ntriples] -o FILE

One ``dcat:Catalog`` links every dataset; each dataset is one self-contained block (about 75
triples): FR/EN titles and descriptions, keywords, themes, access rights, legislation, health
categories, an inline copy of its publisher and health data access body, a blank-node contact
point and temporal period, 1-3 distributions, and on every 10th dataset a CSVW data dictionary.

The output depends only on (datasets, seed, format): every dataset draws from its own
``random.Random`` seeded with ``"{seed}/{index}"``, so dataset *i* is the same whatever the size,
and nothing reads the clock, a hash of a Python object or the order of a set. The file is written
as it is generated (one block at a time) into ``FILE.part`` and renamed when complete.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Literal, NamedTuple

Format = Literal["turtle", "ntriples"]
BASE = "https://bench.catalog-node.test/"
CATALOG_IRI = BASE + "catalog"
AUTH = "http://publications.europa.eu/resource/authority/"
HDEU = "https://hdeu-dcat.data.health.europa.eu/resource/authority/"

PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatap": "http://data.europa.eu/r5r/",
    "healthdcatap": "http://healthdataportal.eu/ns/health#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "cv": "http://data.europa.eu/m8g/",
    "csvw": "http://www.w3.org/ns/csvw#",
    "eli": "http://data.europa.eu/eli/ontology#",
}


class Term(NamedTuple):
    """One RDF term, as written in Turtle and in N-Triples."""

    ttl: str
    nt: str


@dataclass
class BNode:
    """A blank node: nested ``[ ... ]`` in Turtle, labelled ``_:label`` in N-Triples."""

    label: str
    pairs: list[tuple[Term, Term | BNode]]


Pairs = list[tuple[Term, "Term | BNode"]]


def q(name: str) -> Term:
    """A prefixed name such as ``dct:title``."""
    prefix, local = name.split(":", 1)
    return Term(name, f"<{PREFIXES[prefix]}{local}>")


def iri(value: str) -> Term:
    return Term(f"<{value}>", f"<{value}>")


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def lit(text: str, lang: str | None = None) -> Term:
    """A plain or language-tagged literal, escaped for Turtle and N-Triples alike."""
    body = '"' + text.translate(_ESCAPES) + '"' + (f"@{lang}" if lang else "")
    return Term(body, body)


def typed(value: str, datatype: str) -> Term:
    """A literal typed ``xsd:<datatype>`` (values here never need escaping)."""
    return Term(f'"{value}"^^xsd:{datatype}', f'"{value}"^^<{PREFIXES["xsd"]}{datatype}>')


A = Term("a", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>")
(TITLE, DESC, IDENT, KEYWORD, THEME, ACCESS, LEGIS, CATEGORY, HDAB, PUBLISHER, CONTACT,
 TEMPORAL, SPATIAL, ISSUED, MODIFIED, LANGUAGE, PERIODICITY, LANDING, DISTRIBUTION, RECORDS,
 STRUCTURED, VARIABLES, NAME, TYPE, FN, EMAIL, START, END, ACCESS_URL, FORMAT, MEDIA, SIZE,
 LICENSE, CV_CONTACT, CV_EMAIL, TABLE, COLUMN, CSVW_NAME, CSVW_TITLE, CSVW_TYPE, DATASET) = map(q, (
    "dct:title", "dct:description", "dct:identifier", "dcat:keyword", "dcat:theme",
    "dct:accessRights", "dcatap:applicableLegislation", "healthdcatap:healthCategory",
    "healthdcatap:hdab", "dct:publisher", "dcat:contactPoint", "dct:temporal", "dct:spatial",
    "dct:issued", "dct:modified", "dct:language", "dct:accrualPeriodicity", "dcat:landingPage",
    "dcat:distribution", "healthdcatap:numberOfRecords", "healthdcatap:hasStructuredData",
    "healthdcatap:hasVariables", "foaf:name", "dct:type", "vcard:fn", "vcard:hasEmail",
    "dcat:startDate", "dcat:endDate", "dcat:accessURL", "dct:format", "dcat:mediaType",
    "dcat:byteSize", "dct:license", "cv:contactPoint", "cv:email", "csvw:table", "csvw:column",
    "csvw:name", "csvw:title", "csvw:datatype", "dcat:dataset"))
C_DATASET, C_AGENT, C_KIND, C_PERIOD, C_DIST, C_CONTACT, C_GROUP, C_TABLE, C_COLUMN = map(q, (
    "dcat:Dataset", "foaf:Agent", "vcard:Kind", "dct:PeriodOfTime", "dcat:Distribution",
    "cv:ContactPoint", "csvw:TableGroup", "csvw:Table", "csvw:Column"))
#: The class each controlled concept is typed with inside a record (as the R8 example does).
C_RIGHTS, C_LOCATION, C_EXTENT, C_MEDIA, C_LICENSE, C_LEGAL, C_LANG, C_FREQ = map(q, (
    "dct:RightsStatement", "dct:Location", "dct:MediaTypeOrExtent", "dct:MediaType",
    "dct:LicenseDocument", "eli:LegalResource", "dct:LinguisticSystem", "dct:Frequency"))

HEAL = iri(AUTH + "data-theme/HEAL")
OTHER_THEMES = [iri(AUTH + "data-theme/" + c) for c in ("SOCI", "GOVE", "TECH", "ENVI", "ECON",
                                                      "EDUC", "REGI")]
ACCESS_RIGHTS = [(iri(AUTH + "access-right/" + c), w) for c, w in
                 (("PUBLIC", 3), ("RESTRICTED", 3), ("NON_PUBLIC", 4))]
EHDS = iri("http://data.europa.eu/eli/reg/2025/327/oj")
DGA = iri("http://data.europa.eu/eli/reg/2022/868/oj")
HEALTH_CATEGORIES = [iri(HDEU + "healthcategories/" + c) for c in (
    "EHRS", "DIOH", "NRPE", "RPDG", "HRAD", "HGPD", "HPML", "PGEH", "WELA", "IDHP", "PHDR",
    "MRMR", "EHCT", "EMRD", "RMMD", "RQSH", "EINS")]
PUBLISHER_TYPES = [iri(HDEU + "publisher-type/" + c) for c in (
    "public-health-institute", "national-authority", "public-health-registry",
    "healthcare-providers", "research-academic-org", "research-institute-org", "laboratory",
    "quality-registry", "national-cancer-institute", "primary-care-org")]
COUNTRIES = [iri(AUTH + "country/" + c) for c in ("FRA",) * 6 + ("BEL", "LUX", "CHE", "DEU")]
LANGUAGES = [iri(AUTH + "language/" + c) for c in ("FRA", "ENG")]
FREQUENCIES = [iri(AUTH + "frequency/" + c) for c in ("ANNUAL", "QUARTERLY", "MONTHLY",
                                                     "IRREG", "NEVER")]
FORMATS = [(ft, iri(AUTH + "file-type/" + ft), iri("http://www.iana.org/assignments/media-types/"
                                                   + mt)) for ft, mt in (
    ("CSV", "text/csv"), ("JSON", "application/json"),
    ("PARQUET", "application/vnd.apache.parquet"),
    ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("PDF", "application/pdf"), ("SAS", "application/x-sas-data"))]
LICENSES = [iri(u) for u in ("http://publications.europa.eu/resource/authority/licence/ETALAB_2_0",
                             "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
                             BASE + "licence/data-use-permit")]

# (FR with article, EN, FR keywords, EN keywords)
TOPICS = [
    ("le diabète de type 2", "type 2 diabetes", "diabète|glycémie", "diabetes|glycaemia"),
    ("l'insuffisance cardiaque", "heart failure", "cardiologie|cœur", "cardiology|heart"),
    ("le cancer du sein", "breast cancer", "oncologie|dépistage", "oncology|screening"),
    ("les maladies rares", "rare diseases", "maladies rares|génétique", "rare diseases|genetics"),
    ("la bronchopneumopathie chronique obstructive", "chronic obstructive pulmonary disease",
     "BPCO|pneumologie", "COPD|pulmonology"),
    ("la maladie d'Alzheimer", "Alzheimer's disease", "démence|neurologie", "dementia|neurology"),
    ("l'accident vasculaire cérébral", "stroke", "AVC|urgences", "stroke|emergency care"),
    ("la santé mentale des adolescents", "adolescent mental health", "psychiatrie|jeunesse",
     "psychiatry|youth"),
    ("la périnatalité", "perinatal health", "grossesse|néonatalogie", "pregnancy|neonatology"),
    ("les infections nosocomiales", "hospital-acquired infections", "infectiologie|hygiène",
     "infectious diseases|hygiene"),
    ("la COVID-19", "COVID-19", "SARS-CoV-2|vaccination", "SARS-CoV-2|vaccination"),
    ("l'obésité infantile", "childhood obesity", "nutrition|pédiatrie", "nutrition|paediatrics"),
    ("l'insuffisance rénale chronique", "chronic kidney disease", "néphrologie|dialyse",
     "nephrology|dialysis"),
    ("la sclérose en plaques", "multiple sclerosis", "neurologie|handicap", "neurology|disability"),
    ("les cancers colorectaux", "colorectal cancers", "oncologie|endoscopie",
     "oncology|endoscopy"),
    ("la consommation d'antibiotiques", "antibiotic consumption", "antibiorésistance|pharmacie",
     "antimicrobial resistance|pharmacy"),
    ("la mortalité par suicide", "suicide mortality", "causes de décès|prévention",
     "causes of death|prevention"),
    ("les troubles du spectre autistique", "autism spectrum disorders", "autisme|développement",
     "autism|development"),
    ("l'hypertension artérielle", "arterial hypertension", "tension|prévention cardiovasculaire",
     "blood pressure|cardiovascular prevention"),
    ("les soins palliatifs", "palliative care", "fin de vie|douleur", "end of life|pain"),
]
KINDS = [("Cohorte", "Cohort"), ("Registre", "Registry"), ("Entrepôt de données", "Data warehouse"),
         ("Enquête", "Survey"), ("Base médico-administrative", "Claims database"),
         ("Essai clinique", "Clinical trial"), ("Biobanque", "Biobank"),
         ("Indicateurs agrégés", "Aggregate indicators")]
REGIONS = [("Île-de-France", "Île-de-France"), ("Bretagne", "Brittany"),
           ("Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes"), ("Normandie", "Normandy"),
           ("Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"), ("Corse", "Corsica"),
           ("Hauts-de-France", "Hauts-de-France"), ("Grand Est", "Grand Est"),
           ("Occitanie", "Occitania"), ("Nouvelle-Aquitaine", "Nouvelle-Aquitaine"),
           ("La Réunion", "Réunion"), ("France entière", "the whole of France")]
CITIES = ["Rennes", "Lille", "Lyon", "Nantes", "Besançon", "Nîmes", "Créteil", "Brest", "Dijon",
          "Saint-Étienne", "Grenoble", "Angers", "Amiens", "Poitiers", "Limoges", "Caen", "Reims",
          "Tours", "Orléans", "Pointe-à-Pitre"]
ORG_KINDS = [("CHU de {}", "healthcare-providers"),
             ("Centre hospitalier de {}", "healthcare-providers"),
             ("Observatoire régional de santé de {}", "public-health-institute"),
             ("Registre des cancers de {}", "public-health-registry"),
             ("Laboratoire d'épidémiologie de {}", "laboratory"),
             ("Université de {} \u2013 équipe « santé publique »", "research-academic-org")]
HDABS = [("hdh", "Health Data Hub", "FR"), ("sciensano", "Health Data Agency Belgium", "BE"),
         ("lnds", "Luxembourg National Data Service", "LU"), ("fdz", "Forschungsdatenzentrum "
          "Gesundheit", "DE"), ("sphn", "Swiss Personalized Health Network", "CH")]
FR_SENTENCES = [
    "Ce jeu de données décrit {topic} à partir de sources « réelles » de soins.",
    "Les données sont pseudonymisées avant tout accès, conformément au RGPD.",
    "L'appariement avec le \"SNDS\" (Système national des données de santé) est possible.",
    "La qualité est contrôlée chaque trimestre par l'équipe d'épidémiologie.",
    "Les variables incluent l'âge, le sexe, les diagnostics (CIM-10) et les actes (CCAM).",
    "Accès via la plateforme sécurisée ; les extractions sont déposées sous \\\\hds\\projets.",
    "Période couverte : {y1}\u2013{y2} ; mise à jour {freq}.",
]
EN_SENTENCES = [
    "This dataset describes {topic} from \"real-world\" care sources.",
    "Data are pseudonymised before any access, in line with the GDPR.",
    "Linkage with the French national health data system (\"SNDS\") is possible.",
    "Quality is checked every quarter by the epidemiology team.",
    "Variables include age, sex, diagnoses (ICD-10) and procedures (CCAM).",
    "Access through the secure platform; extracts are placed under \\\\hds\\projects.",
    "Coverage: {y1}\u2013{y2}; updated {freq}.",
]
FREQ_WORDS = [("annuellement", "yearly"), ("chaque trimestre", "quarterly"),
              ("chaque mois", "monthly"), ("irrégulièrement", "irregularly"), ("jamais", "never")]
GENERIC_KW = [("santé publique", "public health"), ("données de vie réelle", "real-world data"),
              ("épidémiologie", "epidemiology"), ("parcours de soins", "care pathway")]
COLUMNS = [("patientId", "Identifiant patient", "string"), ("birthYear", "Année de naissance",
           "gYear"), ("sex", "Sexe", "string"), ("admissionDate", "Date d'admission", "date"),
           ("dischargeDate", "Date de sortie", "date"), ("icd10Code", "Code CIM-10", "string"),
           ("hba1c", "HbA1c (%)", "decimal"), ("systolicBp", "Pression systolique", "integer"),
           ("bmi", "Indice de masse corporelle", "decimal"), ("vitalStatus", "Statut vital",
           "boolean"), ("postcode", "Code postal", "string"), ("stayLength", "Durée de séjour",
           "integer")]


@dataclass(frozen=True)
class Agent:
    iri: Term
    pairs: Pairs


def make_publishers(seed: int, count: int = 200) -> list[Agent]:
    """``count`` publishers (foaf:Agent, foaf:name, dct:type), the same for every dataset."""
    cities = list(CITIES)
    random.Random(f"{seed}/agents").shuffle(cities)
    agents = []
    for k in range(count):
        template, kind = ORG_KINDS[k % len(ORG_KINDS)]
        name = template.format(cities[(k // len(ORG_KINDS)) % len(cities)])
        if k >= len(ORG_KINDS) * len(cities):
            name += f" (site {k // (len(ORG_KINDS) * len(cities)) + 1})"
        agents.append(Agent(iri(f"{BASE}agent/publisher-{k:03d}"), [
            (A, C_AGENT), (NAME, lit(name, "fr")), (TYPE, iri(HDEU + "publisher-type/" + kind))]))
    return agents


def make_hdabs() -> list[tuple[Agent, Agent]]:
    """The health data access bodies and their contact points (cv:ContactPoint, as R8 asks)."""
    out = []
    for key, name, country in HDABS:
        contact = iri(f"{BASE}agent/hdab-{key}/contact")
        agent = Agent(iri(f"{BASE}agent/hdab-{key}"), [
            (A, C_AGENT), (NAME, lit(name, "en")), (TYPE, PUBLISHER_TYPES[1]),
            (CV_CONTACT, contact)])
        email = lit(f"access@{key}.{country.lower()}.test")
        out.append((agent, Agent(contact, [(A, C_CONTACT), (CV_EMAIL, email)])))
    return out


def dataset_block(i: int, seed: int, publishers: list[Agent],
                  hdabs: list[tuple[Agent, Agent]]) -> list[tuple[Term, Pairs]]:
    """The subjects and statements of dataset number ``i`` (1-based), in writing order."""
    rng = random.Random(f"{seed}/{i}")
    ds_iri = f"{BASE}dataset/hds-{i:06d}"
    ds = iri(ds_iri)
    topic_fr, topic_en, kw_fr, kw_en = rng.choice(TOPICS)
    kind_fr, kind_en = rng.choice(KINDS)
    region_fr, region_en = rng.choice(REGIONS)
    y1 = rng.randrange(1995, 2022)
    y2 = min(y1 + rng.randrange(1, 12), 2025)
    freq_index = rng.randrange(len(FREQUENCIES))
    acronym = f' "{kind_en[:3].upper()}-{i % 997:03d}"' if rng.random() < 0.2 else ""
    title_fr = f"{kind_fr} sur {topic_fr} \u2013 {region_fr} ({y1}-{y2}){acronym}"
    title_en = f"{kind_en} on {topic_en} \u2013 {region_en} ({y1}-{y2}){acronym}"
    picks = sorted(rng.sample(range(len(FR_SENTENCES)), rng.randrange(2, 5)))
    fmt = {"y1": str(y1), "y2": str(y2)}
    fr = [FR_SENTENCES[p].format(topic=topic_fr, freq=FREQ_WORDS[freq_index][0], **fmt)
          for p in picks]
    en = [EN_SENTENCES[p].format(topic=topic_en, freq=FREQ_WORDS[freq_index][1], **fmt)
          for p in picks]
    cut = rng.randrange(1, len(picks))  # a paragraph break somewhere
    desc_fr = " ".join(fr[:cut]) + "\n\n" + " ".join(fr[cut:])
    desc_en = " ".join(en[:cut]) + "\n\n" + " ".join(en[cut:])

    keywords_fr, keywords_en = kw_fr.split("|"), kw_en.split("|")
    for g in rng.sample(range(len(GENERIC_KW)), rng.randrange(0, 3)):
        keywords_fr.append(GENERIC_KW[g][0])
        keywords_en.append(GENERIC_KW[g][1])

    access = rng.choices([a for a, _ in ACCESS_RIGHTS], [w for _, w in ACCESS_RIGHTS])[0]
    legislation = [EHDS] + ([DGA] if rng.random() < 0.3 else [])
    categories = sorted(rng.sample(range(len(HEALTH_CATEGORIES)), rng.randrange(1, 3)))
    publisher = publishers[rng.randrange(len(publishers))]
    hdab, hdab_contact = hdabs[0] if rng.random() < 0.8 else rng.choice(hdabs)
    country = rng.choice(COUNTRIES)
    language = LANGUAGES[0] if rng.random() < 0.85 else LANGUAGES[1]
    issued = date(y2, 1, 1) + timedelta(days=rng.randrange(0, 365))
    modified = issued + timedelta(days=rng.randrange(0, 900), seconds=rng.randrange(86400))
    contact_key = f"contact-{rng.randrange(1, 500):03d}"

    pairs: Pairs = [
        (A, C_DATASET), (TITLE, lit(title_fr, "fr")), (TITLE, lit(title_en, "en")),
        (DESC, lit(desc_fr, "fr")), (DESC, lit(desc_en, "en")),
        (IDENT, lit(f"HDS-{y1}-{i:06d}")),
        *((KEYWORD, lit(k, "fr")) for k in keywords_fr),
        *((KEYWORD, lit(k, "en")) for k in keywords_en),
        (THEME, HEAL), (THEME, rng.choice(OTHER_THEMES)), (ACCESS, access),
        *((LEGIS, leg) for leg in legislation),
        *((CATEGORY, HEALTH_CATEGORIES[c]) for c in categories),
        (HDAB, hdab.iri), (PUBLISHER, publisher.iri),
        (CONTACT, BNode(f"d{i}c", [
            (A, C_KIND), (FN, lit(f"Cellule données \u2013 {publisher_name(publisher)}", "fr")),
            (EMAIL, iri(f"mailto:{contact_key}@bench.catalog-node.test"))])),
        (TEMPORAL, BNode(f"d{i}t", [
            (A, C_PERIOD), (START, typed(f"{y1}-01-01", "date")),
            (END, typed(f"{y2}-12-31", "date"))])),
        (SPATIAL, country), (LANGUAGE, language), (PERIODICITY, FREQUENCIES[freq_index]),
        (ISSUED, typed(issued.isoformat(), "date")),
        (MODIFIED, typed(modified.isoformat() + "T" + _clock(rng) + "Z", "dateTime")),
        (LANDING, iri(f"https://portal.bench.catalog-node.test/datasets/hds-{i:06d}")),
    ]
    if rng.random() < 0.5:
        pairs.append((RECORDS, typed(str(rng.randrange(100, 50_000_000)), "nonNegativeInteger")))

    concepts: dict[Term, Term] = {access: C_RIGHTS, country: C_LOCATION, language: C_LANG,
                                  FREQUENCIES[freq_index]: C_FREQ}
    for leg in legislation:
        concepts[leg] = C_LEGAL
    nodes: list[tuple[Term, Pairs]] = [(ds, pairs)]
    for d in range(1, rng.randrange(1, 4) + 1):
        dist = iri(f"{ds_iri}/distribution/{d}")
        code, file_type, media_type = rng.choice(FORMATS)
        licence = LICENSES[2] if access != ACCESS_RIGHTS[0][0] else rng.choice(LICENSES[:2])
        pairs.append((DISTRIBUTION, dist))
        nodes.append((dist, [
            (A, C_DIST), (TITLE, lit(f"Extraction {d} ({code})", "fr")),
            (ACCESS_URL, iri(f"https://access.bench.catalog-node.test/hds-{i:06d}/{d}")),
            (FORMAT, file_type), (MEDIA, media_type),
            (SIZE, typed(str(rng.randrange(10_000, 90_000_000_000)), "nonNegativeInteger")),
            (LICENSE, licence), (LEGIS, EHDS)]))
        concepts.setdefault(file_type, C_EXTENT)
        concepts.setdefault(media_type, C_MEDIA)
        concepts.setdefault(licence, C_LICENSE)

    if i % 10 == 0:
        group, table = iri(f"{ds_iri}/variables"), iri(f"{ds_iri}/variables/table")
        columns = sorted(rng.sample(range(len(COLUMNS)), 5))
        pairs += [(STRUCTURED, typed("true", "boolean")), (VARIABLES, group)]
        nodes.append((group, [(A, C_GROUP), (TITLE, lit(f"Dictionnaire des variables {i}", "fr")),
                              (TABLE, table)]))
        nodes.append((table, [(A, C_TABLE), (TITLE, lit("Table principale", "fr")),
                              *((COLUMN, iri(f"{ds_iri}/variables/column/{COLUMNS[c][0]}"))
                                for c in columns)]))
        for c in columns:
            col_name, col_title, col_type = COLUMNS[c]
            nodes.append((iri(f"{ds_iri}/variables/column/{col_name}"), [
                (A, C_COLUMN), (CSVW_NAME, lit(col_name)), (CSVW_TITLE, lit(col_title, "fr")),
                (CSVW_TYPE, lit(col_type))]))

    nodes += [(publisher.iri, publisher.pairs), (hdab.iri, hdab.pairs),
              (hdab_contact.iri, hdab_contact.pairs)]
    nodes += [(concept, [(A, cls)]) for concept, cls in concepts.items()]
    return nodes


def publisher_name(agent: Agent) -> str:
    return agent.pairs[1][1].ttl[1:-4]


def _clock(rng: random.Random) -> str:
    seconds = rng.randrange(86400)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _ttl_object(obj: Term | BNode) -> str:
    if isinstance(obj, Term):
        return obj.ttl
    return "[ " + " ; ".join(f"{p.ttl} {_ttl_object(o)}" for p, o in obj.pairs) + " ]"


def turtle_node(subject: Term, pairs: Pairs) -> str:
    """One subject with its statements; repeated predicates are joined with commas."""
    parts = [subject.ttl]
    previous = None
    for pred, obj in pairs:
        if pred == previous:
            parts.append(", " + _ttl_object(obj))
        else:
            parts.append((" " if previous is None else " ;\n    ") + pred.ttl + " "
                         + _ttl_object(obj))
            previous = pred
    parts.append(" .\n")
    return "".join(parts)


def ntriples_node(subject: Term, pairs: Pairs, out: list[str]) -> int:
    """Append the N-Triples lines of one subject to ``out``; return how many."""
    count = 0
    for pred, obj in pairs:
        if isinstance(obj, BNode):
            label = "_:" + obj.label
            out.append(f"{subject.nt} {pred.nt} {label} .\n")
            count += 1 + ntriples_node(Term(label, label), obj.pairs, out)
        else:
            out.append(f"{subject.nt} {pred.nt} {obj.nt} .\n")
            count += 1
    return count


def count_triples(pairs: Pairs) -> int:
    return sum(1 + count_triples(o.pairs) if isinstance(o, BNode) else 1 for _, o in pairs)


def catalog_head(n: int) -> tuple[Term, Pairs]:
    """The catalogue's own statements, without its ``dcat:dataset`` links."""
    return iri(CATALOG_IRI), [
        (A, q("dcat:Catalog")),
        (TITLE, lit("Catalogue de référence pour les bancs d'essai", "fr")),
        (TITLE, lit("Benchmark reference catalogue", "en")),
        (DESC, lit(f"Catalogue synthétique de {n} jeux de données (HealthDCAT-AP R8).", "fr")),
        (DESC, lit(f"Synthetic catalogue of {n} datasets (HealthDCAT-AP R8).", "en")),
        (PUBLISHER, iri(f"{BASE}agent/publisher-000")),
        (LANGUAGE, LANGUAGES[0]), (LANGUAGE, LANGUAGES[1])]


@dataclass(frozen=True)
class Stats:
    """What one generation wrote."""

    datasets: int
    triples: int
    catalog_triples: int
    dataset_triples: int
    bytes: int
    seconds: float

    @property
    def mean_triples_per_dataset(self) -> float:
        return self.dataset_triples / self.datasets if self.datasets else 0.0


def _chunks(n: int, seed: int, fmt: Format) -> Iterator[tuple[str, int, int]]:
    """(text, catalogue triples, dataset triples) pieces of the document, in order."""
    publishers, hdabs = make_publishers(seed), make_hdabs()
    cat, cat_pairs = catalog_head(n)
    if fmt == "turtle":
        yield "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n", 0, 0
        head = turtle_node(cat, cat_pairs)[:-3]
        yield head + (" ;\n    dcat:dataset" if n else ""), len(cat_pairs), 0
        for start in range(1, n + 1, 1000):
            stop = min(start + 1000, n + 1)
            links = ",".join(f"\n        <{BASE}dataset/hds-{i:06d}>" for i in range(start, stop))
            yield ("," if start > 1 else "") + links, stop - start, 0
        yield " .\n\n", 0, 0
    else:
        lines: list[str] = []
        count = ntriples_node(cat, cat_pairs, lines)
        yield "".join(lines), count, 0
        for start in range(1, n + 1, 1000):
            stop = min(start + 1000, n + 1)
            yield "".join(f"{cat.nt} {DATASET.nt} <{BASE}dataset/hds-{i:06d}> .\n"
                          for i in range(start, stop)), stop - start, 0
    for i in range(1, n + 1):
        nodes = dataset_block(i, seed, publishers, hdabs)
        if fmt == "turtle":
            text = "".join(turtle_node(s, p) for s, p in nodes) + "\n"
            yield text, 0, sum(count_triples(p) for _, p in nodes)
        else:
            lines = []
            for subject, pairs in nodes:
                ntriples_node(subject, pairs, lines)
            yield "".join(lines), 0, len(lines)


def generate(n: int, seed: int = 1, out: str | Path = "catalog.ttl",
             fmt: Format = "turtle") -> Stats:
    """Write a catalogue of ``n`` datasets to ``out``; the same arguments give the same bytes."""
    if n < 0:
        raise ValueError("the number of datasets cannot be negative")
    if fmt not in ("turtle", "ntriples"):
        raise ValueError(f"unknown format {fmt!r}: use turtle or ntriples")
    target = Path(out)
    part = target.with_name(target.name + ".part")
    started = time.perf_counter()
    cat_triples = ds_triples = size = 0
    with part.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as stream:
        for text, cat_count, ds_count in _chunks(n, seed, fmt):
            size += _write(stream, text)
            cat_triples += cat_count
            ds_triples += ds_count
    part.replace(target)
    return Stats(n, cat_triples + ds_triples, cat_triples, ds_triples, size,
                 time.perf_counter() - started)


def _write(stream: IO[str], text: str) -> int:
    stream.write(text)
    return len(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, required=True, help="number of datasets")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--format", choices=("turtle", "ntriples"), default="turtle")
    parser.add_argument("-o", "--output", required=True, help="file to write")
    args = parser.parse_args(argv)
    stats = generate(args.datasets, args.seed, args.output, args.format)
    print(f"{args.output}: {stats.datasets} datasets, {stats.triples} triples "
          f"({stats.mean_triples_per_dataset:.1f} per dataset + {stats.catalog_triples} "
          f"catalogue), {stats.bytes / 1e6:.1f} MB in {stats.seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
