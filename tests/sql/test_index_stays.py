"""Index stays, exclusions, censoring, readmissions and PRA v4 planned flags (hand-worked cases).

Each case is a tiny extract about its own person; all load into one warehouse built once with
data_end_date 2021-12-31. Default principal diagnosis I509 (heart failure, CCS 108).
"""

import pytest

from tests.sql.conftest import (
    build_clinical,
    d,
    load_cases,
    member,
    new_warehouse,
    rows,
    stay_claim,
)


def case(person: str, *stays: tuple, **member_args: str) -> dict:
    """A person with eligibility and one 111 claim per (admission, discharge, extra) tuple."""
    claims = [
        stay_claim(f"{person}_{i}", person, adm, dis, **(extra[0] if extra else {}))
        for i, (adm, dis, *extra) in enumerate(stays)
    ]
    return {"eligibility": [member(person, **member_args)], "medical_claim": claims}


CASES = {
    # Discharged Jan 5; Feb 4 is day 30 (counts), Feb 5 is day 31 (does not).
    "day_30": case("day_30", ("2021-01-01", "2021-01-05"), ("2021-02-04", "2021-02-06")),
    "day_31": case("day_31", ("2021-01-01", "2021-01-05"), ("2021-02-05", "2021-02-07")),
    # Expired at discharge (disposition 20), or a death date on the discharge day: not index.
    "died_code": case(
        "died_code", ("2021-03-01", "2021-03-05", {"discharge_disposition_code": "20"})
    ),
    "died_date": case("died_date", ("2021-03-01", "2021-03-05"), death="2021-03-05"),
    # Left against medical advice (07): not index.
    "ama": case("ama", ("2021-03-01", "2021-03-05", {"discharge_disposition_code": "07"})),
    # 16 at admission: not index; 18 on the admission day: index.
    "minor": case("minor", ("2021-03-01", "2021-03-05"), birth="2004-06-01"),
    "adult_18": case("adult_18", ("2021-03-01", "2021-03-05"), birth="2003-03-01"),
    # Principal dx F329 (CCS 657, mood disorders): psychiatric; C3490 (CCS 19): cancer treatment.
    "psych": case("psych", ("2021-03-01", "2021-03-05", {"diagnosis_code_1": "F329"})),
    "cancer": case("cancer", ("2021-03-01", "2021-03-05", {"diagnosis_code_1": "C3490"})),
    # Transfer chain from a psychiatric stay (F329, 02) to a heart-failure stay discharged home:
    # the discharging stay's diagnosis (I509) decides, so the episode is an index stay.
    "psych_then_medical": case(
        "psych_med",
        (
            "2021-03-01",
            "2021-03-03",
            {"diagnosis_code_1": "F329", "discharge_disposition_code": "02"},
        ),
        ("2021-03-04", "2021-03-08"),
    ),
    # Jan 1-5 -> Jan 20-25 (15 days) -> Feb 10-12 (16 days): the readmission is also an index stay.
    "chain_of_readmissions": case(
        "chain_r",
        ("2021-01-01", "2021-01-05"),
        ("2021-01-20", "2021-01-25"),
        ("2021-02-10", "2021-02-12"),
    ),
    # data_end 2021-12-31: Dec 1 + 30 = Dec 31 is observed; Dec 15 + 30 is not -> censored.
    "observed_to_the_end": case("end_ok", ("2021-11-28", "2021-12-01")),
    "censored": case("censored", ("2021-12-10", "2021-12-15")),
    # Enrollment ends Mar 10, five days after discharge: follow-up not observed -> censored.
    "disenrolled": case("disenrolled", ("2021-03-01", "2021-03-05"), end="2021-03-10"),
    # Dies Mar 20, enrollment ends then: follow-up complete until death -> not censored.
    "died_after": case(
        "died_after", ("2021-03-01", "2021-03-05"), end="2021-03-20", death="2021-03-20"
    ),
    # Readmitted Jan 20 for maintenance chemotherapy (Z5111, CCS 45 always planned).
    "chemo": case(
        "chemo",
        ("2021-01-01", "2021-01-05"),
        ("2021-01-20", "2021-01-21", {"diagnosis_code_1": "Z5111"}),
    ),
    # Readmitted for NSTEMI (I214, acute: CCS 100) with a PCI (02703DZ, CCS 45 potentially
    # planned): acute diagnosis -> unplanned.
    "acute_pci": case(
        "acute_pci",
        ("2021-01-01", "2021-01-05"),
        ("2021-01-20", "2021-01-22", {"diagnosis_code_1": "I214", "procedure_code_1": "02703DZ"}),
    ),
    # Readmitted for chronic coronary disease (I2510, CCS 101, not acute) with the same PCI:
    # potentially planned procedure and non-acute diagnosis -> planned.
    "elective_pci": case(
        "elective_pci",
        ("2021-01-01", "2021-01-05"),
        ("2021-01-20", "2021-01-22", {"diagnosis_code_1": "I2510", "procedure_code_1": "02703DZ"}),
    ),
    # Kidney transplant (0TY00Z0, CCS 105) as a secondary procedure with an acute diagnosis:
    # always planned.
    "transplant": case(
        "transplant",
        ("2021-01-01", "2021-01-05"),
        ("2021-01-20", "2021-01-30", {"diagnosis_code_1": "J189", "procedure_code_2": "0TY00Z0"}),
    ),
    # Planned chemo on Jan 10 (day 5), then an unplanned stay Jan 20 (day 15): label true
    # (at least one unplanned); days_to_readmit is the first unplanned one's (15).
    "planned_then_unplanned": case(
        "p_then_u",
        ("2021-01-01", "2021-01-05"),
        ("2021-01-10", "2021-01-11", {"diagnosis_code_1": "Z5111"}),
        ("2021-01-20", "2021-01-25"),
    ),
}


