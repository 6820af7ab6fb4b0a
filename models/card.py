"""The model card: one self-contained HTML page (plotly inline) following the TRIPOD+AI items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import jinja2
import numpy as np

from features.registry import Feature
from models import plots
from models.tasks import Task

TEMPLATES = Path(__file__).parent / "templates"
BASELINE_LABELS = {"lace_score": "LACE", "hospital_score": "HOSPITAL", "hcc_risk_score": "CMS-HCC"}
ROWS: tuple[tuple[str, str, str], ...] = (
    ("auroc", "AUROC", "{:.3f}"),
    ("auprc", "AUPRC", "{:.3f}"),
    ("brier", "Brier score", "{:.4f}"),
    ("calibration_slope", "Calibration slope (ideal 1)", "{:.3f}"),
    ("calibration_intercept", "Calibration-in-the-large (ideal 0)", "{:+.3f}"),
    ("ppv_top5", "PPV, top 5%", "{:.1%}"),
    ("sensitivity_top5", "Sensitivity, top 5%", "{:.1%}"),
    ("ppv_top10", "PPV, top 10%", "{:.1%}"),
    ("sensitivity_top10", "Sensitivity, top 10%", "{:.1%}"),
)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _fmt(value: object, pattern: str) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "n/a"
    return pattern.format(value)


def _ci(report: Mapping) -> str:
    lo, hi = report.get("auroc_ci") or (None, None)
    return "n/a" if lo is None else f"{lo:.3f}-{hi:.3f}"


def metric_table(metrics: Mapping) -> tuple[list[str], list[list[str]]]:
    """Header and rows comparing the model with LACE, HOSPITAL (and the oracle when known)."""
    reports = {"model": metrics}
    reports.update({BASELINE_LABELS.get(k, k): v for k, v in metrics["baselines"].items()})
    header = ["metric", *reports]
    rows = [["AUROC 95% CI", *[_ci(r) for r in reports.values()]]]
    rows += [
        [label, *[_fmt(r.get(key), fmt) for r in reports.values()]] for key, label, fmt in ROWS
    ]
    if metrics.get("oracle_auroc") is not None:
        header.append("oracle (generator truth)")
        for row in rows:
            row.append(_fmt(metrics["oracle_auroc"], "{:.3f}") if row[0] == "AUROC" else "")
    return header, rows


def _scores(y_test: np.ndarray, p_test: np.ndarray, baselines: Mapping[str, np.ndarray]) -> dict:
    scores = {"model": p_test}
    scores.update({BASELINE_LABELS.get(k, k): v for k, v in baselines.items()})
    return scores


def figures(
    metrics: Mapping, y_test: np.ndarray, p_test: np.ndarray, baselines: Mapping[str, np.ndarray]
) -> dict[str, str]:
    """HTML fragments of every plot; plotly.js is embedded once, in the first."""
    scores = _scores(y_test, p_test, baselines)
    deciles = {"model": metrics["deciles"]}
    deciles.update(
        {
            f"{BASELINE_LABELS.get(k, k)} (mapped)": v["deciles"]
            for k, v in metrics["baselines"].items()
        }
    )
    figs = {
        "roc": plots.roc_figure(y_test, scores),
        "pr": plots.pr_figure(y_test, scores),
        "calibration": plots.calibration_figure(deciles),
        "features": plots.features_figure(metrics["top_features"]),
    }
    return {name: plots.to_div(fig, i == 0) for i, (name, fig) in enumerate(figs.items())}


def render_card(
    task: Task,
    version: str,
    metrics: Mapping,
    training: Mapping,
    features: Sequence[Feature],
    y_test: np.ndarray,
    p_test: np.ndarray,
    baselines: Mapping[str, np.ndarray],
) -> str:
    """The model card HTML: every text escaped, plots from plotly with its JS inline."""
    header, rows = metric_table(metrics)
    by_name = {f.name: f for f in features}
    top = [
        {**t, "description": by_name[t["feature"]].description if t["feature"] in by_name else ""}
        for t in metrics["top_features"][:15]
    ]
    groups: dict[str, int] = {}
    for f in features:
        groups[f.group] = groups.get(f.group, 0) + 1
    return (
        _environment()
        .get_template("card.html.j2")
        .render(
            task=task,
            version=version,
            metrics=metrics,
            training=training,
            header=header,
            rows=rows,
            figures=figures(metrics, y_test, p_test, baselines),
            top_features=top,
            feature_groups=groups,
            n_features=len(features),
            baseline_labels=BASELINE_LABELS,
        )
    )
