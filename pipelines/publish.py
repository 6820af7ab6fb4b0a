"""Atomic publishing: a run writes into runs/<run_id>/; `latest` moves once all is written."""

from __future__ import annotations

import os
from pathlib import Path

RUNS_DIR = "runs"
LATEST = "latest"


def run_dir(workspace: Path, run_id: str) -> Path:
    """The private output folder of one run (created owner-only)."""
    path = workspace / RUNS_DIR / run_id
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def latest_dir(workspace: Path) -> Path | None:
    """The folder `latest` points at, or None before the first successful publish."""
    link = workspace / LATEST
    return link.resolve() if link.is_symlink() or link.exists() else None


def publish(workspace: Path, run_id: str) -> Path:
    """Point `latest` at this run's folder in one atomic rename; older outputs stay till then."""
    target = workspace / RUNS_DIR / run_id
    if not target.is_dir():
        raise FileNotFoundError(f"run folder {target} does not exist; nothing to publish")
    tmp = workspace / f".{LATEST}.{run_id}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
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
