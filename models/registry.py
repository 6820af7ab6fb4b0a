"""The model registry: `<workspace>/models/<task>/<version>/` entries and `champion.json`."""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from datetime import datetime
from pathlib import Path

CHAMPION_FILE = "champion.json"
ENTRY_FILES: tuple[str, ...] = (
    "model.txt",
    "calibrator.json",
    "features.json",
    "metrics.json",
    "training.json",
    "card.html",
)


def version_id(created: datetime, content: str) -> str:
    """UTC timestamp plus a short hash of the entry's content, e.g. 20250101T020304Z-1a2b3c4d."""
    digest = hashlib.sha256(content.encode()).hexdigest()[:8]
    return f"{created:%Y%m%dT%H%M%SZ}-{digest}"


def task_dir(models_root: Path, task: str) -> Path:
    """Where a task's versions and champion pointer live."""
    return Path(models_root) / task


def _clean(value: object) -> object:
    """JSON-safe: NaN and infinities become null, numpy scalars and tuples plain Python."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_json(value: object) -> str:
    """Pretty, strict JSON (no NaN) of plain data."""
    return json.dumps(_clean(value), indent=2, sort_keys=False, allow_nan=False, default=str)


def write_entry(models_root: Path, task: str, version: str, files: dict[str, str]) -> Path:
    """Write a complete entry atomically: into a hidden folder first, then renamed into place."""
    missing = sorted(set(ENTRY_FILES) - files.keys())
    if missing:
        raise ValueError(f"registry entry {task}/{version} lacks {', '.join(missing)}")
    root = task_dir(models_root, task)
    final, staging = root / version, root / f".{version}.partial"
    if final.exists():
        raise FileExistsError(f"registry entry {final} already exists")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, text in files.items():
        (staging / name).write_text(text)
    os.replace(staging, final)
    return final


def read_champion(models_root: Path, task: str) -> dict | None:
    """The champion pointer of a task ({version, promoted_at, ...}), or None before the first."""
    path = task_dir(models_root, task) / CHAMPION_FILE
    return json.loads(path.read_text()) if path.exists() else None


def champion_dir(models_root: Path, task: str) -> Path | None:
    """The champion's entry folder, or None."""
    record = read_champion(models_root, task)
    return task_dir(models_root, task) / record["version"] if record else None


def write_champion(models_root: Path, task: str, record: dict) -> Path:
    """Point `champion.json` at a version, replacing the old pointer in one rename."""
    root = task_dir(models_root, task)
    if not (root / record["version"]).is_dir():
        raise FileNotFoundError(f"cannot promote {record['version']}: no entry under {root}")
    path, staging = root / CHAMPION_FILE, root / f".{CHAMPION_FILE}.partial"
    staging.write_text(to_json(record))
    os.replace(staging, path)
    return path


def versions(models_root: Path, task: str) -> list[str]:
    """Registered versions of a task, oldest first."""
    root = task_dir(models_root, task)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
