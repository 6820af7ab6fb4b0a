"""TreeSHAP once per path pattern equals LightGBM's own `pred_contrib` on every row."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest

from models import contrib


def _data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Few distinct values per column (patterns repeat), with NaN, exact zeros and tiny values."""
    rng = np.random.default_rng(seed)
    x = np.column_stack(
        [
            rng.integers(0, 6, n).astype(float),
            rng.choice([0.0, 1e-40, 0.5, 1.0, np.nan], n),
            np.round(rng.normal(0, 1, n), 1),
            rng.integers(0, 2, n).astype(float),
        ]
    )
    logit = -1 + 0.4 * x[:, 0] + np.nan_to_num(x[:, 1], nan=2.0) - 0.8 * x[:, 3] + 0.3 * x[:, 2]
    return x, (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)


def _booster(x: np.ndarray, y: np.ndarray, **extra) -> lgb.Booster:
    params = {"objective": "binary", "num_leaves": 7, "min_data_in_leaf": 5, "verbosity": -1}
    return lgb.train({**params, **extra}, lgb.Dataset(x, y), num_boost_round=25)


@pytest.mark.parametrize("extra", [{}, {"zero_as_missing": True}, {"use_missing": False}])
def test_pattern_contributions_equal_lightgbm(extra):
    x, y = _data(3000, 1)
    booster = _booster(x, y, **extra)
    rows = x[:1500]
    expected = booster.predict(rows, pred_contrib=True)
    trees, numeric = contrib._trees(booster.model_to_string())
    distinct = sum(len(np.unique(contrib._pattern_codes(rows, t))) for t in trees)
    assert numeric and distinct < contrib.WORTH_IT * len(rows) * len(trees)  # dedupe path taken
    got = contrib.contributions(booster, rows, threads=1)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_nan_zero_and_tiny_values_keep_their_own_pattern():
    x, y = _data(3000, 2)
    booster = _booster(x, y, zero_as_missing=True)
    tree = contrib._trees(booster.model_to_string())[0][0]
    column = list(tree.features).index(1) if 1 in tree.features else None
    probe = np.zeros((4, x.shape[1]))
    probe[:, 1] = [np.nan, 0.0, 1e-40, 0.75]
    codes = contrib._pattern_codes(probe, tree)
    if column is not None:
        assert len(set(codes[:3].tolist())) == 3  # NaN, zero and a tiny value are kept apart
    np.testing.assert_allclose(
        contrib.contributions(booster, np.repeat(probe, 50, axis=0), 1),
        booster.predict(np.repeat(probe, 50, axis=0), pred_contrib=True),
        rtol=0,
        atol=1e-12,
    )


def test_categorical_splits_and_mostly_distinct_patterns_fall_back_to_lightgbm(monkeypatch):
    x, y = _data(3000, 3)
    cat = lgb.train(
        {"objective": "binary", "num_leaves": 7, "min_data_in_leaf": 5, "verbosity": -1},
        lgb.Dataset(x, y, categorical_feature=[0]),
        num_boost_round=10,
    )
    assert not contrib._trees(cat.model_to_string())[1]
    np.testing.assert_array_equal(
        contrib.contributions(cat, x[:200], 1), cat.predict(x[:200], pred_contrib=True)
    )
    noisy = np.random.default_rng(4).normal(size=(300, 4))
    booster = _booster(*_data(3000, 5))
    monkeypatch.setattr(contrib, "WORTH_IT", 0.0)  # any pattern count is too many: LightGBM's
    np.testing.assert_array_equal(
        contrib.contributions(booster, noisy, 1), booster.predict(noisy, pred_contrib=True)
    )
