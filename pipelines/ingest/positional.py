"""CSV sources checked and loaded on every thread: rows are numbered by position, not a window.

A `row_number() over ()` window makes DuckDB read a file on one thread. Instead, the rule scan
is an order-preserving create-table-as (its rowid is the data row), and the load inserts every
row in file order, numbers the rows from their row ids, checks both passes saw the same order,
and deletes the quarantined rows, all inside the load's transaction.
"""

from __future__ import annotations

import duckdb

from data_contracts import load_contract
from pipelines.ingest.source import Header
from sql.ingest import ident, idents, render, set_variables


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


def _number_rows(con: duckdb.DuckDBPyConnection, raw: str, label: str, rows_in: int) -> None:
    first = _first_rowid(con, render("load_span", table=raw), f"{label} in {raw}", rows_in)
    if rows_in:
        set_variables(con, {"readmit_first_rowid": first})
        con.execute(render("number_rows", table=raw))


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
    con: duckdb.DuckDBPyConnection, header: Header, values: list[str], rows_in: int, label: str
) -> int:
    """Insert every row of `__src_plain`, number it, drop quarantined rows; rows kept."""
    raw = ident(f"raw_{header.table}")
    inserted = con.execute(
        render(
            "insert_raw_positional",
            table=raw,
            targets=idents(header.present),
            values=",\n    ".join(values),
        )
    ).fetchone()[0]
    if inserted != rows_in:
        raise RowOrderError(f"{label}: read {inserted} rows on load but {rows_in} on the scan")
    _number_rows(con, raw, label, rows_in)
    _check_order(con, raw, label, check_column(header.table, header.present))
    dropped = con.execute(render("drop_quarantined", table=raw)).fetchone()[0]
    return inserted - dropped
