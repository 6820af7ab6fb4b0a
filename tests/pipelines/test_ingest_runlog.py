"""The run log every stage writes: sortable run ids, a row per stage and per file, history."""

from datetime import UTC, datetime

import duckdb
import pytest

from pipelines.runlog import (
    finish_stage,
    new_run_id,
    record_stage,
    stage_history,
    start_stage,
)


def test_run_ids_sort_by_time_and_are_unique():
    early = new_run_id(datetime(2025, 1, 1, 2, 0, tzinfo=UTC))
    late = new_run_id(datetime(2025, 1, 2, 2, 0, tzinfo=UTC))
    assert early.startswith("20250101T020000Z-") and early < late
    assert len({new_run_id() for _ in range(50)}) == 50


def test_a_stage_is_started_then_finished_with_counts():
    con = duckdb.connect()
    start_stage(con, "r1", "build")
    assert con.execute("select status, finished_at from run_log").fetchone() == ("running", None)
    finish_stage(con, "r1", "build", rows_in=10, rows_loaded=9, rows_quarantined=1, message="ok")
    row = con.execute(
        "select status, rows_in, rows_loaded, rows_quarantined, message, code_version "
        "from run_log where run_id = 'r1'"
    ).fetchone()
    assert row[:5] == ("success", 10, 9, 1, "ok") and row[5]


def test_files_are_logged_beside_their_stage_and_history_lists_stages_only():
    con = duckdb.connect()
    for run in ("r1", "r2"):
        start_stage(con, run, "ingest")
        record_stage(
            con,
            run,
            "ingest_file",
            status="success",
            started_at=datetime(2025, 1, 1),
            rows_in=3,
            rows_loaded=3,
            rows_quarantined=0,
            file="2025-01-01/patient.csv",
        )
        finish_stage(con, run, "ingest", status="failed" if run == "r2" else "success")
    history = stage_history(con, "ingest")
    assert [(h["run_id"], h["status"]) for h in history] == [("r2", "failed"), ("r1", "success")]
    files = con.execute("select count(*) from run_log where stage = 'ingest_file'").fetchone()
    assert files == (2,)


def test_an_unknown_status_is_refused():
    con = duckdb.connect()
    start_stage(con, "r1", "score")
    with pytest.raises(ValueError):
        finish_stage(con, "r1", "score", status="done")