@pytest.fixture(scope="module")
def built(reference_db):
    con = new_warehouse(reference_db)
    load_cases(con, CASES)
    build_clinical(con, data_end_date="2021-12-31")
    yield con
    con.close()


def index_rows(con, person: str) -> list[dict]:
    sql = "select * from mart_index_stays where person_id = ? order by discharge_date"
    return rows(con, sql, [person])


def first(con, person: str) -> dict:
    return index_rows(con, person)[0]


def test_readmission_on_day_30_counts(built):
    stay = first(built, "day_30")
    assert stay["is_index"] and stay["unplanned_readmit_30"] is True
    assert stay["days_to_readmit"] == 30 and stay["readmit_stay_id"] is not None


def test_readmission_on_day_31_does_not_count(built):
    stay = first(built, "day_31")
    assert stay["unplanned_readmit_30"] is False and stay["days_to_readmit"] is None


@pytest.mark.parametrize("person", ["died_code", "died_date"])
def test_death_at_discharge_is_not_an_index_stay(built, person):
    stay = first(built, person)
    assert stay["is_index"] is False and stay["exclusion_reason"] == "died"


def test_against_medical_advice_is_excluded(built):
    stay = first(built, "ama")
    assert stay["is_index"] is False and stay["exclusion_reason"] == "against_medical_advice"


def test_under_18_is_excluded_and_18_on_the_admission_day_is_not(built):
    assert first(built, "minor")["exclusion_reason"] == "under_18"
    adult = first(built, "adult_18")
    assert adult["age_at_admission"] == 18 and adult["is_index"] is True


@pytest.mark.parametrize(
    ("person", "reason"), [("psych", "psychiatric"), ("cancer", "medical_treatment_of_cancer")]
)
def test_excluded_principal_diagnosis_categories(built, person, reason):
    stay = first(built, person)
    assert stay["is_index"] is False and stay["exclusion_reason"] == reason


def test_transfer_chain_is_judged_on_the_discharging_stays_diagnosis(built):
    (stay,) = index_rows(built, "psych_med")
    assert stay["is_index"] is True and stay["exclusion_reason"] is None


def test_a_readmission_is_also_an_index_stay(built):
    one, two, three = index_rows(built, "chain_r")
    assert one["days_to_readmit"] == 15 and one["readmit_stay_id"] == two["stay_id"]
    assert two["is_index"] is True
    assert two["unplanned_readmit_30"] is True and two["days_to_readmit"] == 16
    assert two["readmit_stay_id"] == three["stay_id"]
    assert three["unplanned_readmit_30"] is False


def test_a_stay_in_the_last_30_days_of_data_is_censored(built):
    censored = first(built, "censored")
    assert censored["is_index"] is True and censored["censored"] is True
    assert censored["censor_reason"] == "follow_up_after_data_end"
    assert first(built, "end_ok")["censored"] is False


def test_disenrollment_within_30_days_censors_but_death_does_not(built):
    assert first(built, "disenrolled")["censor_reason"] == "not_enrolled_30d"
    assert first(built, "died_after")["censored"] is False


def test_planned_chemotherapy_readmission_is_not_unplanned(built):
    stay = first(built, "chemo")
    assert stay["unplanned_readmit_30"] is False and stay["planned_readmit_30"] is True
    assert stay["readmit_is_planned"] is True and stay["days_to_readmit"] == 15
    assert stay["readmit_principal_dx_ccs"] == "45"


def test_acute_diagnosis_with_a_potentially_planned_procedure_is_unplanned(built):
    stay = first(built, "acute_pci")
    assert stay["unplanned_readmit_30"] is True and stay["planned_readmit_30"] is False


def test_non_acute_diagnosis_with_a_potentially_planned_procedure_is_planned(built):
    stay = first(built, "elective_pci")
    assert stay["unplanned_readmit_30"] is False and stay["planned_readmit_30"] is True


def test_a_transplant_is_always_planned(built):
    stay = first(built, "transplant")
    assert stay["unplanned_readmit_30"] is False and stay["planned_readmit_30"] is True


def test_an_unplanned_readmission_after_a_planned_one_sets_the_label(built):
    stay = first(built, "p_then_u")
    assert stay["unplanned_readmit_30"] is True and stay["planned_readmit_30"] is True
    assert stay["days_to_readmit"] == 15 and stay["readmit_is_planned"] is False
    assert stay["readmission_count_30"] == 2


def test_planned_flags_on_the_acute_stays_mart(built):
    sql = (
        "select principal_diagnosis_code, is_planned, has_acute_principal_diagnosis "
        "from mart_acute_stays where person_id in ('acute_pci', 'elective_pci') "
        "and principal_pr_ccs = '45' order by person_id"
    )
    assert [tuple(r.values()) for r in rows(built, sql)] == [
        ("I214", False, True),
        ("I2510", True, False),
    ]


def test_every_stay_has_one_row_and_discharge_dates_match_the_stays_mart(built):
    sql = (
        "select count(*) from mart_index_stays i join mart_acute_stays a using (stay_id) "
        "where i.discharge_date = a.discharge_date"
    )
    total = built.execute("select count(*) from mart_acute_stays").fetchone()[0]
    assert (
        built.execute(sql).fetchone()[0]
        == total
        == built.execute("select count(*) from mart_index_stays").fetchone()[0]
    )
    assert (
        d("2021-12-31") == built.execute("select data_end_date from int_data_window").fetchone()[0]
    )
