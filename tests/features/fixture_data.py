"""A tiny warehouse for the conformance tests: the shared Tuva sample plus hand-made persons.

The hand-made persons exercise what the sample lacks: labs during a stay, social-needs screening,
refills of adherence-class medicines, social Z codes, an oncology stay and an area-deprivation ZIP.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from data_contracts import load_contract
from features.matrix import build_feature_matrices
from sql.runner import build
from tests.sql.conftest import load_raw, member, new_warehouse, stay_claim
from tests.sql.test_tuva_claims import load_tuva_csv

WINDOW = {
    "data_end_date": "2018-12-31",
    "first_month_start": "2017-01-01",
    "last_month_start": "2018-12-01",
}


def office_visit(claim_id: str, person: str, day: str, dx: str = "I10") -> dict:
    """A professional office visit claim line."""
    return {
        "claim_id": claim_id, "claim_line_number": 1, "claim_type": "professional",
        "person_id": person, "claim_start_date": day, "claim_end_date": day,
        "place_of_service_code": "11", "hcpcs_code": "99213", "diagnosis_code_1": dx,
        "paid_amount": 80.0, "allowed_amount": 100.0,
    }  # fmt: skip


def ed_visit(claim_id: str, person: str, day: str) -> dict:
    """A treat-and-release ED facility claim line (revenue centre 0450)."""
    return {
        "claim_id": claim_id, "claim_line_number": 1, "claim_type": "institutional",
        "person_id": person, "claim_start_date": day, "claim_end_date": day,
        "bill_type_code": "131", "revenue_center_code": "0450", "diagnosis_code_1": "R0789",
        "paid_amount": 400.0, "allowed_amount": 500.0,
    }  # fmt: skip


def fill(claim_id: str, person: str, day: str, ndc: str, days: int = 30) -> dict:
    """A pharmacy fill."""
    return {
        "claim_id": claim_id, "claim_line_number": 1, "person_id": person, "dispensing_date": day,
        "ndc_code": ndc, "days_supply": days, "quantity": float(days), "paid_amount": 12.0,
    }  # fmt: skip


def lab(lab_id: str, person: str, loinc: str, value: str, when: str, units: str) -> dict:
    """A lab result."""
    return {
        "lab_result_id": lab_id, "person_id": person, "encounter_id": None,
        "normalized_component_code": loinc, "result": value, "result_datetime": when,
        "normalized_units": units,
    }  # fmt: skip


def answer(obs_id: str, person: str, day: str, loinc: str, result: str) -> dict:
    """A social-needs screening answer."""
    return {
        "observation_id": obs_id,
        "person_id": person,
        "observation_date": day,
        "normalized_code": loinc,
        "result": result,
    }


def hand_persons(con: duckdb.DuckDBPyConnection) -> None:
    """Two persons covering every feature the Tuva sample leaves empty."""
    h1 = {**member("h1", birth="1941-06-15", start="2016-01-01"), "zip_code": "53703"}
    h2 = {**member("h2", birth="1950-02-01", start="2016-01-01"), "gender": "male",
          "payer_type": "dual", "dual_status_code": "02", "zip_code": "53704"}  # fmt: skip
    load_raw(con, "eligibility", [h1, h2])
    load_raw(con, "medical_claim", [
        stay_claim("h1_s1", "h1", "2017-12-01", "2017-12-04", dx="J441"),
        ed_visit("h1_ed1", "h1", "2018-01-15"),
        ed_visit("h1_ed2", "h1", "2018-02-28"),
        stay_claim("h1_s2", "h1", "2018-03-01", "2018-03-06", dx="I5023", px="5A09357",
                   admit_type_code="1", diagnosis_code_2="Z602", diagnosis_code_3="E1122",
                   diagnosis_code_4="N1831"),
        office_visit("h1_o1", "h1", "2018-02-10", dx="Z5941"),
        office_visit("h1_o2", "h1", "2018-04-10"),
        stay_claim("h2_s1", "h2", "2018-05-02", "2018-05-09", dx="J189", admit_type_code="3",
                   diagnosis_code_2="C3490", diagnosis_code_3="C787"),
        office_visit("h2_o1", "h2", "2018-04-20", dx="Z5982"),
    ])  # fmt: skip
    load_raw(con, "pharmacy_claim", [
        fill("h1_f1", "h1", "2017-12-15", "00071015623"),
        fill("h1_f2", "h1", "2018-01-20", "00071015623"),
        fill("h1_f3", "h1", "2018-02-25", "00071015623"),
        fill("h1_f4", "h1", "2018-01-05", "00093111301", 90),
        fill("h1_f5", "h1", "2018-02-20", "00093111301", 90),
        fill("h2_f1", "h2", "2018-02-01", "00093104801"),
        fill("h2_f2", "h2", "2018-04-01", "00093104801"),
    ])  # fmt: skip
    load_raw(con, "lab_result", [
        lab("h1_l1", "h1", "718-7", "11.5", "2018-03-05 06:00:00", "g/dL"),
        lab("h1_l2", "h1", "2951-2", "133", "2018-03-05 06:00:00", "mmol/L"),
        lab("h2_l1", "h2", "718-7", "125", "2018-05-08 06:00:00", "g/L"),
    ])  # fmt: skip
    load_raw(con, "observation", [
        answer("h1_q1", "h1", "2018-02-01", "88122-7", "Often true"),
        answer("h1_q2", "h1", "2018-02-01", "71802-3", "I have a steady place to live"),
        answer("h1_q3", "h1", "2018-02-01", "93030-5", "No"),
        answer("h1_q4", "h1", "2018-02-01", "76513-1", "Very hard"),
        answer("h1_q5", "h1", "2018-02-01", "93029-7", "Less than once a week"),
    ])  # fmt: skip
    load_raw(con, "area_deprivation", [{"zip_code": "53703", "adi_national_percentile": "87"}])


def make_warehouse(reference_db: Path, tuva_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with the Tuva sample and the hand-made persons, not yet built."""
    con = new_warehouse(reference_db)
    for path in sorted(tuva_dir.glob("*.csv")):
        load_tuva_csv(con, path.stem, path)
    hand_persons(con)
    return con


