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


def lgb_params(seed: int, threads: int, overrides: dict | None = None) -> dict:
    """Training parameters with every seed fixed and a fixed thread count."""
    params = dict(DEFAULT_PARAMS)
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
    params = lgb_params(seed, threads, overrides)
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
