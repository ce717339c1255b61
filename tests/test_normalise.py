"""catalog_node.normalise: each rule on a minimal statement, the change log, the index hook."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from catalog_node.normalise import Change, Normaliser
from catalog_node.rdf.split import SubjectIndex, split_records

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
HEALTH = "http://healthdataportal.eu/ns/health#"
R8 = "https://hdeu-dcat.data.health.europa.eu/resource/authority/"
DS = "<https://data.example.org/dataset/1>"


def nt(turtle: str) -> str:
    """Turtle → N-Triples text as the index sees it (pyoxigraph's output, no final newline)."""
    quads = ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)
    return ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES).decode().rstrip("\n")


def rewrite(text: str) -> tuple[str, Normaliser]:
    normaliser = Normaliser()
    out = normaliser.rewrite_text(text)
    list(ox.parse(out.encode(), format=ox.RdfFormat.N_TRIPLES))  # still valid N-Triples
    again = Normaliser()
    assert again.rewrite_text(out) == out and again.counts() == {}, "not idempotent"
    return out, normaliser


def one(predicate: str, obj: str) -> str:
    return f"{DS} {predicate} {obj} ."


def test_text_without_a_match_is_returned_as_it_is() -> None:
    text = nt(f"""@prefix dcat: <{DCAT}> . @prefix dct: <{DCT}> .
        {DS} a dcat:Dataset ; dct:title "Registre des cancers"@fr ;
          dct:issued "2021-05-31"^^<{XSD}date> ; dcat:distribution [ dcat:byteSize
          "1024"^^<{XSD}nonNegativeInteger> ; dcat:mediaType
          <http://www.iana.org/assignments/media-types/text/csv> ] .""")
    normaliser = Normaliser()
    assert normaliser.rewrite_text(text) is text
    assert normaliser.counts() == {}


@pytest.mark.parametrize(("old", "new", "rule"), [
    (f"<{DCT}hasVersion>", f"<{DCAT}hasVersion>", "dcat-ap-3/hasVersion"),
    (f"<{DCT}isVersionOf>", f"<{DCAT}isVersionOf>", "dcat-ap-3/isVersionOf"),
    ("<http://www.w3.org/2002/07/owl#versionInfo>", f"<{DCAT}version>", "dcat-ap-3/version"),
    ("<http://schema.org/startDate>", f"<{DCAT}startDate>", "dcat-ap-3/startDate"),
    ("<http://schema.org/endDate>", f"<{DCAT}endDate>", "dcat-ap-3/endDate"),
    ("<http://www.w3.org/ns/dqv#hasLegalBasis>", "<https://w3id.org/dpv#hasLegalBasis>",
     "healthdcat-ap-r8/hasLegalBasis"),
    ("<http://www.w3.org/ns/csvw#titles>", "<http://www.w3.org/ns/csvw#title>",
     "healthdcat-ap-r8/csvw-title"),
])
def test_renamed_properties(old: str, new: str, rule: str) -> None:
    out, normaliser = rewrite(one(old, "<https://data.example.org/x>"))
    assert out == one(new, "<https://data.example.org/x>")
    assert normaliser.changes_for([DS]) == [Change(rule, DS, old, new)]


def test_https_schema_org_is_first_made_http_then_renamed() -> None:
    out, normaliser = rewrite(one("<https://schema.org/startDate>", '"2019-01-01"'))
    assert out == one(f"<{DCAT}startDate>", f'"2019-01-01"^^<{XSD}date>')
    assert [c.rule for c in normaliser.changes_for([DS])] == [
        "namespace/schema", "dcat-ap-3/startDate", "literal/date-datatype"]


def test_a_rename_that_duplicates_a_statement_drops_it() -> None:
    text = "\n".join([one(f"<{DCAT}hasVersion>", "<https://data.example.org/v2>"),
                      one(f"<{DCT}hasVersion>", "<https://data.example.org/v2>"),
                      one(f"<{DCT}title>", '"t"')])
    out, normaliser = rewrite(text)
    assert out.split("\n") == [one(f"<{DCAT}hasVersion>", "<https://data.example.org/v2>"),
                               one(f"<{DCT}title>", '"t"')]
    dropped = [c for c in normaliser.changes_for([DS]) if c.after == ""]
    assert dropped == [Change("dcat-ap-3/hasVersion", DS,
                              f"{DS} <{DCT}hasVersion> <https://data.example.org/v2>", "")]


@pytest.mark.parametrize("at", [0, 1, 2])
def test_a_dropped_duplicate_leaves_well_formed_text_wherever_it_is(at: int) -> None:
    kept = one(f"<{DCAT}hasVersion>", "<https://data.example.org/v2>")
    others = [one(f"<{DCT}title>", '"a"'), one(f"<{DCT}title>", '"b"')]
    lines = [*others[:1], kept, *others[1:]]
    lines.insert(at if at < 2 else 3, one(f"<{DCT}hasVersion>", "<https://data.example.org/v2>"))
    out, _ = rewrite("\n".join(lines))
    assert sorted(out.split("\n")) == sorted([*others, kept])


