"""Check a landing folder against the contracts without loading anything (`readmit validate`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from data_contracts.errors import ContractError
from pipelines.ingest.discovery import LandingFile, discover, fingerprint
from pipelines.ingest.fhir import stage_fhir
from pipelines.ingest.load import Lineage
from pipelines.ingest.source import open_flat
from pipelines.ingest.steps import (
    Options,
    Progress,
    check_file,
    fhir_headers,
    load_and_check,
    prepare,
    read_errors,
)


@dataclass
class Verdict:
    """What `readmit validate` says about one (file, raw table)."""

    file: str
    table: str | None
    rows_in: int = 0
    error_rows: int = 0
    warning_rows: int = 0
    stops_run: bool = False
    message: str = ""


def _verdicts(con, f: LandingFile, patients, options) -> list[Verdict]:
    """Check one file the way a load would, inside a transaction that is rolled back."""
    lineage = Lineage("validate", f.label, fingerprint(f), f.extract_date)
    out = []
    con.begin()
    try:
        with read_errors(f.label):
            if f.fmt == "ndjson":
                headers = fhir_headers(con, f, stage_fhir(con, f, patients))
            else:
                headers = iter([open_flat(con, f)])
            for header in headers:
                check = load_and_check(
                    con, header, check_file(con, f, header, options), lineage, options
                )
                out.append(
                    Verdict(
                        f.label,
                        header.table,
                        check.rows_in,
                        check.rows_quarantined,
                        check.warning_rows,
                    )
                )
    finally:
        con.rollback()
    return out


def validate_landing(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    *,
    engine: str = "auto",
    max_bad_share: float = 0.05,
    progress: Progress | None = None,
) -> list[Verdict]:
    """Run every contract over every file of `landing_dir`; every change is rolled back.

    Give it a scratch database (the CLI uses a temporary file): rows are inserted to run the
    cross-row rules exactly as a load would, then rolled back.
    """
    prepare(con)
    options = Options(engine, max_bad_share)
    drops, other = discover(Path(landing_dir))
    files = [(d, f) for d in drops for f in d.files]
    verdicts = [Verdict(n, None, message="not a drop folder: ignored") for n in other]
    verdicts += [
        Verdict(n, None, message="unknown file name: ignored") for d in drops for n in d.unknown
    ]
    for i, (drop, f) in enumerate(files, start=1):
        if progress:
            progress(f.label, i, len(files))
        patients = [p.path for p in drop.files if p.resource == "Patient"]
        try:
            verdicts += _verdicts(con, f, patients, options)
        except ContractError as exc:
            verdicts.append(
                Verdict(f.label, f.table or f.resource, stops_run=True, message=str(exc))
            )
    return verdicts
