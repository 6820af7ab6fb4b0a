"""The audit table: each run, the OS user who ran it, its inputs and outputs by checksum."""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

import duckdb
import pytest

from pipelines.audit import INTERRUPTED, audited, close_interrupted
from pipelines.runlog import finish_stage, start_stage
from pipelines.settings import load_settings
from pipelines.warehouse import connect

AUDIT = """
select os_user, command, status, direction, name, sha256
from audit_log where run_id = ? order by direction, name
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_a_clean_run_records_user_inputs_and_outputs(clean_runs):
    workspace = clean_runs.workspace
    with duckdb.connect(str(workspace / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(AUDIT, [clean_runs.second_run]).fetchall()
    assert {r[:3] for r in rows} == {(getpass.getuser(), "nightly", "success")}
    inputs = {r[4]: r[5] for r in rows if r[3] == "input"}
    outputs = {r[4]: r[5] for r in rows if r[3] == "output"}
    landing = sorted(clean_runs.landing.rglob("*.csv"))
    assert landing
    for path in landing:
        assert inputs[str(path.relative_to(clean_runs.landing))] == _sha(path)
    models = [name for name in inputs if name.startswith("models/")]
    assert any(name.endswith("model.txt") for name in models)
    for name in models:
        assert inputs[name] == _sha(workspace / name)
    run_folder = workspace / "runs" / clean_runs.second_run
    written = sorted(p for p in run_folder.rglob("*") if p.is_file())
    assert sorted(outputs) == sorted(str(p.relative_to(workspace)) for p in written)
    for path in written:
        assert outputs[str(path.relative_to(workspace))] == _sha(path)


def test_a_failed_run_is_recorded_as_failed_with_its_error_type(tmp_path):
    settings = load_settings(workspace=tmp_path, duckdb_threads=1)
    with pytest.raises(RuntimeError), audited(settings, "r-fail", "nightly"):
        raise RuntimeError("boom")
    with connect(settings.warehouse, read_only=True) as con:
        rows = con.sql("select run_id, status, message, direction from audit_log").fetchall()
    assert rows == [("r-fail", "failed", "RuntimeError", None)]


def test_stages_left_running_by_a_killed_run_are_closed_as_interrupted(tmp_path):
    with connect(tmp_path / "w.duckdb") as con:
        start_stage(con, "r-killed", "build")
        start_stage(con, "r-now", "ingest")
        start_stage(con, "r-done", "score")
        finish_stage(con, "r-done", "score")
        assert close_interrupted(con, "r-now") == 1
        rows = con.sql("select run_id, status, message from run_log order by run_id").fetchall()
    assert rows == [
        ("r-done", "success", None),
        ("r-killed", "failed", INTERRUPTED),
        ("r-now", "running", None),
    ]
