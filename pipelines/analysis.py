"""What the analysts' API computes beyond reading tables: a registered model evaluated on any
window against its rule-score baselines, subgroup metrics, readmission rates by a grouping, and
tier and caseload-capacity scenarios. Thin layers over `models` (evaluate, fairness, tiers)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

from models import data
from models.evaluate import baseline_report, probability_report
from models.fairness import subgroup_report
from models.score import LoadedModel, predict
from models.tasks import get_task
from models.tiers import TierThresholds, assign_tiers

MIN_MAPPING_ROWS = 50  # rows (with both outcomes) needed to map rule points to a probability


@dataclass
class Evaluation:
    """A model and its task's baselines on the labelled rows of one window."""

    task: str
    version: str
    window: tuple[date, date]
    keys: pa.Table
    y: np.ndarray
    scores: dict[str, np.ndarray]
    reports: dict[str, dict]
    notes: list[str] = field(default_factory=list)


def as_day(value: date | str | None) -> date | None:
    """A date from a date or an ISO string (None stays None)."""
    return value if value is None or isinstance(value, date) else date.fromisoformat(str(value))


def _training(model: LoadedModel) -> dict:
    path = model.directory / "training.json"
    return json.loads(path.read_text()) if path.exists() else {}


def default_window(model: LoadedModel) -> tuple[date, date]:
    """The model's own test window (where its registry metrics come from)."""
    first, last = _training(model).get("test_window", [None, None])
    if first is None or last is None:
        raise LookupError(f"model {model.version} records no test window; pass start and end")
    return date.fromisoformat(first), date.fromisoformat(last)


def _labelled(con: duckdb.DuckDBPyConnection, task: str) -> tuple[pa.Table, np.ndarray]:
    rows = data.labelled_rows(con, task)
    return rows, ~data.column(rows, "censored", "bool")


def _notes(model: LoadedModel, window: tuple[date, date]) -> list[str]:
    """Warnings when the window overlaps the rows the model was fitted or calibrated on."""
    facts = _training(model)
    notes = []
    for part in ("train_window", "calibration_window"):
        first, last = facts.get(part) or (None, None)
        if first and last and window[0] <= date.fromisoformat(last):
            if window[1] >= date.fromisoformat(first):
                notes.append(f"the window overlaps the model's {part.replace('_', ' ')}")
    return notes


def _window(
    model: LoadedModel, days: np.ndarray, start: date | None, end: date | None
) -> tuple[date, date]:
    """The model's test window when neither end is given; an open end runs to the data's edge."""
    if start is None and end is None:
        return default_window(model)
    if len(days) == 0:
        raise ValueError(f"no labelled {model.task} rows in the warehouse")
    first, last = (pd.Timestamp(d).date() for d in (days.min(), days.max()))
    return (start or first, end or last)


def evaluate(
    con: duckdb.DuckDBPyConnection,
    model: LoadedModel,
    start: date | str | None = None,
    end: date | str | None = None,
    n_boot: int = 200,
    seed: int = 0,
) -> Evaluation:
    """The model and its task's baselines (LACE and HOSPITAL for readmission_30d) on the
    uncensored rows with start <= as_of_date <= end (default: the model's test window)."""
    spec = get_task(model.task)
    rows, labelled = _labelled(con, model.task)
    as_of = rows.column("as_of_date").to_numpy().astype("datetime64[D]")
    window = _window(model, as_of[labelled], as_day(start), as_day(end))
    lo, hi = np.datetime64(window[0]), np.datetime64(window[1])
    chosen = np.flatnonzero(labelled & (as_of >= lo) & (as_of <= hi))
    if len(chosen) == 0:
        raise ValueError(f"no labelled {model.task} rows between {window[0]} and {window[1]}")
    keys = rows.take(pa.array(chosen)).select(list(data.KEYS))
    y = data.column(rows, "label")[chosen].astype(np.int64)
    table = data.feature_rows(con, model.task, keys, model.columns)
    _, p = predict(model, data.to_matrix(table, model.columns))
    result = Evaluation(model.task, model.version, window, keys, y, {"model": p}, {}, [])
    result.reports["model"] = probability_report(y, p, seed, n_boot)
    result.notes = _notes(model, window)
    matured = labelled & (as_of + np.timedelta64(spec.horizon_days, "D") <= lo)
    for name in (b for b in spec.baselines if b in table.column_names):
        _add_baseline(result, con, rows, matured, name, table, seed, n_boot)
    return result


