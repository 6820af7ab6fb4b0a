"""Reasons: contributions add up to the raw score and become sentences with the patient's values."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from features.registry import Feature, get_feature
from models import data
from models.explain import (
    contributions,
    explain,
    group_contributions,
    reason_texts,
    reasons_column,
    top_features,
)
from tests.models import synthetic


def test_contributions_sum_to_the_raw_score(warehouse, trained):
    keys = trained.test_keys.slice(0, 400)
    x = data.to_matrix(
        data.feature_rows(warehouse, synthetic.TASK, keys, trained.columns), trained.columns
    )
    contrib = contributions(trained.booster, x, threads=1)
    assert contrib.shape == (400, len(trained.columns) + 1)
    raw = trained.booster.predict(x, raw_score=True)
    assert np.allclose(contrib.sum(axis=1), raw, atol=1e-9)


def test_grouping_sums_columns_of_one_feature():
    contrib = np.array([[0.1, 0.2, 0.3, -1.0], [0.5, -0.5, 0.0, 2.0]])  # last = bias
    names, grouped = group_contributions(contrib, ["a_x", "a_y", "b"], {"a_x": "a", "a_y": "a"})
    assert names == ["a", "b"]
    assert np.allclose(grouped, [[0.3, 0.3], [0.0, 0.0]])


def test_reasons_fill_templates_with_the_patients_own_values():
    sources = [
        get_feature(n)
        for n in ("ed_visits_6m", "is_female", "age_years", "hemoglobin_at_discharge")
    ]
    values = np.array(
        [
            [4, 1, 82, 9.04],
            [1, 0, 50, np.nan],  # not female, hemoglobin unknown: neither can be a reason
        ]
    )
    grouped = np.array([[0.9, 0.1, 0.5, 0.7], [0.3, 0.8, -0.2, 0.9]])
    top, valid = top_features(grouped, values, sources)
    texts = reason_texts(top, valid, values, sources)
    assert texts[0].tolist() == [
        "4 ED visits in the last 6 months",
        "hemoglobin 9.0 g/dL at discharge",
        "82 years old",
    ]
    assert texts[1].tolist() == ["1 ED visit in the last 6 months", None, None]


def test_negative_contributions_are_never_reasons():
    sources = [get_feature("age_years"), get_feature("ed_visits_6m")]
    values = np.array([[70.0, 2.0]])
    top, valid = top_features(np.array([[-0.4, -0.1]]), values, sources)
    assert not valid.any()
    column = reasons_column(reason_texts(top, valid, values, sources))
    assert column.to_pylist() == [[]]


def test_reasons_column_is_a_list_of_strings():
    texts = np.array([["a", "b", None], [None, None, None], ["c", None, None]], dtype=object)
    column = reasons_column(texts)
    assert column.type == pa.list_(pa.string())
    assert column.to_pylist() == [["a", "b"], [], ["c"]]


def test_explain_end_to_end_cites_values_from_the_matrix(trained):
    sources = {f.name: f for f in trained.features}
    x = np.array([[90, 0, 6, 5, 8.5, 15, 6]], dtype=float)
    reasons = explain(trained.booster, x, trained.columns, sources, threads=1).to_pylist()[0]
    assert 1 <= len(reasons) <= 3
    assert "6 ED visits in the last 6 months" in reasons or "90 years old" in reasons


def test_a_custom_feature_uses_its_own_template():
    feature = Feature(
        "falls_12m", "clinical", "count", "int", "Falls.", "{value} fall{s} this year"
    )
    top, valid = top_features(np.array([[0.2]]), np.array([[2.0]]), [feature])
    assert reason_texts(top, valid, np.array([[2.0]]), [feature])[0, 0] == "2 falls this year"
