"""Subgroup metrics (fairlearn MetricFrame) by sex, age band, race/ethnicity and payer type, with
the largest gaps between groups found and flagged."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from fairlearn.metrics import MetricFrame

from models.evaluate import auroc

ATTRIBUTES: tuple[str, ...] = ("sex", "age_band", "race_ethnicity", "payer_type")
MIN_EVENTS = 20  # a group needs this many events and non-events to be judged
FLAG_SHARE = 0.10  # the "flagged for outreach" list the selection metrics use: top 10%
# Gaps above these are flagged: AUROC points, sensitivity in the top 10%, and calibration
# (mean predicted minus observed rate, also required to exceed 2 standard errors).
GAP_LIMITS: dict[str, float] = {"auroc": 0.05, "sensitivity": 0.10, "calibration_gap": 0.02}


def _metrics(threshold: float) -> dict:
    """Metric functions of (y, p) for MetricFrame; `threshold` is the overall top-10% cut."""
    return {
        "rows": lambda y, p: float(len(y)),
        "events": lambda y, p: float(np.sum(y)),
        "observed_rate": lambda y, p: float(np.mean(y)),
        "mean_predicted": lambda y, p: float(np.mean(p)),
        "calibration_gap": lambda y, p: float(np.mean(p) - np.mean(y)),
        "auroc": lambda y, p: auroc(np.asarray(y), np.asarray(p)),
        "selection_rate": lambda y, p: float(np.mean(np.asarray(p) >= threshold)),
        "sensitivity": lambda y, p: _sensitivity(np.asarray(y), np.asarray(p) >= threshold),
    }


def _all_metrics(threshold: float) -> Callable[[np.ndarray, np.ndarray], dict]:
    """One MetricFrame metric returning every figure of `_metrics` as a dict.

    fairlearn 0.15 turns each argument column into an array element by element (`np.stack`)
    once per metric and group, which dominated training time at 100k persons; one metric
    instead of eight does that once.
    """
    named = _metrics(threshold)

    def figures(y, p) -> dict:
        y, p = np.asarray(y), np.asarray(p)
        return {name: f(y, p) for name, f in named.items()}

    return figures


def _sensitivity(y: np.ndarray, flagged: np.ndarray) -> float:
    events = y.sum()
    return float((flagged & (y == 1)).sum() / events) if events else float("nan")


def group_table(y: np.ndarray, p: np.ndarray, groups: np.ndarray, threshold: float) -> list[dict]:
    """One record per group of one attribute; `judged` says whether it has enough events."""
    frame = MetricFrame(
        metrics=_all_metrics(threshold), y_true=y, y_pred=p, sensitive_features=groups
    ).by_group
    records = []
    for group, row in zip(frame.index.tolist(), frame.tolist(), strict=True):  # a few groups
        events, rows = row["events"], row["rows"]
        judged = events >= MIN_EVENTS and rows - events >= MIN_EVENTS
        record = {"group": str(group), **{k: _clean(v) for k, v in row.items()}, "judged": judged}
        record["rows"], record["events"] = int(rows), int(events)
        records.append(record)
    return records


def _clean(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def _calibration_se(record: dict) -> float:
    rate = record["observed_rate"]
    return float(np.sqrt(max(rate * (1 - rate), 1e-12) / record["rows"]))


def largest_gaps(attribute: str, records: list[dict]) -> list[dict]:
    """For each judged metric: the two groups furthest apart and whether the gap is flagged."""
    judged = [r for r in records if r["judged"]]
    gaps = []
    for metric in ("auroc", "sensitivity"):
        values = [r for r in judged if r[metric] is not None]
        if len(values) < 2:
            continue
        low = min(values, key=lambda r: r[metric])
        high = max(values, key=lambda r: r[metric])
        gap = high[metric] - low[metric]
        gaps.append(
            _gap(attribute, metric, gap, low["group"], high["group"], gap > GAP_LIMITS[metric])
        )
    if judged:
        worst = max(judged, key=lambda r: abs(r["calibration_gap"]))
        gap = worst["calibration_gap"]
        flag = abs(gap) > GAP_LIMITS["calibration_gap"] and abs(gap) > 2 * _calibration_se(worst)
        gaps.append(_gap(attribute, "calibration_gap", gap, worst["group"], worst["group"], flag))
    return gaps


def _gap(attribute: str, metric: str, gap: float, low: str, high: str, flagged: bool) -> dict:
    return {
        "attribute": attribute,
        "metric": metric,
        "gap": float(gap),
        "low_group": low,
        "high_group": high,
        "limit": GAP_LIMITS[metric],
        "flagged": bool(flagged),
    }


def subgroup_report(y: np.ndarray, p: np.ndarray, attributes: Mapping[str, np.ndarray]) -> dict:
    """Per-attribute group tables, the largest gaps, and the flagged ones."""
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    threshold = float(np.quantile(p, 1.0 - FLAG_SHARE))
    tables = {name: group_table(y, p, np.asarray(g), threshold) for name, g in attributes.items()}
    gaps = [gap for name, records in tables.items() for gap in largest_gaps(name, records)]
    return {
        "threshold_top10": threshold,
        "min_events": MIN_EVENTS,
        "limits": dict(GAP_LIMITS),
        "groups": tables,
        "gaps": gaps,
        "flags": [g for g in gaps if g["flagged"]],
    }
