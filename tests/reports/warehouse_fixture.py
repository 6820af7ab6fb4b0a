"""A tiny hand-made warehouse: five scored patients, three case managers, stays and visits."""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa

from pipelines.warehouse import ensure_raw_tables

RUN_DATE = date(2024, 3, 6)  # a Wednesday

# person, name, birth, zip, county, language, death
PATIENTS = [
    ("p1", "Ana Lopez", date(1950, 3, 7), "78701", "Travis", "Spanish", None),
    ("p2", "Bob Smith", date(1960, 1, 1), "78702", "Travis", "English", None),
    ("p3", "<script>alert(1)</script>", date(1945, 6, 1), "75001", "Dallas", "English", None),
    ("p4", "=HYPERLINK(1)", date(1970, 5, 5), "78703", "Travis", "English", None),
    ("p5", "Dee Dead", date(1940, 1, 1), "78704", "Travis", "English", date(2024, 3, 1)),
]
# run, person, probability, tier, reasons, trend
SCORES = [
    ("r1", "p1", 0.62, 1, ["2 hospital stays in the last 6 months", "heart failure"], 0.05),
    ("r1", "p2", 0.41, 2, ["4 ED visits in the last 6 months"], -0.03),
    ("r1", "p3", 0.35, 2, ["14 active medications"], None),
    ("r1", "p4", 0.30, 2, [], 0.001),
    ("r1", "p5", 0.70, 1, ["lives alone"], 0.0),
    ("r1", "p6", 0.05, 4, [], None),
]
ROSTER = [
    ("rn1", "Rita Nurse", "RN", 6, "English|Spanish", "787", True),
    ("sw1", "Sam Social", "SW", 4, "English", "Dallas County|787", True),
    ("chw9", "Old Worker", "CHW", 10, "English", "787", False),
]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    con.register("_rows", pa.Table.from_pylist(rows))
    con.execute(f"insert into {table} by name select * from _rows")
    con.unregister("_rows")


def scores_table(con: duckdb.DuckDBPyConnection, rows=SCORES, as_of=RUN_DATE) -> None:
    """Create `ml_scores` if missing and append `rows` (task readmission_30d)."""
    con.execute(
        "create table if not exists ml_scores (run_id varchar, task varchar, person_id varchar, "
        "as_of_date date, probability double, tier tinyint, reasons varchar[], trend double)"
    )
    _insert(con, "ml_scores", [
        {"run_id": r, "task": "readmission_30d", "person_id": p, "as_of_date": as_of,
         "probability": pr, "tier": t, "reasons": rs, "trend": tr}
        for r, p, pr, t, rs, tr in rows
    ])  # fmt: skip


