"""`readmit train` end to end on a small synthetic warehouse file, and its error messages."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pipelines.cli import app
from tests.models import synthetic

runner = CliRunner()


def test_train_registers_a_champion_and_prints_the_comparison(tmp_path):
    synthetic.warehouse(3000, path=tmp_path / "warehouse.duckdb", every_feature=True).close()
    truth = synthetic.write_truth(tmp_path / "truth.parquet", persons=3000)
    args = [
        "train",
        "--task",
        "readmission_30d",
        "--workspace",
        str(tmp_path),
        "--truth",
        str(truth),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    for text in ("AUROC", "LACE", "HOSPITAL", "oracle", "champion", "Registered"):
        assert text in result.output
    champion = json.loads((tmp_path / "models/readmission_30d/champion.json").read_text())
    entry = tmp_path / "models/readmission_30d" / champion["version"]
    metrics = json.loads((entry / "metrics.json").read_text())
    training = json.loads((entry / "training.json").read_text())
    assert metrics["oracle_auroc"] > 0.6 and len(metrics["auroc_ci"]) == 2
    assert training["fingerprint"]["feature_rows"] > 0 and training["code_version"]["package"]


def test_missing_warehouse_and_unknown_task_are_one_paragraph_errors(tmp_path):
    result = runner.invoke(
        app, ["train", "--task", "readmission_30d", "--workspace", str(tmp_path)]
    )
    assert result.exit_code == 1 and "run `readmit build` first" in result.output
    result = runner.invoke(app, ["train", "--task", "nope", "--workspace", str(tmp_path)])
    assert result.exit_code == 1 and "known tasks: readmission_30d, admission_90d" in result.output
