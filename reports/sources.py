"""Run the SQL files of `reports/sql/` against whatever the warehouse holds.

A drop may hold any subset of the extracts, so before a report query runs every source it reads is
made to exist with the columns the SQL expects: a missing table becomes an empty temporary table,
a missing column a typed null (in a temporary view that shadows the table). Everything temporary
is dropped again afterwards. Identifiers come from our own contracts and registry only.
"""

from __future__ import annotations

import graphlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from data_contracts import load_contract
from pipelines.warehouse import LINEAGE_COLUMNS
from reports.feature_flags import FLAG_COLUMNS, feature_flags_sql

SQL_DIR = Path(__file__).parent / "sql"
RAW_SOURCES = ("patient", "eligibility", "case_managers", "medical_claim", "encounter")

# Columns the report SQL reads from tables other stages write (DESIGN section 14).
OTHER_SOURCES: dict[str, dict[str, str]] = {
    "ml_scores": {
        "run_id": "VARCHAR",
        "task": "VARCHAR",
        "person_id": "VARCHAR",
        "as_of_date": "DATE",
        "probability": "DOUBLE",
        "tier": "INTEGER",
        "reasons": "VARCHAR[]",
        "trend": "DOUBLE",
    },
    "mart_acute_stays": {"stay_id": "VARCHAR", "person_id": "VARCHAR", "discharge_date": "DATE"},
    "mart_index_stays": {
        "stay_id": "VARCHAR",
        "person_id": "VARCHAR",
        "discharge_date": "DATE",
        "is_index": "BOOLEAN",
        "censored": "BOOLEAN",
        "unplanned_readmit_30": "BOOLEAN",
    },
    "run_log": {
        "run_id": "VARCHAR",
        "stage": "VARCHAR",
        "status": "VARCHAR",
        "rows_in": "BIGINT",
        "rows_loaded": "BIGINT",
        "rows_quarantined": "BIGINT",
        "file": "VARCHAR",
    },
    "quarantine": {
        "run_id": "VARCHAR",
        "file": "VARCHAR",
        "rule": "VARCHAR",
        "severity": "VARCHAR",
    },
}


def assignment_columns() -> dict[str, str]:
    """Columns of `caseload_assignments` (DESIGN section 14, plus run_date, probability, reason)."""
    return {
        "run_id": "VARCHAR",
        "run_date": "DATE",
        "person_id": "VARCHAR",
        "cm_id": "VARCHAR",
        "tier": "INTEGER",
        "points": "INTEGER",
        "status": "VARCHAR",
        "probability": "DOUBLE",
        "reason": "VARCHAR",
    }


def shortfall_columns() -> dict[str, str]:
    """Columns of `caseload_shortfall`: points and case managers short per role group and run."""
    return {
        "run_id": "VARCHAR",
        "run_date": "DATE",
        "role_group": "VARCHAR",
        "patients": "BIGINT",
        "tier_1": "BIGINT",
        "tier_2": "BIGINT",
        "points_short": "BIGINT",
        "average_capacity": "DOUBLE",
        "case_managers_needed": "BIGINT",
    }


@cache
def source_columns() -> dict[str, dict[str, str]]:
    """Every source relation the report SQL reads, with the columns and types it expects."""
    out = {name: dict(cols) for name, cols in OTHER_SOURCES.items()}
    for table in RAW_SOURCES:
        cols = {c.name: c.duckdb_type for c in load_contract(table).columns}
        out[f"raw_{table}"] = cols | dict(LINEAGE_COLUMNS)
    out["caseload_assignments"] = assignment_columns()
    out["caseload_shortfall"] = shortfall_columns()
    return out


@cache
def sql_text(name: str) -> str:
    """The text of `reports/sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _main_columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Column names of every table and view in the current database's schemas (not temp)."""
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_catalog = current_database()"
    ).fetchall()
    out: dict[str, set[str]] = {}
    for table, column in rows:
        out.setdefault(table, set()).add(column)
    return out


def _stand_in(con, name: str, wanted: Mapping[str, str], present: dict[str, set[str]]) -> str:
    """Create the temporary stand-in of one source if needed; return its kind ('' when none)."""
    if name not in present:
        cols = ", ".join(f"{_q(c)} {t}" for c, t in wanted.items())
        con.execute(f"create temp table {_q(name)} ({cols})")
        return "table"
    missing = [c for c in wanted if c not in present[name]]
    if not missing:
        return ""
    db = con.execute("select current_database()").fetchone()[0]
    extra = ", ".join(f"null::{wanted[c]} as {_q(c)}" for c in missing)
    con.execute(f"create temp view {_q(name)} as select *, {extra} from {_q(db)}.main.{_q(name)}")
    return "view"


def _report_views() -> list[str]:
    """Names of the report SQL files in dependency order."""
    names = {p.stem for p in SQL_DIR.glob("rpt_*.sql")}
    graph = {n: duckdb.get_table_names(sql_text(n)) & names for n in names}
    return list(graphlib.TopologicalSorter(graph).static_order())


@contextmanager
def prepared(
    con: duckdb.DuckDBPyConnection, run_id: str, run_date: date, **variables: object
) -> Iterator[None]:
    """Sources made complete, variables set and every `rpt_` relation a temporary view."""
    created: list[tuple[str, str]] = []
    con.execute("set variable run_id = ?", [run_id])
    con.execute("set variable run_date = ?", [run_date])
    for key, value in variables.items():
        con.execute(f"set variable {key} = ?", [value])
    try:
        present = _main_columns(con)
        for name, wanted in source_columns().items():
            kind = _stand_in(con, name, wanted, present)
            if kind:
                created.append((kind, name))
        con.execute(f"create temp view rpt_feature_flags as {feature_flags_sql(present)}")
        created.append(("view", "rpt_feature_flags"))
        for name in _report_views():
            con.execute(f"create temp view {_q(name)} as {sql_text(name)}")
            created.append(("view", name))
        yield
    finally:
        for kind, name in reversed(created):
            con.execute(f"drop {kind} if exists temp.main.{_q(name)}")


def query(con: duckdb.DuckDBPyConnection, name: str) -> pa.Table:
    """All rows of the prepared report relation `name` (inside `prepared`)."""
    return con.sql(f"select * from {_q(name)}").to_arrow_table()


__all__ = ["FLAG_COLUMNS", "prepared", "query", "source_columns", "sql_text"]
