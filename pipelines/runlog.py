"""The run log: one row per stage of a run (and per file a load wrote), in the warehouse.

Every stage (ingest, build, train, score, ...) calls `start_stage` then `finish_stage`; a failed
stage still gets its row, with the message, written outside the stage's own transaction.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from importlib import metadata

import duckdb

from sql.ingest import sql_text

STATUSES = ("running", "success", "failed", "skipped")


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: UTC time to the second plus 6 random hex digits."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def code_version() -> str:
    """The installed readmit version, recorded with every run-log row."""
    try:
        return metadata.version("readmit")
    except metadata.PackageNotFoundError:
        return "unknown"


def ensure_run_log(con: duckdb.DuckDBPyConnection) -> None:
    """Create the run_log table if it does not exist."""
    con.execute(sql_text("ddl_run_log"))


def start_stage(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    stage: str,
    *,
    file: str | None = None,
    table_name: str | None = None,
    message: str | None = None,
) -> None:
    """Append a `running` row for this stage of the run."""
    ensure_run_log(con)
    con.execute(
        sql_text("runlog_start"),
        [run_id, stage, _now(), "running", message, file, table_name, code_version()],
    )


def finish_stage(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    stage: str,
    *,
    status: str = "success",
    rows_in: int | None = None,
    rows_loaded: int | None = None,
    rows_quarantined: int | None = None,
    message: str | None = None,
    file: str | None = None,
) -> None:
    """Close the stage's `running` row with its status, counts and message."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    con.execute(
        sql_text("runlog_finish"),
        [_now(), status, rows_in, rows_loaded, rows_quarantined, message, run_id, stage, file],
    )


def record_stage(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    stage: str,
    *,
    status: str,
    started_at: datetime,
    rows_in: int | None = None,
    rows_loaded: int | None = None,
    rows_quarantined: int | None = None,
    message: str | None = None,
    file: str | None = None,
    table_name: str | None = None,
    checksum: str | None = None,
) -> None:
    """Append one finished row (a stage or a file a stage processed)."""
    ensure_run_log(con)
    values = [run_id, stage, started_at, _now(), status, rows_in, rows_loaded, rows_quarantined]
    values += [message, file, table_name, checksum, code_version()]
    con.execute(sql_text("runlog_record"), values)


def stage_history(con: duckdb.DuckDBPyConnection, stage: str, limit: int = 30) -> list[dict]:
    """The latest runs of a stage, newest first, as dicts."""
    ensure_run_log(con)
    cursor = con.execute(sql_text("runlog_history"), [stage, limit])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
