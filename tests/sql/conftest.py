"""Tiny hand-made extracts for the SQL layers: raw tables, reference tables, row builders."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from data_contracts import load_contract
from pipelines.warehouse import LINEAGE_COLUMNS, ensure_raw_tables
from sql.reference import load_reference
from sql.runner import BuildResult, build

# The leak-free cut views issue 4 owns (the features issue may add more int_cut_* views).
CUT_VIEWS = [
    "int_cut_claim_lines",
    "int_cut_diagnoses",
    "int_cut_ed_visits",
    "int_cut_encounters",
    "int_cut_enrollment",
    "int_cut_labs",
    "int_cut_medications",
    "int_cut_observations",
    "int_cut_persons",
    "int_cut_procedures",
    "int_cut_stays",
]

# Everything issue 4 owns: the marts and the cut views (with their upstream). Tests build these
# targets so that feature files written in parallel cannot break them.
CLINICAL_TARGETS = ["mart_acute_stays", "mart_index_stays", "mart_prediction_spine", *CUT_VIEWS]


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file holding every `ref_` table, loaded once per test session."""
    path = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    con = duckdb.connect(str(path))
    load_reference(con)
    con.close()
    return path


def reference_connection(reference_db: Path, kind: str = "view") -> duckdb.DuckDBPyConnection:
    """An in-memory connection with every `ref_` table of the file, as views over it or copies."""
    connection = duckdb.connect(config={"threads": 1})
    path = str(reference_db).replace("'", "''")
    connection.execute(f"attach '{path}' as reference (read_only)")
    names = connection.execute(
        "select table_name from duckdb_tables() where database_name = 'reference'"
    ).fetchall()
    for (name,) in names:
        connection.execute(f"create {kind} {name} as select * from reference.main.{name}")
    if kind == "table":
        connection.execute("detach reference")
    return connection


def new_warehouse(reference_db: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with empty raw tables and copies of the reference tables."""
    connection = reference_connection(reference_db, "table")
    ensure_raw_tables(connection)
    return connection


@pytest.fixture
def con(reference_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh warehouse for one test."""
    connection = new_warehouse(reference_db)
    yield connection
    connection.close()


def load_cases(con: duckdb.DuckDBPyConnection, cases: dict[str, dict[str, list[dict]]]) -> None:
    """Load hand-built cases (case name -> raw table -> rows), each about its own persons."""
    for tables in cases.values():
        for table, table_rows in tables.items():
            load_raw(con, table, table_rows)


def load_raw(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert `rows` into `raw_<table>`; columns a row leaves out are null."""
    ensure_raw_tables(con)
    known = set(load_contract(table).column_names) | {name for name, _ in LINEAGE_COLUMNS}
    for row in rows:
        unknown = set(row) - known
        if unknown:
            raise KeyError(f"raw_{table} has no column(s) {sorted(unknown)}")
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"insert into raw_{table} ({cols}) values ({marks})", list(row.values()))


def build_clinical(
    con: duckdb.DuckDBPyConnection, data_end_date: str = "2021-12-31", **variables: str
) -> BuildResult:
    """Build the clinical marts and cut views with a fixed data end date."""
    return build(con, CLINICAL_TARGETS, {"data_end_date": data_end_date, **variables})


def stay_claim(
    claim_id: str,
    person_id: str,
    admission: str,
    discharge: str,
    disposition: str = "01",
    dx: str = "I509",
    px: str | None = None,
    **extra: object,
) -> dict:
    """One line of an acute inpatient claim (type of bill 111) for `person_id`."""
    row = {
        "claim_id": claim_id,
        "claim_line_number": 1,
        "claim_type": "institutional",
        "person_id": person_id,
        "claim_start_date": admission,
        "claim_end_date": discharge,
        "admission_date": admission,
        "discharge_date": discharge,
        "discharge_disposition_code": disposition,
        "bill_type_code": "111",
        "revenue_center_code": "0120",
        "diagnosis_code_1": dx,
        "procedure_code_1": px,
        "paid_amount": 5000.0,
        "allowed_amount": 6000.0,
        "paid_date": None,
    }
    row.update(extra)
    return row


def inpatient_encounter(
    encounter_id: str,
    person_id: str,
    admission: str,
    discharge: str | None,
    disposition: str = "01",
    dx: str = "I50.9",
    encounter_type: str = "acute inpatient",
) -> dict:
    """One EHR encounter row (acute inpatient by default)."""
    return {
        "encounter_id": encounter_id,
        "person_id": person_id,
        "encounter_type": encounter_type,
        "encounter_start_date": admission,
        "encounter_end_date": discharge,
        "discharge_disposition_code": disposition,
        "primary_diagnosis_code": dx,
    }


def member(
    person_id: str,
    birth: str = "1950-01-01",
    start: str = "2019-01-01",
    end: str | None = None,
    death: str | None = None,
) -> dict:
    """One eligibility span for `person_id` (open-ended by default)."""
    return {
        "person_id": person_id,
        "member_id": f"m{person_id}",
        "birth_date": birth,
        "death_date": death,
        "enrollment_start_date": start,
        "enrollment_end_date": end,
        "payer": "medicare",
        "payer_type": "medicare",
        "gender": "female",
    }


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """The result of `sql` as a list of dicts (column name -> value)."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def d(text: str) -> date:
    """A date from ISO text (keeps expected values readable)."""
    return date.fromisoformat(text)
