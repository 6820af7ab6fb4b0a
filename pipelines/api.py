"""The analysts' Python API: `from pipelines import api`.

The workspace is `READMIT_WORKSPACE` (or `./workspace`, or the `path` argument). Everything is
read-only: the warehouse opens read-only and models are read from the registry.

Warehouse and cohort
    open_warehouse(path=None) -> duckdb connection (read-only)
    feature_matrix(con, task, start=None, end=None) -> features + label + censored per row
    index_stays(con) -> index stays with condition, payer type, deprivation and outcome
    readmission_rates(stays, by) -> index stays, readmissions and rate per group

Models
    models(task, path=None) -> registered versions (champion flagged) with their test AUROC
    load_model(task, version=None, path=None) -> the champion, or a registered version
    score(model, frame) -> probability and raw score for rows holding the model's features
    evaluate(con, model, start=None, end=None) -> the model vs LACE and HOSPITAL on a window
    metric_table(evaluation), roc_figure(evaluation), calibration_figure(evaluation)
    subgroup_metrics(con, evaluation) -> metrics by sex, age band, race/ethnicity, payer type

Capacity planning
    latest_scores(con, task) -> the latest run's probabilities and tiers
    roster(con) -> case managers with role, capacity points and active flag
    simulate_capacity(probabilities, tier_shares, capacities, tier_points=None)

Data quality over runs
    run_history(con), ingest_files(con), quarantine_by_rule(con)

De-identified export
    export_deidentified(out_dir, path=None, date_precision="year") (key: READMIT_DEID_KEY)
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import polars as pl
import pyarrow as pa

from models import data, plots
from models.registry import champion_dir, read_champion, task_dir, versions
from models.score import REASONS_SHARE, LoadedModel, score_table
from models.score import load_model as _load_entry
from pipelines import analysis, deid
from pipelines.queries import sql_text
from pipelines.settings import Settings, load_settings
from pipelines.warehouse import connect
from reports.sources import sql_text as report_sql

Evaluation = analysis.Evaluation
readmission_rates = analysis.rates_by
metric_table = analysis.metric_table
simulate_capacity = analysis.simulate_capacity
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def settings(path: Path | str | None = None) -> Settings:
    """The run settings, with `path` as the workspace when given."""
    return load_settings(workspace=path)


def open_warehouse(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the workspace's warehouse."""
    config = settings(path)
    if not config.warehouse.exists():
        raise FileNotFoundError(
            f"no warehouse at {config.warehouse}; set READMIT_WORKSPACE or run `readmit demo`"
        )
    return connect(config.warehouse, read_only=True, threads=config.duckdb_threads)


