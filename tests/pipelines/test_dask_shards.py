"""Scale-out: feature build and scoring shard by shard on a 2-worker Dask LocalCluster equal the
single-process run (labels, features, probabilities, reasons, tiers, trends)."""

from __future__ import annotations

import shutil
from datetime import date
from types import SimpleNamespace

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from models import data
from pipelines import nightly as steps
from pipelines.cli import app
from pipelines.scale.shards import check_shards, shard_ids, split_table
from pipelines.scale.steps import (
    dask_client,
    step_build_sharded,
    step_models_sharded,
    step_score_sharded,
)
from pipelines.settings import load_settings
from pipelines.synth import generate

pytestmark = pytest.mark.slow

TASKS = ("admission_90d", "readmission_30d")
SHARDS = 3


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One workspace built and scored in one process, and a copy rebuilt and rescored sharded."""
    root = tmp_path_factory.mktemp("dask")
    generate(300, 7, date(2022, 1, 1), date(2024, 12, 31), root / "landing" / "2025-01-01", None)
    single = load_settings(workspace=root / "single", duckdb_threads=1)
    steps.step_ingest(single, root / "landing", "r1")
    steps.step_build(single, "r1")
    steps.step_models(single, "r1")
    steps.step_score(single, "r1")
    # a second night, so the trend (previous_probability) path is exercised as well
    steps.step_score(single, "r2")
    sharded = load_settings(workspace=root / "sharded", duckdb_threads=1)
    shutil.copytree(root / "single", root / "sharded")
    with duckdb.connect(str(sharded.warehouse)) as con:
        for task in TASKS:
            con.execute(f"drop table ml_features_{task}")
        con.execute("delete from ml_scores where run_id = 'r2'")
    with dask_client(workers=2, threads_per_worker=1, processes=False) as client:
        built = step_build_sharded(sharded, "r2", SHARDS, client=client)
        scored = step_score_sharded(sharded, "r2", SHARDS, client=client)
        retrained = step_models_sharded(sharded, "r3", retrain=True, client=client)
        yield SimpleNamespace(
            root=root,
            single=single,
            sharded=sharded,
            built=built,
            scored=scored,
            retrained=retrained,
            address=client.scheduler.address,
        )


def _rows(settings, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.mark.parametrize("task", TASKS)
def test_sharded_features_and_labels_equal_the_single_process_build(runs, task):
    sql = f"select * from ml_features_{task} order by person_id, as_of_date"
    single, sharded = _rows(runs.single, sql), _rows(runs.sharded, sql)
    assert len(single) > 0 and single == sharded
    with (
        duckdb.connect(str(runs.single.warehouse), read_only=True) as a,
        duckdb.connect(str(runs.sharded.warehouse), read_only=True) as b,
    ):
        assert data.labelled_rows(a, task).equals(data.labelled_rows(b, task))
        types = (
            "select column_name, data_type from duckdb_columns() "
            f"where table_name = 'ml_features_{task}' order by column_index"
        )
        assert a.execute(types).fetchall() == b.execute(types).fetchall()


@pytest.mark.parametrize("task", TASKS)
def test_sharded_scores_equal_the_single_process_scores(runs, task):
    sql = (
        "select person_id, as_of_date, probability, raw_score, tier, reasons, "
        "previous_probability, trend, model_version, run_kind "
        "from ml_scores where run_id = 'r2' and task = ? order by person_id"
    )
    single, sharded = _rows(runs.single, sql, [task]), _rows(runs.sharded, sql, [task])
    assert len(single) == runs.scored[task]["rows"] > 0
    assert single == sharded  # exact: no tolerance, the same model scores the same rows
    if task == "admission_90d":  # enough rows for reasons (top 15%) to show up
        assert any(r[5] for r in single)
        # r2 re-scores r1's night (same data): no earlier night, so no previous score or trend
        assert all(r[6] is None and r[7] is None for r in single)


def test_sharded_stages_are_logged_with_their_shard_count(runs):
    got = dict(_rows(runs.sharded, "select stage, message from run_log where run_id = 'r2'"))
    assert f"from {SHARDS} shards" in got["build"] and got["score"].startswith(f"{SHARDS} shards")
    assert runs.built == {"relations": runs.built["relations"], "shards": SHARDS}
    assert not (runs.sharded.workspace / "shards").exists()  # shard files are removed


def test_the_driver_keeps_no_stale_worker_tables(runs):
    names = "select table_name from duckdb_tables() union all select view_name from duckdb_views()"
    single = {r[0] for r in _rows(runs.single, names)}
    sharded = {r[0] for r in _rows(runs.sharded, names)}
    assert {"feat_clinical", "int_cut_stays", "int_feat_hcc"} <= single
    assert not {"feat_clinical", "int_cut_stays", "int_feat_hcc"} & sharded
    assert {"int_feat_person_attributes", "mart_prediction_spine", "mart_scoring_cohort"} <= sharded


def test_every_person_lands_in_exactly_one_stable_shard():
    con = duckdb.connect()
    persons = pa.array([f"P{i:05d}" for i in range(500)])
    shard = shard_ids(con, persons, 4)
    assert np.array_equal(shard, shard_ids(con, persons, 4))
    assert set(shard.tolist()) == {0, 1, 2, 3}
    parts = split_table(pa.table({"person_id": persons}), shard, 4)
    assert sum(p.num_rows for p in parts) == 500
    ids = [set(p.column("person_id").to_pylist()) for p in parts]
    assert all(a.isdisjoint(b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    assert set(shard_ids(con, persons, 1).tolist()) == {0}


@pytest.mark.parametrize("bad", [0, -2, True, 1.5])
def test_a_bad_shard_count_is_refused_clearly(bad):
    with pytest.raises(ValueError, match="shard count"):
        check_shards(bad)


def test_a_retrain_on_the_cluster_registers_lightgbm_dask_models(runs):
    message = _rows(
        runs.sharded, "select message from run_log where stage = 'models' and run_id = 'r3'"
    )
    assert message[0][0].startswith("lightgbm.dask; trained")
    assert sorted(runs.retrained) == sorted(TASKS)
    for task, version in runs.retrained.items():
        entry = runs.sharded.workspace / "models" / task / version
        assert "lightgbm.dask" in (entry / "training.json").read_text()
        assert (entry / "model.txt").exists() and (entry / "calibrator.json").exists()


def test_the_nightly_flow_runs_its_shards_on_an_existing_dask_cluster(runs, tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    monkeypatch.setenv("READMIT_DUCKDB_THREADS", "1")
    from pipelines.flows import on_dask

    ws = str(runs.sharded.workspace)
    result = on_dask(runs.address)(str(runs.root / "landing"), ws, None, shards=2)
    assert result["build"] == {"relations": runs.built["relations"], "shards": 2}
    assert {t: v["shards"] for t, v in result["scored"].items()} == {t: 2 for t in TASKS}
    assert (runs.sharded.workspace / "latest" / "risk_assessments.ndjson").exists()
    stages = _rows(
        runs.sharded, "select stage, status from run_log where run_id = ?", [result["run_id"]]
    )
    assert {"build": "success", "score": "success", "publish": "success"}.items() <= dict(
        stages
    ).items()


def test_dask_address_without_shards_is_refused():
    result = CliRunner().invoke(
        app, ["nightly", "--landing", "x", "--dask", "tcp://127.0.0.1:8786"]
    )
    assert result.exit_code != 0 and "--shards" in result.output
