"""Read the caseload inputs from the warehouse and write `caseload_assignments` for a run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import duckdb
import polars as pl

from reports import sources
from reports.assign_costs import CostTable
from reports.caseload import (
    DEFAULT_TIER_POINTS,
    DEFAULT_TIME_LIMIT,
    CaseloadResult,
    assign_caseloads,
)

SHORTFALL_COLUMNS = sources.shortfall_columns()


def _ddl(table: str, columns: Mapping[str, str]) -> str:
    cols = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    return f"create table if not exists {table} ({cols})"


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create `caseload_assignments` and `caseload_shortfall` when missing."""
    con.execute(_ddl("caseload_assignments", sources.assignment_columns()))
    con.execute(_ddl("caseload_shortfall", SHORTFALL_COLUMNS))


def read_inputs(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    run_date: date,
    complex_charlson: float = 3.0,
    polypharmacy_medications: float = 10.0,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(people, roster, previous) for `assign_caseloads`, from the warehouse."""
    with sources.prepared(
        con,
        run_id,
        run_date,
        complex_charlson=float(complex_charlson),
        polypharmacy_medications=float(polypharmacy_medications),
    ):
        people = pl.from_arrow(sources.query(con, "rpt_people"))
        roster = pl.from_arrow(sources.query(con, "rpt_roster"))
        previous = pl.from_arrow(sources.query(con, "rpt_previous_assignments"))
    return people, roster, previous


def write_result(
    con: duckdb.DuckDBPyConnection, result: CaseloadResult, run_id: str, run_date: date
) -> None:
    """Replace this run date's rows of `caseload_assignments` and `caseload_shortfall` at once."""
    ensure_tables(con)
    rows = result.assignments.with_columns(run_id=pl.lit(run_id), run_date=pl.lit(run_date))
    rows = rows.select(list(sources.assignment_columns())).to_arrow()
    short = result.shortfall.with_columns(run_id=pl.lit(run_id), run_date=pl.lit(run_date))
    short = short.select(list(SHORTFALL_COLUMNS)).to_arrow()
    con.execute("begin transaction")
    try:
        con.execute("delete from caseload_assignments where run_date = ?", [run_date])
        con.execute("delete from caseload_shortfall where run_date = ?", [run_date])
        con.register("_caseload_rows", rows)
        con.register("_caseload_short", short)
        con.execute("insert into caseload_assignments by name select * from _caseload_rows")
        con.execute("insert into caseload_shortfall by name select * from _caseload_short")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.unregister("_caseload_rows")
        con.unregister("_caseload_short")


def run_caseload(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    run_date: date,
    tier_points: Mapping[int, int] = DEFAULT_TIER_POINTS,
    costs: CostTable | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    complex_charlson: float = 3.0,
    polypharmacy_medications: float = 10.0,
) -> CaseloadResult:
    """Assign this run's tier 1-2 patients and store the rows; returns the result."""
    people, roster, previous = read_inputs(
        con, run_id, run_date, complex_charlson, polypharmacy_medications
    )
    result = assign_caseloads(people, roster, previous, tier_points, costs, time_limit)
    write_result(con, result, run_id, run_date)
    return result
