"""Export one run's scores as FHIR R4 RiskAssessment resources (NDJSON) so an EHR can show them."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

SQL_FILE = Path(__file__).parent / "sql" / "risk_assessments.sql"


def write_risk_assessments(con: duckdb.DuckDBPyConnection, run_id: str, out_path: Path) -> int:
    """Write `risk_assessments.ndjson` for `run_id` (owner-only); return how many resources."""
    con.execute("set variable publish_run_id = ?", [run_id])
    resources = con.sql(SQL_FILE.read_text()).to_arrow_table().column("resource").to_pylist()
    out_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = out_path.with_name(out_path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.writelines(f"{r}\n" for r in resources)
    os.replace(tmp, out_path)
    return len(resources)
