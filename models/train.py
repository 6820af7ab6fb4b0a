"""Fit one LightGBM booster with early stopping, deterministically."""

from __future__ import annotations

from collections.abc import Sequence

import lightgbm as lgb
import numpy as np

# Small trees and a moderate learning rate: the per-patient contributions (TreeSHAP) cost grows with
# trees x leaves x depth^2, and scoring has a budget (DESIGN section 13).
DEFAULT_PARAMS: dict[str, object] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "max_depth": 6,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "max_bin": 255,
    "verbosity": -1,
    "deterministic": True,
    "force_col_wise": True,
}
MAX_ROUNDS = 2000
PATIENCE = 50
# A small clinic's training rows: leaves of 100 rows would leave the trees unsplit (one constant
# probability, so every patient ties into tier 1); below 2,000 rows a leaf needs 1/20 of them,
# at least LightGBM's default of 20. From 2,000 rows on, the default above holds.
SMALL_LEAF_SHARE, SMALL_LEAF_FLOOR = 20, 20


def min_leaf_rows(train_rows: int) -> int:
    """The fewest training rows a leaf may hold, for a training set of `train_rows` rows."""
    default = int(DEFAULT_PARAMS["min_data_in_leaf"])
    return int(min(default, max(SMALL_LEAF_FLOOR, train_rows // SMALL_LEAF_SHARE)))


def lgb_params(
    seed: int, threads: int, overrides: dict | None = None, train_rows: int | None = None
) -> dict:
    """Training parameters with every seed fixed and a fixed thread count (leaf size scaled down
    for fewer than 2,000 `train_rows`)."""
    params = dict(DEFAULT_PARAMS)
    if train_rows is not None:
        params["min_data_in_leaf"] = min_leaf_rows(train_rows)
    params.update(
        {
            "seed": seed,
            "bagging_seed": seed + 1,
            "feature_fraction_seed": seed + 2,
            "data_random_seed": seed + 3,
            "num_threads": threads,
        }
    )
    params.update(overrides or {})
    return params


def fit_booster(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_stop: np.ndarray,
    y_stop: np.ndarray,
    feature_names: Sequence[str],
    seed: int,
    threads: int = 2,
    overrides: dict | None = None,
    max_rounds: int = MAX_ROUNDS,
) -> lgb.Booster:
    """Boost on the training rows until log loss on the early-stopping rows stops improving."""
    names = list(feature_names)
    params = lgb_params(seed, threads, overrides, train_rows=len(y_train))
    train = lgb.Dataset(x_train, label=y_train, feature_name=names, free_raw_data=True)
    stop = lgb.Dataset(x_stop, label=y_stop, reference=train, feature_name=names)
    return lgb.train(
        {**params, "metric": "binary_logloss"},
        train,
        num_boost_round=max_rounds,
        valid_sets=[stop],
        valid_names=["early_stop"],
        callbacks=[lgb.early_stopping(PATIENCE, verbose=False)],
    )


def sample_warnings(parts: dict[str, tuple[np.ndarray, np.ndarray]], min_events: int) -> list[str]:
    """Plain-language warnings for split parts with too few events to learn from or measure."""
    out: list[str] = []
    y_train, y_test = parts["train"][1], parts["test"][1]
    events, rows = int(np.sum(y_train)), len(y_train)
    if events < min_events:
        out.append(
            f"the training rows hold only {events} event(s) among {rows:,} rows: the model can "
            "learn little, and its ranking may be close to chance"
        )
    events, rows = int(np.sum(y_test)), len(y_test)
    if events == 0 or events == rows:
        out.append(
            f"the test window holds {events} event(s) among {rows:,} rows: AUROC, AUPRC, "
            "calibration and top-of-list figures cannot be measured (shown as nan)"
        )
    elif min(events, rows - events) < min_events:
        out.append(
            f"the test window holds only {events} event(s) among {rows:,} rows: its figures are "
            "very uncertain"
        )
    return out
