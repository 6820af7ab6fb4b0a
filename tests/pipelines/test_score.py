"""`readmit score` and the scoring run's bookkeeping on hand-made rows (no model needed)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from models.tiers import TierThresholds
from pipelines.cli import app
from pipelines.nightly import stage
from pipelines.runlog import code_version, record_context, start_stage
from pipelines.scoring import champion_versions, ensure_scores_table, score_run
from sql.scoring import sql_text


def test_trend_compares_with_the_latest_earlier_as_of_date_not_a_later_backfill():
    con = duckdb.connect()
    ensure_scores_table(con)
    con.executemany(
        "insert into ml_scores (run_id, task, person_id, as_of_date, probability, tier) "
        "values (?, 'admission_90d', ?, ?, ?, 4)",
        [
            ("20250101T020000Z-aaaaaa", "p1", date(2024, 12, 1), 0.30),  # last night
            ("20250102T090000Z-bbbbbb", "p1", date(2024, 6, 1), 0.90),  # a later backfill
            ("20250101T020000Z-aaaaaa", "p2", date(2024, 12, 1), 0.10),
            ("20250103T020000Z-cccccc", "p2", date(2025, 1, 1), 0.50),  # this run: ignored
        ],
    )
    con.execute("set variable score_task = 'admission_90d'")
    con.execute("set variable score_run_id = '20250103T020000Z-cccccc'")
    got = dict(con.sql(sql_text("previous")).fetchall())
    assert got == {"p1": 0.30, "p2": 0.10}


def test_previous_scores_skip_runs_of_the_same_night():
    con = duckdb.connect()
    con.execute(
        "create table ml_scores (run_id varchar, task varchar, person_id varchar, "
        "as_of_date date, probability double, run_date date)"
    )
    con.executemany(
        "insert into ml_scores values (?, 'admission_90d', ?, ?, ?, ?)",
        [
            ("20250101T020000Z-aaaaaa", "p1", date(2025, 1, 1), 0.20, date(2025, 1, 1)),
            ("20250102T020000Z-bbbbbb", "p1", date(2025, 1, 1), 0.40, date(2025, 1, 2)),
            ("20250102T030000Z-cccccc", "p1", date(2025, 1, 1), 0.40, date(2025, 1, 2)),
            ("20250102T020000Z-bbbbbb", "p2", date(2025, 1, 1), 0.70, date(2025, 1, 2)),
        ],
    )
    con.execute("set variable score_task = 'admission_90d'")
    con.execute("set variable score_run_id = '20250102T040000Z-dddddd'")  # a re-run of Jan 2
    con.execute("set variable score_run_date = date '2025-01-02'")
    got = dict(con.sql(sql_text("previous")).fetchall())
    assert got == {"p1": 0.20}  # the night before; p2 was first scored that same night


def test_an_older_ml_scores_table_gains_the_run_kind_column():
    con = duckdb.connect()
    con.execute("create table ml_scores (run_id varchar, task varchar, probability double)")
    ensure_scores_table(con)
    ensure_scores_table(con)  # twice: nothing changes the second time
    columns = [r[0] for r in con.execute("describe ml_scores").fetchall()]
    assert columns == ["run_id", "task", "probability", "run_kind", "run_date"]


def test_score_run_without_champions_scores_nothing_and_rejects_unknown_kinds(tmp_path: Path):
    con = duckdb.connect()
    assert score_run(con, "r1", tmp_path, TierThresholds()) == {}
    with pytest.raises(ValueError, match="kind"):
        score_run(con, "r1", tmp_path, TierThresholds(), kind="weekly")


def test_score_command_explains_a_missing_warehouse(tmp_path: Path):
    result = CliRunner().invoke(app, ["score", "--workspace", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no warehouse" in result.output and "readmit build" in result.output


def _champion(models: Path, task: str, version: str) -> None:
    (models / task).mkdir(parents=True)
    (models / task / "champion.json").write_text(json.dumps({"version": version}))


def test_stage_rows_record_code_and_model_versions_even_when_they_fail(tmp_path: Path):
    models = tmp_path / "models"
    _champion(models, "readmission_30d", "v-readmit")
    assert champion_versions(models) == {"readmission_30d": "v-readmit"}
    con = duckdb.connect()
    with stage(con, "r1", "score", models) as counts:
        counts["rows_loaded"] = 7
    with pytest.raises(RuntimeError), stage(con, "r1", "assign", models):
        raise RuntimeError("solver failed")
    rows = con.execute(
        "select stage, status, rows_loaded, code_version, model_versions from run_log "
        "order by started_at"
    ).fetchall()
    assert [r[:3] for r in rows] == [("score", "success", 7), ("assign", "failed", None)]
    for row in rows:
        assert row[3] == code_version() and json.loads(row[4]) == {"readmission_30d": "v-readmit"}


def test_ingest_inputs_are_recorded_on_the_ingest_row():
    con = duckdb.connect()
    start_stage(con, "r1", "ingest")
    inputs = {"2025-01-01/patient.csv": "ab" * 32}
    record_context(con, "r1", "ingest", {}, inputs)
    row = con.execute("select inputs, model_versions from run_log").fetchone()
    assert json.loads(row[0]) == inputs and json.loads(row[1]) == {}


def test_code_version_names_the_package_and_the_commit():
    assert re.fullmatch(r"[\w.]+(\+g[0-9a-f]{12}(\.dirty)?)?", code_version())


def test_score_command_needs_a_champion(tmp_path: Path):
    workspace = tmp_path / "ws"
    duckdb.connect(str(workspace.mkdir() or workspace / "warehouse.duckdb")).close()
    result = CliRunner().invoke(app, ["score", "--workspace", str(workspace)])
    assert result.exit_code == 1 and "no champion model" in result.output
    assert not (workspace / "runs").exists()