def _frame(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    return pl.from_arrow(con.sql(sql_text(name)).to_arrow_table())


def feature_matrix(
    con: duckdb.DuckDBPyConnection,
    task: str,
    start: date | str | None = None,
    end: date | str | None = None,
) -> pl.DataFrame:
    """Spine keys, every feature, `label` and `censored` for rows with start <= as_of <= end."""
    data.bind(con, task)
    con.execute("set variable window_start = ?", [analysis.as_day(start) or FIRST_DAY])
    con.execute("set variable window_end = ?", [analysis.as_day(end) or LAST_DAY])
    return _frame(con, "feature_matrix")


def index_stays(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per index stay: condition, payer type, deprivation quintile and the outcome."""
    return _frame(con, "index_stays")


def models(task: str, path: Path | str | None = None) -> pl.DataFrame:
    """Registered versions of `task`, oldest first, with the champion flagged."""
    root = settings(path).workspace / "models"
    champion = (read_champion(root, task) or {}).get("version")
    found = versions(root, task)
    metrics = [json.loads((task_dir(root, task) / v / "metrics.json").read_text()) for v in found]
    return pl.DataFrame(
        {
            "version": found,
            "champion": [v == champion for v in found],
            "auroc": [m.get("auroc") for m in metrics],
        },
        schema={"version": pl.String, "champion": pl.Boolean, "auroc": pl.Float64},
    )


def load_model(
    task: str, version: str | None = None, path: Path | str | None = None
) -> LoadedModel:
    """The champion of `task` (or the registered `version`), ready to score."""
    root = settings(path).workspace / "models"
    entry = task_dir(root, task) / version if version else champion_dir(root, task)
    if entry is None or not entry.is_dir():
        known = ", ".join(versions(root, task)) or "none"
        raise LookupError(f"no model {version or 'champion'} for {task} (registered: {known})")
    return _load_entry(entry)


def score(
    model: LoadedModel, frame: pl.DataFrame | pd.DataFrame | pa.Table, reasons: bool = False
) -> pl.DataFrame:
    """Probability and raw score per row of `frame` (its model columns), with reasons if asked."""
    table = frame if isinstance(frame, pa.Table) else pl.DataFrame(frame).to_arrow()
    for key, kind in (("person_id", pa.string()), ("as_of_date", pa.date32())):
        if key not in table.column_names:
            table = table.append_column(key, pa.nulls(table.num_rows, kind))
    missing = [c for c in model.columns if c not in table.column_names]
    if missing:
        raise KeyError(f"the frame lacks model columns: {', '.join(missing)}")
    share = REASONS_SHARE if reasons else 0.0
    return pl.from_arrow(score_table(model, table, reasons_share=share))


def evaluate(
    con: duckdb.DuckDBPyConnection,
    model: LoadedModel,
    start: date | str | None = None,
    end: date | str | None = None,
    n_boot: int = 200,
) -> Evaluation:
    """The model and its task's rule scores on one window (default: the model's test window)."""
    return analysis.evaluate(con, model, start, end, n_boot)


def roc_figure(evaluation: Evaluation) -> go.Figure:
    """ROC curves of the model and the rule scores on the evaluation's rows."""
    return plots.roc_figure(evaluation.y, evaluation.scores)


def calibration_figure(evaluation: Evaluation) -> go.Figure:
    """Observed rate against mean predicted risk by decile (rule scores after their mapping)."""
    return plots.calibration_figure({k: r["deciles"] for k, r in evaluation.reports.items()})


def subgroup_metrics(con: duckdb.DuckDBPyConnection, evaluation: Evaluation) -> pl.DataFrame:
    """Model metrics by sex, age band, race/ethnicity and payer type (judged = enough events)."""
    return analysis.subgroups(con, evaluation)


def latest_scores(con: duckdb.DuckDBPyConnection, task: str) -> pl.DataFrame:
    """The latest run's scores of `task`: probability, tier, trend and model version."""
    con.execute("set variable task = ?", [task])
    return _frame(con, "latest_scores")


def roster(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Case managers from the latest roster delivery: role, capacity points, active."""
    return pl.from_arrow(con.sql(report_sql("rpt_roster")).to_arrow_table()).sort("cm_id")


def run_history(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per run and stage: status, seconds and row counts."""
    return _frame(con, "run_history")


def ingest_files(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per file each ingest run read: rows in, loaded and quarantined."""
    return _frame(con, "ingest_files")


def quarantine_by_rule(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Rows each contract rule found per run, table, column and severity."""
    return _frame(con, "quarantine_by_rule")


def export_deidentified(
    out_dir: Path | str, path: Path | str | None = None, date_precision: str = "year"
) -> deid.ExportResult:
    """Write the de-identified Parquet export (key from READMIT_DEID_KEY) into `out_dir`."""
    config = settings(path)
    key = config.deid_key.get_secret_value() if config.deid_key else None
    con = open_warehouse(path)
    try:
        return deid.export_deidentified(con, Path(out_dir), key, date_precision, config.output_mode)
    finally:
        con.close()


def probabilities(scores: pl.DataFrame) -> np.ndarray:
    """The probability column of a scores frame as numpy (for `simulate_capacity`)."""
    return scores["probability"].to_numpy()


__all__ = [
    "Evaluation",
    "calibration_figure",
    "evaluate",
    "export_deidentified",
    "feature_matrix",
    "index_stays",
    "ingest_files",
    "latest_scores",
    "load_model",
    "metric_table",
    "models",
    "open_warehouse",
    "probabilities",
    "quarantine_by_rule",
    "readmission_rates",
    "roc_figure",
    "roster",
    "run_history",
    "score",
    "settings",
    "simulate_capacity",
    "subgroup_metrics",
]
