"""Calibration of raw LightGBM scores on held-out rows: Platt (logistic) or isotonic, as JSON
(identity, with a warning, when the held-out rows are too few to fit either)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.isotonic import IsotonicRegression

from models.logistic import fit_logistic, sigmoid

P_MIN, P_MAX = 1e-6, 1.0 - 1e-6
# Isotonic is chosen only when it lowers cross-validated log loss by more than this; otherwise the
# smoother Platt map wins (it keeps the ranking and the calibration slope near 1).
ISOTONIC_MARGIN = 0.001
# Fewer events (or non-events) than this among the calibration rows (a small clinic) and no map is
# fitted: a logistic fit on a handful of events is unstable or, with one outcome, undefined.
MIN_OUTCOME_ROWS = 10


@dataclass(frozen=True)
class Calibrator:
    """A fitted map from raw score (log-odds) to probability, stored as plain parameters."""

    method: str
    params: dict = field(default_factory=dict)
    n_rows: int = 0
    n_events: int = 0
    log_loss_cv: dict = field(default_factory=dict)
    warning: str | None = None

    def predict(self, raw: np.ndarray) -> np.ndarray:
        """Calibrated probabilities for raw scores."""
        raw = np.asarray(raw, dtype=np.float64)
        if self.method == "identity":
            p = sigmoid(raw)
        elif self.method == "platt":
            p = sigmoid(self.params["intercept"] + self.params["slope"] * raw)
        elif self.method == "isotonic":
            p = np.interp(raw, self.params["x"], self.params["y"])
        else:
            raise ValueError(f"unknown calibration method {self.method!r}")
        return np.clip(p, P_MIN, P_MAX)

    def to_dict(self) -> dict:
        """JSON-ready parameters (no pickle)."""
        return {
            "method": self.method,
            "params": self.params,
            "n_rows": self.n_rows,
            "n_events": self.n_events,
            "log_loss_cv": self.log_loss_cv,
            "warning": self.warning,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Calibrator:
        """The calibrator saved by `to_dict`."""
        return cls(
            data["method"],
            data["params"],
            data.get("n_rows", 0),
            data.get("n_events", 0),
            data.get("log_loss_cv", {}),
            data.get("warning"),
        )


def fit_platt(raw: np.ndarray, y: np.ndarray) -> Calibrator:
    """Logistic regression of the outcome on the raw score."""
    a, b = fit_logistic(raw, y)
    return Calibrator("platt", {"intercept": a, "slope": b}, len(y), int(np.sum(y)))


def fit_isotonic(raw: np.ndarray, y: np.ndarray) -> Calibrator:
    """Monotone step map from raw score to observed rate, interpolated linearly."""
    iso = IsotonicRegression(out_of_bounds="clip", y_min=P_MIN, y_max=P_MAX).fit(raw, y)
    params = {"x": iso.X_thresholds_.tolist(), "y": iso.y_thresholds_.tolist()}
    return Calibrator("isotonic", params, len(y), int(np.sum(y)))


def identity_calibrator(y: np.ndarray) -> Calibrator:
    """No map: the booster's own probability, sigmoid(raw), with a warning saying why."""
    events = int(np.sum(y))
    warning = (
        f"the calibration rows hold {events} event(s) and {len(y) - events} non-event(s), fewer "
        f"than {MIN_OUTCOME_ROWS} of each, so no calibration map was fitted: probabilities are "
        "LightGBM's own (uncalibrated). Use the ranking and tiers; treat the probabilities as "
        "approximate until more history accumulates and the model is retrained"
    )
    return Calibrator("identity", {}, len(y), events, {}, warning)


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    """Mean negative log-likelihood."""
    p = np.clip(p, P_MIN, P_MAX)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


def choose_calibrator(raw: np.ndarray, y: np.ndarray, seed: int) -> Calibrator:
    """Platt or isotonic by 2-fold cross-validated log loss on these held-out rows, refit on all;
    identity (no map, with a warning) when the rows hold too few events or non-events."""
    raw = np.asarray(raw, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if min(y.sum(), len(y) - y.sum()) < MIN_OUTCOME_ROWS:
        return identity_calibrator(y)
    fold = np.random.default_rng(seed).random(len(y)) < 0.5
    if min(y[fold].sum(), y[~fold].sum(), (1 - y[fold]).sum(), (1 - y[~fold]).sum()) == 0:
        return fit_platt(raw, y)
    losses: dict[str, float] = {}
    for name, fit in (("platt", fit_platt), ("isotonic", fit_isotonic)):
        total = 0.0
        for part in (fold, ~fold):
            model = fit(raw[part], y[part])
            total += log_loss(y[~part], model.predict(raw[~part])) * (~part).sum()
        losses[name] = total / len(y)
    best = "isotonic" if losses["isotonic"] < losses["platt"] - ISOTONIC_MARGIN else "platt"
    chosen = (fit_isotonic if best == "isotonic" else fit_platt)(raw, y)
    return Calibrator(chosen.method, chosen.params, chosen.n_rows, chosen.n_events, losses)
