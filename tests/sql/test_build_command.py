"""`readmit build`: opens the workspace warehouse, builds, prints a summary without patient data."""

import duckdb
import typer
from typer.testing import CliRunner

from pipelines.commands.build import build
from pipelines.warehouse import connect, ensure_raw_tables
from tests.sql.conftest import load_raw, member, stay_claim

app = typer.Typer()
app.command()(build)


def test_build_command_builds_the_targets_into_the_workspace_warehouse(tmp_path):
    con = connect(tmp_path / "warehouse.duckdb")
    ensure_raw_tables(con)
    load_raw(con, "eligibility", [member("person-secret-1")])
    load_raw(
        con,
        "medical_claim",
        [
            stay_claim("c1", "person-secret-1", "2021-01-01", "2021-01-05"),
            stay_claim("c2", "person-secret-1", "2021-01-20", "2021-01-22"),
        ],
    )
    con.close()
    result = CliRunner().invoke(
        app,
        [
            "--workspace",
            str(tmp_path),
            "--target",
            "mart_index_stays",
            "--data-end-date",
            "2021-12-31",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Data window: 2021-01-01 to 2021-12-31" in result.output
    assert "Index stays: 2 (0 censored)" in result.output and "50.0%" in result.output
    assert "person-secret-1" not in result.output
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    assert con.execute("select count(*) from mart_index_stays").fetchone()[0] == 2
    assert con.execute("select count(*) from ref_ccs_dx_icd10cm").fetchone()[0] > 50_000
    con.close()


def test_build_command_rejects_an_unknown_target(tmp_path):
    result = CliRunner().invoke(app, ["--workspace", str(tmp_path), "--target", "mart_nope"])
    assert result.exit_code != 0
    assert "unknown target" in str(result.exception)
