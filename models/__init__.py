"""Prediction tasks, training, calibration, evaluation, explanations, tiers, model registry."""

from __future__ import annotations

import os

# why: LightGBM's OpenMP threads spin while they wait by default; on a shared 2-core machine that
# made training 20-40x slower in our measurements. Passive waiting must be set before libgomp loads,
# so it is set here, the first module any training or scoring path imports.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# The public API, imported on first use so `import models` stays light.
_EXPORTS: dict[str, str] = {
    "TASKS": "models.tasks",
    "get_task": "models.tasks",
    "TrainConfig": "models.pipeline",
    "train_task": "models.pipeline",
    "register": "models.register",
    "load_model": "models.score",
    "score": "models.score",
    "score_table": "models.score",
    "explain_rows": "models.score",
    "assign_tiers": "models.tiers",
    "TierThresholds": "models.tiers",
    "champion_dir": "models.registry",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    """Import a public name from its module on first use."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'models' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_EXPORTS[name]), name)
