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
    reason_group_of,
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


def test_a_discharge_over_a_year_ago_is_not_a_reason_and_the_next_one_takes_its_slot():
    sources = [get_feature("days_since_last_discharge"), get_feature("ed_visits_6m")]
    values = np.array([[365.0, 2.0], [366.0, 2.0], [647.0, 2.0], [12.0, 1.0]])
    grouped = np.array([[0.9, 0.2], [0.9, 0.2], [0.9, 0.2], [0.9, 0.2]])
    top, valid = top_features(grouped, values, sources)
    texts = reason_texts(top, valid, values, sources)
    assert texts[0].tolist() == [
        "previous hospital discharge 365 days earlier",
        "2 ED visits in the last 6 months",
    ]
    assert texts[1].tolist() == ["2 ED visits in the last 6 months", None]  # day 366: history
    assert texts[2].tolist() == ["2 ED visits in the last 6 months", None]
    assert texts[3].tolist() == [
        "previous hospital discharge 12 days earlier",
        "1 ED visit in the last 6 months",
    ]


def test_a_reason_limit_on_the_higher_side_keeps_values_at_or_above_it():
    low_bar = Feature(
        "visits", "utilization", "count", "int", "Visits.", "{value} visit{s}", reason_limit=3
    )
    values = np.array([[2.0], [3.0], [np.nan]])
    top, valid = top_features(np.array([[0.5], [0.5], [0.5]]), values, [low_bar])
    assert valid[:, 0].tolist() == [False, True, False]


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


class _FixedContributions:
    """A stand-in booster whose pred_contrib is given (last column = bias)."""

    def __init__(self, contrib: np.ndarray) -> None:
        self.contrib = contrib

    def predict(self, x, pred_contrib: bool, num_threads: int) -> np.ndarray:
        assert pred_contrib
        return self.contrib


GROUPED = [
    "ed_visits_6m", "elix_chf", "elix_dm", "elix_renlfail", "elix_readmission_index",
    "hcc_risk_score", "chronic_condition_count", "lace_score", "sdoh_dx_food", "screen_transport",
    "social_needs_count",
]  # fmt: skip


def test_reason_groups_keep_the_sum_of_contributions(warehouse, trained):
    keys = trained.test_keys.slice(0, 200)
    x = data.to_matrix(
        data.feature_rows(warehouse, synthetic.TASK, keys, trained.columns), trained.columns
    )
    contrib = contributions(trained.booster, x, threads=1)
    names, grouped = group_contributions(contrib, trained.columns, reason_group_of(trained.columns))
    assert "conditions" in names  # charlson_index is shown with the conditions
    raw = trained.booster.predict(x, raw_score=True)
    assert np.allclose(grouped.sum(axis=1) + contrib[:, -1], raw, atol=1e-9)


def test_composite_scores_are_shown_through_the_conditions_behind_them():
    sources = {c: get_feature(c) for c in GROUPED}
    x = np.array([[2, 1, 1, 0, 30, 2.5, 7, 14, 1, 1, 2]], dtype=float)
    # the Elixhauser index and HCC score pushed hardest, then LACE; ED visits a little
    contrib = np.array([[0.05, 0.01, -0.02, 0.0, 0.6, 0.4, 0.1, 0.9, 0.02, 0.03, 0.2, -1.0]])
    reasons = explain(_FixedContributions(contrib), x, GROUPED, sources).to_pylist()[0]
    assert reasons == [
        "7 chronic conditions, including heart failure, diabetes",  # kidney failure absent
        "social needs: transportation, food insecurity",
        "2 ED visits in the last 6 months",
    ]
    assert not any("index" in r or "HCC" in r or "LACE" in r for r in reasons)


def test_a_rule_score_ranks_below_any_concrete_reason_but_still_shows_when_alone():
    sources = {c: get_feature(c) for c in GROUPED}
    x = np.array([[3, 0, 0, 0, 0, 1.8, 0, 16, 0, 0, 0]], dtype=float)
    contrib = np.array([[0.01, 0, 0, 0, 0.0, 0.5, 0.0, 0.9, 0, 0, 0, -1.0]])
    reasons = explain(_FixedContributions(contrib), x, GROUPED, sources).to_pylist()[0]
    # nothing concrete behind the HCC score (no condition on record): it is a summary too
    assert reasons == [
        "3 ED visits in the last 6 months",
        "LACE readmission score 16 of 19",
        "CMS-HCC risk score 1.80 (1.00 is an average patient)",
    ]


def test_a_group_that_lowered_the_risk_is_never_a_reason():
    sources = {c: get_feature(c) for c in GROUPED}
    x = np.array([[1, 1, 0, 0, 12, 1.1, 2, 5, 0, 0, 0]], dtype=float)
    # heart failure flag up a little, but the condition scores pulled the risk down overall
    contrib = np.array([[0.2, 0.3, 0, 0, -0.5, -0.1, 0.0, 0.0, 0, 0, 0, -1.0]])
    reasons = explain(_FixedContributions(contrib), x, GROUPED, sources).to_pylist()[0]
    assert reasons == ["1 ED visit in the last 6 months"]


def test_rows_without_any_condition_fall_back_to_the_summary_score():
    sources = {c: get_feature(c) for c in GROUPED}
    x = np.zeros((2, len(GROUPED)))
    x[:, 5] = [2.0, 1.5]  # HCC score only: no flag, no chronic condition count
    contrib = np.zeros((2, len(GROUPED) + 1))
    contrib[:, 5] = 0.4
    reasons = explain(_FixedContributions(contrib), x, GROUPED, sources).to_pylist()
    assert reasons == [
        ["CMS-HCC risk score 2.00 (1.00 is an average patient)"],
        ["CMS-HCC risk score 1.50 (1.00 is an average patient)"],
    ]


def test_a_need_both_coded_and_screened_is_named_once():
    cols = ["sdoh_dx_transport", "screen_transport", "lives_alone", "social_needs_count"]
    sources = {c: get_feature(c) for c in cols}
    x = np.array([[1, 1, 1, 1]], dtype=float)
    contrib = np.array([[0.1, 0.1, 0.15, 0.05, -1.0]])
    reasons = explain(_FixedContributions(contrib), x, cols, sources).to_pylist()[0]
    assert reasons == ["social needs: transportation, lives alone"]
