"""No patient data in any log; worklists owner-only, one manager each; dashboard counts only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import plotly
import polars as pl
import pytest

REPO = Path(__file__).resolve().parents[2]
# Identifying columns of the extracts (HIPAA identifiers the generator fills in).
IDENTIFIERS = {
    "patient": (
        "person_id", "patient_id", "birth_date", "social_security_number", "address",
        "phone", "email",
    ),
    "eligibility": (
        "member_id", "subscriber_id", "birth_date", "social_security_number", "address",
    ),
}  # fmt: skip
# Values that appear in any store for reasons of their own (the Unix epoch in timestamps).
EVERYWHERE = {"1970-01-01"}


def phi_values(drop: Path) -> set[str]:
    """Every full name, birth date, address, member or patient id and SSN in a drop."""
    values: set[str] = set()
    for table, columns in IDENTIFIERS.items():
        frame = pl.read_csv(drop / f"{table}.csv", infer_schema=False)
        names = frame.select(pl.concat_str("first_name", "last_name", separator=" "))
        values |= set(names.to_series().drop_nulls().to_list())
        for column in columns:
            values |= set(frame[column].drop_nulls().to_list())
    return {v for v in values if len(v) >= 6} - EVERYWHERE


def leaks(text: str, values: set[str]) -> list[str]:
    """The identifying values found in a text (at most a few, for the failure message)."""
    return sorted(v for v in values if v in text)[:5]


@pytest.mark.slow
def test_no_patient_data_in_any_log_of_a_demo_run(tmp_path):
    workspace, capture = tmp_path / "ws", tmp_path / "all_logs.txt"
    prefect_home = tmp_path / "prefect"
    env = {
        **os.environ,
        "PREFECT_HOME": str(prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "DEBUG",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "READMIT_DUCKDB_THREADS": "1",
    }
    args = ["demo", "--workspace", str(workspace), "--persons", "800", "--seed", "5"]
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.logged_cli", str(capture), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    values = phi_values(workspace / "landing" / "2025-01-01")
    assert len(values) > 1000  # names, dates, ids and SSNs of 800 persons
    logged = capture.read_text()
    assert "readmit." in logged and "prefect" in logged  # ours and Prefect's records both
    assert leaks(logged, values) == []
    assert leaks(done.stdout + done.stderr, values) == []
    for path in prefect_home.rglob("*"):  # Prefect's own store of flow and task run logs
        if path.is_file():
            assert leaks(path.read_bytes().decode("latin-1"), values) == [], path.name


@pytest.mark.slow
def test_worklists_are_owner_only_and_hold_only_their_case_managers_patients(clean_runs):
    run = clean_runs.workspace / "runs" / clean_runs.second_run
    query = "select person_id, cm_id from caseload_assignments where cm_id is not null"
    with duckdb.connect(str(clean_runs.workspace / "warehouse.duckdb"), read_only=True) as con:
        assigned = pl.from_arrow(con.sql(query).to_arrow_table())
    files = sorted((run / "worklists").glob("CM*.csv"))
    assert len(files) >= 2
    for path in files + sorted((run / "worklists").glob("*.html")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert stat.S_IMODE((run / "worklists").stat().st_mode) == 0o700
    for path in files:
        listed = set(pl.read_csv(path, infer_schema=False)["person_id"].to_list())
        theirs = set(assigned.filter(pl.col("cm_id") == path.stem)["person_id"].to_list())
        assert listed and listed <= theirs, f"{path.name} lists another manager's patients"
        html = (run / "worklists" / f"{path.stem}.html").read_text()
        others = set(assigned["person_id"].to_list()) - theirs
        assert leaks(html, others) == []


@pytest.mark.slow
def test_the_dashboard_shows_counts_not_identities(clean_runs):
    run = clean_runs.workspace / "runs" / clean_runs.second_run
    values = phi_values(clean_runs.landing / "2025-01-01")
    library = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    page = (run / "dashboard.html").read_text()  # the embedded chart library holds dates
    assert leaks(page.replace(library, ""), values) == []
    assert leaks((run / "data_quality.html").read_text(), values) == []
