"""Calibration: fitted on held-out rows only, stored as parameters, and it corrects overfitting."""

from __future__ import annotations

import json

import lightgbm as lgb
import numpy as np

from models.calibrate import Calibrator, choose_calibrator, fit_isotonic, fit_platt
from models.evaluate import calibration
from models.logistic import sigmoid
from tests.models.conftest import FAST


def _known(n: int = 20_000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    raw = rng.normal(0, 1.5, n)
    y = (rng.random(n) < sigmoid(-1.0 + 0.5 * raw)).astype(float)
    return raw, y


def test_platt_recovers_a_known_map():
    raw, y = _known()
    cal = fit_platt(raw, y)
    assert abs(cal.params["intercept"] + 1.0) < 0.08
    assert abs(cal.params["slope"] - 0.5) < 0.05


def test_isotonic_is_monotone_and_within_bounds():
    raw, y = _known()
    p = fit_isotonic(raw, y).predict(np.linspace(-6, 6, 200))
    assert np.all(np.diff(p) >= 0) and p.min() > 0 and p.max() < 1


def test_choice_prefers_platt_when_the_map_is_logistic_and_round_trips_as_json():
    raw, y = _known()
    cal = choose_calibrator(raw, y, seed=1)
    assert cal.method == "platt" and set(cal.log_loss_cv) == {"platt", "isotonic"}
    again = Calibrator.from_dict(json.loads(json.dumps(cal.to_dict())))
    assert np.allclose(again.predict(raw), cal.predict(raw))


def test_choice_takes_isotonic_when_the_map_is_not_monotone_logistic():
    rng = np.random.default_rng(2)
    raw = rng.uniform(-3, 3, 20_000)
    y = (rng.random(len(raw)) < np.where(raw > 1.0, 0.6, 0.05)).astype(float)  # a step
    assert choose_calibrator(raw, y, seed=1).method == "isotonic"


def test_calibrator_rows_are_disjoint_from_tree_rows(trained):
    split = trained.split
    assert trained.calibrator.n_rows == len(split.calibration)
    assert not set(split.calibration) & set(split.train)
    assert not set(split.calibration) & set(split.early_stop)
    assert not set(split.calibration) & set(split.test)


def test_held_out_calibration_fixes_an_overfit_booster_where_in_sample_cannot():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(15_000, 5))
    y = (rng.random(15_000) < sigmoid(-1.5 + x[:, 0] - 0.5 * x[:, 1])).astype(float)
    params = {"objective": "binary", "num_leaves": 63, "min_data_in_leaf": 2, "verbosity": -1}
    params.update({"num_threads": FAST.threads, "deterministic": True, "seed": 1})
    booster = lgb.train(params, lgb.Dataset(x[:3000], y[:3000]), num_boost_round=300)
    raw = booster.predict(x, raw_score=True)
    train, held, test = slice(0, 3000), slice(3000, 9000), slice(9000, 15_000)
    in_sample = fit_platt(raw[train], y[train]).predict(raw[test])
    held_out = fit_platt(raw[held], y[held]).predict(raw[test])
    assert calibration(y[test], in_sample)["calibration_slope"] < 0.5
    assert 0.8 < calibration(y[test], held_out)["calibration_slope"] < 1.2