def _add_baseline(
    result: Evaluation,
    con: duckdb.DuckDBPyConnection,
    rows: pa.Table,
    matured: np.ndarray,
    name: str,
    table: pa.Table,
    seed: int,
    n_boot: int,
) -> None:
    """Report one rule score; its points map to a probability on earlier rows when there are."""
    points = data.column(table, name)
    fit_rows = np.flatnonzero(matured)
    y_fit = data.column(rows, "label")[fit_rows].astype(np.int64)
    if len(fit_rows) >= MIN_MAPPING_ROWS and 0 < y_fit.sum() < len(y_fit):
        keys = rows.take(pa.array(fit_rows)).select(list(data.KEYS))
        fit_points = data.column(data.feature_rows(con, result.task, keys, [name]), name)
    else:
        y_fit, fit_points = result.y, points
        result.notes.append(f"{name}: points mapped to a probability on the window itself")
    report = baseline_report(result.y, points, y_fit, fit_points, seed, n_boot)
    result.reports[name] = report
    result.scores[name] = points


def metric_table(evaluation: Evaluation) -> pl.DataFrame:
    """One row per score (model, baselines): AUROC with CI, AUPRC, Brier, calibration, top 10%."""
    wanted = ("auroc", "auprc", "brier", "calibration_slope", "calibration_intercept")
    wanted += ("ppv_top10", "sensitivity_top10", "rows", "events")
    records = []
    for name, report in evaluation.reports.items():
        lo, hi = report.get("auroc_ci") or (None, None)
        records.append(
            {"score": name, **{k: report.get(k) for k in wanted}, "auroc_lo": lo, "auroc_hi": hi}
        )
    return pl.DataFrame(records)


def subgroups(con: duckdb.DuckDBPyConnection, evaluation: Evaluation) -> pl.DataFrame:
    """Model metrics by sex, age band, race/ethnicity and payer type on the evaluation's rows."""
    table = data.attributes(con, evaluation.task, evaluation.keys)
    if table is None:
        raise LookupError("the warehouse lacks the demographics tables; run `readmit build`")
    groups = {n: table.column(n).to_numpy(zero_copy_only=False) for n in table.column_names[1:]}
    report = subgroup_report(evaluation.y, evaluation.scores["model"], groups)
    records = [
        {"attribute": attribute, **record}
        for attribute, group_records in report["groups"].items()
        for record in group_records
    ]
    return pl.DataFrame(records, infer_schema_length=None)


def rates_by(stays: pl.DataFrame, by: str | Sequence[str] = ()) -> pl.DataFrame:
    """Uncensored index stays, unplanned 30-day readmissions and the rate per group (no `by`:
    one row for all stays)."""
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        stays, keys = stays.with_columns(group=pl.lit("all index stays")), ["group"]
    return (
        stays.filter(~pl.col("censored"))
        .group_by(keys)
        .agg(
            index_stays=pl.len(),
            readmissions=pl.col("unplanned_readmit_30").cast(pl.Int64).sum(),
        )
        .with_columns(rate=pl.col("readmissions") / pl.col("index_stays"))
        .sort(["index_stays", *keys], descending=[True] + [False] * len(keys))
    )


def simulate_capacity(
    probabilities: np.ndarray,
    tier_shares: Sequence[tuple[float, float]],
    capacities: Sequence[int],
    tier_points: Mapping[int, int] | None = None,
) -> pl.DataFrame:
    """Per (tier 1 share, tier 2 share, capacity): patients per tier, the probability cuts, the
    acuity points they need and the case managers needed at that capacity in points each."""
    points = dict(tier_points or {1: 3, 2: 2})
    p = np.asarray(probabilities, dtype=np.float64)
    records = []
    for share1, share2 in tier_shares:
        tiers = assign_tiers(p, None, TierThresholds(share1, share2, 0.0))
        n1, n2 = int((tiers == 1).sum()), int((tiers == 2).sum())
        need = n1 * points[1] + n2 * points[2]
        cut1 = float(p[tiers == 1].min()) if n1 else None
        cut2 = float(p[tiers <= 2].min()) if n1 + n2 else None
        for capacity in capacities:
            records.append(
                {
                    "tier1_share": share1,
                    "tier2_share": share2,
                    "tier1_cut": cut1,
                    "tier2_cut": cut2,
                    "tier1_patients": n1,
                    "tier2_patients": n2,
                    "points_needed": need,
                    "capacity_points": int(capacity),
                    "case_managers_needed": math.ceil(need / capacity),
                }
            )
    return pl.DataFrame(records)
