"""Atomic publishing: a run writes into runs/<run_id>/; `latest` moves once all is written."""

from __future__ import annotations

import errno
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.errors import ReadmitError

log = logging.getLogger("readmit.publish")

RUNS_DIR = "runs"
LATEST = "latest"


def run_dir(workspace: Path, run_id: str) -> Path:
    """The private output folder of one run (created owner-only)."""
    path = workspace / RUNS_DIR / run_id
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


class PublishError(ReadmitError):
    """The run's outputs could not be written; the previous outputs stay published."""


# What to do about the usual reasons a write fails.
ACTIONS = {
    errno.ENOSPC: "Free disk space on the workspace's file system, then run again.",
    errno.EDQUOT: "Free space within the disk quota of this user, then run again.",
    errno.EACCES: "Make the workspace folder writable by the user running readmit, then run again.",
    errno.EPERM: "Make the workspace folder writable by the user running readmit, then run again.",
    errno.EROFS: "The workspace is on a read-only file system: move it, then run again.",
}


@contextmanager
def publishing(workspace: Path, run_id: str) -> Iterator[Path]:
    """The run's folder to write into; a failed write removes it and raises a PublishError."""
    try:
        yield run_dir(workspace, run_id)
    except OSError as exc:
        kept = latest_dir(workspace)
        if kept is None or kept.name != run_id:
            shutil.rmtree(workspace / RUNS_DIR / run_id, ignore_errors=True)
        raise PublishError(publish_failure(exc, run_id, kept)) from exc


def publish_failure(exc: OSError, run_id: str, kept: Path | None) -> str:
    """A one-paragraph message: what failed, on which file, what stays published, what to do."""
    reason = exc.strerror or str(exc)
    where = f" writing {exc.filename}" if exc.filename else ""
    stays = (
        f"the previous outputs stay published in latest ({kept.name})"
        if kept is not None and kept.name != run_id
        else "nothing was published before this run"
    )
    action = ACTIONS.get(exc.errno or 0, "Fix the problem above, then run again.")
    log.error("run %s: publishing failed (%s); %s", run_id, reason, stays)
    return f"could not publish run {run_id}: {reason}{where}; {stays}. {action}"


def latest_dir(workspace: Path) -> Path | None:
    """The folder `latest` points at, or None before the first successful publish."""
    link = workspace / LATEST
    return link.resolve() if link.is_symlink() or link.exists() else None


def publish(workspace: Path, run_id: str) -> Path:
    """Point `latest` at this run's folder in one atomic rename; older outputs stay till then."""
    target = workspace / RUNS_DIR / run_id
    if not target.is_dir():
        raise FileNotFoundError(f"run folder {target} does not exist; nothing to publish")
    for stale in workspace.glob(f".{LATEST}.*.tmp"):  # left by a run killed right here
        stale.unlink(missing_ok=True)
    tmp = workspace / f".{LATEST}.{run_id}.tmp"
    os.symlink(Path(RUNS_DIR) / run_id, tmp)
    os.replace(tmp, workspace / LATEST)
    _fsync_dir(workspace)
    return workspace / LATEST


def write_private(path: Path, data: str | bytes, mode: int = 0o600) -> Path:
    """Write a file readable only by its owner (by default), creating parent folders owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(path, flags, mode)
    try:
        os.fchmod(fd, mode)
        payload = data.encode() if isinstance(data, str) else data
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
