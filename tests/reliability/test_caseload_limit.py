"""The assign stage searches within the configured time limit and logs whether it proved it."""

from __future__ import annotations

import shutil

import duckdb

from pipelines import nightly as steps
from pipelines.runlog import new_run_id
from pipelines.settings import load_settings
from reports import assign_solver


def test_the_assign_stage_uses_the_configured_time_limit(clean_runs, tmp_path, monkeypatch):
    workspace = tmp_path / "ws"
    shutil.copytree(clean_runs.workspace, workspace, symlinks=True)
    monkeypatch.setenv("READMIT_CASELOAD_TIME_LIMIT", "7.5")
    settings = load_settings(workspace=workspace, duckdb_threads=1)
    limits = []
    solve = assign_solver.solve

    def recording(*args, **kwargs):
        limits.append(args[5] if len(args) > 5 else kwargs.get("time_limit"))
        return solve(*args, **kwargs)

    monkeypatch.setattr(assign_solver, "solve", recording)
    run_id = new_run_id()
    steps.step_score(settings, run_id)
    steps.step_assign(settings, run_id)
    assert limits == [7.5]
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        query = "select message from run_log where run_id = ? and stage = 'assign'"
        message = con.execute(query, [run_id]).fetchall()[0][0]
    assert "optimal=True, gap 0" in message
