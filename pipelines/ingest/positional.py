"""CSV sources checked and loaded on every thread: rows are numbered by position, not a window.

A `row_number() over ()` window makes DuckDB read a file on one thread. Instead, the rule scan
is an order-preserving create-table-as (its rowid is the data row), and the load inserts the rows
no error-level rule breaks in file order, numbers them from their row ids and the quarantined
rows' positions, and checks both passes saw the same order, all inside the load's transaction.
Nothing is deleted from the raw table: a delete in the transaction of a large insert makes DuckDB
rewrite every inserted row at commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from data_contracts import load_contract
from pipelines.ingest.source import Header
from sql.ingest import ident, idents, render, run_script, set_variables

if TYPE_CHECKING:  # checks.py imports this module
    from pipelines.ingest.checks import SourceCheck


class RowOrderError(RuntimeError):
    """The rule scan and the load did not see a file's rows in the same order."""


def check_column(table: str, present: list[str]) -> str | None:
    """A column loaded as delivered text, used to check both passes kept the file order."""
    contract = load_contract(table)
    known = set(contract.column_names)
    return next(
        (c for c in present if c not in known or contract.column(c).type == "varchar"), None
    )


def _first_rowid(con: duckdb.DuckDBPyConnection, query: str, what: str, rows: int | None) -> int:
    """The first row id of a span that must be contiguous (and hold `rows` rows when given)."""
    first, last, count = con.execute(query).fetchone()
    if (rows is not None and count != rows) or (count and last - first + 1 != count):
        raise RowOrderError(
            f"{what}: {count} rows with row ids {first}..{last}, expected "
            f"{count if rows is None else rows} rows in one contiguous span"
        )
    return first or 0


def scan(con: duckdb.DuckDBPyConnection, masks: list[str], table: str, present: list[str]) -> None:
    """Build `__scan` (row numbers and failure masks) from `__src_plain` in one parallel pass."""
    col = check_column(table, present)
    check = f"hash({ident(col)})" if col else "null::ubigint"
    columns = "".join(",\n    " + item for item in masks)
    con.execute(render("scan_positional", check=check, columns=columns))
    first = _first_rowid(con, render("scan_span"), f"the rule scan of raw_{table}", None)
    set_variables(con, {"readmit_scan_first_rowid": first})
    con.execute(render("scan_numbered"))


def _number_rows(con: duckdb.DuckDBPyConnection, raw: str, label: str, rows: int) -> None:
    first = _first_rowid(con, render("load_span", table=raw), f"{label} in {raw}", rows)
    if not rows:
        return
    set_variables(con, {"readmit_first_rowid": first})
    gaps = con.execute("select count(*) from __quarantined").fetchone()[0]
    if gaps:
        run_script(con, "quarantine_gaps")
    con.execute(render("number_rows_gaps" if gaps else "number_rows", table=raw))


def _check_order(con: duckdb.DuckDBPyConnection, raw: str, label: str, col: str | None) -> None:
    if col is None:
        return
    loaded = con.execute(render("order_check_loaded", table=raw, col=ident(col))).fetchone()[0]
    scanned = con.execute(render("order_check_scan")).fetchone()[0]
    if loaded != scanned:
        raise RowOrderError(
            f"{label}: the rule scan and the load saw the rows in a different order; nothing "
            "was loaded. Re-run with READMIT_DUCKDB_THREADS=1 and report this as a bug."
        )


def load(
    con: duckdb.DuckDBPyConnection,
    header: Header,
    values: list[str],
    check: SourceCheck,
    label: str,
) -> int:
    """Insert the rows of `__src_plain` the rule scan kept, in file order, and number them."""
    raw = ident(f"raw_{header.table}")
    inserted = con.execute(
        render(
            "insert_raw_positional",
            table=raw,
            targets=idents(header.present),
            values=",\n    ".join(values),
            keep=check.keep,
        )
    ).fetchone()[0]
    if inserted != check.rows_loaded:
        raise RowOrderError(
            f"{label}: kept {inserted} rows on load but {check.rows_loaded} on the scan"
        )
    _number_rows(con, raw, label, inserted)
    _check_order(con, raw, label, check_column(header.table, header.present))
    return inserted
