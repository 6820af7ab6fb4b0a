"""Two runs at once: the second exits at once with a clear message; the first is not harmed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.nightly_driver import HOLD_ENV
from tests.reliability.test_kill import REPO, check_warehouse, same_worklists, start_driver

pytestmark = pytest.mark.slow

READMIT = Path(sys.executable).parent / "readmit"


def test_a_second_run_exits_while_the_first_holds_the_workspace(clean_runs, tmp_path):
    workspace = tmp_path / "ws"
    shutil.copytree(clean_runs.first_snapshot, workspace, symlinks=True)
    release = tmp_path / "release"
    hold = {HOLD_ENV: f"build:{release}"}  # the first run waits at build, holding the lock
    first = start_driver(clean_runs.landing, workspace, tmp_path / "first.txt", hold)
    run_id = first.stdout.readline().split()[1]
    for line in first.stdout:
        if line.strip() == "STAGE build":
            break
    second = subprocess.run(
        [str(READMIT), "ingest", str(clean_runs.landing), "--workspace", str(workspace)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    first_still_running = first.poll() is None
    release.touch()
    rest = first.stdout.read()
    assert first.wait(timeout=600) == 0, (tmp_path / "first.txt").read_text()[-1000:]
    assert first_still_running, "the second run waited for the first instead of exiting"
    assert second.returncode == 1
    assert "another readmit run is using workspace" in second.stderr
    assert run_id in second.stderr and "Wait for it to finish" in second.stderr
    assert "Traceback" not in second.stderr + second.stdout
    assert "STAGE done" in rest
    assert (workspace / "latest").resolve().name == run_id
    check_warehouse(workspace, clean_runs)
    runs = clean_runs.workspace / "runs"
    assert same_worklists(workspace / "latest", runs / clean_runs.second_run)
