"""Older HealthDCAT-AP drafts and their IRIs → Release 8.

Sources of the older forms:

- the French Health Data Hub's SHACL (an older draft, kept in the HDH exporter) and its
  vocabulary dictionaries: the paths ``dqv:hasLegalBasis`` (not a DQV term; R8:
  ``dpv:hasLegalBasis``) and ``csvw:titles`` on columns (R8: ``csvw:title``), code lists
  served from a draft server (``http://13.81.34.152:1101/resource/authority/…``, the same
  codes as R8's ``https://hdeu-dcat.data.health.europa.eu/resource/authority/…``) and
  publisher types under ``http://healthdataportal.eu/resource/authority/publisher-type/``;
- catalogues written for Release 5 (the mvd-health-demo corpus): health categories, health
  activities and publisher types under ``http://healthdata.ec.europa.eu/authority/…``.

Health categories follow the EHDS Article 51(1) list; each older code is mapped to the R8
code of the same category. A publisher type is mapped only where one R8 type means the
same; ``Registry``/``registry`` (R8 distinguishes public-health, quality and pathology
registries), ``Government``/``govHealth`` and ``healthOrganisation`` (international) have
no single counterpart and are left as they are.

Not mapped, because they are moves rather than renames: ``healthdcatap:publisherType``
and ``healthdcatap:publisherNote`` on a dataset (R8 states them as ``dct:type`` and
``dct:description`` of the dataset's publisher, another subject).
"""

from __future__ import annotations

DPV = "https://w3id.org/dpv#"
DQV = "http://www.w3.org/ns/dqv#"
CSVW = "http://www.w3.org/ns/csvw#"
R8_AUTHORITY = "https://hdeu-dcat.data.health.europa.eu/resource/authority/"
RELEASE5 = "http://healthdata.ec.europa.eu/authority/"
HDH_DRAFT = "http://13.81.34.152:1101/resource/authority/"
HDH_PUBLISHER_TYPE = "http://healthdataportal.eu/resource/authority/publisher-type/"

#: old predicate → (R8 predicate, rule)
PREDICATES: dict[str, tuple[str, str]] = {
    DQV + "hasLegalBasis": (DPV + "hasLegalBasis", "healthdcat-ap-r8/hasLegalBasis"),
    CSVW + "titles": (CSVW + "title", "healthdcat-ap-r8/csvw-title"),
}

#: (old start, R8 start, rule): the same codes under another address
PREFIXES: tuple[tuple[str, str, str], ...] = (
    (HDH_DRAFT, R8_AUTHORITY, "healthdcat-ap-r8/hdh-draft-authority"),
    (RELEASE5 + "health-activity/", R8_AUTHORITY + "health-activity/",
     "healthdcat-ap-r8/health-activity"),
)

_CATEGORIES = {  # Release 5 code → R8 code (EHDS Art. 51(1) point)
    "EHR": "EHRS",  # (a) electronic health records
    "HEALTH_DETERMINANTS": "DIOH",  # (b) factors impacting on health
    "HEALTHCARE_RESOURCES": "NRPE",  # (c) aggregated data on healthcare needs, resources
    "PATHOGEN": "RPDG",  # (d) pathogens
    "ADMIN_CLAIMS": "HRAD",  # (e) healthcare-related administrative data
    "GENOMIC": "HGPD",  # (f) genetic, epigenomic and genomic data
    "MOLECULAR": "HPML",  # (g) other human molecular data
    "MEDICAL_DEVICE": "PGEH",  # (h) automatically generated through medical devices
    "WELLNESS": "WELA",  # (i) wellness applications
    "HEALTH_PROF": "IDHP",  # (j) health professionals
    "PUBLIC_HEALTH_REG": "PHDR",  # (k) population-based health data registries
    "MEDICAL_REG": "MRMR",  # (l) medical and mortality registries
    "CLINICAL_TRIAL": "EHCT",  # (m) clinical trials, studies, investigations
    "MEDICAL_DEVICE_REG": "RMMD",  # (o) registries for medicinal products, medical devices
    "MEDICINAL_REG": "RMMD",  # (o)
    "RESEARCH_COHORT": "RQSH",  # (p) research cohorts, questionnaires, surveys
    "BIOBANK": "EINS",  # (q) biobanks
}

_PUBLISHER_TYPES = {  # older address → R8 publisher-type code
    RELEASE5 + "publisher-type/Hospital": "healthcare-providers",
    RELEASE5 + "publisher-type/Academic": "research-academic-org",
    RELEASE5 + "publisher-type/NationalPublicHealthInstitut": "public-health-institute",
    RELEASE5 + "publisher-type/Pharma": "pharma-company",
    RELEASE5 + "publisher-type/Biobank": "biobank",
    HDH_PUBLISHER_TYPE + "statitics": "stat-agency",
    HDH_PUBLISHER_TYPE + "nationalPublicHealthInstitute": "public-health-institute",
    HDH_PUBLISHER_TYPE + "biobank": "biobank",
    HDH_PUBLISHER_TYPE + "researchInstitution": "research-institute-org",
    HDH_PUBLISHER_TYPE + "healthcareSystem": "healthcare-providers",
    HDH_PUBLISHER_TYPE + "ngo": "non-gov-org",
    HDH_PUBLISHER_TYPE + "pharmaBiotech": "pharma-company",
    HDH_PUBLISHER_TYPE + "healthInsurance": "health-insurance-company-org",
}

#: old IRI → (R8 IRI, rule), in any position but the predicate's
VALUES: dict[str, tuple[str, str]] = {
    **{RELEASE5 + "health-category/" + old: (R8_AUTHORITY + "healthcategories/" + new,
                                             "healthdcat-ap-r8/health-category")
       for old, new in _CATEGORIES.items()},
    **{old: (R8_AUTHORITY + "publisher-type/" + new, "healthdcat-ap-r8/publisher-type")
       for old, new in _PUBLISHER_TYPES.items()},
}


def rewrite_value(iri: str) -> tuple[str, str] | None:
    """The R8 form of an older HealthDCAT-AP IRI, with the rule, or None."""
    if (hit := VALUES.get(iri)) is not None:
        return hit
    for old, new, rule in PREFIXES:
        if iri.startswith(old):
            return new + iri[len(old):], rule
    return None


def trigger_keys() -> list[tuple[str, str]]:
    """(literal, tail) pairs every IRI this module changes starts with."""
    keys = [("<" + old + ">", "") for old in VALUES]
    keys += [("<" + old, "") for old, _, _ in PREFIXES]
    keys += [("<" + old + "> ", "") for old in PREDICATES]
    return keys
