"""The concepts and vocabularies of the synthetic OMOP CDM warehouse.

Ids below 2,000,000,000 are the standard OMOP concept ids (Gender, Race, Ethnicity, Visit,
Type Concept, UCUM units); ids from 2,000,000,000 up are invented, with the vocabularies' own
codes as far as the author knows (unchecked; nothing depends on them).
"""

INVENTED = 2_000_000_000
EHR, CLAIM = 32817, 32810

#: (id, name, domain, vocabulary, class, standard, code); ids ≥ 2e9 are invented
_REAL = [
    (8507, "MALE", "Gender", "Gender", "Gender", "S", "M"),
    (8532, "FEMALE", "Gender", "Gender", "Gender", "S", "F"),
    (8521, "OTHER", "Gender", "Gender", "Gender", "S", "O"),
    (8551, "UNKNOWN", "Gender", "Gender", "Gender", "S", "U"),
    (8527, "White", "Race", "Race", "Race", "S", "5"),
    (8516, "Black or African American", "Race", "Race", "Race", "S", "3"),
    (8515, "Asian", "Race", "Race", "Race", "S", "2"),
    (38003563, "Hispanic or Latino", "Ethnicity", "Ethnicity", "Ethnicity", "S", "Hispanic"),
    (38003564, "Not Hispanic or Latino", "Ethnicity", "Ethnicity", "Ethnicity", "S",
     "Not Hispanic"),
    (9201, "Inpatient Visit", "Visit", "Visit", "Visit", "S", "IP"),
    (9202, "Outpatient Visit", "Visit", "Visit", "Visit", "S", "OP"),
    (9203, "Emergency Room Visit", "Visit", "Visit", "Visit", "S", "ER"),
    (EHR, "EHR", "Type Concept", "Type Concept", "Type Concept", "S", "EHR"),
    (CLAIM, "Claim", "Type Concept", "Type Concept", "Type Concept", "S", "Claim"),
    (8554, "percent", "Unit", "UCUM", "Unit", "S", "%"),
    (8876, "millimeter mercury column", "Unit", "UCUM", "Unit", "S", "mm[Hg]"),
    (8541, "per minute", "Unit", "UCUM", "Unit", "S", "/min"),
    (8840, "milligram per deciliter", "Unit", "UCUM", "Unit", "S", "mg/dL"),
    (8582, "centimeter", "Unit", "UCUM", "Unit", "S", "cm"),
    (9529, "kilogram", "Unit", "UCUM", "Unit", "S", "kg"),
]
#: (vocabulary, domain, class, standard, [(code, name)]): invented ids, in this order
_INVENTED = [
    ("SNOMED", "Condition", "Clinical Finding", "S", [
        ("44054006", "Type 2 diabetes mellitus"), ("59621000", "Essential hypertension"),
        ("195967001", "Asthma"), ("13645005", "Chronic obstructive lung disease"),
        ("22298006", "Myocardial infarction"), ("35489007", "Depressive disorder"),
        ("396275006", "Osteoarthritis"), ("233604007", "Pneumonia"),
        ("93880001", "Primary malignant neoplasm of lung"),
        ("230690007", "Cerebrovascular accident")]),
    ("ICD10CM", "Condition", "5-char billing code", None, [
        ("E11.9", "Type 2 diabetes mellitus without complications"),
        ("I10", "Essential (primary) hypertension"),
        ("J45.909", "Unspecified asthma, uncomplicated"),
        ("J44.9", "Chronic obstructive pulmonary disease, unspecified"),
        ("I21.9", "Acute myocardial infarction, unspecified"),
        ("F32.9", "Major depressive disorder, single episode, unspecified"),
        ("M17.9", "Osteoarthritis of knee, unspecified"),
        ("J18.9", "Pneumonia, unspecified organism")]),
    ("ICD10", "Condition", "ICD10 code", None, [
        ("I21", "Acute myocardial infarction"),
        ("J44", "Other chronic obstructive pulmonary disease"),
        ("C34", "Malignant neoplasm of bronchus and lung"),
        ("I64", "Stroke, not specified as haemorrhage or infarction")]),
    ("SNOMED", "Procedure", "Procedure", "S", [
        ("80146002", "Appendectomy"), ("73761001", "Colonoscopy"),
        ("29303009", "Electrocardiographic procedure"), ("86198006", "Influenza vaccination")]),
    ("CPT4", "Procedure", "CPT4", "S", [
        ("99213", "Office or other outpatient visit, established patient"),
        ("93000", "Electrocardiogram, routine, with at least 12 leads"),
        ("71046", "Radiologic examination, chest; 2 views"),
        ("80053", "Comprehensive metabolic panel")]),
    ("HCPCS", "Procedure", "HCPCS", "S", [
        ("G0008", "Administration of influenza virus vaccine")]),
    ("LOINC", "Measurement", "Lab Test", "S", [
        ("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"),
        ("8480-6", "Systolic blood pressure"), ("8462-4", "Diastolic blood pressure"),
        ("8867-4", "Heart rate"), ("2345-7", "Glucose [Mass/volume] in Serum or Plasma"),
        ("8302-2", "Body height"), ("29463-7", "Body weight")]),
    ("SNOMED", "Observation", "Clinical Finding", "S", [
        ("77176002", "Smoker"), ("266919005", "Never smoked tobacco"),
        ("160573003", "Alcohol intake")]),
    ("RxNorm", "Drug", "Clinical Drug", "S", [
        ("861007", "metformin hydrochloride 500 MG Oral Tablet"),
        ("197361", "amlodipine 5 MG Oral Tablet"), ("314076", "lisinopril 10 MG Oral Tablet"),
        ("198211", "simvastatin 40 MG Oral Tablet"),
        ("313782", "acetaminophen 325 MG Oral Tablet"),
        ("745679", "albuterol 0.09 MG/ACTUAT Metered Dose Inhaler")]),
    ("ATC", "Drug", "ATC 5th", "C", [
        ("A10BA02", "metformin"), ("C08CA01", "amlodipine"), ("C09AA03", "lisinopril"),
        ("C10AA01", "simvastatin"), ("N02BE01", "paracetamol"), ("R03AC02", "salbutamol")]),
    ("SNOMED", "Device", "Physical Object", "S", [
        ("14106009", "Cardiac pacemaker"), ("69805005", "Insulin pump")]),
]
#: vocabulary_id → vocabulary_name
VOCABULARIES = {
    "SNOMED": "SNOMED CT (clinical terms)", "ICD10": "ICD-10 (WHO)",
    "ICD10CM": "ICD-10 Clinical Modification", "LOINC": "LOINC (laboratory and observations)",
    "RxNorm": "RxNorm (clinical drugs)", "ATC": "Anatomical Therapeutic Chemical classification",
    "CPT4": "Current Procedural Terminology, 4th edition",
    "HCPCS": "Healthcare Common Procedure Coding System", "Gender": "OMOP Gender",
    "Race": "Race and ethnicity code set", "Ethnicity": "OMOP Ethnicity",
    "Visit": "OMOP Visit", "Type Concept": "OMOP Type Concept",
    "UCUM": "Unified Code for Units of Measure"}

def concepts() -> list[tuple]:
    """The concept table's rows: (id, name, domain, vocabulary, class, standard, code)."""
    rows = list(_REAL)
    next_id = INVENTED + 1
    for vocabulary, domain, cls, standard, items in _INVENTED:
        for code, name in items:
            rows.append((next_id, name, domain, vocabulary, cls, standard, code))
            next_id += 1
    return rows
