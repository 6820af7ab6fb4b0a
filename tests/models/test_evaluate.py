"""Metrics: known answers by hand, the bootstrap against sklearn, calibration that can fail."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from models.evaluate import (
    _weighted_auroc,
    auroc,
    baseline_report,
    bootstrap_auroc_ci,
    calibration,
    decile_table,
    probability_report,
    top_share,
)
from models.logistic import logit, sigmoid


def _data(n: int = 20_000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = sigmoid(rng.normal(-1.5, 1.0, n))
    return (rng.random(n) < p).astype(float), p


def test_weighted_auroc_with_unit_weights_equals_sklearn_including_ties():
    rng = np.random.default_rng(1)
    y = (rng.random(500) < 0.3).astype(float)
    s = rng.integers(0, 8, 500).astype(float) + y  # many ties
    order = np.argsort(s, kind="stable")
    group = np.concatenate([[0], np.cumsum(np.diff(s[order]) != 0)])
    assert _weighted_auroc(y[order], group, np.ones(500)) == pytest.approx(roc_auc_score(y, s))


def test_bootstrap_ci_brackets_the_estimate_and_is_seeded():
    y, p = _data(3000)
    lo, hi = bootstrap_auroc_ci(y, p, n_boot=200, seed=3)
    assert lo < auroc(y, p) < hi and hi - lo < 0.08
    assert (lo, hi) == bootstrap_auroc_ci(y, p, n_boot=200, seed=3)


def test_top_share_by_hand():
    y = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 1], dtype=float)
    s = np.arange(10, 0, -1, dtype=float)  # row 0 scores highest
    top = top_share(y, s, 0.2)
    assert top["rows"] == 2 and top["ppv"] == 0.5 and top["sensitivity"] == pytest.approx(1 / 3)


def test_true_probabilities_are_calibrated_and_overconfident_ones_are_not():
    y, p = _data(50_000)
    good = calibration(y, p)
    assert abs(good["calibration_slope"] - 1) < 0.05 and abs(good["calibration_intercept"]) < 0.05
    bad = calibration(y, sigmoid(2 * logit(p)))
    assert bad["calibration_slope"] < 0.6


def test_decile_table_adds_up():
    y, p = _data(1000)
    table = decile_table(y, p)
    assert [d["decile"] for d in table] == list(range(1, 11))
    assert sum(d["rows"] for d in table) == 1000 and sum(d["events"] for d in table) == y.sum()
    means = [d["mean_predicted"] for d in table]
    assert means == sorted(means)


def test_probability_report_has_every_headline_metric():
    y, p = _data(2000)
    report = probability_report(y, p, seed=1, n_boot=50)
    for key in (
        "auroc",
        "auroc_ci",
        "auprc",
        "brier",
        "calibration_slope",
        "calibration_intercept",
    ):
        assert key in report
    for key in ("ppv_top5", "sensitivity_top5", "ppv_top10", "sensitivity_top10", "deciles"):
        assert key in report


def test_baseline_points_are_ranked_as_is_and_mapped_for_calibration():
    rng = np.random.default_rng(4)
    points = rng.integers(0, 15, 6000).astype(float)
    y = (rng.random(6000) < sigmoid(-3 + 0.2 * points)).astype(float)
    points[:10] = np.nan  # a row without a score is left out, and counted
    report = baseline_report(y[3000:], points[3000:], y[:3000], points[:3000], seed=1, n_boot=50)
    ok = ~np.isnan(points[3000:])
    assert report["auroc"] == pytest.approx(roc_auc_score(y[3000:][ok], points[3000:][ok]))
    assert abs(report["mapping"]["slope"] - 0.2) < 0.05
    assert 0.8 < report["calibration_slope"] < 1.2
    report = baseline_report(y[:3000], points[:3000], y[3000:], points[3000:], seed=1, n_boot=50)
    assert report["rows_without_score"] == 10