@pytest.mark.parametrize(("variant", "canonical", "rule"), [
    ("https://www.w3.org/ns/dcat#Dataset", f"{DCAT}Dataset", "namespace/dcat"),
    ("http://www.w3.org/ns/dcat/Dataset", f"{DCAT}Dataset", "namespace/dcat"),
    ("http://www.w3.org/ns/dcatDataset", f"{DCAT}Dataset", "namespace/dcat"),
    ("http://purl.org/dc/terms#publisher", f"{DCT}publisher", "namespace/dct"),
    ("http://purl.org/dc/termspublisher", f"{DCT}publisher", "namespace/dct"),
    ("https://xmlns.com/foaf/0.1/Agent", "http://xmlns.com/foaf/0.1/Agent", "namespace/foaf"),
    ("http://www.w3.org/2006/vcard/ns/Kind", "http://www.w3.org/2006/vcard/ns#Kind",
     "namespace/vcard"),
    ("https://www.w3.org/2004/02/skos/core#Concept",
     "http://www.w3.org/2004/02/skos/core#Concept", "namespace/skos"),
    ("http://data.europa.eu/r5r#availability", "http://data.europa.eu/r5r/availability",
     "namespace/dcatap"),
    ("https://www.w3.org/ns/adms#Identifier", "http://www.w3.org/ns/adms#Identifier",
     "namespace/adms"),
    ("https://healthdataportal.eu/ns/health#hdab", f"{HEALTH}hdab", "namespace/healthdcatap"),
    ("https://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
     "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
     "namespace/eu-authority"),
    ("https://www.iana.org/assignments/media-types/text/csv",
     "http://www.iana.org/assignments/media-types/text/csv", "namespace/iana-media-types"),
    ("https://iana.org/assignments/media-types/text/csv",
     "http://www.iana.org/assignments/media-types/text/csv", "namespace/iana-media-types"),
    ("https://data.europa.eu/eli/reg/2025/327/oj", "http://data.europa.eu/eli/reg/2025/327/oj",
     "namespace/eli"),
    ("http://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/EHRS",
     f"{R8}healthcategories/EHRS", "namespace/hdeu-authority"),
    ("http://w3id.org/dpv/dpv-pd#Age", "https://w3id.org/dpv/dpv-pd#Age", "namespace/dpv"),
    ("https://spdx.org/rdf/terms#Checksum", "http://spdx.org/rdf/terms#Checksum",
     "namespace/spdx"),
    ("http://www.w3.org/2006/time/hasBeginning", "http://www.w3.org/2006/time#hasBeginning",
     "namespace/time"),
    ("http://spdx.org/rdf/terms#checksumAlgorithm_sha256",
     "https://spdx.org/rdf/terms#checksumAlgorithm_sha256",
     "namespace/spdx-checksum-algorithm"),
])
def test_namespace_variants(variant: str, canonical: str, rule: str) -> None:
    out, normaliser = rewrite(one(f"<{DCT}relation>", f"<{variant}>"))
    assert out == one(f"<{DCT}relation>", f"<{canonical}>")
    assert normaliser.changes_for([DS]) == [Change(rule, DS, f"<{variant}>", f"<{canonical}>")]


def test_a_variant_subject_is_rewritten_and_the_change_filed_under_the_new_one() -> None:
    out, normaliser = rewrite(
        f"<https://www.iana.org/assignments/media-types/text/csv> <{DCT}title> \"CSV\" .")
    subject = "<http://www.iana.org/assignments/media-types/text/csv>"
    assert out == f'{subject} <{DCT}title> "CSV" .'
    assert [c.rule for c in normaliser.changes_for([subject])] == ["namespace/iana-media-types"]


