"""One run at a time: an exclusive, non-blocking workspace lock, freed even on kill -9."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pipelines.errors import ReadmitError

LOCK_NAME = ".readmit.lock"


class RunLockedError(ReadmitError):
    """Another run holds the workspace lock."""


@contextmanager
def run_lock(workspace: Path, run_id: str) -> Iterator[None]:
    """Hold the workspace run lock; raise RunLockedError if another run holds it."""
    workspace.mkdir(parents=True, exist_ok=True)
    path = workspace / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(path)
            raise RunLockedError(
                f"another readmit run is using workspace {workspace} ({holder}). "
                "Wait for it to finish; only one run at a time may use a workspace."
            ) from None
        os.ftruncate(fd, 0)
        info = {"run_id": run_id, "pid": os.getpid(), "started_at": datetime.now(UTC).isoformat()}
        os.write(fd, json.dumps(info).encode())
        yield
    finally:
        os.close(fd)


def ensure_free(workspace: Path) -> None:
    """Raise RunLockedError now if another run holds the lock (the run itself still takes it)."""
    path = workspace / LOCK_NAME
    if not path.exists():
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        raise RunLockedError(
            f"another readmit run is using workspace {workspace} ({_holder(path)}). "
            "Wait for it to finish; only one run at a time may use a workspace."
        ) from None
    finally:
        os.close(fd)


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return "holder unknown"
    return f"run {info.get('run_id')}, pid {info.get('pid')}, started {info.get('started_at')}"
