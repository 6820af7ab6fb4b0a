"""Kill -9 the nightly run at 11 points; the next run succeeds and nothing is partial or doubled.

The killed process is `tests/reliability/nightly_driver.py` (the plain steps of
`pipelines.nightly` without Prefect, under the run lock and the audit trail). It prints
`STAGE <name>` before each step; the test waits for a marker, sleeps, then sends SIGKILL.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.reliability.conftest import RUN_SCOPED, CleanRuns, published_files, table_counts
from tests.reliability.nightly_driver import run_nightly

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

# (start from, stage marker, seconds after the marker): "empty" has no previous outputs and no
# model yet (so `models` trains); "good" is a workspace after one clean published run.
POINTS: tuple[tuple[str, str, float], ...] = (
    ("empty", "ingest", 1.0),
    ("empty", "models", 1.0),
    ("good", "ingest", 0.3),
    ("good", "build", 0.0),
    ("good", "build", 1.5),
    ("good", "build", 4.0),
    ("good", "score", 0.3),
    ("good", "assign", 0.3),
    ("good", "publish", 0.0),
    ("good", "publish", 0.8),
    ("good", "audit", 0.0),
)


def start_driver(
    landing: Path, workspace: Path, log: Path, env: dict | None = None
) -> subprocess.Popen:
    """Start the nightly driver as a child process, its stdout piped line by line."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.nightly_driver", str(landing), str(workspace)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )


def kill_at(landing: Path, workspace: Path, marker: str, delay: float, log: Path) -> int:
    """Run the driver, SIGKILL it `delay` s after it prints `STAGE <marker>`; its exit code."""
    proc = start_driver(landing, workspace, log)
    for line in proc.stdout:
        if line.strip() == f"STAGE {marker}":
            break
    else:
        proc.wait()
        pytest.fail(f"the run ended before stage {marker}: {log.read_text()[-500:]}")
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.stdout.close()
    return proc.wait()


def running_stage(warehouse: Path) -> str | None:
    """The stage the killed run left `running` (None if it died between stages)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.sql("select stage from run_log where status = 'running'").fetchall()
    return ",".join(sorted({r[0] for r in rows})) or None


def check_latest(workspace: Path, previous: str | None, clean: CleanRuns) -> str | None:
    """`latest` is the previous good run or a complete new one; the run it points at."""
    link = workspace / "latest"
    if not link.exists():
        assert previous is None, "the previous outputs disappeared"
        return None
    target = link.resolve()
    if target.name != previous:
        assert published_files(target) == clean.published, "latest points at partial outputs"
    return target.name


def check_warehouse(workspace: Path, clean: CleanRuns) -> None:
    """Counts equal a clean run's; scores are whole runs only, never doubled; no run left open."""
    counts = table_counts(workspace / "warehouse.duckdb")
    assert {k: v for k, v in counts.items() if k not in RUN_SCOPED} == clean.counts
    with duckdb.connect(str(workspace / "warehouse.duckdb"), read_only=True) as con:
        per_run = dict(con.sql("select run_id, count(*) from ml_scores group by 1").fetchall())
        scored = con.sql(
            "select run_id from run_log where stage = 'score' and status = 'success'"
        ).fetchall()
        doubled = con.sql(
            "select count(*) from (select run_id, task, person_id, as_of_date from ml_scores "
            "group by all having count(*) > 1)"
        ).fetchall()[0][0]
        still_running = con.sql("select count(*) from run_log where status = 'running'")
        assert still_running.fetchall()[0][0] == 0
    assert set(per_run.values()) == {clean.scores_per_run}
    assert set(per_run) == {r[0] for r in scored}
    assert doubled == 0


def same_worklists(a: Path, b: Path) -> bool:
    """Every worklist file of two run folders has the same bytes."""
    names = sorted(p.name for p in (a / "worklists").iterdir())
    assert names == sorted(p.name for p in (b / "worklists").iterdir())
    return all(
        (a / "worklists" / n).read_bytes() == (b / "worklists" / n).read_bytes() for n in names
    )


def test_kill_at_eleven_points_then_the_next_run_succeeds(clean_runs, tmp_path):
    outcomes = []
    for i, (start, marker, delay) in enumerate(POINTS):
        workspace = tmp_path / f"ws{i}"
        previous = None  # "empty": no outputs before, so `latest` must stay absent or be whole
        if start == "good":
            shutil.copytree(clean_runs.first_snapshot, workspace, symlinks=True)
            previous = clean_runs.first_run
        code = kill_at(clean_runs.landing, workspace, marker, delay, tmp_path / f"err{i}.txt")
        left = running_stage(workspace / "warehouse.duckdb")
        shown = check_latest(workspace, previous, clean_runs)
        recovered = run_nightly(clean_runs.landing, workspace, say=lambda _: None)
        assert (workspace / "latest").resolve().name == recovered
        check_warehouse(workspace, clean_runs)
        reference = clean_runs.first_run if start == "empty" else clean_runs.second_run
        assert same_worklists(workspace / "latest", clean_runs.workspace / "runs" / reference), (
            f"point {i}: the recovered run's worklists differ from a clean run's"
        )
        outcomes.append(
            {
                "start": start,
                "after": f"STAGE {marker} + {delay}s",
                "exit": code,
                "left_running": left,
                "latest_after_kill": shown and ("previous" if shown == previous else "new"),
                "next_run": "success",
            }
        )
        shutil.rmtree(workspace)
    print(json.dumps(outcomes, indent=1))
    assert sum(o["exit"] == -signal.SIGKILL for o in outcomes) >= 10  # the last may finish first
