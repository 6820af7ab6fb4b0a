"""A two-parameter logistic regression (Newton's method) for calibration and baseline mapping."""

from __future__ import annotations

import numpy as np

EPS = 1e-12


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, stable for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def logit(p: np.ndarray, eps: float = 1e-7) -> np.ndarray:
    """log(p / (1 - p)) with p clipped away from 0 and 1."""
    q = np.clip(np.asarray(p, dtype=np.float64), eps, 1.0 - eps)
    return np.log(q) - np.log1p(-q)


def fit_logistic(
    x: np.ndarray, y: np.ndarray, fit_slope: bool = True, max_iter: int = 100
) -> tuple[float, float]:
    """Intercept and slope of P(y=1) = sigmoid(a + b x); with fit_slope=False, b is fixed at 1
    and x is an offset (calibration-in-the-large)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(y) == 0 or y.min() == y.max():
        raise ValueError("a logistic fit needs both outcomes among its rows")
    a = float(logit(np.array([y.mean()]))[0]) - (x.mean() if not fit_slope else 0.0)
    b = 1.0 if not fit_slope else 0.0
    for _ in range(max_iter):
        p = sigmoid(a + b * x)
        w = np.maximum(p * (1.0 - p), EPS)
        r = y - p
        if fit_slope:
            h = np.array([[w.sum(), (w * x).sum()], [(w * x).sum(), (w * x * x).sum()]])
            step = np.linalg.solve(h + 1e-9 * np.eye(2), np.array([r.sum(), (r * x).sum()]))
        else:
            step = np.array([r.sum() / w.sum(), 0.0])
        a, b = a + step[0], b + step[1]
        if np.abs(step).max() < 1e-10:
            break
    return float(a), float(b)
