"""De-identified export for analysts who must not see identities (DESIGN section 12).

Writes Parquet files from the warehouse: `persons`, `stays`, `features_<task>` and `scores`.
Ids become keyed pseudonyms (HMAC-SHA256 with a secret key: stable across runs with the same key,
not reversible without it); ages replace birth dates and are top-coded at 90; zips keep their
first three digits (000 for the 17 HIPAA Safe Harbor low-population areas); names, addresses,
phones, emails, SSNs, member ids, counties and score reasons are left out. Dates are cut to the
requested precision: only `year` meets the Safe Harbor date rule; `month` and `day` suit a
limited data set under a data-use agreement.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from models.data import bind, has_relation
from models.tasks import TASKS
from pipelines.errors import ReadmitError
from pipelines.queries import sql_text

DATE_PRECISIONS: tuple[str, ...] = ("year", "month", "day")
MIN_KEY_BYTES = 16
BLOCK = 64  # SHA-256 block size, for the HMAC pads
BATCH_ROWS = 200_000


@dataclass(frozen=True)
class ExportResult:
    """Where the export went and how many rows each file holds."""

    out_dir: Path
    rows: dict[str, int]
    date_precision: str


def hmac_pads(key: bytes) -> tuple[bytes, bytes]:
    """The HMAC-SHA256 inner and outer padded keys (RFC 2104) of `key`."""
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def check_key(key: str | bytes | None) -> bytes:
    """The key as bytes, or a clear error when it is missing or too short."""
    if key is None or len(key) == 0:
        raise ReadmitError(
            "a de-identified export needs a secret key: set READMIT_DEID_KEY (at least "
            f"{MIN_KEY_BYTES} characters), the same for every export so pseudonyms stay stable"
        )
    raw = key.encode() if isinstance(key, str) else bytes(key)
    if len(raw) < MIN_KEY_BYTES:
        raise ReadmitError(
            f"READMIT_DEID_KEY is too short: use at least {MIN_KEY_BYTES} characters"
        )
    return raw


def prepare(con: duckdb.DuckDBPyConnection, key: bytes, date_precision: str) -> None:
    """Set the key pads and date precision, and create the export's temporary macros."""
    if date_precision not in DATE_PRECISIONS:
        raise ReadmitError(
            f"date precision must be one of {DATE_PRECISIONS}, not {date_precision!r}"
        )
    inner, outer = hmac_pads(key)
    con.execute("set variable deid_inner = ?", [inner])
    con.execute("set variable deid_outer = ?", [outer])
    con.execute("set variable date_precision = ?", [date_precision])
    con.execute(sql_text("deid_macros"))


def _write(con: duckdb.DuckDBPyConnection, query: str, path: Path, mode: int) -> int:
    """Stream a query's rows into a Parquet file (written aside, then renamed); returns rows."""
    reader = con.sql(query).fetch_arrow_reader(BATCH_ROWS)
    partial = path.with_name(f".{path.name}.partial")
    rows = 0
    with pq.ParquetWriter(partial, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
    os.chmod(partial, mode)
    os.replace(partial, path)
    return rows


def _queries(con: duckdb.DuckDBPyConnection, tasks: Iterable[str]) -> Iterable[tuple[str, str]]:
    """(file stem, query) pairs for what the warehouse holds; binds each task before its query."""
    if has_relation(con, "int_person_demographics"):
        yield "persons", sql_text("deid_persons")
    if has_relation(con, "mart_index_stays"):
        yield "stays", sql_text("deid_index_stays")
    for task in tasks:
        if has_relation(con, f"ml_features_{task}"):
            bind(con, task)
            yield f"features_{task}", sql_text("deid_features")
    if has_relation(con, "ml_scores"):
        yield "scores", sql_text("deid_scores")


def export_deidentified(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    key: str | bytes | None,
    date_precision: str = "year",
    mode: int = 0o600,
) -> ExportResult:
    """Write the de-identified Parquet files and a manifest (no key, no ids) into `out_dir`."""
    raw_key = check_key(key)
    prepare(con, raw_key, date_precision)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = {
        stem: _write(con, query, out_dir / f"{stem}.parquet", mode)
        for stem, query in _queries(con, TASKS)
    }
    if not rows:
        raise LookupError("the warehouse holds nothing to export; run `readmit build` first")
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "date_precision": date_precision,
        "pseudonyms": "HMAC-SHA256 of the id with the export key, first 32 hex digits",
        "key_fingerprint": hashlib.sha256(b"readmit-key-check:" + raw_key).hexdigest()[:8],
        "rows": rows,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
    os.chmod(out_dir / "manifest.json", mode)
    return ExportResult(out_dir, rows, date_precision)
