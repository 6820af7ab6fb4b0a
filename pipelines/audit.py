"""The audit trail: who ran each run, what it read and what it wrote, by checksum (`audit_log`).

A run calls `audited(...)` right after taking the workspace lock: on entry, stages that an earlier
run left `running` (it was killed or crashed) are closed as failed; on exit, one row per input and
output file is written with the run's status. Rows hold names and checksums, never patient data.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from models.registry import champion_dir
from models.tasks import TASKS
from pipelines.publish import RUNS_DIR
from pipelines.runlog import code_version, ensure_run_log
from pipelines.settings import Settings
from pipelines.warehouse import connect

log = logging.getLogger("readmit.audit")

SQL_DIR = Path(__file__).resolve().parents[1] / "sql" / "audit"
INTERRUPTED = "interrupted: the run ended before this stage finished (killed or crashed)"
CHUNK = 1 << 20


@dataclass(frozen=True)
class AuditFile:
    """One file a run read or wrote."""

    direction: str
    name: str
    sha256: str | None
    bytes: int | None = None


def sql_text(name: str) -> str:
    """The text of `sql/audit/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text()


def os_user() -> str:
    """The operating-system account running this process."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def close_interrupted(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Mark stages other runs left `running` as failed (call while holding the run lock)."""
    ensure_run_log(con)
    cursor = con.execute(sql_text("runlog_interrupted"), [_now(), INTERRUPTED, run_id])
    closed = cursor.fetchone()[0]
    if closed:
        log.warning("run %s: closed %d stage(s) of interrupted earlier runs", run_id, closed)
    return closed


def input_files(con: duckdb.DuckDBPyConnection, workspace: Path) -> list[AuditFile]:
    """Extract files the warehouse holds rows from, and every champion model file."""
    files: list[AuditFile] = []
    if _has_table(con, "ingest_files"):
        rows = con.execute(sql_text("audit_inputs")).fetchall()
        files += [AuditFile("input", name, sha) for name, sha in rows]
    for task in TASKS:
        champion = champion_dir(workspace / "models", task)
        if champion is not None:
            files += _files_under(champion, "input", {"model.txt", "calibrator.json"}, workspace)
    return files


def output_files(workspace: Path, run_id: str) -> list[AuditFile]:
    """Every file the run wrote into its run folder."""
    return _files_under(workspace / RUNS_DIR / run_id, "output", None, workspace)


def record_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    command: str,
    status: str,
    files: list[AuditFile],
    message: str | None = None,
) -> int:
    """Append the run's audit rows (one per file, or one bare row); returns rows written."""
    con.execute(sql_text("ddl_audit_log"))
    head = [run_id, _now(), os_user(), socket.gethostname(), command, status, message]
    rows = [head + [f.direction, f.name, f.sha256, f.bytes, code_version()] for f in files]
    rows = rows or [head + [None, None, None, None, code_version()]]
    con.executemany(sql_text("audit_record"), rows)
    return len(rows)


@contextmanager
def audited(settings: Settings, run_id: str, command: str = "nightly") -> Iterator[None]:
    """Close interrupted stages first; on exit record the run, its user, inputs and outputs."""
    with _warehouse(settings) as con:
        close_interrupted(con, run_id)
    try:
        yield
    except BaseException as exc:
        try:
            _record(settings, run_id, command, "failed", type(exc).__name__)
        except Exception as audit_exc:  # noqa: BLE001 - the run's own error matters more
            log.error("run %s: audit row not written (%s)", run_id, type(audit_exc).__name__)
        raise
    _record(settings, run_id, command, "success", None)


def _record(settings: Settings, run_id: str, command: str, status: str, message: str | None):
    with _warehouse(settings) as con:
        files = input_files(con, settings.workspace) + output_files(settings.workspace, run_id)
        written = record_run(con, run_id, command, status, files, message)
    log.info("run %s: %d audit row(s), status %s", run_id, written, status)


@contextmanager
def _warehouse(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(
        settings.warehouse,
        threads=settings.duckdb_threads,
        memory_limit=settings.duckdb_memory_limit,
    )
    try:
        yield con
    finally:
        con.close()


def _files_under(
    folder: Path, direction: str, names: set[str] | None, workspace: Path
) -> list[AuditFile]:
    if not folder.is_dir():
        return []
    paths = sorted(p for p in folder.rglob("*") if p.is_file() and (not names or p.name in names))
    return [
        AuditFile(direction, str(p.relative_to(workspace)), file_sha256(p), p.stat().st_size)
        for p in paths
    ]


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute(sql_text("has_table"), [name]).fetchone()[0])


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
