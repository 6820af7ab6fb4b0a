"""Steps shared by loading and checking a landing folder: connection setup, reading, checking."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

from pipelines.errors import ReadmitError
from pipelines.ingest.checks import SourceCheck, check_source, enforce_threshold
from pipelines.ingest.crossrow import check_loaded
from pipelines.ingest.discovery import LandingFile
from pipelines.ingest.fhir import StagedFhir, define_macros, staged_columns
from pipelines.ingest.load import Lineage, add_finding, ensure_ingest_tables, load_source
from pipelines.ingest.source import Header, classify, explain
from sql.ingest import ident, render, run_script

ENGINE_CHOICES = ("auto", "duckdb", "gx")
AUTO_GX_MAX_ROWS = 20_000  # GX costs ~50 ms per expectation per chunk: only small sources use it
AUTO_GX_MAX_BYTES = 8_000_000
Progress = Callable[[str, int, int], None]


@dataclass
class Options:
    """How sources are checked: the engine and the share of bad rows that stops a run."""

    engine: str = "auto"
    max_bad_share: float = 0.05
    chunk_rows: int = 100_000


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Tables and macros the loader needs on this connection."""
    con.execute("set enable_progress_bar = false")
    # CSV rows are numbered by the order-preserving scan and load (pipelines/ingest/positional.py)
    con.execute("set preserve_insertion_order = true")
    ensure_ingest_tables(con)
    run_script(con, "macros")
    define_macros(con)


@contextmanager
def read_errors(label: str) -> Iterator[None]:
    """Turn DuckDB read failures (encoding, ragged rows, bad JSON) into ContractErrors."""
    try:
        yield
    except duckdb.Error as exc:
        explained = explain(label, exc)
        if explained is not None:
            raise explained from None
        # DuckDB's own text may quote a line of the file: keep it out of messages and logs.
        raise ReadmitError(
            f"{label}: DuckDB could not process the file ({type(exc).__name__}). "
            "Run with --debug for the details (they may show values from the file)."
        ) from exc


def choose_engine(con: duckdb.DuckDBPyConnection, options: Options, size: int | None) -> str:
    if options.engine != "auto":
        return options.engine
    if size is not None and size > AUTO_GX_MAX_BYTES:
        return "duckdb"
    rows = con.execute("select count(*) from __src").fetchone()[0]
    return "gx" if rows <= AUTO_GX_MAX_ROWS else "duckdb"


def check_file(con, f: LandingFile, header: Header, options: Options) -> SourceCheck:
    size = f.path.stat().st_size * (8 if f.compressed else 1) if f.fmt != "ndjson" else None
    check = check_source(
        con,
        f.label,
        header.table,
        header.present,
        extract_date=f.extract_date,
        engine=choose_engine(con, options, size),
        chunk_rows=options.chunk_rows,
        positional=header.positional,
    )
    enforce_threshold(check, options.max_bad_share)
    return check


def fhir_headers(con, f: LandingFile, staged: StagedFhir) -> Iterator[Header]:
    """Point `__src` at each staged table in turn and yield its header."""
    for table, name in staged.tables:
        con.execute(render("source_table", table=ident(name)))
        yield classify(f.label, table, staged_columns(con, name), require=False)


def load_and_check(
    con: duckdb.DuckDBPyConnection, header: Header, check: SourceCheck, lineage: Lineage, options
) -> SourceCheck:
    """Insert the rows that passed, run the cross-row rules on them, and re-check the limit."""
    load_source(con, header, check, lineage)
    found = check_loaded(con, header.table, header.present)
    for finding in found:
        add_finding(
            con,
            lineage.run_id,
            lineage.label,
            header.table,
            finding.rule,
            finding.column,
            finding.rows,
            finding.severity,
        )
    check.add(found)
    enforce_threshold(check, options.max_bad_share)
    return check
