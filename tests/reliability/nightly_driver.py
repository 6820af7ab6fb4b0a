"""The nightly steps without Prefect, one marker line per stage: the process the fault tests kill.

`python -m tests.reliability.nightly_driver LANDING WORKSPACE` takes the workspace lock, runs
ingest, build, models, score, assign and publish from `pipelines.nightly` inside `audited`, and
prints `STAGE <name>` before each step (flushed), so a test can kill it at a known stage.
Exit code 0 on success, 1 when another run holds the lock (or any failure), 2 on a contract error.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

HOLD_ENV = "READMIT_TEST_HOLD"
STAGES = ("ingest", "build", "models", "score", "assign", "publish")


@contextmanager
def duckdb_engine():
    """Row rules on DuckDB even for small files (GX adds ~20 s per run at this size)."""
    from pipelines.ingest import steps

    before = steps.AUTO_GX_MAX_ROWS
    steps.AUTO_GX_MAX_ROWS = 0
    try:
        yield
    finally:
        steps.AUTO_GX_MAX_ROWS = before


def _hold(stage: str) -> None:
    """With HOLD_ENV=<stage>:<file>, wait at that stage (lock held) until the file exists."""
    wanted, _, release = os.environ.get(HOLD_ENV, "").partition(":")
    deadline = time.monotonic() + 600
    while wanted == stage and not Path(release).exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def run_nightly(landing: Path, workspace: Path, say: Callable[[str], None] = print) -> str:
    """One nightly run over the plain steps, holding the lock; returns the run id."""
    from pipelines import nightly as steps
    from pipelines.audit import audited
    from pipelines.lock import run_lock
    from pipelines.runlog import new_run_id
    from pipelines.settings import load_settings

    settings = load_settings(workspace=workspace, duckdb_threads=1)
    run_id = new_run_id()
    calls = {
        "ingest": lambda: steps.step_ingest(settings, landing, run_id),
        "build": lambda: steps.step_build(settings, run_id),
        "models": lambda: steps.step_models(settings, run_id),
        "score": lambda: steps.step_score(settings, run_id),
        "assign": lambda: steps.step_assign(settings, run_id),
        "publish": lambda: steps.step_publish(settings, run_id),
    }
    say(f"RUN {run_id}")
    with duckdb_engine(), run_lock(settings.workspace, run_id), audited(settings, run_id):
        for name in STAGES:
            say(f"STAGE {name}")
            _hold(name)
            calls[name]()
        say("STAGE audit")  # the audit rows are written as the block exits
    say("STAGE done")
    return run_id


def main(argv: list[str]) -> int:
    """Run once; a one-line message and an exit code instead of a traceback."""
    from data_contracts.errors import ContractError

    def say(line: str) -> None:
        print(line, flush=True)

    try:
        run_nightly(Path(argv[0]), Path(argv[1]), say)
    except ContractError as exc:
        print(f"Contract error: {exc}", file=sys.stderr, flush=True)
        return 2
    except Exception as exc:  # noqa: BLE001 - a message, not a traceback
        print(f"Error: {exc}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
