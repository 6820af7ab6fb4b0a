"""Claim adjustments, reversals and duplicates; ED visits and ED visits that lead to a stay."""

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


def ed_line(claim_id: str, person: str, day: str, **extra: object) -> dict:
    """A professional ED claim line (place of service 23) on `day`."""
    row = {
        "claim_id": claim_id,
        "claim_line_number": 1,
        "claim_type": "professional",
        "person_id": person,
        "claim_start_date": day,
        "claim_end_date": day,
        "place_of_service_code": "23",
        "hcpcs_code": "99284",
        "diagnosis_code_1": "R079",
        "paid_amount": 150.0,
        "allowed_amount": 200.0,
    }
    row.update(extra)
    return row


CASES = {
    # Paid Jan 20, reversed (negative amounts) Feb 1: the stay never happened.
    "reversed": {
        "eligibility": [member("reversed")],
        "medical_claim": [
            stay_claim("rev_1", "reversed", "2021-01-01", "2021-01-05", paid_date="2021-01-20"),
            stay_claim(
                "rev_1",
                "reversed",
                "2021-01-01",
                "2021-01-05",
                paid_date="2021-02-01",
                paid_amount=-5000.0,
                allowed_amount=-6000.0,
            ),
        ],
    },
    # Paid Jan 20 with discharge Jan 5, adjusted Feb 1 to discharge Jan 7: one stay Jan 1-7.
    "adjusted": {
        "eligibility": [member("adjusted")],
        "medical_claim": [
            stay_claim("adj_1", "adjusted", "2021-01-01", "2021-01-05", paid_date="2021-01-20"),
            stay_claim("adj_1", "adjusted", "2021-01-01", "2021-01-07", paid_date="2021-02-01"),
        ],
    },
    # The same line delivered twice: one line, one stay.
    "duplicate": {
        "eligibility": [member("duplicate")],
        "medical_claim": [
            stay_claim("dup_1", "duplicate", "2021-01-01", "2021-01-05", paid_date="2021-01-20"),
            stay_claim("dup_1", "duplicate", "2021-01-01", "2021-01-05", paid_date="2021-01-20"),
        ],
    },
    # Two-line claim; line 1 carries the amounts and is reversed, line 2 has none: dropped.
    "reversed_header": {
        "eligibility": [member("rev_header")],
        "medical_claim": [
            stay_claim("rh_1", "rev_header", "2021-01-01", "2021-01-05", paid_date="2021-01-20"),
            stay_claim(
                "rh_1",
                "rev_header",
                "2021-01-01",
                "2021-01-05",
                paid_date="2021-02-01",
                paid_amount=-5000.0,
                allowed_amount=-6000.0,
            ),
            stay_claim(
                "rh_1",
                "rev_header",
                "2021-01-01",
                "2021-01-05",
                claim_line_number=2,
                revenue_center_code="0250",
                paid_amount=None,
                allowed_amount=None,
            ),
        ],
    },
    # Reversed Feb 1, re-adjusted (positive again) Mar 1: the stay stands.
    "reinstated": {
        "eligibility": [member("reinstated")],
        "medical_claim": [
            stay_claim("rein_1", "reinstated", "2021-01-01", "2021-01-05", paid_date="2021-01-20"),
            stay_claim(
                "rein_1",
                "reinstated",
                "2021-01-01",
                "2021-01-05",
                paid_date="2021-02-01",
                paid_amount=-5000.0,
                allowed_amount=-6000.0,
            ),
            stay_claim("rein_1", "reinstated", "2021-01-01", "2021-01-05", paid_date="2021-03-01"),
        ],
    },
    # ED (POS 23) on Dec 31, admitted Jan 1: counted with the stay, not a separate visit.
    # ED (revenue 0450 on an outpatient bill) Mar 1 with no admission: a separate visit.
    # ED Jun 1, admitted Jun 3 (two days later): a separate visit.
    "ed": {
        "eligibility": [member("ed")],
        "medical_claim": [
            ed_line("ed_1", "ed", "2020-12-31"),
            stay_claim("ed_2", "ed", "2021-01-01", "2021-01-05"),
            ed_line(
                "ed_3",
                "ed",
                "2021-03-01",
                claim_type="institutional",
                bill_type_code="131",
                place_of_service_code=None,
                revenue_center_code="450",
            ),
            ed_line("ed_4", "ed", "2021-06-01"),
            stay_claim("ed_5", "ed", "2021-06-03", "2021-06-05"),
        ],
        # The hospital's ED encounter on Mar 1 is the same visit as the claim.
        "encounter": [
            inpatient_encounter(
                "ed_e1", "ed", "2021-03-01", "2021-03-01", encounter_type="Emergency Department"
            )
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


def stays(con, person: str) -> list[tuple]:
    sql = (
        "select admission_date, discharge_date from mart_acute_stays "
        "where person_id = ? order by admission_date"
    )
    return [tuple(r.values()) for r in rows(con, sql, [person])]


def test_a_reversed_stay_claim_does_not_create_a_stay(built):
    assert stays(built, "reversed") == []


def test_the_latest_adjustment_supersedes_the_earlier_version(built):
    assert stays(built, "adjusted") == [(d("2021-01-01"), d("2021-01-07"))]


def test_exact_duplicate_lines_collapse(built):
    assert stays(built, "duplicate") == [(d("2021-01-01"), d("2021-01-05"))]
    lines = built.execute(
        "select count(*) from int_claim_lines_current where claim_id = 'dup_1'"
    ).fetchone()[0]
    assert lines == 1


def test_a_claim_whose_amount_line_is_reversed_is_dropped(built):
    assert stays(built, "rev_header") == []
    assert (
        built.execute(
            "select count(*) from int_claim_lines_current where claim_id = 'rh_1'"
        ).fetchone()[0]
        == 0
    )


def test_a_later_version_after_a_reversal_reinstates_the_stay(built):
    assert stays(built, "reinstated") == [(d("2021-01-01"), d("2021-01-05"))]


def test_an_ed_visit_the_day_before_an_admission_counts_with_the_stay(built):
    visits = rows(
        built,
        "select visit_date, source, stay_id is not null as with_stay from int_ed_visits "
        "where person_id = 'ed' order by visit_date",
    )
    assert [tuple(v.values()) for v in visits] == [
        (d("2020-12-31"), "claims", True),
        (d("2021-03-01"), "both", False),
        (d("2021-06-01"), "claims", False),
    ]
    through_ed = rows(
        built,
        "select admission_date, admitted_through_ed from mart_acute_stays "
        "where person_id = 'ed' order by admission_date",
    )
    assert [tuple(r.values()) for r in through_ed] == [
        (d("2021-01-01"), True),
        (d("2021-06-03"), False),
    ]
