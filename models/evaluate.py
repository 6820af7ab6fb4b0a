"""Test-window metrics: discrimination with a bootstrap CI, calibration, and the top of the list."""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from models.logistic import fit_logistic, logit, sigmoid

TOP_SHARES: tuple[float, ...] = (0.05, 0.10)


def auroc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve (nan when only one outcome is present)."""
    y = np.asarray(y)
    if len(y) == 0 or y.min() == y.max():
        return float("nan")
    return float(roc_auc_score(y, score))


def _weighted_auroc(y_sorted: np.ndarray, group: np.ndarray, weight: np.ndarray) -> float:
    """AUROC of weighted rows already sorted by score; `group` numbers tied scores."""
    pos = np.bincount(group, weight * y_sorted)
    neg = np.bincount(group, weight * (1.0 - y_sorted))
    below = np.cumsum(neg) - neg
    denom = pos.sum() * neg.sum()
    return float((pos * (below + 0.5 * neg)).sum() / denom) if denom > 0 else float("nan")


def bootstrap_auroc_ci(
    y: np.ndarray, score: np.ndarray, n_boot: int = 300, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap CI of the AUROC: rows resampled with replacement, one sort in all."""
    y = np.asarray(y, dtype=np.float64)
    if len(y) == 0 or y.min() == y.max():
        return (float("nan"), float("nan"))
    order = np.argsort(score, kind="stable")
    s_sorted = np.asarray(score, dtype=np.float64)[order]
    group = np.concatenate([[0], np.cumsum(np.diff(s_sorted) != 0)])
    y_sorted = y[order]
    rng = np.random.default_rng(seed)
    n = len(y)
    aucs = np.array(
        [
            _weighted_auroc(y_sorted, group, np.bincount(rng.integers(0, n, n), minlength=n)[order])
            for _ in range(n_boot)
        ]
    )
    tail = (1.0 - level) / 2.0
    lo, hi = np.nanquantile(aucs, [tail, 1.0 - tail])
    return (float(lo), float(hi))


def top_share(y: np.ndarray, score: np.ndarray, share: float, seed: int = 0) -> dict:
    """PPV and sensitivity among the top `share` of rows by score (ties broken at random)."""
    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    k = max(1, math.ceil(share * n))
    tiebreak = np.random.default_rng(seed).random(n)
    top = np.lexsort((tiebreak, -np.asarray(score, dtype=np.float64)))[:k]
    events = y.sum()
    return {
        "share": share,
        "rows": int(k),
        "ppv": float(y[top].mean()),
        "sensitivity": float(y[top].sum() / events) if events else float("nan"),
        "threshold": float(np.asarray(score)[top[-1]]),
    }


def decile_table(y: np.ndarray, p: np.ndarray) -> list[dict]:
    """Observed vs mean predicted risk by decile of predicted risk (1 = lowest)."""
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    rank = np.empty(len(p), dtype=np.int64)
    rank[np.argsort(p, kind="stable")] = np.arange(len(p))
    decile = rank * 10 // max(len(p), 1)
    n = np.bincount(decile, minlength=10)
    events = np.bincount(decile, y, minlength=10)
    pred = np.bincount(decile, p, minlength=10)
    safe = np.maximum(n, 1)
    return [
        {
            "decile": d + 1,
            "rows": int(n[d]),
            "events": int(events[d]),
            "mean_predicted": float(pred[d] / safe[d]),
            "observed_rate": float(events[d] / safe[d]),
        }
        for d in range(10)
    ]


def calibration(y: np.ndarray, p: np.ndarray) -> dict:
    """Calibration slope and intercept: logistic regressions of the outcome on logit(p).

    `calibration_slope` and `calibration_intercept_joint` come from one fit (ideal 1 and 0);
    `calibration_intercept` is calibration-in-the-large, the intercept with the slope fixed at 1
    (ideal 0; Van Calster 2019). All nan when the rows hold only one outcome (a small clinic).
    """
    if len(y) == 0 or np.min(y) == np.max(y):
        nan = float("nan")
        return {
            "calibration_slope": nan,
            "calibration_intercept": nan,
            "calibration_intercept_joint": nan,
            "mean_predicted": float(np.mean(p)) if len(p) else nan,
            "observed_rate": float(np.mean(y)) if len(y) else nan,
        }
    z = logit(p)
    joint_a, slope = fit_logistic(z, y)
    citl, _ = fit_logistic(z, y, fit_slope=False)
    return {
        "calibration_slope": slope,
        "calibration_intercept": citl,
        "calibration_intercept_joint": joint_a,
        "mean_predicted": float(np.mean(p)),
        "observed_rate": float(np.mean(y)),
    }


def ranking_report(y: np.ndarray, score: np.ndarray, seed: int, n_boot: int) -> dict:
    """Discrimination and top-of-list metrics of any score (probability or points)."""
    report = {
        "rows": int(len(y)),
        "events": int(np.sum(y)),
        "prevalence": float(np.mean(y)),
        "auroc": auroc(y, score),
        "auroc_ci": list(bootstrap_auroc_ci(y, score, n_boot, seed)),
        "auprc": float(average_precision_score(y, score)),
    }
    for share in TOP_SHARES:
        top = top_share(y, score, share, seed)
        pct = round(share * 100)
        report[f"ppv_top{pct}"] = top["ppv"]
        report[f"sensitivity_top{pct}"] = top["sensitivity"]
    return report


def probability_report(y: np.ndarray, p: np.ndarray, seed: int, n_boot: int) -> dict:
    """Everything the test window reports for a calibrated probability."""
    report = ranking_report(y, p, seed, n_boot)
    report["brier"] = float(brier_score_loss(y, p))
    report.update(calibration(y, p))
    report["deciles"] = decile_table(y, p)
    return report


def baseline_report(
    y_test: np.ndarray,
    points_test: np.ndarray,
    y_train: np.ndarray,
    points_train: np.ndarray,
    seed: int,
    n_boot: int,
) -> dict:
    """A rule score (LACE, HOSPITAL) as a ranker, plus Brier and calibration after mapping its
    points to a probability by a logistic fit on the training rows (points alone have none)."""
    test_ok = ~np.isnan(points_test)
    report = ranking_report(y_test[test_ok], points_test[test_ok], seed, n_boot)
    report["rows_without_score"] = int((~test_ok).sum())
    train_ok = ~np.isnan(points_train)
    y_fit = y_train[train_ok]
    if len(y_fit) == 0 or np.min(y_fit) == np.max(y_fit):  # one outcome: prevalence, no slope
        a, b = float(logit(np.array([np.mean(y_fit) if len(y_fit) else 0.5]))[0]), 0.0
    else:
        a, b = fit_logistic(points_train[train_ok], y_fit)
    p = sigmoid(a + b * points_test[test_ok])
    report["mapping"] = {"intercept": a, "slope": b, "fitted_on": "training rows"}
    report["brier"] = float(brier_score_loss(y_test[test_ok], p))
    report.update(calibration(y_test[test_ok], p))
    report["deciles"] = decile_table(y_test[test_ok], p)
    return report
