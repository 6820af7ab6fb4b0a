"""One training run of a task: split, fit, calibrate on held-out rows, evaluate on the test."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import lightgbm as lgb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from features.registry import Feature
from models import data
from models.calibrate import MIN_OUTCOME_ROWS, Calibrator, choose_calibrator
from models.evaluate import auroc, baseline_report, probability_report
from models.explain import mean_abs_contribution
from models.fairness import subgroup_report
from models.split import Split, temporal_split
from models.tasks import Task
from models.train import fit_booster, lgb_params, sample_warnings

Progress = Callable[[str], None]
# The steps `train_task` reports through `progress`, in order (oracle only with a truth file).
STEPS: tuple[str, ...] = (
    "reading labelled rows",
    "reading features",
    "fitting LightGBM",
    "calibrating on held-out rows",
    "evaluating on the test window",
    "subgroup metrics",
    "oracle AUROC from the truth file",
    "explaining",
)


@dataclass(frozen=True)
class TrainConfig:
    """Seeds, threads and evaluation sizes of a training run."""

    seed: int = 20250101
    threads: int = 2
    n_boot: int = 300
    explain_rows: int = 5_000
    lgb_overrides: dict = field(default_factory=dict)
    # fits the booster (None: models.train.fit_booster; pipelines.scale passes a lightgbm.dask one)
    fitter: Callable[..., lgb.Booster] | None = None


@dataclass
class TrainResult:
    """Everything a training run produced, in memory, for the registry and the model card."""

    task: Task
    features: list[Feature]
    booster: lgb.Booster
    calibrator: Calibrator
    split: Split
    test_keys: pa.Table
    y_test: np.ndarray
    p_test: np.ndarray
    baseline_scores: dict[str, np.ndarray]
    metrics: dict
    training: dict

    @property
    def columns(self) -> list[str]:
        """Model input columns, in order."""
        return [f.name for f in self.features]


def _parts(split: Split) -> dict[str, np.ndarray]:
    """Row indices of each part of the split, in a fixed order."""
    return {
        "train": split.train,
        "early_stop": split.early_stop,
        "calibration": split.calibration,
        "test": split.test,
    }


def _load_parts(
    con: duckdb.DuckDBPyConnection, task: str, rows: pa.Table, split: Split, columns: list[str]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Feature matrix and labels of each part, read in one query."""
    parts = _parts(split)
    index = np.concatenate(list(parts.values()))
    table = data.feature_rows(con, task, rows.take(pa.array(index)), columns)
    y = data.column(rows, "label")[index].astype(np.int64)
    bounds = np.cumsum([0] + [len(v) for v in parts.values()])
    return {  # one column-major matrix per part: LightGBM reads each without a copy
        name: (data.to_matrix(table.slice(a, b - a), columns), y[a:b])
        for name, a, b in zip(parts, bounds[:-1], bounds[1:], strict=True)
    }


def _oracle(
    con: duckdb.DuckDBPyConnection,
    task: str,
    keys: pa.Table,
    y: np.ndarray,
    p: np.ndarray,
    truth: Path,
) -> dict:
    """Oracle AUROC (generator truth vs the pipeline's labels) on the test rows truth also holds."""
    found = data.oracle_rows(con, task, keys, truth)
    rows = found.column("row_index").to_numpy()
    true_p = data.column(found, "true_probability")
    oracle = auroc(y[rows], true_p)
    model = auroc(y[rows], p[rows])
    return {
        "oracle_auroc": oracle,
        "oracle_rows": int(len(rows)),
        "oracle_row_share": float(len(rows) / max(len(y), 1)),
        "auroc_on_oracle_rows": model,
        "oracle_share": float(model / oracle) if np.isfinite(oracle) and oracle > 0 else None,
    }


def _fairness(
    con: duckdb.DuckDBPyConnection, task: str, keys: pa.Table, y: np.ndarray, p: np.ndarray
) -> dict | None:
    """Subgroup report of the test rows, or None when the warehouse lacks the attributes."""
    table = data.attributes(con, task, keys)
    if table is None:
        return None
    groups = {
        name: table.column(name).to_numpy(zero_copy_only=False) for name in table.column_names[1:]
    }
    return subgroup_report(y, p, groups)


def _baselines(task: Task, columns: list[str], parts: dict, config: TrainConfig) -> dict:
    """Reports of the task's rule-score baselines that are model columns."""
    x_tr, y_tr = parts["train"]
    x_te, y_te = parts["test"]
    reports = {}
    for name in task.baselines:
        if name in columns:
            j = columns.index(name)
            reports[name] = baseline_report(
                y_te, x_te[:, j], y_tr, x_tr[:, j], config.seed, config.n_boot
            )
    return reports


def _fit(
    parts: dict, columns: list[str], config: TrainConfig, say: Progress
) -> tuple[lgb.Booster, Calibrator]:
    """Booster on the training rows (early stopping on its own rows), calibrator on others."""
    say("fitting LightGBM")
    booster = (config.fitter or fit_booster)(
        *parts["train"],
        *parts["early_stop"],
        columns,
        config.seed,
        config.threads,
        config.lgb_overrides,
    )
    booster = lgb.Booster(model_str=booster.model_to_string())  # exactly what model.txt holds
    say("calibrating on held-out rows")
    x_cal, y_cal = parts["calibration"]
    raw_cal = booster.predict(x_cal, raw_score=True, num_threads=config.threads)
    return booster, choose_calibrator(raw_cal, y_cal, config.seed)


