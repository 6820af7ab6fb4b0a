"""Load every new drop of a landing folder (one transaction per drop), or only check it."""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.ingest.checks import SourceCheck
from pipelines.ingest.discovery import Drop, LandingFile, discover, fingerprint, require_drops
from pipelines.ingest.fhir import stage_fhir
from pipelines.ingest.load import (
    Lineage,
    add_finding,
    earlier_files,
    known_checksum,
    record_file,
    replace_files,
)
from pipelines.ingest.source import Header, open_flat
from pipelines.ingest.steps import (
    ENGINE_CHOICES,
    Options,
    Progress,
    check_file,
    fhir_headers,
    load_and_check,
    prepare,
    read_errors,
)
from pipelines.runlog import finish_stage, record_stage, start_stage

log = logging.getLogger("readmit.ingest")


@dataclass
class FileResult:
    """What happened to one (file, raw table)."""

    file: str
    table: str | None
    status: str
    checksum: str | None = None
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    warning_rows: int = 0
    engine: str | None = None
    message: str = ""


@dataclass
class IngestResult:
    """Every file of a run and the names in the landing folder it ignored."""

    run_id: str
    files: list[FileResult] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def total(self, name: str) -> int:
        """Sum of a count (`rows_in`, `rows_loaded`, `rows_quarantined`) over loaded files."""
        return sum(getattr(f, name) for f in self.files)


def _result(f: LandingFile, check: SourceCheck, status: str, checksum: str | None) -> FileResult:
    return FileResult(
        f.label,
        check.table,
        status,
        checksum,
        check.rows_in,
        check.rows_loaded,
        check.rows_quarantined,
        check.warning_rows,
        check.engine,
    )


def _file_notes(con, run_id: str, f: LandingFile, header: Header) -> None:
    if header.extra:
        add_finding(
            con, run_id, f.label, header.table, "extra_columns_kept", ",".join(header.extra)
        )
    if header.unusable:
        names = ",".join(header.unusable)
        add_finding(con, run_id, f.label, header.table, "column_name_not_loadable", names)


def _load_one(
    con, f: LandingFile, header: Header, lineage: Lineage, options, check=None
) -> FileResult:
    started = datetime.now(UTC).replace(tzinfo=None)
    check = check or check_file(con, f, header, options)
    check = load_and_check(con, header, check, lineage, options)
    loaded = check.rows_loaded
    record_file(con, lineage, header.table, f.slot, "loaded", check)
    _file_notes(con, lineage.run_id, f, header)
    record_stage(
        con,
        lineage.run_id,
        "ingest_file",
        status="success",
        started_at=started,
        rows_in=check.rows_in,
        rows_loaded=loaded,
        rows_quarantined=check.rows_quarantined,
        file=f.label,
        table_name=header.table,
        checksum=lineage.checksum,
    )
    log.info(
        "run %s: %s -> raw_%s: %d in, %d loaded, %d quarantined (%s)",
        lineage.run_id,
        f.label,
        header.table,
        check.rows_in,
        loaded,
        check.rows_quarantined,
        check.engine,
    )
    return _result(f, check, "loaded", lineage.checksum)


def _keep_previous(con, f: LandingFile, lineage: Lineage, table: str | None) -> FileResult:
    """A header-only (or resource-less) re-delivery loads nothing and keeps the earlier rows."""
    record_file(con, lineage, table, f.slot, "empty")
    add_finding(con, lineage.run_id, f.label, table, "empty_redelivery_kept_previous", rows=0)
    log.warning(
        "run %s: %s has no rows; the earlier delivery stays loaded", lineage.run_id, f.label
    )
    message = "no data rows: the earlier delivery of this file stays loaded"
    return FileResult(f.label, table, "empty", lineage.checksum, message=message)


