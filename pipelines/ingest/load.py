"""Write a checked source to the warehouse: raw rows with lineage, quarantine, findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from data_contracts import TABLES, load_contract
from pipelines.ingest.checks import SourceCheck
from pipelines.ingest.positional import load as load_positional
from pipelines.ingest.predicates import checked_type
from pipelines.ingest.source import Header
from pipelines.runlog import ensure_run_log
from pipelines.warehouse import ensure_raw_tables
from sql.ingest import fragment, ident, idents, render, run_script, set_variables


@dataclass(frozen=True)
class Lineage:
    """What every raw row of one file carries besides its values."""

    run_id: str
    label: str
    checksum: str
    extract_date: date


def ensure_ingest_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables, ingest_files, quarantine, dq_findings and run_log if missing."""
    ensure_raw_tables(con)
    run_script(con, "ddl_ingest")
    ensure_run_log(con)


def known_checksum(con: duckdb.DuckDBPyConnection, checksum: str) -> bool:
    """True when a file with exactly these bytes was taken in before."""
    return bool(con.execute(render("known_checksum"), [checksum]).fetchone()[0])


def earlier_files(con: duckdb.DuckDBPyConnection, extract_date: date, slot: str) -> list[str]:
    """Files currently loaded for this slot and extract date (what a re-delivery replaces)."""
    return [r[0] for r in con.execute(render("earlier_files"), [extract_date, slot]).fetchall()]


def replace_files(con: duckdb.DuckDBPyConnection, files: list[str]) -> int:
    """Delete the raw rows those files loaded and mark their records replaced; rows deleted."""
    if not files:
        return 0
    set_variables(con, {"readmit_replaced_files": files})
    deleted = 0
    for table in TABLES:
        deleted += con.execute(render("delete_files", table=ident(f"raw_{table}"))).fetchone()[0]
    run_script(con, "mark_replaced")
    return deleted


def _keep_extra_columns(con: duckdb.DuckDBPyConnection, table: str, extra: tuple[str, ...]) -> None:
    for col in extra:
        con.execute(render("add_column", table=ident(f"raw_{table}"), col=ident(col)))


def _value(table: str, col: str) -> str:
    contract = load_contract(table)
    if col in contract.column_names and contract.column(col).type != "varchar":
        return fragment("cast", col=ident(col), type=checked_type(contract.column(col).duckdb_type))
    return fragment("text_column", col=ident(col))


def load_source(
    con: duckdb.DuckDBPyConnection, header: Header, check: SourceCheck, lineage: Lineage
) -> int:
    """Insert the rows of `__src` that passed the row rules, then their quarantine and findings."""
    table = header.table
    set_variables(
        con,
        {
            "readmit_run_id": lineage.run_id,
            "readmit_label": lineage.label,
            "readmit_checksum": lineage.checksum,
            "readmit_extract_date": lineage.extract_date,
            "readmit_table": table,
        },
    )
    loaded = 0
    if header.present:
        _keep_extra_columns(con, table, header.extra)
        values = [_value(table, c) for c in header.present]
        if check.positional:
            loaded = load_positional(con, header, values, check, lineage.label)
        else:
            statement = render(
                "insert_raw",
                table=ident(f"raw_{table}"),
                targets=idents(header.present),
                values=",\n    ".join(values),
            )
            loaded = con.execute(statement).fetchone()[0]
    if loaded != check.rows_loaded:
        raise RuntimeError(
            f"{lineage.label}: loaded {loaded} rows into raw_{table} but expected "
            f"{check.rows_loaded} ({check.rows_in} in, {check.rows_quarantined} quarantined)"
        )
    run_script(con, "write_quarantine")
    run_script(con, "write_findings")
    return loaded


def add_finding(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    file: str,
    table: str | None,
    rule: str,
    column: str | None = None,
    rows: int | None = None,
    severity: str = "warn",
) -> None:
    """Record one finding about a file (unknown name, empty re-delivery, extra columns, ...)."""
    con.execute(render("add_finding"), [run_id, file, table, rule, column, severity, rows])


def record_file(
    con: duckdb.DuckDBPyConnection,
    lineage: Lineage,
    table: str | None,
    slot: str,
    status: str,
    check: SourceCheck | None = None,
) -> None:
    """Record what the load did with one (file, raw table) in ingest_files."""
    counts = [check.rows_in, check.rows_loaded, check.rows_quarantined] if check else [0, 0, 0]
    values = [lineage.run_id, lineage.extract_date, table, slot, lineage.label, lineage.checksum]
    con.execute(render("record_file"), values + counts + [status])
