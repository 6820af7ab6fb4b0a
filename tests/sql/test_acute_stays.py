"""Acute stays: transfers, overlaps, claim and EHR copies, code normalisation (hand-worked cases).

Each case is a tiny extract about its own person; all cases load into one warehouse built once.
"""

import pytest

from tests.sql.conftest import (
    build_clinical,
    d,
    inpatient_encounter,
    load_cases,
    member,
    new_warehouse,
    rows,
    stay_claim,
)

CASES = {
    # Discharged home Jan 5, admitted again Jan 5: one episode Jan 1 - Jan 8, no readmission.
    "same_day": {
        "eligibility": [member("same_day")],
        "medical_claim": [
            stay_claim("same_day_1", "same_day", "2021-01-01", "2021-01-05", "01"),
            stay_claim("same_day_2", "same_day", "2021-01-05", "2021-01-08", "01"),
        ],
    },
    # A Jan 1-3 (02: to a short-term hospital) -> B Jan 4-6 (02) -> C Jan 7-10 (01 home): one
    # episode Jan 1 - Jan 10 with C's disposition, A's principal dx and C's discharge dx.
    "chain": {
        "eligibility": [member("chain")],
        "medical_claim": [
            stay_claim("chain_a", "chain", "2021-01-01", "2021-01-03", "02", dx="I214"),
            stay_claim("chain_b", "chain", "2021-01-04", "2021-01-06", "02", dx="I2510"),
            stay_claim("chain_c", "chain", "2021-01-07", "2021-01-10", "01", dx="I509"),
        ],
    },
    # Discharged home (01) Jan 5, admitted Jan 6: two stays, a readmission after 1 day.
    "next_day": {
        "eligibility": [member("next_day")],
        "medical_claim": [
            stay_claim("next_day_1", "next_day", "2021-01-01", "2021-01-05", "01"),
            stay_claim("next_day_2", "next_day", "2021-01-06", "2021-01-08", "01"),
        ],
    },
    # Jan 1-10, an overlapping Jan 4-6 and Jan 9-12: one stay Jan 1 - Jan 12.
    "overlap": {
        "eligibility": [member("overlap")],
        "medical_claim": [
            stay_claim("overlap_1", "overlap", "2021-01-01", "2021-01-10"),
            stay_claim("overlap_2", "overlap", "2021-01-04", "2021-01-06"),
            stay_claim("overlap_3", "overlap", "2021-01-09", "2021-01-12"),
        ],
    },
    # The payer's claim and the hospital's encounter for one Jan 1-5 stay: one stay, 'both'.
    "copies": {
        "eligibility": [member("copies")],
        "medical_claim": [stay_claim("copies_1", "copies", "2021-01-01", "2021-01-05")],
        "encounter": [inpatient_encounter("copies_e1", "copies", "2021-01-01", "2021-01-05")],
    },
    # Claim Jan 1-5, EHR Jan 2-6 (a day off): one stay with the claim's dates; the real
    # readmission on Jan 7 is 2 days after the claim's discharge.
    "copies_off_by_one": {
        "eligibility": [member("off_by_one")],
        "medical_claim": [
            stay_claim("off_by_one_1", "off_by_one", "2021-01-01", "2021-01-05"),
            stay_claim("off_by_one_2", "off_by_one", "2021-01-07", "2021-01-09"),
        ],
        "encounter": [
            inpatient_encounter("off_by_one_e1", "off_by_one", "2021-01-02", "2021-01-06")
        ],
    },
    # Claim Jan 1-1 and EHR Jan 2-2 do not overlap but are copies (each date a day apart).
    "short_copies": {
        "eligibility": [member("short")],
        "medical_claim": [stay_claim("short_1", "short", "2021-01-01", "2021-01-01")],
        "encounter": [inpatient_encounter("short_e1", "short", "2021-01-02", "2021-01-02")],
    },
    # An EHR-only clinic: an 'Inpatient' encounter without a primary dx; the rank-1 condition
    # (J18.9 pneumonia, CCS 122) is the principal diagnosis.
    "ehr_only": {
        "patient": [
            {"person_id": "ehr_only", "patient_id": "ehr_only", "birth_date": "1950-01-01"}
        ],
        "encounter": [
            inpatient_encounter(
                "ehr_only_e1",
                "ehr_only",
                "2021-03-01",
                "2021-03-04",
                dx=None,
                encounter_type="Inpatient",
            )
        ],
        "condition": [
            {
                "person_id": "ehr_only",
                "encounter_id": "ehr_only_e1",
                "recorded_date": "2021-03-01",
                "source_code_type": "icd-10-cm",
                "source_code": "J18.9",
                "condition_rank": 1,
            },
            {
                "person_id": "ehr_only",
                "encounter_id": "ehr_only_e1",
                "recorded_date": "2021-03-01",
                "source_code_type": "icd-10-cm",
                "source_code": "I10",
                "condition_rank": 2,
            },
        ],
    },
    # Codes as delivered: 'i21.4 ' is I214 (CCS 100); bill type 0111 is 111.
    "messy_codes": {
        "eligibility": [member("messy")],
        "medical_claim": [
            stay_claim(
                "messy_1", "messy", "2021-01-01", "2021-01-05", dx="i21.4 ", bill_type_code="0111"
            )
        ],
    },
    # Outpatient (131), skilled nursing (211) and a void/cancel bill (118) are not acute stays.
    "not_acute": {
        "eligibility": [member("not_acute")],
        "medical_claim": [
            stay_claim(
                "not_acute_1", "not_acute", "2021-01-01", "2021-01-01", bill_type_code="131"
            ),
            stay_claim(
                "not_acute_2", "not_acute", "2021-02-01", "2021-02-10", bill_type_code="211"
            ),
            stay_claim(
                "not_acute_3", "not_acute", "2021-03-01", "2021-03-05", bill_type_code="118"
            ),
        ],
    },
}


