"""The run log: one row per stage of a run (and per file a load wrote), in the warehouse.

Every stage (ingest, build, train, score, ...) calls `start_stage` then `finish_stage`; a failed
stage still gets its row, with the message, written outside the stage's own transaction.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path

import duckdb

from sql.ingest import sql_text
from sql.scoring import sql_text as scoring_sql

SOURCE_ROOT = Path(__file__).resolve().parents[1]

STATUSES = ("running", "success", "failed", "skipped")


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: UTC time to the second plus 6 random hex digits."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@cache
def code_version() -> str:
    """The installed readmit version plus the git commit (and `.dirty`) of a source checkout."""
    try:
        version = metadata.version("readmit")
    except metadata.PackageNotFoundError:
        version = "unknown"
    commit = _git("rev-parse", "--short=12", "HEAD")
    if not commit:
        return version
    dirty = ".dirty" if _git("status", "--porcelain", "--untracked-files=no") else ""
    return f"{version}+g{commit}{dirty}"


def _git(*args: str) -> str:
    """Output of a git command in the source folder ('' when it is not a checkout)."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=SOURCE_ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def ensure_run_log(con: duckdb.DuckDBPyConnection) -> None:
    """Create the run_log table if it does not exist, with the columns added since."""
    con.execute(sql_text("ddl_run_log"))
    con.execute(scoring_sql("runlog_columns"))


def record_context(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    stage: str,
    model_versions: dict[str, str],
    inputs: dict[str, str] | None = None,
) -> None:
    """Note on a stage's row the champion versions in use and (for ingest) the input checksums."""
    ensure_run_log(con)
    versions = json.dumps(model_versions, sort_keys=True)
    files = json.dumps(inputs, sort_keys=True) if inputs is not None else None
    con.execute(scoring_sql("runlog_context"), [versions, files, run_id, stage])


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
