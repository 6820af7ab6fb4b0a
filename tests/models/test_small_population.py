"""A small clinic (~200 persons, a handful of events) still trains, registers and scores."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pytest

from models import data
from models.calibrate import MIN_OUTCOME_ROWS, Calibrator, choose_calibrator
from models.evaluate import calibration
from models.logistic import sigmoid
from models.pipeline import TrainConfig, train_task
from models.register import register
from models.score import score
from models.tasks import get_task
from models.train import min_leaf_rows, sample_warnings
from tests.models import synthetic

CODE = {"package": "test", "git_commit": None, "git_dirty": None}
SMALL = TrainConfig(seed=11, threads=1, n_boot=50, explain_rows=200)


@pytest.mark.parametrize("events", [0, 1, MIN_OUTCOME_ROWS - 1])
def test_too_few_events_to_calibrate_keeps_the_booster_probability(events):
    raw = np.linspace(-4, 1, 300)
    y = np.zeros(300)
    y[-events or len(y) :] = 1
    cal = choose_calibrator(raw, y, seed=1)
    assert cal.method == "identity"
    assert np.allclose(cal.predict(raw), sigmoid(raw))
    assert f"hold {events} event(s) and {300 - events} non-event(s)" in cal.warning
    again = Calibrator.from_dict(json.loads(json.dumps(cal.to_dict())))
    assert again == cal


def test_too_few_non_events_also_skips_the_map():
    raw = np.linspace(-1, 4, 200)
    assert choose_calibrator(raw, np.r_[np.zeros(5), np.ones(195)], seed=1).method == "identity"


def test_enough_of_both_outcomes_still_fits_a_map():
    rng = np.random.default_rng(3)
    raw = rng.normal(-2, 1, 400)
    y = (rng.random(400) < sigmoid(raw)).astype(float)
    assert y.sum() >= MIN_OUTCOME_ROWS
    cal = choose_calibrator(raw, y, seed=1)
    assert cal.method in {"platt", "isotonic"} and cal.warning is None


def test_calibration_figures_of_one_outcome_are_nan_not_an_error():
    report = calibration(np.zeros(6), np.full(6, 0.1))
    assert np.isnan(report["calibration_slope"]) and np.isnan(report["calibration_intercept"])
    assert report["observed_rate"] == 0.0


def test_leaves_shrink_only_for_small_training_sets():
    assert [min_leaf_rows(n) for n in (30, 86, 1000, 2000, 500_000)] == [20, 20, 50, 100, 100]


def test_warnings_name_the_parts_with_too_few_events():
    parts = {"train": (None, np.r_[np.ones(4), np.zeros(21)]), "test": (None, np.zeros(6))}
    said = sample_warnings(parts, MIN_OUTCOME_ROWS)
    assert "training rows hold only 4 event(s) among 25 rows" in said[0]
    assert "test window holds 0 event(s) among 6 rows" in said[1] and len(said) == 2
    parts["train"] = (None, np.r_[np.ones(40), np.zeros(400)])
    parts["test"] = (None, np.r_[np.ones(30), np.zeros(300)])
    assert sample_warnings(parts, MIN_OUTCOME_ROWS) == []


@pytest.fixture(scope="module")
def small_clinic():
    con = synthetic.warehouse(persons=200, seed=7)
    yield con
    con.close()


def test_a_200_person_clinic_trains_registers_and_scores(small_clinic, tmp_path):
    result = train_task(small_clinic, get_task(synthetic.TASK), synthetic.features(), SMALL)
    events = result.training["events"]
    assert events["calibration"] < MIN_OUTCOME_ROWS  # the case that used to stop training
    assert result.calibrator.method == "identity"
    assert result.calibrator.warning in result.metrics["warnings"]
    assert result.training["lightgbm_params"]["min_data_in_leaf"] == 20
    assert len(np.unique(result.p_test)) > 1  # the trees split: not one tied probability
    entry = register(
        small_clinic,
        result,
        tmp_path,
        datetime(2025, 1, 1, tzinfo=UTC),
        CODE,
        data.fingerprint(small_clinic, synthetic.TASK),
        1,
    )
    card = (entry.path / "card.html").read_text()
    assert "Warnings" in card and "no calibration map was fitted" in card
    saved = json.loads((entry.path / "calibrator.json").read_text())
    assert saved["method"] == "identity" and saved["warning"]
    scored = score(small_clinic, synthetic.TASK, entry.path, threads=1)
    total = small_clinic.sql(f"select count(*) from ml_features_{synthetic.TASK}").fetchone()[0]
    assert scored.num_rows == total
    p = scored.column("probability").to_numpy()
    assert np.all((p > 0) & (p < 1)) and len(np.unique(p)) > 1
    assert scored.column("reasons").null_count < total
