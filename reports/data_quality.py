"""The data-quality report of one ingest run: a self-contained HTML page (no scripts)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape

from data_contracts import TABLES
from data_contracts.rules import load_formats
from sql.ingest import ident, render, sql_text

TEMPLATES = Path(__file__).parent / "templates"
# Which feature groups (DESIGN section 6) read each extract table: an empty table leaves them empty.
FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "eligibility": ("demographics", "enrollment spans (admission_90d cohort)", "payer type"),
    "medical_claim": (
        "acute stays and labels (claims)",
        "utilization",
        "comorbidity",
        "LACE/HOSPITAL",
    ),
    "pharmacy_claim": ("medication adherence (proportion of days covered)",),
    "patient": ("demographics (EHR)", "preferred language for caseload matching"),
    "encounter": ("acute stays and labels (EHR)", "utilization (EHR)"),
    "condition": ("comorbidity (EHR diagnoses)", "social needs (ICD-10 Z codes)"),
    "procedure": ("planned readmission (EHR procedures)", "procedure during stay"),
    "medication": ("polypharmacy (distinct active medications)",),
    "lab_result": ("clinical labs (last hemoglobin, sodium)",),
    "observation": ("social-needs screening answers",),
    "case_managers": ("caseload assignment",),
    "area_deprivation": ("area deprivation percentile",),
}


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> list[dict]:
    cursor = con.execute(sql_text(name), params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _tables(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    existing = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    out = []
    for table in TABLES:
        run_rows = warehouse_rows = 0
        if f"raw_{table}" in existing:
            query = render("report_table_rows", table=ident(f"raw_{table}"))
            run_rows, warehouse_rows = con.execute(query, {"run_id": run_id}).fetchone()
        empty = FEATURE_GROUPS[table] if warehouse_rows == 0 else ()
        out.append(
            {
                "table": table,
                "run_rows": run_rows,
                "warehouse_rows": warehouse_rows,
                "empty_features": ", ".join(empty),
            }
        )
    return out


def _trend_bars(trend: list[dict], width: int = 640, height: int = 120) -> list[dict]:
    """Bar geometry for the runs chart (rows in per run; the quarantined share drawn on top)."""
    top = max((t["rows_in"] for t in trend), default=0) or 1
    step = min(width / max(len(trend), 1), 48)
    bars = []
    for i, t in enumerate(trend):
        full = height * t["rows_in"] / top
        bad = full * (t["quarantine_rate"] or 0)
        bars.append(
            {
                "x": round(i * step + 1, 1),
                "w": round(max(step - 2, 1), 1),
                "y": round(height - full, 1),
                "h": round(full, 1),
                "bad_h": round(bad, 1),
                "bad_y": round(height - full, 1),
                "label": t["run_id"],
                "status": t["status"],
                "rows_in": t["rows_in"],
                "rate": t["quarantine_rate"] or 0.0,
            }
        )
    return bars


def report_context(con: duckdb.DuckDBPyConnection, run_id: str) -> dict:
    """Everything the page shows, as plain values (tests read this without parsing HTML)."""
    params = {"run_id": run_id}
    coverage = _rows(
        con,
        "report_dx_coverage",
        {**params, "icd10cm_pattern": load_formats()["icd10cm"]["pattern"]},
    )
    for row in coverage:
        row["share"] = row["valid_icd10cm"] / row["codes"] if row["codes"] else None
    run = _rows(con, "report_run", params)
    trend = _rows(con, "report_trend", {})
    tables = _tables(con, run_id)
    return {
        "run_id": run_id,
        "run": run[0] if run else None,
        "files": _rows(con, "report_files", params),
        "rules": _rows(con, "report_rules", params),
        "notes": _rows(con, "report_notes", params),
        "coverage": coverage,
        "tables": tables,
        "missing": [t for t in tables if t["warehouse_rows"] == 0],
        "trend": trend,
        "bars": _trend_bars(trend),
        "generated_at": datetime.now().strftime("%Y-%m-%d %H:%M"),
    }


def render_report(context: dict) -> str:
    """The HTML page for a report context (every value escaped)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    return env.get_template("data_quality.html.j2").render(**context)


def write_data_quality_report(con: duckdb.DuckDBPyConnection, run_id: str, out_path: Path) -> Path:
    """Write the data-quality page of `run_id` to `out_path` (owner-only), and return the path."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    html = render_report(report_context(con, run_id))
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, html.encode())
    finally:
        os.close(fd)
    return out_path