def _ingest_file(
    con, f: LandingFile, run_id: str, patients: list[Path], options
) -> list[FileResult]:
    checksum = fingerprint(f)
    lineage = Lineage(run_id, f.label, checksum, f.extract_date)
    if known_checksum(con, checksum):
        message = "already taken in (same checksum): nothing changes"
        return [FileResult(f.label, f.table or f.resource, "skipped", checksum, message=message)]
    earlier = earlier_files(con, f.extract_date, f.slot)
    with read_errors(f.label):
        if f.fmt == "ndjson":
            return _ingest_fhir(con, f, lineage, patients, earlier, options)
        header = open_flat(con, f)
        check = check_file(con, f, header, options)
        if check.rows_in == 0 and earlier:
            return [_keep_previous(con, f, lineage, f.table)]
        if check.rows_in == 0:
            add_finding(con, run_id, f.label, f.table, "header_only", rows=0)
        replace_files(con, earlier)
        return [_load_one(con, f, header, lineage, options, check)]


def _ingest_fhir(
    con, f, lineage: Lineage, patients, earlier: list[str], options
) -> list[FileResult]:
    staged = stage_fhir(con, f, patients)
    if staged.other_lines:
        add_finding(
            con, lineage.run_id, f.label, None, "other_resource_type", rows=staged.other_lines
        )
    if staged.resources == 0 and earlier:
        return [_keep_previous(con, f, lineage, None)]
    replace_files(con, earlier)
    headers = fhir_headers(con, f, staged)
    return [_load_one(con, f, header, lineage, options) for header in headers]


def _ingest_drop(con, drop: Drop, run_id: str, options: Options, tick) -> list[FileResult]:
    patients = [f.path for f in drop.files if f.resource == "Patient"]
    results: list[FileResult] = []
    con.begin()
    try:
        for f in drop.files:
            tick(f.label)
            results += _ingest_file(con, f, run_id, patients, options)
        for name in drop.unknown:
            add_finding(con, run_id, name, None, "unknown_file")
        con.commit()
    except BaseException:
        with suppress(duckdb.Error):  # an invalidated database cannot roll back; keep the cause
            con.rollback()
        raise
    return results


def _ingest_drops(con, landing_dir: Path, result: IngestResult, options, progress) -> int:
    """Load every drop in date order (one transaction each); the number of drops."""
    drops, other = discover(landing_dir)
    require_drops(landing_dir, drops, other)
    result.ignored = list(other) + [n for d in drops for n in d.unknown]
    total = sum(len(d.files) for d in drops)
    done = iter(range(1, total + 1))

    def tick(label: str) -> None:
        if progress:
            progress(label, next(done), total)

    for name in other:
        add_finding(con, result.run_id, name, None, "unknown_file")
    for drop in drops:
        result.files += _ingest_drop(con, drop, result.run_id, options, tick)
    return len(drops)


def ingest_landing(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    run_id: str,
    *,
    engine: str = "auto",
    max_bad_share: float = 0.05,
    progress: Progress | None = None,
) -> IngestResult:
    """Load every drop under `landing_dir` not loaded yet; a ContractError rolls back its drop."""
    if engine not in ENGINE_CHOICES:
        raise ValueError(f"engine must be one of {ENGINE_CHOICES}, not {engine!r}")
    prepare(con)
    options = Options(engine, max_bad_share)
    start_stage(con, run_id, "ingest", message=str(landing_dir))
    result = IngestResult(run_id)
    try:
        drops = _ingest_drops(con, Path(landing_dir), result, options, progress)
    except BaseException as exc:
        with suppress(duckdb.Error):  # the cause matters more than its run-log row
            message = str(exc) or type(exc).__name__
            finish_stage(con, run_id, "ingest", status="failed", message=message)
        raise
    finish_stage(
        con,
        run_id,
        "ingest",
        rows_in=result.total("rows_in"),
        rows_loaded=result.total("rows_loaded"),
        rows_quarantined=result.total("rows_quarantined"),
        message=f"{len(result.files)} file(s) from {drops} drop(s)",
    )
    return result