def _evaluate(
    con: duckdb.DuckDBPyConnection,
    task: Task,
    fitted: tuple[lgb.Booster, Calibrator],
    parts: dict,
    test_keys: pa.Table,
    config: TrainConfig,
    truth: Path | None,
    say: Progress,
) -> tuple[np.ndarray, dict]:
    """Test-window probabilities and the full report (baselines, subgroups, oracle, features)."""
    booster, calibrator = fitted
    columns = booster.feature_name()
    say("evaluating on the test window")
    x_te, y_te = parts["test"]
    p_test = calibrator.predict(booster.predict(x_te, raw_score=True, num_threads=config.threads))
    metrics = probability_report(y_te, p_test, config.seed, config.n_boot)
    metrics["baselines"] = _baselines(task, columns, parts, config)
    say("subgroup metrics")
    metrics["subgroups"] = _fairness(con, task.name, test_keys, y_te, p_test)
    if truth is not None:
        say("oracle AUROC from the truth file")
        metrics.update(_oracle(con, task.name, test_keys, y_te, p_test, truth))
    say("explaining")
    sample = np.sort(
        np.random.default_rng(config.seed).permutation(len(y_te))[: config.explain_rows]
    )
    metrics["top_features"] = [
        {"feature": name, "mean_abs_contribution": size}
        for name, size in mean_abs_contribution(booster, x_te[sample], columns, config.threads)
    ]
    metrics["calibrator"] = {"method": calibrator.method, "log_loss_cv": calibrator.log_loss_cv}
    metrics["warnings"] = sample_warnings(parts, MIN_OUTCOME_ROWS) + (
        [calibrator.warning] if calibrator.warning else []
    )
    return p_test, metrics


def _training_facts(
    task: Task, split: Split, parts: dict, booster: lgb.Booster, config: TrainConfig
) -> dict:
    """Windows, sizes, parameters and seeds: what training.json records."""
    return {
        "task": task.name,
        "seed": config.seed,
        "threads": config.threads,
        "train_window": [str(d) for d in split.train_window],
        "calibration_window": [str(d) for d in split.calibration_window],
        "test_window": [str(d) for d in split.test_window],
        "rows": split.sizes(),
        "events": {name: int(y.sum()) for name, (_, y) in parts.items()},
        "best_iteration": booster.current_iteration(),
        "trees": booster.num_trees(),
        "lightgbm_params": lgb_params(
            config.seed, config.threads, config.lgb_overrides, len(parts["train"][1])
        ),
        "lightgbm_version": lgb.__version__,
        "test_person_share": task.test_person_share,
        "early_stop_share": task.early_stop_share,
        "max_train_rows": task.max_train_rows,
    }


def train_task(
    con: duckdb.DuckDBPyConnection,
    task: Task,
    features: Sequence[Feature],
    config: TrainConfig | None = None,
    truth: Path | None = None,
    progress: Progress | None = None,
) -> TrainResult:
    """Train, calibrate and evaluate one task from `ml_features_<task>` and the prediction spine."""
    config = config or TrainConfig()
    say = progress or (lambda step: None)
    started = time.perf_counter()
    columns = [f.name for f in features]
    say("reading labelled rows")
    rows = data.labelled_rows(con, task.name)
    labelled = ~data.column(rows, "censored", "bool")
    as_of = rows.column("as_of_date").to_numpy()
    split = temporal_split(rows.column("person_id"), as_of, labelled, task, config.seed)
    say("reading features")
    parts = _load_parts(con, task.name, rows, split, columns)
    booster, calibrator = _fit(parts, columns, config, say)
    test_keys = rows.take(pa.array(split.test)).select(list(data.KEYS))
    p_test, metrics = _evaluate(
        con, task, (booster, calibrator), parts, test_keys, config, truth, say
    )
    training = _training_facts(task, split, parts, booster, config)
    training["persons"] = _persons(rows, split)
    training["censored_rows"] = int((~labelled).sum())
    training["explain_rows"] = int(min(len(split.test), config.explain_rows))
    training["seconds"] = round(time.perf_counter() - started, 2)
    x_te = parts["test"][0]
    return TrainResult(
        task=task,
        features=list(features),
        booster=booster,
        calibrator=calibrator,
        split=split,
        test_keys=test_keys,
        y_test=parts["test"][1],
        p_test=p_test,
        baseline_scores={b: x_te[:, columns.index(b)] for b in metrics["baselines"]},
        metrics=metrics,
        training=training,
    )


def _persons(rows: pa.Table, split: Split) -> dict[str, int]:
    """Distinct persons in each part of the split."""
    person = rows.column("person_id")
    return {
        name: len(pc.unique(person.take(pa.array(index)))) for name, index in _parts(split).items()
    }