def build(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the warehouse with the hand-made extracts, stays, visits and features."""
    ensure_raw_tables(con)
    _insert(con, "raw_patient", [
        {"person_id": p, "patient_id": p, "first_name": n.split(" ")[0],
         "last_name": " ".join(n.split(" ")[1:]) or None, "birth_date": b, "zip_code": z,
         "county": c, "preferred_language": lang, "death_date": d, "sex": "female"}
        for p, n, b, z, c, lang, d in PATIENTS
    ])  # fmt: skip
    _insert(con, "raw_case_managers", [
        {"cm_id": c, "name": n, "role": r, "capacity_points": cap, "languages": lg,
         "regions": rg, "active": a}
        for c, n, r, cap, lg, rg, a in ROSTER
    ])  # fmt: skip
    scores_table(con)
    con.execute(
        "create table mart_acute_stays as select * from (values "
        "('s1', 'p1', date '2024-02-20', date '2024-03-04'), "
        "('s2', 'p2', date '2024-02-01', date '2024-02-10'), "
        "('s0', 'p2', date '2023-11-01', date '2023-11-05')) "
        "t(stay_id, person_id, admission_date, discharge_date)"
    )
    _insert(con, "raw_medical_claim", [
        {"claim_id": "c1", "claim_line_number": 1, "claim_type": "professional",
         "person_id": "p2", "claim_start_date": date(2024, 2, 14), "hcpcs_code": "99214"},
        {"claim_id": "c0", "claim_line_number": 1, "claim_type": "professional",
         "person_id": "p1", "claim_start_date": date(2024, 3, 4), "hcpcs_code": "99213"},
    ])  # fmt: skip
    con.execute(
        "create table ml_features_readmission_30d as select * from (values "
        "('p1', date '2024-03-06', false, true, 4, 2.0), "
        "('p2', date '2024-03-06', false, false, 3, 1.0), "
        "('p3', date '2024-03-06', true, null, 14, 5.0), "
        "('p4', date '2024-03-06', false, false, 1, 0.0)) "
        "t(person_id, as_of_date, sdoh_dx_housing, screen_food, active_medications_90d, "
        "charlson_index)"
    )


FIRST = ["Maria", "James", "Linh", "Robert", "Aisha", "Chen", "Olga", "David", "Rosa", "Kwame"]
LAST = [
    "Garcia",
    "Johnson",
    "Nguyen",
    "Brown",
    "Khan",
    "Wei",
    "Ivanova",
    "Miller",
    "Diaz",
    "Mensah",
]
REASONS = [
    "2 hospital stays in the last 6 months", "4 ED visits in the last 6 months",
    "heart failure", "12 active medications", "kidney disease", "length of stay 9 days",
    "low sodium before discharge", "COPD", "lives alone",
]  # fmt: skip


def build_many(con: duckdb.DuckDBPyConnection, n: int = 12) -> None:
    """Add `n` generated patients (x0..) scored in run r1, a large RN, and a year of history."""
    con.execute("set variable first_names = ?", [FIRST])
    con.execute("set variable last_names = ?", [LAST])
    con.execute("set variable reasons = ?", [REASONS])
    con.execute(
        "insert into raw_case_managers (cm_id, name, role, capacity_points, languages, regions, "
        "active) values ('rn2', 'Grace Hopper RN', 'RN', 60, 'English', '787|786', true)"
    )
    con.execute(
        "insert into raw_patient (person_id, patient_id, first_name, last_name, birth_date, "
        "zip_code, county, preferred_language, sex) select 'x' || i, 'x' || i, "
        "getvariable('first_names')[i % 10 + 1], getvariable('last_names')[(i * 3) % 10 + 1], "
        "date '1940-01-01' + (i * 997)::int, '786' || lpad((i % 100)::varchar, 2, '0'), "
        "'Bastrop', 'English', 'male' from range(?) t(i)",
        [n],
    )
    con.execute(
        "insert into ml_scores select 'r1', 'readmission_30d', 'x' || i, date '2024-03-06', "
        "0.18 + (i * 37 % 40) / 100, case when 0.18 + (i * 37 % 40) / 100 >= 0.5 then 1 else 2 "
        "end, [getvariable('reasons')[i % 9 + 1], getvariable('reasons')[(i + 4) % 9 + 1], "
        "getvariable('reasons')[(i + 7) % 9 + 1]], case when i % 3 = 0 then null "
        "else ((i * 7) % 15 - 7) / 100 end from range(?) t(i)",
        [n],
    )
    con.execute(
        "insert into mart_acute_stays select 'sx' || i, 'x' || i, date '2024-02-20', "
        "date '2024-03-06' - (i % 9)::int from range(?) t(i) where i % 2 = 0",
        [n],
    )
    _history(con)


def _history(con: duckdb.DuckDBPyConnection) -> None:
    """Twelve months of scored index stays with outcomes, for the dashboard's rate charts."""
    con.execute(
        "create table if not exists mart_index_stays as select 'h' || i as stay_id, "
        "'h' || i as person_id, date '2023-03-01' + (i % 330)::int as discharge_date, "
        "true as is_index, false as censored, (i % 7 = 0) or (i % 4 = 0 and i % 2 = 0 "
        "and i % 3 = 0) as unplanned_readmit_30 from range(600) t(i)"
    )
    con.execute(
        "insert into ml_scores select 'r0' || strftime(discharge_date, '%Y%m%d'), "
        "'readmission_30d', person_id, discharge_date, 0.3, case when unplanned_readmit_30 then "
        "1 + (hash(stay_id) % 3)::int else 1 + (hash(stay_id) % 4)::int end, [], null "
        "from mart_index_stays"
    )
    con.execute(
        "insert into mart_acute_stays select stay_id, person_id, discharge_date - 4, "
        "discharge_date from mart_index_stays"
    )
    con.execute(
        "insert into raw_medical_claim (claim_id, claim_line_number, claim_type, person_id, "
        "claim_start_date, hcpcs_code) select 'v' || stay_id, 1, 'professional', person_id, "
        "discharge_date + 5, '99214' from mart_index_stays where hash(stay_id) % 3 <> 0"
    )
