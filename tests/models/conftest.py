"""Shared fixtures: a synthetic warehouse and one model trained on it."""

from __future__ import annotations

import pytest

from models.pipeline import TrainConfig, TrainResult, train_task
from models.tasks import get_task
from tests.models import synthetic

FAST = TrainConfig(seed=11, threads=1, n_boot=100, explain_rows=500)


@pytest.fixture(scope="session")
def warehouse():
    """The synthetic warehouse (read it, do not change it)."""
    con = synthetic.warehouse()
    yield con
    con.close()


@pytest.fixture(scope="session")
def trained(warehouse) -> TrainResult:
    """A readmission_30d model trained on the synthetic warehouse."""
    return train_task(warehouse, get_task("readmission_30d"), synthetic.features(), FAST)
