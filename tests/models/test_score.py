"""Scoring with a registered model: probabilities from the calibrator, reasons for the top rows."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from models import data
from models.benchmark import scoring_throughput
from models.register import register
from models.score import load_model, predict, score
from tests.models import synthetic

CODE = {"package": "test", "git_commit": None, "git_dirty": None}


@pytest.fixture(scope="module")
def entry(warehouse, trained, tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    created = datetime(2025, 1, 1, tzinfo=UTC)
    return register(
        warehouse, trained, root, created, CODE, data.fingerprint(warehouse, "readmission_30d"), 1
    )


def test_loaded_model_reproduces_the_test_probabilities(warehouse, trained, entry):
    model = load_model(entry.path)
    table = data.feature_rows(warehouse, synthetic.TASK, trained.test_keys, model.columns)
    raw, p = predict(model, data.to_matrix(table, model.columns), threads=1)
    assert np.allclose(p, trained.p_test)
    assert np.allclose(p, model.calibrator.predict(raw))


def test_score_all_rows_with_reasons_for_the_top_share(warehouse, entry):
    scored = score(warehouse, synthetic.TASK, entry.path, reasons_share=0.10, threads=1)
    total = warehouse.sql("select count(*) from ml_features_readmission_30d").fetchone()[0]
    assert scored.num_rows == total
    assert scored.column_names == ["person_id", "as_of_date", "probability", "raw_score", "reasons"]
    p = scored["probability"].to_numpy()
    has = scored["reasons"].is_valid().to_numpy(zero_copy_only=False)
    assert has.sum() == int(np.ceil(0.10 * total))
    assert p[has].min() >= p[~has].max()
    reasons = scored["reasons"].drop_null().to_pylist()
    assert all(1 <= len(r) <= 3 for r in reasons)


def test_score_named_rows_in_their_order(warehouse, trained, entry):
    keys = trained.test_keys.slice(0, 50).take(np.arange(49, -1, -1))
    scored = score(warehouse, synthetic.TASK, entry.path, rows=keys, threads=1)
    assert scored["person_id"].to_pylist() == keys["person_id"].to_pylist()


def test_score_refuses_a_model_of_another_task(warehouse, entry):
    with pytest.raises(ValueError, match="trained for readmission_30d"):
        score(warehouse, "admission_90d", entry.path)


def test_throughput_reports_every_stage(warehouse, entry):
    table = warehouse.sql("select * from ml_features_readmission_30d").to_arrow_table()
    figures = scoring_throughput(load_model(entry.path), table, threads=1, reasons_share=0.05)
    assert figures["rows"] == table.num_rows
    assert figures["reasons_rows"] == int(np.ceil(0.05 * table.num_rows))
    assert figures["probability_rows_per_s"] > figures["reasons_rows_per_s"] > 0