@pytest.mark.parametrize("text", [
    one(f"<{DCT}conformsTo>", "<http://www.w3.org/ns/csvw>"),  # a namespace, not a term
    one(f"<{DCT}conformsTo>", "<https://www.w3.org/TR/vocab-dcat-3/>"),
    one(f"<{DCT}relation>", "<http://www.w3.org/2006/timezone>"),
    one(f"<{DCT}relation>", "<http://www.w3.org/ns/prov-o>"),
    one(f"<{DCT}relation>", "<https://w3id.org/dpv/pd#Age>"),
    one(f"<{DCT}relation>", "<https://spdx.org/rdf/terms#checksumAlgorithm_sha256>"),
    one("<http://www.w3.org/2002/07/owl#imports>",
        "<https://spdx.org/rdf/terms/spdx-ontology.owl.xml>"),  # a document, not a term
    # DCAT-AP's own shapes live in r5r#: only its three terms are fixed there
    "<http://data.europa.eu/r5r#Dataset_Shape> <http://www.w3.org/ns/shacl#path> "
    "<http://data.europa.eu/r5r/availability> .",
    # GeoDCAT-AP's GeoJSON literal: the https IANA IRI is the specified datatype
    one("<http://www.w3.org/ns/locn#geometry>", '"{}"^^<https://www.iana.org/assignments/'
        'media-types/application/vnd.geo+json>'),
    one(f"<{HEALTH}publisherType>",
        "<http://healthdata.ec.europa.eu/authority/publisher-type/Registry>"),
])
def test_look_alikes_are_left_alone(text: str) -> None:
    out, normaliser = rewrite(text)
    assert out == text and normaliser.counts() == {}


@pytest.mark.parametrize(("predicate", "before", "after"), [
    (f"{DCT}issued", '"2020"', f'"2020"^^<{XSD}gYear>'),
    (f"{DCT}modified", '"2020-05"', f'"2020-05"^^<{XSD}gYearMonth>'),
    (f"{DCT}created", '"2020-02-29"', f'"2020-02-29"^^<{XSD}date>'),
    (f"{DCAT}startDate", '"2020-05-31T12:00:00Z"', f'"2020-05-31T12:00:00Z"^^<{XSD}dateTime>'),
    (f"{DCAT}endDate", '"2020-05-31T12:00:00.25+02:00"',
     f'"2020-05-31T12:00:00.25+02:00"^^<{XSD}dateTime>'),
    (f"{DCT}issued", f'"2020-05-31"^^<{XSD}dateTime>', f'"2020-05-31"^^<{XSD}date>'),
    (f"{DCT}issued", f'"2022-03-22T08:51:36"^^<{XSD}date>',
     f'"2022-03-22T08:51:36"^^<{XSD}dateTime>'),
    (f"{DCT}modified", f'" 2021-01-01 "^^<{XSD}date>', f'"2021-01-01"^^<{XSD}date>'),
    (f"{DCT}modified", f'"2021-01-01"^^<{XSD}string>', f'"2021-01-01"^^<{XSD}date>'),
])
def test_date_values_get_the_datatype_of_their_form(predicate: str, before: str,
                                                   after: str) -> None:
    out, normaliser = rewrite(one(f"<{predicate}>", before))
    assert out == one(f"<{predicate}>", after)
    assert normaliser.changes_for([DS])[-1] == Change(
        "literal/date-datatype", DS, before.replace(f"^^<{XSD}string>", ""), after)


@pytest.mark.parametrize("text", [
    one(f"<{DCT}issued>", '"31/05/2020"'),
    one(f"<{DCT}issued>", '"2020-02-30"'),  # no such day
    one(f"<{DCT}issued>", '"2019-02-29"'),
    one(f"<{DCT}issued>", '"letzten Mittwoch"'),
    one(f"<{DCT}issued>", '"2020-05-31 12:00:00"'),
    one(f"<{DCT}issued>", '"2020-05-31"@en'),
    one(f"<{DCT}issued>", f'"2020"^^<{XSD}integer>'),
    one(f"<{DCT}title>", '"2020"'),  # not a date property
    one(f"<{DCAT}byteSize>", f'"12.5"^^<{XSD}decimal>'),
    one(f"<{DCAT}byteSize>", '"1 MB"'),
])
def test_values_that_are_not_clearly_dates_or_sizes_are_left(text: str) -> None:
    out, normaliser = rewrite(text)
    assert out == text and normaliser.counts() == {}


@pytest.mark.parametrize("before", ['"52345678"', f'"52345678"^^<{XSD}integer>',
                                    f'"52345678"^^<{XSD}decimal>', '" 52345678 "'])
def test_byte_size_digits_become_non_negative_integers(before: str) -> None:
    out, normaliser = rewrite(one(f"<{DCAT}byteSize>", before))
    assert out == one(f"<{DCAT}byteSize>", f'"52345678"^^<{XSD}nonNegativeInteger>')
    assert [c.rule for c in normaliser.changes_for([DS])] == ["literal/byteSize"]


@pytest.mark.parametrize(("datatype", "rule"), [
    ("xsd:boolean", "xsd/datatype"),
    (f"{XSD}Boolean", "xsd/datatype"),
    ("https://www.w3.org/2001/XMLSchema#boolean", "namespace/xsd"),
    ("http://www.w3c.org/2001/XMLSchema#boolean", "namespace/xsd"),
    ("http://www.w3.org/2001/XMLSchema/boolean", "namespace/xsd"),
])
def test_misspelt_xsd_datatypes(datatype: str, rule: str) -> None:
    out, normaliser = rewrite(one(f"<{HEALTH}trustedDataHolder>", f'"true"^^<{datatype}>'))
    assert out == one(f"<{HEALTH}trustedDataHolder>", f'"true"^^<{XSD}boolean>')
    assert normaliser.changes_for([DS]) == [Change(rule, DS, f"<{datatype}>", f"<{XSD}boolean>")]


