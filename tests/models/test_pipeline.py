"""A whole training run: honest metrics that can fail, baselines, subgroups and the oracle."""

from __future__ import annotations

import lightgbm as lgb

from models.pipeline import train_task
from models.tasks import get_task
from tests.models import synthetic
from tests.models.conftest import FAST

TASK = get_task("readmission_30d")


def test_real_labels_beat_chance_and_the_rule_scores(trained):
    m = trained.metrics
    assert m["auroc"] > 0.72
    assert m["auroc_ci"][0] < m["auroc"] < m["auroc_ci"][1]
    assert m["auroc"] > m["baselines"]["lace_score"]["auroc"] + 0.05
    assert m["auroc"] > m["baselines"]["hospital_score"]["auroc"] + 0.05
    assert 0.75 < m["calibration_slope"] < 1.25


def test_shuffled_labels_score_near_chance():
    con = synthetic.warehouse(persons=10_000, shuffle_labels=True)  # half the persons are test
    try:
        result = train_task(con, TASK, synthetic.features(), FAST)
    finally:
        con.close()
    assert result.split.sizes()["test"] > 1500
    assert 0.45 < result.metrics["auroc"] < 0.55


def test_oracle_auroc_from_a_truth_file(warehouse, tmp_path):
    truth = synthetic.write_truth(tmp_path / "truth.parquet")
    result = train_task(warehouse, TASK, synthetic.features(), FAST, truth=truth)
    m = result.metrics
    assert m["oracle_rows"] == m["rows"] and m["oracle_row_share"] == 1.0
    assert m["oracle_auroc"] > m["auroc_on_oracle_rows"] - 0.02
    assert m["oracle_share"] == m["auroc_on_oracle_rows"] / m["oracle_auroc"]
    assert 0.85 < m["oracle_share"] <= 1.05


def test_subgroups_cover_every_attribute_with_gaps(trained):
    sub = trained.metrics["subgroups"]
    assert set(sub["groups"]) == {"sex", "age_band", "race_ethnicity", "payer_type"}
    bands = {r["group"] for r in sub["groups"]["age_band"]}
    assert bands <= {"18-44", "45-64", "65-74", "75-84", "85+"} and len(bands) == 5
    assert {g["attribute"] for g in sub["gaps"]} == set(sub["groups"])
    rows = sum(r["rows"] for r in sub["groups"]["sex"])
    assert rows == trained.metrics["rows"]


def test_training_is_deterministic(warehouse, trained):
    again = train_task(warehouse, TASK, synthetic.features(), FAST)
    assert again.booster.model_to_string() == trained.booster.model_to_string()
    assert again.metrics["auroc"] == trained.metrics["auroc"]


def test_training_facts_record_windows_sizes_and_parameters(trained):
    t = trained.training
    assert t["rows"]["test"] == len(trained.y_test) and t["events"]["test"] == trained.y_test.sum()
    assert t["test_window"][0] > t["calibration_window"][1] > t["train_window"][1]
    assert t["lightgbm_params"]["deterministic"] and t["lightgbm_params"]["seed"] == FAST.seed
    assert t["trees"] == trained.booster.num_trees() and t["lightgbm_version"] == lgb.__version__
    assert trained.metrics["top_features"][0]["feature"] in trained.columns
