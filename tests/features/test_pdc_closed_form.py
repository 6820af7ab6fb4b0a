"""The closed-form proportion of days covered equals the fill-by-fill interval computation."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import duckdb

from tests.features.conftest import create_table, run_relation

ORACLE = Path(__file__).parent / "oracle" / "pdc_intervals.sql"
# Hand-made class map (test codes, not real NDCs): two statin drugs share a class, so the union
# of overlapping supplies is exercised; one RAS drug on two products.
CLASS_MAP = [
    ("ndc", "TESTNDC01", "statins", "atorvastatin"),
    ("ndc", "TESTNDC02", "statins", "simvastatin"),
    ("ndc", "TESTNDC03", "ras_antagonists", "lisinopril"),
    ("ndc", "TESTNDC04", "ras_antagonists", "lisinopril"),
]
SPINE_COLUMNS = {"spine_id": "bigint", "task": "varchar", "person_id": "varchar",
                 "as_of_date": "date", "cutoff_date": "date"}  # fmt: skip
FILL_COLUMNS = {"claim_id": "varchar", "claim_line_number": "integer", "person_id": "varchar",
                "dispensing_date": "date", "ndc_code": "varchar",
                "days_supply": "integer"}  # fmt: skip


def random_extract(seed: int) -> tuple[list[tuple], list[tuple]]:
    """Spine rows (monthly and on random days) and fills for a few persons, some on one day."""
    rng = random.Random(seed)
    start = date(2020, 1, 1)
    spine, fills = [], []
    for p in range(25):
        person = f"p{p}"
        days = sorted(rng.sample(range(0, 700), rng.randint(0, 14)))
        days += [d for d in days if rng.random() < 0.15]  # same-day second fills
        for i, day in enumerate(days):
            ndc = f"TESTNDC0{rng.randint(1, 4)}01"
            supply = rng.choice([7, 30, 30, 60, 90])
            fills.append((f"{person}-c{i}", 1, person, start + timedelta(day), ndc, supply))
        cutoffs = [start + timedelta(30 * m + 29) for m in range(1, 24)]
        cutoffs += [start + timedelta(rng.randint(0, 720)) for _ in range(5)]
        for k, cutoff in enumerate(sorted(set(cutoffs))):
            spine.append((p * 1000 + k, "t", person, cutoff + timedelta(1), cutoff))
    return spine, fills


def pdc(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    return {(s, c): v for s, c, v in con.execute(sql).fetchall()}


def test_closed_form_equals_interval_union(ref_con: duckdb.DuckDBPyConnection) -> None:
    columns = {"code_type": "varchar", "code": "varchar", "med_class": "varchar",
               "ingredient": "varchar"}  # fmt: skip
    create_table(ref_con, "int_medication_class_codes", columns, CLASS_MAP)
    compared = several = 0
    for seed in range(4):
        spine, fills = random_extract(seed)
        create_table(ref_con, "mart_prediction_spine", SPINE_COLUMNS, spine)
        create_table(ref_con, "stg_pharmacy_claim", FILL_COLUMNS, fills)
        run_relation(ref_con, "int_feat_pdc_fills")
        ref_con.execute(f"create or replace view int_cut_pdc_fills as {_sql('int_cut_pdc_fills')}")
        for name in ("int_feat_pdc_drugs", "int_feat_pdc_overlaps", "int_feat_pdc"):
            run_relation(ref_con, name)
        got = pdc(ref_con, "select spine_id, med_class, pdc from int_feat_pdc")
        expected = pdc(ref_con, ORACLE.read_text())
        assert got == expected
        compared += len(got)
        several += ref_con.execute("select count(*) from int_feat_pdc_overlaps").fetchone()[0]
    assert compared > 200 and several > 20  # both the closed form and the union were exercised


def _sql(name: str) -> str:
    from sql.catalog import SQL_DIR, discover

    return discover(SQL_DIR)[name].sql