@pytest.mark.parametrize(("old", "new", "rule"), [
    ("http://healthdata.ec.europa.eu/authority/health-category/EHR",
     f"{R8}healthcategories/EHRS", "healthdcat-ap-r8/health-category"),
    ("http://healthdata.ec.europa.eu/authority/health-category/PUBLIC_HEALTH_REG",
     f"{R8}healthcategories/PHDR", "healthdcat-ap-r8/health-category"),
    ("http://healthdata.ec.europa.eu/authority/health-activity/CLINICAL_TRIAL",
     f"{R8}health-activity/CLINICAL_TRIAL", "healthdcat-ap-r8/health-activity"),
    ("http://healthdata.ec.europa.eu/authority/publisher-type/Hospital",
     f"{R8}publisher-type/healthcare-providers", "healthdcat-ap-r8/publisher-type"),
    ("http://healthdataportal.eu/resource/authority/publisher-type/statitics",
     f"{R8}publisher-type/stat-agency", "healthdcat-ap-r8/publisher-type"),
    ("http://13.81.34.152:1101/resource/authority/health-theme/MENTAL_HEALTH",
     f"{R8}health-theme/MENTAL_HEALTH", "healthdcat-ap-r8/hdh-draft-authority"),
])
def test_older_healthdcat_iris(old: str, new: str, rule: str) -> None:
    out, normaliser = rewrite(one(f"<{HEALTH}healthCategory>", f"<{old}>"))
    assert out == one(f"<{HEALTH}healthCategory>", f"<{new}>")
    assert normaliser.changes_for([DS]) == [Change(rule, DS, f"<{old}>", f"<{new}>")]


def test_changes_are_capped_per_subject_but_all_counted() -> None:
    lines = [one(f"<{DCT}relation>", f"<https://www.w3.org/ns/dcat#term{i}>") for i in range(60)]
    normaliser = Normaliser()
    out = normaliser.rewrite_text("\n".join(lines))
    assert out.count("<http://www.w3.org/ns/dcat#term") == 60
    assert len(normaliser.changes_for([DS])) == 50
    assert normaliser.omitted_for([DS]) == 10
    assert normaliser.counts() == {"namespace/dcat": 60}
    assert normaliser.changes_for(["<https://data.example.org/other>"]) == []


def test_change_as_a_dict_and_version() -> None:
    change = Change("namespace/dcat", "_:b0", "<https://www.w3.org/ns/dcat#Dataset>",
                    f"<{DCAT}Dataset>")
    assert change.to_dict() == {"rule": "namespace/dcat", "subject": "_:b0",
                                "before": "<https://www.w3.org/ns/dcat#Dataset>",
                                "after": f"<{DCAT}Dataset>"}
    assert isinstance(Normaliser.VERSION, str) and Normaliser.VERSION == Normaliser().VERSION


def test_blank_node_subjects_and_a_final_line_without_newline() -> None:
    text = nt(f"""@prefix dcat: <{DCAT}> . @prefix dct: <{DCT}> .
        {DS} dct:temporal [ <http://schema.org/startDate> "2019-01-01" ] .""")
    out, normaliser = rewrite(text)
    node = next(line for line in out.split("\n") if "#startDate" in line).split(" ")[0]
    assert node.startswith("_:")
    assert [c.rule for c in normaliser.changes_for([node])] == [
        "dcat-ap-3/startDate", "literal/date-datatype"]
    assert not out.endswith("\n")


def test_subject_index_indexes_the_normalised_statements() -> None:
    turtle = f"""@prefix dct: <{DCT}> .
        {DS} a <https://www.w3.org/ns/dcat#Dataset> ; dct:issued "2020-01-01" ;
          dct:hasVersion <https://data.example.org/dataset/2> ."""
    index = SubjectIndex(normaliser=Normaliser())
    index.add(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    drafts = list(split_records(index))  # the https class is recognised as dcat:Dataset
    assert [d.root for d in drafts] == [DS]
    assert sorted(drafts[0].blocks[DS]) == sorted([
        f"<{DCAT}hasVersion> <https://data.example.org/dataset/2>",
        f'<{DCT}issued> "2020-01-01"^^<{XSD}date>',
        f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{DCAT}Dataset>"])
    assert index.normaliser is not None
    assert {c.rule for c in index.normaliser.changes_for(drafts[0].blocks)} == {
        "namespace/dcat", "literal/date-datatype", "dcat-ap-3/hasVersion"}
    assert SubjectIndex().normaliser is None
