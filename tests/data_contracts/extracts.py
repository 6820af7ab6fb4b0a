"""Tiny hand-made extracts for the contract and ingest tests: valid rows built from contracts."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import duckdb

from data_contracts import load_contract
from pipelines.ingest import IngestResult, ingest_landing
from pipelines.runlog import new_run_id

EXTRACT_DATE = "2025-01-01"
# A value of the right shape for each code format.
FORMAT_SAMPLES = {
    "icd10cm": "I50.9",
    "icd10pcs": "0DTJ4ZZ",
    "ndc": "00071015523",
    "loinc": "2345-7",
    "npi": "1234567893",
    "zip": "02139",
}
TYPE_SAMPLES = {
    "date": "2024-06-01",
    "timestamp": "2024-06-01 10:30:00",
    "integer": "1",
    "double": "12.5",
    "boolean": "true",
    "varchar": "x1",
}
# Columns whose explicit rules (not their column attributes) decide what a valid value is.
RULE_SAMPLES = {
    "diagnosis_code_type": "icd-10-cm",
    "procedure_code_type": "icd-10-pcs",
    "adi_national_percentile": "42",
}


def valid_row(table: str, **values: str) -> dict[str, str]:
    """One row of `table` that breaks no rule of its contract, with `values` overriding columns."""
    contract = load_contract(table)
    row = {}
    for col in contract.columns:
        sample = TYPE_SAMPLES[col.type]
        if col.format:
            sample = FORMAT_SAMPLES[col.format]
        if col.values:
            sample = col.values[0]
        row[col.name] = RULE_SAMPLES.get(col.name, sample)
    for rule in contract.checks:
        if rule.kind == "in_set" and rule.name == "code_system_unmapped":
            row[rule.columns[0]] = rule.params["values"][0]
    if table in ("condition", "procedure"):
        fmt = "icd10cm" if table == "condition" else "icd10pcs"
        row["source_code"] = FORMAT_SAMPLES[fmt]
    row.update(values)
    return row


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    """Write rows as a comma-separated UTF-8 file (gzip when the name ends in .gz)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = columns or list(rows[0])
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def drop_file(landing: Path, table: str, rows: list[dict], day: str = EXTRACT_DATE) -> Path:
    """Write `<landing>/<day>/<table>.csv`."""
    return write_csv(landing / day / f"{table}.csv", rows)


def run_ingest(con: duckdb.DuckDBPyConnection, landing: Path, **options) -> IngestResult:
    """`ingest_landing` with a fresh run id and the DuckDB engine unless told otherwise."""
    options.setdefault("engine", "duckdb")
    return ingest_landing(con, landing, new_run_id(), **options)


def count(con: duckdb.DuckDBPyConnection, table: str, where: str = "true") -> int:
    """Rows of a table (test helper; `where` is test-written SQL)."""
    return con.execute(f"select count(*) from {table} where {where}").fetchone()[0]