def build_all(con: duckdb.DuckDBPyConnection) -> None:
    """Build every SQL layer through the features, then the feature matrices."""
    build(con, variables=WINDOW)
    build_feature_matrices(con)


def event_date_columns(table: str) -> list[str]:
    """The date and timestamp columns of `raw_<table>` that date an event (not birth or death)."""
    return [
        c.name
        for c in load_contract(table).columns
        if c.type in ("date", "timestamp") and c.name not in ("birth_date", "death_date")
    ]


def append_future_copies(con: duckdb.DuckDBPyConnection, after: str) -> None:
    """Append a copy of every event row, moved to dates after `after` under new ids.

    Each table shifts by whole days so its earliest event lands 1-45 days after `after` (one
    shift per record id, so a claim's lines move together); ids get a `-future` suffix so the
    copies are new records, not corrections of the originals.
    """
    con.execute("set variable future_after = ?::date", [after])
    for table in ("eligibility", "medical_claim", "pharmacy_claim", "lab_result", "observation"):
        dates = event_date_columns(table)
        key = load_contract(table).key[0]
        earliest = f"(select min(least({', '.join(dates)})) from raw_{table})"
        days_to_after = f"date_diff('day', cast({earliest} as date), getvariable('future_after'))"
        shift = f"({days_to_after} + 1 + hash({key}) % 45)"
        moved = [f"{c} + cast({shift} as integer) * interval 1 day as {c}" for c in dates]
        ids = [] if key == "person_id" else [f"{key} || '-future' as {key}"]
        con.execute(
            f"insert into raw_{table} by name select * replace ({', '.join(moved + ids)}) "
            f"from raw_{table}"
        )
