"""Run lock and atomic publish."""

import multiprocessing as mp
import stat

import pytest

from pipelines.lock import RunLockedError, ensure_free, run_lock
from pipelines.publish import latest_dir, publish, run_dir, write_private


def _try_lock(workspace, queue):
    try:
        with run_lock(workspace, "second"):
            queue.put("acquired")
    except RunLockedError as exc:
        queue.put(str(exc))


def test_second_run_exits_with_a_clear_message(tmp_path):
    with run_lock(tmp_path, "first"):
        queue = mp.get_context("spawn").Queue()
        proc = mp.get_context("spawn").Process(target=_try_lock, args=(tmp_path, queue))
        proc.start()
        proc.join(60)
        message = queue.get(timeout=5)
    assert "another readmit run" in message and "first" in message
    with run_lock(tmp_path, "third"):
        pass  # the lock is free again once the holder is done


def test_lock_in_the_same_process_is_exclusive(tmp_path):
    with run_lock(tmp_path, "a"), pytest.raises(RunLockedError):
        with run_lock(tmp_path, "b"):
            pass


def test_nightly_command_exits_before_starting_prefect_while_a_run_holds_the_lock(
    tmp_path, monkeypatch
):
    from typer.testing import CliRunner

    import pipelines.flows
    from pipelines.cli import app

    def must_not_start(*args, **kwargs):
        raise AssertionError("the nightly flow started although the workspace was locked")

    monkeypatch.setattr(pipelines.flows, "nightly", must_not_start)
    ensure_free(tmp_path)  # no lock file yet: free
    with run_lock(tmp_path, "holder-run"):
        with pytest.raises(RunLockedError):
            ensure_free(tmp_path)
        result = CliRunner().invoke(
            app, ["nightly", "--landing", str(tmp_path / "landing"), "--workspace", str(tmp_path)]
        )
    assert result.exit_code == 1
    assert "another readmit run" in result.output and "holder-run" in result.output
    ensure_free(tmp_path)  # released with its holder


def test_publish_moves_latest_only_when_called(tmp_path):
    first = run_dir(tmp_path, "r1")
    write_private(first / "worklists" / "cm1.csv", "a\n")
    publish(tmp_path, "r1")
    assert latest_dir(tmp_path) == first.resolve()
    second = run_dir(tmp_path, "r2")
    write_private(second / "worklists" / "cm1.csv", "b\n")
    assert (tmp_path / "latest" / "worklists" / "cm1.csv").read_text() == "a\n"
    publish(tmp_path, "r2")
    assert (tmp_path / "latest" / "worklists" / "cm1.csv").read_text() == "b\n"


def test_publish_of_a_missing_run_leaves_latest_alone(tmp_path):
    run_dir(tmp_path, "r1")
    publish(tmp_path, "r1")
    with pytest.raises(FileNotFoundError):
        publish(tmp_path, "missing")
    assert latest_dir(tmp_path).name == "r1"


def test_private_files_are_owner_only(tmp_path):
    path = write_private(tmp_path / "x" / "f.html", "<p>hi</p>")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path = write_private(tmp_path / "y.csv", "a", mode=0o640)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
