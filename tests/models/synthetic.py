"""A small synthetic warehouse for model tests: features, spine labels from a known logistic model,
and the demographics tables fairness reads."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from features.registry import Feature, features_for, get_feature

TASK = "readmission_30d"
FEATURES = (
    "age_years",
    "is_female",
    "ed_visits_6m",
    "charlson_index",
    "hemoglobin_at_discharge",
    "lace_score",
    "hospital_score",
)
START, DAYS = date(2022, 1, 1), 3 * 365


def features() -> list[Feature]:
    """The registry entries of the synthetic matrix's columns."""
    return [get_feature(name) for name in FEATURES]


def true_logit(cols: dict[str, np.ndarray]) -> np.ndarray:
    """The log-odds the labels are drawn from (nonlinear in age and hemoglobin)."""
    hgb = np.nan_to_num(cols["hemoglobin_at_discharge"], nan=12.5)
    return (
        -2.6
        + 0.035 * (cols["age_years"] - 65)
        + 0.45 * cols["ed_visits_6m"]
        + 0.25 * cols["charlson_index"]
        + 1.0 * (hgb < 10)
        + 0.6 * (cols["age_years"] > 80)
    )


def _rows(persons: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    per_person = rng.integers(1, 4, persons)
    person = np.repeat(np.arange(persons), per_person)
    key = np.unique(person * DAYS + rng.integers(0, DAYS, len(person)))  # one row per person-day
    person, n = key // DAYS, len(key)
    cols = {
        "person": person,
        "day": key % DAYS,
        "age_years": rng.integers(25, 95, persons)[person],
        "is_female": (rng.random(persons) < 0.55)[person],
        "ed_visits_6m": rng.poisson(0.8, n),
        "charlson_index": rng.poisson(1.5, persons)[person] + rng.integers(0, 2, n),
        "hemoglobin_at_discharge": np.where(rng.random(n) < 0.15, np.nan, rng.normal(12, 1.8, n)),
    }
    cols["lace_score"] = np.clip(
        cols["ed_visits_6m"] + cols["charlson_index"] + rng.integers(0, 8, n), 0, 19
    )
    cols["hospital_score"] = np.clip(
        (np.nan_to_num(cols["hemoglobin_at_discharge"], nan=13) < 12) * 1 + rng.integers(0, 6, n),
        0,
        13,
    )
    return cols


def _noise(cols: dict[str, np.ndarray], rng: np.random.Generator) -> list[str]:
    """Add every other registered feature of the task as noise; returns all feature names."""
    n = len(cols["person"])
    names = [f.name for f in features_for(TASK)]
    for f in features_for(TASK):
        if f.name not in cols:
            draw = {
                "int": rng.poisson(1.0, n),
                "float": rng.normal(0, 1, n),
                "bool": rng.random(n) < 0.1,
            }
            cols[f.name] = draw[f.dtype]
    return names


def matrix(
    persons: int = 6000, seed: int = 7, shuffle_labels: bool = False, every_feature: bool = False
) -> dict[str, pa.Table]:
    """Arrow tables of the synthetic warehouse, keyed by table name; `every_feature` adds the
    task's other registered features as noise columns (what `readmit train` reads)."""
    rng = np.random.default_rng(seed)
    cols = _rows(persons, rng)
    person_id = np.char.add("P", cols["person"].astype(str))
    as_of = np.datetime64(START) + cols["day"].astype("timedelta64[D]")
    true_p = 1 / (1 + np.exp(-true_logit(cols)))
    label = rng.random(len(person_id)) < true_p
    if shuffle_labels:
        label = rng.permutation(label)
    censored = cols["day"] > DAYS - 31
    keys = {"person_id": person_id, "as_of_date": as_of}
    names = _noise(cols, rng) if every_feature else FEATURES
    feats = pa.table({**keys, **{name: cols[name] for name in names}})
    spine = pa.table(
        {
            "task": np.full(len(person_id), TASK),
            **keys,
            "cutoff_date": as_of,
            "stay_id": np.char.add("S", np.arange(len(person_id)).astype(str)),
            "label": pa.array(np.where(censored, None, label).tolist(), pa.bool_()),
            "censored": censored,
        }
    )
    sexes = np.where(cols["is_female"], "female", "male")
    payers = rng.choice(["medicare", "medicaid", "commercial"], len(person_id))
    attrs = pa.table(
        {
            "task": spine["task"],
            **keys,
            "sex": sexes,
            "age_years": cols["age_years"],
            "payer_type": payers,
            "is_enrolled": np.ones(len(person_id), bool),
        }
    )
    uniq = np.unique(person_id)
    races = rng.choice(
        ["white", "black or african american", "asian"], len(uniq), p=[0.6, 0.3, 0.1]
    )
    demo = pa.table(
        {
            "person_id": uniq,
            "race": races,
            "ethnicity": np.full(len(uniq), "not hispanic or latino"),
        }
    )
    return {
        f"ml_features_{TASK}": feats,
        "mart_prediction_spine": spine,
        "int_feat_person_attributes": attrs,
        "int_person_demographics": demo,
        "_truth": pa.table(
            {"task": spine["task"], **keys, "true_probability": true_p, "outcome": label}
        ),
    }


def write_truth(path: Path, persons: int = 6000, seed: int = 7) -> Path:
    """The generator-style truth Parquet of the same synthetic population."""
    pq.write_table(matrix(persons, seed)["_truth"], path)
    return path


def warehouse(
    persons: int = 6000,
    seed: int = 7,
    shuffle_labels: bool = False,
    path: Path | None = None,
    every_feature: bool = False,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB (in memory, or the file at `path`) holding the synthetic tables."""
    con = duckdb.connect(str(path) if path else ":memory:")
    for name, table in matrix(persons, seed, shuffle_labels, every_feature).items():
        if name.startswith("_"):
            continue
        con.register("_load", table)
        con.execute(f"create table {name} as select * from _load")
        con.unregister("_load")
    return con
