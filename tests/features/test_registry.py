"""The registry itself, and its agreement with the feature SQL (a test fails when they disagree)."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from features.checks import registry_mismatches
from features.registry import (
    GROUPS,
    TASKS,
    Feature,
    feature_names,
    features_for,
    get_feature,
    registry,
)
from sql.runner import build


@pytest.fixture(scope="module")
def empty_build(feature_reference_db) -> duckdb.DuckDBPyConnection:
    """Every SQL layer built over empty extracts: the feat_ tables exist with their columns."""
    from tests.sql.conftest import new_warehouse

    con = new_warehouse(feature_reference_db)
    build(con, variables={"data_end_date": "2021-12-31"})
    yield con
    con.close()


def test_sql_and_registry_agree(empty_build: duckdb.DuckDBPyConnection) -> None:
    assert registry_mismatches(empty_build) == []


def test_a_disagreement_is_reported(empty_build: duckdb.DuckDBPyConnection) -> None:
    features = list(registry().values())
    extra = Feature("made_up", "clinical", "count", "int", "Not in the SQL.", "{value} things")
    retyped = dataclasses.replace(get_feature("ip_stays_12m"), dtype="bool")
    changed = [
        retyped if f.name == "ip_stays_12m" else f for f in features if f.name != "lace_score"
    ]
    problems = registry_mismatches(empty_build, [*changed, extra])
    assert "registered feature made_up is not a column of feat_clinical" in problems
    assert any("feat_rule_scores.lace_score is not registered" in p for p in problems)
    assert any("ip_stays_12m is INTEGER; the registry says bool" in p for p in problems)


def test_every_feature_is_described_once() -> None:
    features = registry()
    assert len(features) == len({f.name for f in features.values()}) > 60
    assert {f.group for f in features.values()} == set(GROUPS)
    for f in features.values():
        assert f.description.endswith(".") and f.reason
        if f.dtype == "bool":
            assert "{" not in f.reason, f.name
        else:
            assert "{value}" in f.reason, f.name


def test_stay_features_apply_to_readmission_only() -> None:
    readmission = set(feature_names("readmission_30d"))
    admission = set(feature_names("admission_90d"))
    assert {
        "lace_score",
        "hospital_score",
        "index_los_days",
        "hemoglobin_at_discharge",
    } <= readmission
    assert not {"lace_score", "hospital_score", "index_los_days"} & admission
    assert {"hemoglobin_last_12m", "ed_visits_6m", "hcc_risk_score"} <= admission
    assert all(f.tasks for f in features_for(TASKS[0]))


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("ed_visits_6m", 4, "4 ED visits in the last 6 months"),
        ("ed_visits_6m", 1, "1 ED visit in the last 6 months"),
        ("paid_amount_12m", 12345.6, "$12,346 in care costs over the last 12 months"),
        ("pdc_statins", 0.456, "statin refills covered 46% of days (80% counts as adherent)"),
        ("hcc_risk_score", 1.23456, "CMS-HCC risk score 1.23 (1.00 is an average patient)"),
        ("lives_alone", True, "lives alone"),
        (
            "adi_national_percentile",
            85.0,
            "lives in a deprived area (national percentile 85 of 100)",
        ),
        ("screen_food", True, "reports food insecurity"),
        ("lives_alone", False, None),
        ("hemoglobin_at_discharge", None, None),
    ],
)
def test_reason_text(name: str, value: object, text: str | None) -> None:
    assert get_feature(name).reason_text(value) == text


def test_invalid_entries_are_refused() -> None:
    with pytest.raises(ValueError, match="group"):
        Feature("x", "vitals", "count", "int", "X.", "{value}")
    with pytest.raises(ValueError, match="tasks"):
        Feature("x", "clinical", "count", "int", "X.", "{value}", tasks=("readmission_7d",))
    with pytest.raises(KeyError, match="no registered feature"):
        get_feature("nope")
