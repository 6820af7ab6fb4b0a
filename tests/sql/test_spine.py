"""The prediction spine: admission_90d member months and labels, readmission_30d rows, window."""

import pytest

from tests.sql.conftest import (
    build_clinical,
    d,
    load_cases,
    load_raw,
    member,
    new_warehouse,
    rows,
    stay_claim,
)

WINDOW = {"first_month_start": "2021-01-01", "last_month_start": "2021-12-01"}

CASES = {
    # Enrolled throughout; unplanned stay admitted Mar 15: the Jan, Feb and Mar month starts
    # see it within 90 days (Jan 1 + 89 = Mar 31), Apr 1 does not.
    "admitted": {
        "eligibility": [member("admitted", start="2020-01-01")],
        "medical_claim": [stay_claim("admitted_1", "admitted", "2021-03-15", "2021-03-18")],
    },
    # Admitted Apr 1 = Jan 1 + 90: outside January's window, inside February's.
    "day_90": {
        "eligibility": [member("day_90", start="2020-01-01")],
        "medical_claim": [stay_claim("day_90_1", "day_90", "2021-04-01", "2021-04-03")],
    },
    # Only a planned (maintenance chemotherapy) admission: never a positive label.
    "planned_only": {
        "eligibility": [member("planned_only", start="2020-01-01")],
        "medical_claim": [
            stay_claim("planned_1", "planned_only", "2021-03-15", "2021-03-16", dx="Z5111")
        ],
    },
    # Enrolled Jan 1 - Mar 31: rows for Jan, Feb, Mar; January's window (to Mar 31) is covered,
    # February's (to May 1) is not -> censored.
    "short_enrollment": {"eligibility": [member("short", start="2021-01-01", end="2021-03-31")]},
    # Enrolled from Jun 15: first row Jul 1.
    "late": {"eligibility": [member("late", start="2021-06-15")]},
    # Dies May 10: rows through May 1 (alive at the month start), none after; not censored.
    "dies": {"eligibility": [member("dies", start="2020-01-01", death="2021-05-10")]},
    # Dies on Jun 1: not alive at that month start, so the last row is May 1.
    "dies_on_first": {"eligibility": [member("dies_1st", start="2020-01-01", death="2021-06-01")]},
}


@pytest.fixture(scope="module")
def built(reference_db):
    con = new_warehouse(reference_db)
    load_cases(con, CASES)
    build_clinical(con, data_end_date="2021-12-31", **WINDOW)
    yield con
    con.close()


def months(con, person: str) -> list[dict]:
    sql = (
        "select as_of_date, cutoff_date, label, censored, censor_reason from mart_prediction_spine "
        "where task = 'admission_90d' and person_id = ? order by as_of_date"
    )
    return rows(con, sql, [person])


def test_label_is_an_unplanned_admission_within_90_days_of_the_month_start(built):
    labels = {m["as_of_date"]: m["label"] for m in months(built, "admitted")}
    assert len(labels) == 12
    assert [labels[d(f"2021-{m:02d}-01")] for m in (1, 2, 3, 4)] == [True, True, True, False]


def test_day_90_is_outside_the_window(built):
    labels = {m["as_of_date"]: m["label"] for m in months(built, "day_90")}
    assert labels[d("2021-01-01")] is False and labels[d("2021-02-01")] is True


def test_planned_admissions_are_not_outcomes(built):
    assert not any(m["label"] for m in months(built, "planned_only"))


def test_cutoff_is_the_day_before_the_month_start(built):
    for m in months(built, "admitted"):
        assert (m["as_of_date"] - m["cutoff_date"]).days == 1


def test_month_starts_need_enrollment_and_follow_up(built):
    short = months(built, "short")
    assert [m["as_of_date"] for m in short] == [d("2021-01-01"), d("2021-02-01"), d("2021-03-01")]
    assert [m["censor_reason"] for m in short] == [None, "not_enrolled_90d", "not_enrolled_90d"]
    assert months(built, "late")[0]["as_of_date"] == d("2021-07-01")


def test_no_rows_after_death_and_death_does_not_censor(built):
    dies = months(built, "dies")
    assert dies[-1]["as_of_date"] == d("2021-05-01")
    assert dies[-1]["censored"] is False
    assert months(built, "dies_1st")[-1]["as_of_date"] == d("2021-05-01")


def test_windows_past_the_data_end_are_censored(built):
    by_month = {m["as_of_date"]: m for m in months(built, "admitted")}
    # Oct 1 + 90 = Dec 30 <= Dec 31; Nov 1 + 90 = Jan 30 > Dec 31.
    assert by_month[d("2021-10-01")]["censored"] is False
    assert by_month[d("2021-11-01")]["censor_reason"] == "follow_up_after_data_end"


def test_readmission_rows_are_index_stays_as_of_discharge(built):
    spine = rows(
        built,
        "select s.*, i.discharge_date from mart_prediction_spine s "
        "join mart_index_stays i using (stay_id) where s.task = 'readmission_30d'",
    )
    index_count = built.execute("select count(*) from mart_index_stays where is_index").fetchone()[
        0
    ]
    assert len(spine) == index_count > 0
    assert all(r["as_of_date"] == r["cutoff_date"] == r["discharge_date"] for r in spine)


def test_spine_keys_are_unique(built):
    dupes = built.execute(
        "select count(*) from (select task, person_id, as_of_date from mart_prediction_spine "
        "group by all having count(*) > 1)"
    ).fetchone()[0]
    assert dupes == 0


def test_default_data_end_is_the_last_extract_date_minus_one_day(con):
    load_raw(con, "eligibility", [member("p1")])
    claim = stay_claim("c1", "p1", "2021-03-01", "2021-03-05", _extract_date="2022-01-01")
    load_raw(con, "medical_claim", [claim])
    build_clinical(con, data_end_date=None)
    window = rows(con, "select * from int_data_window")[0]
    assert window["data_end_date"] == d("2021-12-31")
    # A year of history before the first month start; the last one is the month after the end.
    assert window["first_month_start"] == d("2022-03-01")
    assert window["last_month_start"] == d("2022-01-01")


def test_default_data_end_without_extract_dates_is_the_last_event(con):
    load_raw(con, "eligibility", [member("p1")])
    load_raw(con, "medical_claim", [stay_claim("c1", "p1", "2021-03-01", "2021-03-05")])
    build_clinical(con, data_end_date=None)
    assert con.execute("select data_end_date from int_data_window").fetchone()[0] == d("2021-03-05")
