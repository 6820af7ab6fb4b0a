"""Score feature rows with a registered model: calibrated probability, raw score and reasons."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

import duckdb
import lightgbm as lgb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from features.registry import Feature
from models import data
from models.calibrate import Calibrator
from models.explain import explain
from models.tiers import TierThresholds, top_count

# Reasons cost a TreeSHAP pass (far slower than scoring), so by default only the rows that reach
# a worklist (tiers 1-2: the top 15%) get them; `explain_rows` serves any other rows on request.
REASONS_SHARE = 0.15


@dataclass(frozen=True)
class LoadedModel:
    """A registry entry ready to score: booster, calibrator and the features it was trained on."""

    task: str
    version: str
    directory: Path
    booster: lgb.Booster
    calibrator: Calibrator
    columns: list[str]
    sources: dict[str, Feature]


def _feature(saved: dict) -> Feature:
    """A registry feature as saved at training time (fields added to Feature later default)."""
    known = {f.name for f in fields(Feature)}
    kept = {k: tuple(v) if k == "tasks" else v for k, v in saved.items() if k in known}
    return Feature(**kept)


def load_model(model_dir: Path) -> LoadedModel:
    """Read `model.txt`, `calibrator.json` and `features.json` of one registry entry."""
    model_dir = Path(model_dir)
    for name in ("model.txt", "calibrator.json", "features.json"):
        if not (model_dir / name).exists():
            raise FileNotFoundError(f"model entry {model_dir} has no {name}; retrain the model")
    meta = json.loads((model_dir / "features.json").read_text())
    sources = {f["name"]: _feature(f) for f in meta["features"]}
    return LoadedModel(
        task=meta["task"],
        version=model_dir.name,
        directory=model_dir,
        booster=lgb.Booster(model_file=str(model_dir / "model.txt")),
        calibrator=Calibrator.from_dict(json.loads((model_dir / "calibrator.json").read_text())),
        columns=list(meta["columns"]),
        sources=sources,
    )


def predict(model: LoadedModel, x: np.ndarray, threads: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Raw score (log-odds) and calibrated probability per row of `x`."""
    raw = model.booster.predict(x, raw_score=True, num_threads=threads)
    return raw, model.calibrator.predict(raw)


def _readable(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """`column` as LightGBM reads it from Arrow (bool, integer, float); other types as float64."""
    kind = column.type
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return column
    return pc.cast(column, pa.float64())


def predict_table(
    model: LoadedModel, table: pa.Table, threads: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """Raw score and calibrated probability per row of an Arrow table holding the features.

    LightGBM reads the Arrow columns directly (nulls as missing), so no float64 matrix is built;
    the scores equal `predict` on `data.to_matrix` of the same rows.
    """
    columns = [_readable(table.column(name)) for name in model.columns]
    features = pa.table(columns, names=list(model.columns))
    raw = model.booster.predict(features, raw_score=True, num_threads=threads)
    return raw, model.calibrator.predict(raw)


def explain_rows(model: LoadedModel, x: np.ndarray, threads: int = 2) -> pa.ListArray:
    """Top plain-language reasons for every row of `x`."""
    return explain(model.booster, x, model.columns, model.sources, threads)


def top_rows(probability: np.ndarray, share: float) -> np.ndarray:
    """Positions (ascending) of the top `share` of rows by probability, and every row tied with
    the last of them (as tiers count ties: a tied patient gets the higher tier, and its reasons)."""
    k = top_count(len(probability), share)
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    cut = np.partition(probability, len(probability) - k)[len(probability) - k]
    return np.flatnonzero(probability >= cut)


def explained_share(thresholds: TierThresholds) -> float:
    """The share of scored rows to give reasons: at least `REASONS_SHARE`, and every tier 1-2
    patient (the patients a case manager sees) however the tier shares are set."""
    return min(1.0, max(REASONS_SHARE, thresholds.tier1_share + thresholds.tier2_share))


def _reasons_for_top(
    model: LoadedModel, table: pa.Table, probability: np.ndarray, share: float, threads: int
) -> pa.Array:
    """Reasons for the top `share` of rows by probability; null for the rest."""
    chosen = top_rows(probability, share)
    k = len(chosen)
    if k == 0:
        return pa.nulls(len(probability), pa.list_(pa.string()))
    x = data.to_matrix(table.take(pa.array(chosen)), model.columns)
    explained = explain_rows(model, x, threads)
    slot = np.full(len(probability), -1, dtype=np.int64)
    slot[chosen] = np.arange(k)
    index = pa.array(slot, mask=slot < 0)
    return explained.take(index)


def score_table(
    model: LoadedModel, table: pa.Table, reasons_share: float = REASONS_SHARE, threads: int = 2
) -> pa.Table:
    """person_id, as_of_date, probability, raw_score and reasons for rows holding the features."""
    raw, probability = predict_table(model, table, threads)
    return pa.table(
        {
            "person_id": table.column("person_id"),
            "as_of_date": table.column("as_of_date"),
            "probability": pa.array(probability),
            "raw_score": pa.array(raw),
            "reasons": _reasons_for_top(model, table, probability, reasons_share, threads),
        }
    )


def score(
    con: duckdb.DuckDBPyConnection,
    task: str,
    model_dir: Path,
    rows: pa.Table | None = None,
    reasons_share: float = REASONS_SHARE,
    threads: int = 2,
) -> pa.Table:
    """Score the rows of `ml_features_<task>` named by `rows` (person_id, as_of_date), or all."""
    model = load_model(model_dir)
    if model.task != task:
        raise ValueError(f"model {model_dir} was trained for {model.task}, not {task}")
    if rows is None:
        data.bind(con, task)
        table = con.sql(data.sql("all_feature_rows")).to_arrow_table()
    else:
        table = data.feature_rows(con, task, rows, model.columns)
    return score_table(model, table, reasons_share, threads)
