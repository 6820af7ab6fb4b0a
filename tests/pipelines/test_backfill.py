"""Backfill pieces on hand-made rows: per-month tiers, previous scores, idempotent replacement."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from models.tiers import TierThresholds
from pipelines.cli import app
from pipelines.scoring import NoChampionError, backfill_run, ensure_scores_table, tiers_by_group
from sql.scoring import sql_text


def test_each_group_is_tiered_as_its_own_cohort():
    # group A holds only high risks, group B only low ones: each still gets its own top tier
    high = np.linspace(0.9, 0.5, 20)
    low = np.linspace(0.09, 0.01, 20)
    probability = np.concatenate([high, low])
    groups = np.array(["2024-01-01"] * 20 + ["2024-02-01"] * 20)
    previous = np.full(40, np.nan)
    tiers = tiers_by_group(probability, previous, groups, TierThresholds())
    for part in (tiers[:20], tiers[20:]):
        assert part[0] == 1 and (part == 1).sum() == 1  # top 5% of 20 = 1
        assert (part == 2).sum() == 2 and (part == 3).sum() == 3 and (part == 4).sum() == 14


def test_a_rise_lifts_a_low_row_within_its_group():
    probability = np.array([0.5, 0.4, 0.3, 0.2, 0.15, 0.12, 0.11, 0.1, 0.09, 0.08] * 2)
    previous = np.full(20, np.nan)
    previous[19] = 0.0  # the lowest row of group 2 rose by 8 points: not enough
    previous[18] = -0.02  # 11 points: rising
    groups = np.repeat([1, 2], 10)
    tiers = tiers_by_group(probability, previous, groups, TierThresholds())
    assert tiers[18] == 3 and tiers[19] == 4 and tiers[9] == 4


def _scores_table(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    ensure_scores_table(con)
    con.executemany(
        "insert into ml_scores (run_id, task, person_id, as_of_date, probability, tier, run_kind) "
        "values (?, 'admission_90d', ?, ?, ?, 4, ?)",
        rows,
    )


def _bind(con: duckdb.DuckDBPyConnection, start: date, end: date) -> None:
    con.execute("set variable score_task = 'admission_90d'")
    con.execute("set variable backfill_from = ?", [start])
    con.execute("set variable backfill_to = ?", [end])


def test_previous_is_the_same_persons_score_one_as_of_date_earlier():
    con = duckdb.connect()
    _scores_table(
        con,
        [
            ("r1", "p1", date(2024, 1, 1), 0.10, "nightly"),
            ("r2", "p1", date(2024, 1, 1), 0.20, "nightly"),  # a later run of that date wins
            ("r1", "p2", date(2023, 12, 1), 0.30, "nightly"),
            ("r2", "p3", date(2024, 3, 1), 0.90, "nightly"),  # inside the range: ignored
        ],
    )
    _bind(con, date(2024, 2, 1), date(2024, 3, 31))
    fresh = pa.table(
        {
            "row_index": [0, 1, 2, 3, 4],
            "person_id": ["p1", "p2", "p3", "p1", "p3"],
            "as_of_date": [date(2024, 2, 1)] * 3 + [date(2024, 3, 1)] * 2,
            "probability": [0.25, 0.35, 0.5, 0.4, 0.6],
        }
    )
    con.register("backfill_rows", fresh)
    got = con.sql(sql_text("backfill_previous")).fetchall()
    assert got == [(0, 0.20), (1, 0.30), (2, None), (3, 0.25), (4, 0.5)]


def test_backfill_replaces_only_backfill_rows_of_the_range():
    con = duckdb.connect()
    _scores_table(
        con,
        [
            ("b1", "p1", date(2024, 2, 1), 0.1, "backfill"),
            ("b1", "p1", date(2024, 5, 1), 0.1, "backfill"),  # outside the range: stays
            ("n1", "p1", date(2024, 2, 1), 0.1, "nightly"),  # a nightly row: stays
        ],
    )
    _bind(con, date(2024, 1, 1), date(2024, 3, 31))
    con.execute(sql_text("backfill_delete"))
    left = con.execute("select run_id, as_of_date from ml_scores order by all").fetchall()
    assert left == [("b1", date(2024, 5, 1)), ("n1", date(2024, 2, 1))]


def test_backfill_needs_a_champion_and_a_range(tmp_path: Path):
    con = duckdb.connect()
    with pytest.raises(NoChampionError, match="readmit nightly"):
        backfill_run(con, "r", tmp_path, TierThresholds(), date(2024, 1, 1), date(2024, 2, 1))
    with pytest.raises(ValueError, match="range is empty"):
        backfill_run(con, "r", tmp_path, TierThresholds(), date(2024, 2, 1), date(2024, 1, 1))


def test_backfill_command_explains_bad_dates_and_a_missing_warehouse(tmp_path: Path):
    runner = CliRunner()
    ws = ["--workspace", str(tmp_path / "ws")]
    result = runner.invoke(app, ["backfill", "--from", "2024-13-01", "--to", "2024-12-31", *ws])
    assert result.exit_code == 2 and "2024-13-01" in result.output
    result = runner.invoke(app, ["backfill", "--from", "2024-03-01", "--to", "2024-02-01", *ws])
    assert result.exit_code == 2 and "before --from" in result.output
    result = runner.invoke(app, ["backfill", "--from", "2024-01-01", "--to", "2024-02-01", *ws])
    assert result.exit_code == 1 and "no warehouse" in result.output
