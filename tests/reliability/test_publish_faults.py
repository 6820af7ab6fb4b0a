"""Disk full or no permission while publishing: the last good outputs stay and the log says why."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from pipelines import nightly as steps
from pipelines.publish import PublishError, publish_failure
from pipelines.runlog import new_run_id
from pipelines.settings import load_settings


@pytest.fixture
def scored(clean_runs, tmp_path):
    """A copy of the clean workspace with a new run scored and assigned, not yet published."""
    workspace = tmp_path / "ws"
    shutil.copytree(clean_runs.workspace, workspace, symlinks=True)
    settings = load_settings(workspace=workspace, duckdb_threads=1)
    run_id = new_run_id()
    steps.step_score(settings, run_id)
    steps.step_assign(settings, run_id)
    return settings, run_id, clean_runs.second_run


def _publish_row(settings, run_id: str) -> tuple:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        query = "select status, message from run_log where run_id = ? and stage = 'publish'"
        return con.execute(query, [run_id]).fetchall()[0]


def _latest(settings) -> str:
    return (settings.workspace / "latest").resolve().name


@pytest.mark.slow
def test_disk_full_while_writing_worklists_keeps_the_last_outputs(scored, monkeypatch):
    settings, run_id, previous = scored
    before = (settings.workspace / "latest" / "dashboard.html").read_bytes()
    import reports.worklist as worklist

    real = worklist.write_private

    def half_then_enospc(path: Path, text: str, mode: int = 0o600) -> Path:
        real(path, text[: len(text) // 2], mode)  # a torn file, as a full disk leaves one
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(worklist, "write_private", half_then_enospc)
    with pytest.raises(PublishError) as caught:
        steps.step_publish(settings, run_id)
    message = str(caught.value)
    assert "No space left on device" in message and "worklists" in message
    assert f"previous outputs stay published in latest ({previous})" in message
    assert "Free disk space" in message
    assert _latest(settings) == previous
    assert (settings.workspace / "latest" / "dashboard.html").read_bytes() == before
    assert not (settings.workspace / "runs" / run_id).exists()  # the torn folder is gone
    status, logged = _publish_row(settings, run_id)
    assert status == "failed" and "No space left on device" in logged

    monkeypatch.setattr(worklist, "write_private", real)
    steps.step_publish(settings, run_id)  # space freed: the same run publishes
    assert _latest(settings) == run_id


@pytest.mark.slow
def test_a_read_only_runs_folder_names_the_problem(scored, monkeypatch):
    settings, run_id, previous = scored
    runs = settings.workspace / "runs"
    runs.chmod(0o555)
    if os.geteuid() == 0:  # root ignores modes: make the folder creation fail as it would
        import pipelines.publish as publish

        def denied(workspace: Path, rid: str) -> Path:
            path = workspace / "runs" / rid
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

        monkeypatch.setattr(publish, "run_dir", denied)
    try:
        with pytest.raises(PublishError) as caught:
            steps.step_publish(settings, run_id)
    finally:
        runs.chmod(0o755)
    message = str(caught.value)
    assert "Permission denied" in message and run_id in message
    assert "writable by the user running readmit" in message
    assert _latest(settings) == previous
    status, logged = _publish_row(settings, run_id)
    assert status == "failed" and "Permission denied" in logged


def test_the_message_says_what_to_do_for_each_cause(tmp_path):
    cases = {
        errno.ENOSPC: "Free disk space",
        errno.EROFS: "read-only file system",
        errno.EIO: "Fix the problem above",
    }
    for code, action in cases.items():
        exc = OSError(code, os.strerror(code), "/ws/runs/r2/dashboard.html")
        text = publish_failure(exc, "r2", tmp_path / "runs" / "r1")
        assert os.strerror(code) in text and "dashboard.html" in text and action in text
        assert "stay published in latest (r1)" in text
    first = publish_failure(OSError(errno.ENOSPC, "No space left on device"), "r1", None)
    assert "nothing was published before" in first


@pytest.mark.slow
def test_the_output_mode_is_configurable(scored):
    settings, run_id, _ = scored
    group_readable = settings.model_copy(update={"output_mode": 0o640})
    steps.step_publish(group_readable, run_id)
    latest = settings.workspace / "latest"
    files = sorted((latest / "worklists").iterdir()) + [latest / "dashboard.html"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o640}


def test_publishing_removes_the_torn_folder_and_keeps_latest(tmp_path):
    from pipelines.publish import publish, publishing, run_dir, write_private

    write_private(run_dir(tmp_path, "r1") / "dashboard.html", "old")
    publish(tmp_path, "r1")
    with pytest.raises(PublishError, match="r2: No space left on device"):
        with publishing(tmp_path, "r2") as out:
            write_private(out / "dashboard.html", "half")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "x.csv"))
    assert not (tmp_path / "runs" / "r2").exists()
    assert (tmp_path / "latest" / "dashboard.html").read_text() == "old"


def test_a_link_left_by_a_run_killed_while_moving_latest_is_cleared(tmp_path):
    from pipelines.publish import publish, run_dir

    run_dir(tmp_path, "r1")
    (tmp_path / ".latest.r0.tmp").symlink_to("runs/r0")  # kill -9 between symlink and rename
    publish(tmp_path, "r1")
    assert not list(tmp_path.glob(".latest.*"))
    assert (tmp_path / "latest").resolve().name == "r1"
