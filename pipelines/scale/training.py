"""Fit the LightGBM booster with `lightgbm.dask` across the workers of a Dask cluster.

`lightgbm.dask` has no early stopping, so the booster is boosted to `max_rounds` and then cut at
the round where the single-process rule (`models.train`: stop when log loss on the early-stopping
rows has not improved for `PATIENCE` rounds) would have stopped. The log loss curve is computed
on the driver, tree by tree, over every early-stopping row. Distributed training bins and bags
per worker, so the booster is close to, not equal to, the single-process one.
"""

from __future__ import annotations

from collections.abc import Sequence

import dask.array as da
import lightgbm as lgb
import numpy as np
from distributed import Client
from lightgbm.dask import DaskLGBMClassifier

from models.train import MAX_ROUNDS, PATIENCE, lgb_params

# `seed` is `random_state` in the scikit-learn interface; each Dask worker sets its own threads.
RENAMED = {"seed": "random_state"}


def stop_round(loss: np.ndarray, patience: int = PATIENCE) -> int:
    """Rounds kept by early stopping: the best round seen before `patience` rounds without gain."""
    best, best_at = np.inf, 0
    for i, value in enumerate(loss):  # one pass over rounds (not over persons)
        if value < best:
            best, best_at = value, i
        elif i - best_at >= patience:
            break
    return best_at + 1


def logloss_by_round(booster: lgb.Booster, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean log loss on (x, y) after each boosting round."""
    rounds = booster.num_trees()
    raw = np.zeros(len(y))
    loss = np.empty(rounds)
    for i in range(rounds):
        raw += booster.predict(x, start_iteration=i, num_iteration=1, raw_score=True)
        loss[i] = np.mean(np.logaddexp(0.0, raw) - y * raw)
    return loss


def _sklearn_params(
    seed: int, threads: int, overrides: dict | None, train_rows: int | None = None
) -> dict:
    params = lgb_params(seed, threads, overrides, train_rows)
    params.pop("objective", None)
    params.pop("num_threads", None)
    return {RENAMED.get(k, k): v for k, v in params.items()}


def fit_booster_dask(
    client: Client,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_stop: np.ndarray,
    y_stop: np.ndarray,
    feature_names: Sequence[str],
    seed: int,
    threads: int = 1,
    overrides: dict | None = None,
    max_rounds: int = MAX_ROUNDS,
    partitions: int | None = None,
) -> lgb.Booster:
    """`models.train.fit_booster` trained on the cluster: the same parameters and stopping rule.

    Training rows are split into `partitions` chunks (default: one per worker).
    """
    parts = partitions or max(1, len(client.scheduler_info()["workers"]))
    chunk = max(1, -(-len(y_train) // parts))
    x = da.from_array(np.ascontiguousarray(x_train), chunks=(chunk, x_train.shape[1]))
    y = da.from_array(np.asarray(y_train, dtype=np.float64), chunks=(chunk,))
    model = DaskLGBMClassifier(
        client=client,
        objective="binary",
        n_estimators=max_rounds,
        **_sklearn_params(seed, threads, overrides, len(y_train)),
    )
    model.fit(x, y, feature_name=list(feature_names))
    booster = model.booster_
    keep = stop_round(logloss_by_round(booster, x_stop, np.asarray(y_stop, dtype=np.float64)))
    return lgb.Booster(model_str=booster.model_to_string(num_iteration=keep))
