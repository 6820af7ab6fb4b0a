"""`readmit ingest` and `readmit validate` on the command line: exit codes 0 and 2, messages that
name the file and rule, the data-quality page, and validate leaving the warehouse alone."""

import stat

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from tests.data_contracts.extracts import EXTRACT_DATE, drop_file, valid_row

runner = CliRunner()


@pytest.fixture
def landing(tmp_path):
    root = tmp_path / "landing"
    drop_file(root, "patient", [valid_row("patient", person_id=f"P{i}") for i in range(3)])
    drop_file(root, "encounter", [valid_row("encounter", encounter_id=f"E{i}") for i in range(3)])
    return root


def _output(result) -> str:
    return result.output + (result.stderr if result.stderr_bytes is not None else "")


def test_ingest_loads_and_writes_the_data_quality_page(landing, tmp_path):
    workspace = tmp_path / "ws"
    result = runner.invoke(
        app, ["ingest", str(landing), "--workspace", str(workspace), "--engine", "duckdb"]
    )
    assert result.exit_code == 0, _output(result)
    assert "patient.csv" in result.output and "Data-quality report" in result.output
    con = duckdb.connect(str(workspace / "warehouse.duckdb"), read_only=True)
    assert con.execute("select count(*) from raw_encounter").fetchone() == (3,)
    (run_id,) = con.execute("select run_id from run_log where stage = 'ingest'").fetchone()
    con.close()
    page = workspace / "runs" / run_id / "data_quality.html"
    assert page.exists() and stat.S_IMODE(page.stat().st_mode) == 0o600
    again = runner.invoke(app, ["ingest", str(landing), "--workspace", str(workspace)])
    assert again.exit_code == 0 and "skipped" in again.output


def test_ingest_exits_2_naming_file_column_and_rule(landing, tmp_path):
    (landing / EXTRACT_DATE / "encounter.csv").write_text("encounter_id,person_id\nE1,P1\n")
    workspace = tmp_path / "ws"
    result = runner.invoke(
        app, ["ingest", str(landing), "--workspace", str(workspace), "--engine", "duckdb"]
    )
    assert result.exit_code == 2
    text = _output(result)
    assert "Contract error" in text and "encounter.csv" in text and "required_column" in text
    assert "Traceback" not in text
    con = duckdb.connect(str(workspace / "warehouse.duckdb"), read_only=True)
    assert con.execute("select count(*) from raw_patient").fetchone() == (0,)
    con.close()
    assert list((workspace / "runs").glob("*/data_quality.html"))


def test_validate_checks_without_loading(landing, tmp_path):
    workspace = tmp_path / "ws"
    result = runner.invoke(app, ["validate", str(landing), "--workspace", str(workspace)])
    assert result.exit_code == 0, _output(result)
    assert "patient.csv" in result.output and "loads" in result.output
    assert not (workspace / "warehouse.duckdb").exists()


def test_validate_exits_2_when_a_file_would_stop_the_run(landing, tmp_path):
    rows = [valid_row("patient", person_id="") for _ in range(3)]
    drop_file(landing, "patient", rows)
    result = runner.invoke(
        app, ["validate", str(landing), "--workspace", str(tmp_path), "--engine", "duckdb"]
    )
    assert result.exit_code == 2
    assert "would stop" in result.output and "not_null" in result.output


def test_an_unknown_engine_is_a_usage_error(landing, tmp_path):
    result = runner.invoke(app, ["validate", str(landing), "--engine", "spark"])
    assert result.exit_code == 2 and "spark" in _output(result)
