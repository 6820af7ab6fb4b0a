"""The analysts' API on the generated workspace, and its pure parts on hand-made inputs."""

from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import brier_score_loss, roc_auc_score

from pipelines import api

workspace = pytest.mark.slow


def test_simulate_capacity_counts_tiers_points_and_case_managers_by_hand():
    p = np.linspace(0.01, 0.99, 100)  # 100 distinct probabilities
    plan = api.simulate_capacity(p, [(0.05, 0.10), (0.0, 0.2)], [20, 35], {1: 3, 2: 2})
    first = plan.filter((pl.col("tier1_share") == 0.05) & (pl.col("capacity_points") == 20))
    row = first.row(0, named=True)
    assert (row["tier1_patients"], row["tier2_patients"]) == (5, 10)
    assert row["points_needed"] == 5 * 3 + 10 * 2
    assert row["case_managers_needed"] == math.ceil(35 / 20)
    assert row["tier1_cut"] == pytest.approx(np.sort(p)[-5])
    assert row["tier2_cut"] == pytest.approx(np.sort(p)[-15])
    exact = plan.filter((pl.col("tier1_share") == 0.05) & (pl.col("capacity_points") == 35))
    assert exact["case_managers_needed"].item() == 1
    no_tier1 = plan.filter(pl.col("tier1_share") == 0.0).row(0, named=True)
    assert no_tier1["tier1_patients"] == 0 and no_tier1["tier1_cut"] is None
    assert no_tier1["tier2_patients"] == 20 and no_tier1["points_needed"] == 40


def test_readmission_rates_leave_censored_stays_out():
    stays = pl.DataFrame(
        {
            "payer_type": ["medicare", "medicare", "medicare", "medicaid", "medicaid"],
            "censored": [False, False, True, False, False],
            "unplanned_readmit_30": [True, False, True, False, False],
        }
    )
    rates = api.readmission_rates(stays, "payer_type").sort("payer_type")
    assert rates.rows() == [("medicaid", 2, 0, 0.0), ("medicare", 2, 1, 0.5)]
    overall = api.readmission_rates(stays)
    assert overall.select("index_stays", "readmissions").row(0) == (4, 1)


def test_open_warehouse_names_the_missing_workspace(tmp_path):
    with pytest.raises(FileNotFoundError, match="READMIT_WORKSPACE"):
        api.open_warehouse(tmp_path / "nowhere")


@pytest.fixture
def con(workspace_env):
    connection = api.open_warehouse()
    yield connection
    connection.close()


@workspace
def test_feature_matrix_window_keys_and_labels(con):
    full = api.feature_matrix(con, "readmission_30d")
    window = api.feature_matrix(con, "readmission_30d", "2023-01-01", "2023-12-31")
    assert {"person_id", "as_of_date", "label", "censored", "lace_score"} <= set(window.columns)
    assert window["as_of_date"].min() >= date(2023, 1, 1)
    assert window["as_of_date"].max() <= date(2023, 12, 31)
    inside = full.filter(pl.col("as_of_date").is_between(date(2023, 1, 1), date(2023, 12, 31)))
    assert window.height == inside.height > 0
    assert full.select("person_id", "as_of_date").is_unique().all()
    assert window.filter(~pl.col("censored"))["label"].null_count() == 0


@workspace
def test_index_stays_are_one_row_per_index_stay_and_rates_add_up(con):
    stays = api.index_stays(con)
    expected = con.sql("select count(*) from mart_index_stays where is_index").fetchone()[0]
    assert stays.height == expected and stays["stay_id"].is_unique().all()
    overall = api.readmission_rates(stays)
    for by in ("payer_type", "deprivation_quintile", "condition"):
        grouped = api.readmission_rates(stays, by)
        assert grouped["index_stays"].sum() == overall["index_stays"].item()
        assert grouped["readmissions"].sum() == overall["readmissions"].item()


@workspace
def test_models_champion_and_versions(workspace_env):
    listed = api.models("readmission_30d")
    assert listed["champion"].sum() == 1
    champion = api.load_model("readmission_30d")
    assert champion.version == listed.filter("champion")["version"].item()
    assert api.load_model("readmission_30d", champion.version).version == champion.version
    with pytest.raises(LookupError, match="registered"):
        api.load_model("readmission_30d", "19990101T000000Z-00000000")


@workspace
def test_score_reproduces_the_stored_scores_of_the_latest_run(con):
    model = api.load_model("admission_90d")
    stored = api.latest_scores(con, "admission_90d")
    features = api.feature_matrix(con, "admission_90d").join(
        stored.select("person_id", "as_of_date"), on=["person_id", "as_of_date"]
    )
    ours = api.score(model, features).select("person_id", "as_of_date", "probability")
    both = ours.join(stored, on=["person_id", "as_of_date"], suffix="_stored")
    assert both.height == stored.height > 0
    assert np.allclose(both["probability"], both["probability_stored"], atol=1e-9)
    from_pandas = api.score(model, features.head(5).to_pandas())
    assert np.allclose(from_pandas["probability"], ours.head(5)["probability"])
    with pytest.raises(KeyError, match="age_years"):
        api.score(model, features.drop("age_years"))


