"""Register a training run: decide champion or challenger, write the entry, move the pointer."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from models.card import render_card
from models.pipeline import TrainResult
from models.promotion import Decision, check_champion, decide
from models.registry import to_json, version_id, write_champion, write_entry


@dataclass(frozen=True)
class Registered:
    """Where a training run was registered and whether it became the champion."""

    task: str
    version: str
    path: Path
    decision: Decision
    metrics: dict


def headline(metrics: dict) -> dict:
    """The DESIGN section 14 keys, with the rule-score baselines pulled up to the top level."""
    baselines = metrics.get("baselines", {})
    out = dict(metrics)
    for name, key in (("lace_score", "lace"), ("hospital_score", "hospital")):
        report = baselines.get(name)
        out[f"auroc_{key}"] = report["auroc"] if report else None
        out[f"auroc_{key}_ci"] = report["auroc_ci"] if report else None
    if "hcc_risk_score" in baselines:
        out["auroc_hcc"] = baselines["hcc_risk_score"]["auroc"]
    return out


def _features_json(result: TrainResult) -> str:
    return to_json(
        {
            "task": result.task.name,
            "columns": result.columns,
            "features": [asdict(f) for f in result.features],
        }
    )


def _files(result: TrainResult, model_text: str, metrics: dict, training: dict) -> dict[str, str]:
    """The text of every file of a registry entry."""
    card = render_card(
        result.task,
        training["version"],
        metrics,
        training,
        result.features,
        result.y_test,
        result.p_test,
        result.baseline_scores,
    )
    return {
        "model.txt": model_text,
        "calibrator.json": to_json(result.calibrator.to_dict()),
        "features.json": _features_json(result),
        "metrics.json": to_json(metrics),
        "training.json": to_json(training),
        "card.html": card,
    }


def register(
    con: duckdb.DuckDBPyConnection,
    result: TrainResult,
    models_root: Path,
    created: datetime,
    code_version: dict,
    fingerprint: dict,
    threads: int = 2,
) -> Registered:
    """Write `<models_root>/<task>/<version>/` and promote it if no worse than the champion."""
    task = result.task.name
    model_text = result.booster.model_to_string()
    version = version_id(created, model_text + to_json(fingerprint))
    champion = check_champion(con, models_root, task, result.test_keys, result.y_test, threads)
    decision = decide(result.metrics["auroc"], result.metrics["calibration_slope"], champion)
    metrics = {"task": task, "version": version, **headline(result.metrics)}
    metrics["promotion"] = decision.to_dict()
    training = {
        **result.training,
        "version": version,
        "created_at": created.isoformat(),
        "fingerprint": fingerprint,
        "code_version": code_version,
    }
    path = write_entry(models_root, task, version, _files(result, model_text, metrics, training))
    if decision.promoted:
        record = {"version": version, "promoted_at": created.isoformat(), "reason": decision.reason}
        write_champion(models_root, task, {**record, "auroc": metrics["auroc"]})
    return Registered(task, version, path, decision, metrics)
