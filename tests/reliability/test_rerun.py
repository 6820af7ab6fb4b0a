"""Re-running a night gives byte-identical worklists and identical scores."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.reliability.nightly_driver import run_nightly

pytestmark = pytest.mark.slow

SCORES = """
select task, person_id, as_of_date, probability, tier, reasons, previous_probability, trend
from ml_scores where run_id = ? order by all
"""


def _scores(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple]:
    return con.execute(SCORES, [run_id]).fetchall()


def test_the_same_night_twice_gives_the_same_bytes_and_scores(clean_runs, tmp_path):
    workspace = tmp_path / "ws"
    shutil.copytree(clean_runs.workspace, workspace, symlinks=True)
    third = run_nightly(clean_runs.landing, workspace, say=lambda _: None)
    second_dir = workspace / "runs" / clean_runs.second_run
    third_dir = workspace / "runs" / third
    first_dir = workspace / "runs" / clean_runs.first_run
    names = sorted(p.name for p in (second_dir / "worklists").iterdir())
    assert names and names == sorted(p.name for p in (third_dir / "worklists").iterdir())
    for name in names:
        b = (second_dir / "worklists" / name).read_bytes()
        for other in (first_dir, third_dir):  # the night's first run and both re-runs
            a = (other / "worklists" / name).read_bytes()
            assert a == b, f"worklist {name} differs between two runs of the same night"
    with duckdb.connect(str(workspace / "warehouse.duckdb"), read_only=True) as con:
        second, third_rows = _scores(con, clean_runs.second_run), _scores(con, third)
        first = _scores(con, clean_runs.first_run)
    assert second and second == third_rows
    # a re-run compares with the nights before, not with the night's own first run
    assert first == second
