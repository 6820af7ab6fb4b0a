"""lightgbm.dask training: the stopping rule equals LightGBM's early stopping, and a booster trained
on a 2-worker cluster scores within a stated tolerance of the single-process booster."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest

from models.evaluate import auroc
from models.train import PATIENCE, fit_booster, lgb_params
from pipelines.scale.steps import dask_client
from pipelines.scale.training import (
    _sklearn_params,
    fit_booster_dask,
    logloss_by_round,
    stop_round,
)

# Tolerance of distributed training (bins and bagging per worker), on 6,000 held-out rows:
AUROC_GAP = 0.01  # |AUROC(dask) - AUROC(single)|
RAW_CORRELATION = 0.95  # Pearson correlation of the raw scores (log-odds)
MEAN_PROBABILITY_GAP = 0.02  # mean |p(dask) - p(single)|
COLUMNS = [f"f{i}" for i in range(8)]


def _rows(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Rows with a known signal (main effects and one interaction) and 5% missing values."""
    x = rng.normal(size=(n, len(COLUMNS)))
    x[rng.random(x.shape) < 0.05] = np.nan
    v = np.nan_to_num(x)
    logit = -2.5 + 0.9 * v[:, 0] + 0.6 * v[:, 1] - 0.5 * v[:, 2] * v[:, 3]
    return x, (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)


@pytest.fixture(scope="module")
def rows():
    rng = np.random.default_rng(3)
    return {"train": _rows(12_000, rng), "stop": _rows(3_000, rng), "test": _rows(6_000, rng)}


def test_cluster_training_scales_the_leaf_size_to_a_small_training_set_as_one_process_does():
    for rows in (400, 1_000, 50_000):
        single = lgb_params(7, 1, None, rows)
        assert _sklearn_params(7, 1, None, rows)["min_data_in_leaf"] == single["min_data_in_leaf"]
    assert _sklearn_params(7, 1, None, 400)["min_data_in_leaf"] == 20


def test_stop_round_keeps_the_best_round_before_patience_runs_out():
    loss = np.array([5.0, 4.0, 3.0, 3.5, 2.9, 3.0, 3.1, 3.2, 2.0])
    assert stop_round(loss, patience=3) == 5  # best 2.9 at round 5; 2.0 comes too late
    assert stop_round(loss, patience=10) == 9
    assert stop_round(np.array([1.0]), patience=3) == 1


def test_the_stopping_rule_matches_lightgbm_early_stopping(rows):
    x, y = rows["train"]
    xs, ys = rows["stop"]
    stopped = fit_booster(x, y, xs, ys, COLUMNS, seed=11, threads=1, max_rounds=400)
    full = lgb.train(
        lgb_params(11, 1), lgb.Dataset(x, label=y, feature_name=COLUMNS), num_boost_round=400
    )
    curve = logloss_by_round(full, xs, ys.astype(np.float64))
    assert stopped.best_iteration < 400 - PATIENCE  # early stopping did stop
    assert stop_round(curve) == stopped.best_iteration


def test_a_booster_trained_on_two_workers_scores_within_tolerance(rows):
    x, y = rows["train"]
    xs, ys = rows["stop"]
    xt, yt = rows["test"]
    single = fit_booster(x, y, xs, ys, COLUMNS, seed=1, threads=1)
    with dask_client(workers=2, threads_per_worker=1, processes=False) as client:
        spread = fit_booster_dask(client, x, y, xs, ys, COLUMNS, seed=1, max_rounds=600)
    assert 1 <= spread.num_trees() < 600
    r1, r2 = single.predict(xt, raw_score=True), spread.predict(xt, raw_score=True)
    assert auroc(yt, r2) > 0.7  # it learned the signal
    assert abs(auroc(yt, r1) - auroc(yt, r2)) <= AUROC_GAP
    assert np.corrcoef(r1, r2)[0, 1] >= RAW_CORRELATION
    p1, p2 = 1 / (1 + np.exp(-r1)), 1 / (1 + np.exp(-r2))
    assert np.mean(np.abs(p1 - p2)) <= MEAN_PROBABILITY_GAP
