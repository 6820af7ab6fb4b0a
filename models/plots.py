"""Plotly figures for the model card: ROC, precision-recall, calibration and top features."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
from sklearn.metrics import precision_recall_curve, roc_curve

MAX_POINTS = 400
LAYOUT = {"height": 420, "margin": {"l": 60, "r": 20, "t": 50, "b": 50}, "template": "plotly_white"}


def _thin(*arrays: np.ndarray) -> list[np.ndarray]:
    """At most MAX_POINTS evenly spaced points of each curve, ends kept."""
    n = len(arrays[0])
    if n <= MAX_POINTS:
        return list(arrays)
    keep = np.unique(np.linspace(0, n - 1, MAX_POINTS).round().astype(int))
    return [a[keep] for a in arrays]


def _finite(y: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ok = np.isfinite(score)
    return y[ok], score[ok]


def roc_figure(y: np.ndarray, scores: Mapping[str, np.ndarray]) -> go.Figure:
    """ROC curves of the model and the rule scores on the same test rows."""
    fig = go.Figure()
    for name, score in scores.items():
        fpr, tpr, _ = roc_curve(*_finite(y, score))
        fpr, tpr = _thin(fpr, tpr)
        fig.add_trace(go.Scatter(x=fpr, y=tpr, mode="lines", name=name))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="chance", line={"dash": "dot"}))
    fig.update_layout(title="ROC curve (test window)", **LAYOUT)
    fig.update_xaxes(title="1 - specificity", range=[0, 1])
    return fig.update_yaxes(title="sensitivity", range=[0, 1])


def pr_figure(y: np.ndarray, scores: Mapping[str, np.ndarray]) -> go.Figure:
    """Precision-recall curves with the prevalence as the no-skill line."""
    fig = go.Figure()
    for name, score in scores.items():
        precision, recall, _ = precision_recall_curve(*_finite(y, score))
        recall, precision = _thin(recall, precision)
        fig.add_trace(go.Scatter(x=recall, y=precision, mode="lines", name=name))
    prevalence = float(np.mean(y))
    fig.add_trace(
        go.Scatter(
            x=[0, 1], y=[prevalence] * 2, mode="lines", name="prevalence", line={"dash": "dot"}
        )
    )
    fig.update_layout(title="Precision-recall (test window)", **LAYOUT)
    fig.update_xaxes(title="recall (sensitivity)", range=[0, 1])
    return fig.update_yaxes(title="precision (PPV)", range=[0, 1])


def calibration_figure(deciles: Mapping[str, list[dict]]) -> go.Figure:
    """Observed rate against mean predicted risk by decile; rule scores after their mapping."""
    fig = go.Figure()
    top = 0.0
    for name, table in deciles.items():
        pred = [d["mean_predicted"] for d in table]
        obs = [d["observed_rate"] for d in table]
        top = max(top, *pred, *obs)
        fig.add_trace(go.Scatter(x=pred, y=obs, mode="lines+markers", name=name))
    top = min(1.0, top * 1.05 + 0.01)
    fig.add_trace(
        go.Scatter(x=[0, top], y=[0, top], mode="lines", name="perfect", line={"dash": "dot"})
    )
    fig.update_layout(title="Calibration by decile (test window)", **LAYOUT)
    fig.update_xaxes(title="mean predicted risk", range=[0, top])
    return fig.update_yaxes(title="observed rate", range=[0, top])


def features_figure(top_features: list[dict], limit: int = 15) -> go.Figure:
    """The features with the largest mean |contribution| to the log-odds."""
    rows = top_features[:limit][::-1]
    fig = go.Figure(
        go.Bar(
            x=[r["mean_abs_contribution"] for r in rows],
            y=[r["feature"] for r in rows],
            orientation="h",
        )
    )
    fig.update_layout(title="Top features (mean |contribution|, log-odds)", **LAYOUT)
    return fig.update_xaxes(title="mean |contribution|")


def to_div(fig: go.Figure, first: bool) -> str:
    """The figure as an HTML fragment; the first one on a page carries plotly.js inline."""
    return fig.to_html(full_html=False, include_plotlyjs=bool(first), config={"responsive": True})