@pytest.fixture(scope="module")
def built(reference_db):
    con = new_warehouse(reference_db)
    load_cases(con, CASES)
    build_clinical(con)
    yield con
    con.close()


def stays(con, person: str) -> list[dict]:
    sql = "select * from mart_acute_stays where person_id = ? order by admission_date"
    return rows(con, sql, [person])


def index_stays(con, person: str) -> list[dict]:
    sql = "select * from mart_index_stays where person_id = ? order by discharge_date"
    return rows(con, sql, [person])


def spans(stay_rows: list[dict]) -> list[tuple]:
    return [(s["admission_date"], s["discharge_date"]) for s in stay_rows]


def test_same_day_readmission_is_a_transfer_not_a_readmission(built):
    assert spans(stays(built, "same_day")) == [(d("2021-01-01"), d("2021-01-08"))]
    (index,) = index_stays(built, "same_day")
    assert index["unplanned_readmit_30"] is False and index["readmit_stay_id"] is None


def test_transfer_chain_is_one_episode_ending_at_the_last_discharge(built):
    (stay,) = stays(built, "chain")
    assert (stay["admission_date"], stay["discharge_date"]) == (d("2021-01-01"), d("2021-01-10"))
    assert stay["discharge_disposition_code"] == "01"
    assert stay["principal_diagnosis_code"] == "I214"
    assert stay["discharge_principal_diagnosis_code"] == "I509"
    assert stay["copy_count"] == 3


def test_next_day_admission_after_a_home_discharge_is_a_readmission_on_day_1(built):
    assert len(stays(built, "next_day")) == 2
    first = index_stays(built, "next_day")[0]
    assert first["unplanned_readmit_30"] is True and first["days_to_readmit"] == 1


def test_overlapping_stays_collapse(built):
    assert spans(stays(built, "overlap")) == [(d("2021-01-01"), d("2021-01-12"))]


def test_claim_and_ehr_copies_of_one_stay_count_once(built):
    (stay,) = stays(built, "copies")
    assert stay["source"] == "both"
    assert (stay["admission_date"], stay["discharge_date"]) == (d("2021-01-01"), d("2021-01-05"))


def test_copies_disagreeing_by_a_day_count_once_with_the_claim_dates(built):
    found = stays(built, "off_by_one")
    assert [(s["admission_date"], s["discharge_date"], s["source"]) for s in found] == [
        (d("2021-01-01"), d("2021-01-05"), "both"),
        (d("2021-01-07"), d("2021-01-09"), "claims"),
    ]
    assert index_stays(built, "off_by_one")[0]["days_to_readmit"] == 2


def test_one_day_stays_a_day_apart_in_two_sources_are_one_stay(built):
    assert [s["source"] for s in stays(built, "short")] == ["both"]


def test_ehr_only_stays_use_the_rank_one_condition_without_a_primary_diagnosis(built):
    (stay,) = stays(built, "ehr_only")
    assert stay["source"] == "ehr" and stay["principal_diagnosis_code"] == "J189"
    assert stay["principal_dx_ccs"] == "122"


def test_codes_arrive_with_dots_lower_case_and_four_digit_bill_types(built):
    (stay,) = stays(built, "messy")
    assert stay["principal_diagnosis_code"] == "I214" and stay["principal_dx_ccs"] == "100"


def test_non_acute_bill_types_are_not_stays(built):
    assert stays(built, "not_acute") == []


def test_stay_id_is_stable_across_rebuilds(built):
    before = rows(built, "select stay_id from mart_acute_stays order by stay_id")
    build_clinical(built)
    assert rows(built, "select stay_id from mart_acute_stays order by stay_id") == before
