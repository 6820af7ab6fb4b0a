"""Caseload assignment against a warehouse: continuity across runs, reruns, missing sources."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import polars as pl
import pytest

from reports.caseload_store import run_caseload
from tests.reports.warehouse_fixture import RUN_DATE, SCORES, build, scores_table


@pytest.fixture()
def con():
    con = duckdb.connect()
    build(con)
    yield con
    con.close()


def rows(con, run_date) -> pl.DataFrame:
    return con.sql(
        "select person_id, cm_id, status, reason from caseload_assignments "
        "where run_date = ? order by person_id, status", params=[run_date]
    ).pl()  # fmt: skip


def test_first_run_assigns_eligible_tier_1_2_patients_only(con):
    run_caseload(con, "r1", RUN_DATE)
    got = rows(con, RUN_DATE)
    # p5 died before the run date, p6 is tier 4
    assert set(got["person_id"]) == {"p1", "p2", "p3", "p4"}
    assert set(got["status"]) == {"new"}
    # p1 speaks Spanish: only rn1 lists Spanish; p3 lives in Dallas: only sw1 covers it
    placed = dict(zip(got["person_id"], got["cm_id"], strict=True))
    assert placed["p1"] == "rn1" and placed["p3"] == "sw1"


def test_second_run_keeps_case_managers_and_releases_who_left(con):
    first = run_caseload(con, "r1", RUN_DATE)
    before = dict(zip(first.assignments["person_id"], first.assignments["cm_id"], strict=True))
    later = RUN_DATE + timedelta(days=1)
    scores_table(con, [
        ("r2", "p1", 0.60, 1, [], 0.0), ("r2", "p2", 0.10, 3, [], -0.3),
        ("r2", "p3", 0.36, 2, [], 0.0), ("r2", "p4", 0.31, 2, [], 0.0),
    ], as_of=later)  # fmt: skip
    run_caseload(con, "r2", later)
    got = rows(con, later)
    by_person = {r["person_id"]: r for r in got.to_dicts()}
    assert by_person["p2"]["status"] == "released" and by_person["p2"]["reason"] == "left tiers 1-2"
    for person in ("p1", "p3", "p4"):
        assert by_person[person]["status"] == "continued"
        assert by_person[person]["cm_id"] == before[person]


def test_rerun_of_the_same_night_replaces_its_rows(con):
    run_caseload(con, "r1", RUN_DATE)
    once = rows(con, RUN_DATE)
    scores_table(con, [("r1b", *row[1:]) for row in SCORES])
    run_caseload(con, "r1b", RUN_DATE)  # a second attempt the same night, scored again
    assert rows(con, RUN_DATE).equals(once)
    runs = con.sql("select distinct run_id from caseload_assignments").fetchall()
    assert runs == [("r1b",)]


def test_disenrolled_member_is_released(con):
    run_caseload(con, "r1", RUN_DATE)
    # the span ended two days before the run: one day before the data end, so not enrolled
    later = RUN_DATE + timedelta(days=2)
    con.execute(
        "insert into raw_eligibility (person_id, member_id, birth_date, enrollment_start_date, "
        "enrollment_end_date, payer) values ('p4', 'm4', date '1970-05-05', date '2023-01-01', "
        "date '2024-03-06', 'acme')"
    )
    scores_table(con, [("r2", "p4", 0.31, 2, [], 0.0)], as_of=later)
    run_caseload(con, "r2", later)
    got = rows(con, later).filter(pl.col("person_id") == "p4").row(0, named=True)
    assert (got["status"], got["reason"]) == ("released", "disenrolled")


def test_runs_on_scores_and_roster_alone():
    con = duckdb.connect()
    scores_table(con)
    con.execute(
        "create table raw_case_managers as select 'rn1' as cm_id, 'Rita' as name, 'RN' as role, "
        "9 as capacity_points, 'English' as languages, '787' as regions, true as active"
    )
    result = run_caseload(con, "r1", date(2024, 3, 6))
    # nothing says p5 died without the patient extract: all five tier 1-2 scores are candidates
    assert result.assignments["person_id"].n_unique() == 5
    assert result.assignments["points"].drop_nulls().sum() > 0
