"""Window edges of the fast cuts: diagnosis spells and as-of running totals, worked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from tests.features.conftest import create_table, run_relation

SPINE = {
    "spine_id": "varchar",
    "task": "varchar",
    "person_id": "varchar",
    "as_of_date": "date",
    "cutoff_date": "date",
    "stay_id": "varchar",
}


def spine(con: duckdb.DuckDBPyConnection, cutoffs: list[str]) -> None:
    """admission_90d spine rows of person a, one per cutoff (spine_id = the cutoff)."""
    rows = [
        (c, "admission_90d", "a", date.fromisoformat(c) + timedelta(days=1), c, None)
        for c in cutoffs
    ]
    create_table(con, "mart_prediction_spine", SPINE, rows)


def test_a_diagnosis_counts_for_its_window_from_the_day_it_is_known(ref_con) -> None:
    events = [
        ("a", "I5022", "2020-01-10"),
        ("a", "I5022", "2020-06-01"),
        ("a", "Z5941", "2019-01-01"),
    ]
    create_table(
        ref_con, "int_feat_dx_events",
        {"person_id": "varchar", "icd_10_cm": "varchar", "known_date": "date"}, events,
    )  # fmt: skip
    for name in ("int_feat_dx_codes", "int_feat_code_keys", "int_feat_dx_spells"):
        run_relation(ref_con, name)
    cutoffs = [
        "2020-01-09",
        "2020-01-10",
        "2020-12-30",
        "2020-12-31",
        "2021-01-01",
        "2021-05-31",
        "2021-06-01",
    ]
    spine(ref_con, cutoffs)
    run_relation(ref_con, "int_cut_dx_spells")
    present = {
        (spine_id, key)
        for spine_id, key in ref_con.execute(
            "select spine_id, key from int_cut_dx_spells where key_type in ('charlson', 'social')"
        ).fetchall()
    }
    # heart failure known 2020-01-10 and again 2020-06-01: present from 01-10 to 2021-05-31
    assert {c for c, k in present if k == "chf"} == {
        "2020-01-10", "2020-12-30", "2020-12-31", "2021-01-01", "2021-05-31",
    }  # fmt: skip
    # food insecurity (Z59.41) known 2019-01-01 counts for 730 days: through 2020-12-30 (leap year)
    assert {c for c, k in present if k == "food"} == {"2020-01-09", "2020-01-10", "2020-12-30"}
    spells = ref_con.execute(
        "select spell_start, spell_end from int_feat_dx_spells where key = 'chf'"
    ).fetchall()
    assert spells == [(date(2020, 1, 10), date(2021, 6, 1))]


def test_window_totals_include_the_cutoff_and_exclude_the_day_the_window_opens(ref_con) -> None:
    days = [("a", "2020-01-01", 0, 1, 0, 10.0), ("a", "2020-03-01", 1, 1, 2, 20.5),
            ("a", "2020-07-01", 0, 1, 0, 0.0)]  # fmt: skip
    create_table(
        ref_con, "int_feat_use_series",
        {"person_id": "varchar", "event_date": "date", "ip_admissions": "integer",
         "ed_visits": "integer", "outpatient_days": "integer", "paid_amount": "decimal(18, 2)"},
        days,
    )  # fmt: skip
    spine(
        ref_con,
        ["2019-12-31", "2020-06-30", "2020-07-01", "2020-07-02", "2020-12-30", "2020-12-31"],
    )
    run_relation(ref_con, "int_cut_use_totals")
    totals = {
        r[0]: r[1:]
        for r in ref_con.execute(
            "select spine_id, ed_visits_183d, ip_admissions_365d, paid_amount_365d "
            "from int_cut_use_totals"
        ).fetchall()
    }
    # 183-day window (c - 183, c]: 2020-07-01 reaches back to 2020-01-01; 2020-12-31 opens after
    # 2020-07-01 (leap year), so the visit that day has left its window
    assert {c: t[0] for c, t in totals.items()} == {
        "2019-12-31": 0, "2020-06-30": 2, "2020-07-01": 3, "2020-07-02": 2,
        "2020-12-30": 1, "2020-12-31": 0,
    }  # fmt: skip
    # 365 days back from 2020-12-31 is 2020-01-01 (leap year): its 10.00 paid has left the window
    assert totals["2020-12-31"][1:] == (1, 20.5)
    assert totals["2020-12-30"][1:] == (1, 30.5)
    assert totals["2019-12-31"][1:] == (0, 0)