@workspace
def test_evaluate_scores_every_labelled_row_of_the_test_window(con):
    model = api.load_model("readmission_30d")
    evaluation = api.evaluate(con, model, n_boot=50)
    training = json.loads((model.directory / "training.json").read_text())
    assert [str(d) for d in evaluation.window] == training["test_window"]
    rows = api.feature_matrix(con, "readmission_30d", *evaluation.window).filter(
        ~pl.col("censored")
    )
    y = rows["label"].cast(pl.Int64).to_numpy()
    p = api.score(model, rows)["probability"].to_numpy()
    report = evaluation.reports["model"]
    assert (report["rows"], report["events"]) == (rows.height, int(y.sum()))
    assert report["brier"] == pytest.approx(brier_score_loss(y, p))
    if 0 < y.sum() < len(y):
        assert report["auroc"] == pytest.approx(roc_auc_score(y, p))
        lace = evaluation.reports["lace_score"]["auroc"]
        assert lace == pytest.approx(roc_auc_score(y, rows["lace_score"].to_numpy()))
    assert set(evaluation.reports) == {"model", "lace_score", "hospital_score"}
    table = api.metric_table(evaluation)
    assert table["score"].to_list() == ["model", "lace_score", "hospital_score"]
    assert evaluation.notes == []
    assert api.roc_figure(evaluation).data and api.calibration_figure(evaluation).data


@workspace
def test_evaluate_any_window_flags_overlap_with_training(con):
    model = api.load_model("readmission_30d")
    wide = api.evaluate(con, model, "2022-06-01", "2024-12-31", n_boot=20)
    assert any("train window" in note for note in wide.notes)
    assert wide.window == (date(2022, 6, 1), date(2024, 12, 31))
    with pytest.raises(ValueError, match="no labelled"):
        api.evaluate(con, model, "2030-01-01", "2030-12-31")


@workspace
def test_subgroup_metrics_cover_every_attribute_and_row(con):
    evaluation = api.evaluate(con, api.load_model("admission_90d"), n_boot=20)
    groups = api.subgroup_metrics(con, evaluation)
    assert set(groups["attribute"]) == {"sex", "age_band", "race_ethnicity", "payer_type"}
    per_attribute = groups.group_by("attribute").agg(pl.col("rows").sum())
    assert (per_attribute["rows"] == len(evaluation.y)).all()


@workspace
def test_run_history_and_quarantine_over_runs(con):
    history = api.run_history(con)
    ingest = history.filter(pl.col("stage") == "ingest")
    assert ingest.height == 2  # the fixture ingests twice
    files = api.ingest_files(con)
    first = ingest["run_id"][0]
    assert files.filter(pl.col("run_id") == first)["rows_in"].sum() == ingest["rows_in"][0]
    rules = api.quarantine_by_rule(con)
    assert rules.height > 0 and (rules["rows"] > 0).all()
    roster = api.roster(con)
    assert roster.height > 0 and {"role", "capacity_points", "active"} <= set(roster.columns)


@workspace
def test_evaluate_with_one_open_end_runs_to_the_edge_of_the_data(con):
    model = api.load_model("readmission_30d")
    labelled = api.feature_matrix(con, "readmission_30d").filter(~pl.col("censored"))
    evaluation = api.evaluate(con, model, start="2024-01-01", n_boot=20)
    assert evaluation.window == (date(2024, 1, 1), labelled["as_of_date"].max())
    inside = labelled.filter(pl.col("as_of_date") >= date(2024, 1, 1))
    assert evaluation.reports["model"]["rows"] == inside.height


def test_latest_scores_take_the_run_reaching_the_newest_date_not_a_later_backfill():
    import duckdb

    con = duckdb.connect()
    con.execute(
        "create table ml_scores (run_id varchar, task varchar, person_id varchar, "
        "as_of_date date, probability double, tier tinyint, trend double, model_version varchar)"
    )
    con.execute(
        """insert into ml_scores values
        ('20250102T020000Z-aaaaaa', 'admission_90d', 'p1', '2025-01-01', 0.2, 2, null, 'v1'),
        ('20250102T020000Z-aaaaaa', 'admission_90d', 'p2', '2025-01-01', 0.1, 4, null, 'v1'),
        ('20250103T090000Z-bbbbbb', 'admission_90d', 'p1', '2024-06-01', 0.5, 1, null, 'v1'),
        ('20250104T020000Z-cccccc', 'readmission_30d', 'p1', '2025-01-02', 0.3, 1, null, 'v2')"""
    )
    latest = api.latest_scores(con, "admission_90d")
    assert latest["run_id"].unique().to_list() == ["20250102T020000Z-aaaaaa"]
    assert latest["person_id"].to_list() == ["p1", "p2"]  # highest probability first
