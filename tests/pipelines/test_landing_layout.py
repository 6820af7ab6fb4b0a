"""A landing folder without <extract_date>/ drop folders stops nightly and ingest at once."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.ingest import ingest_landing
from pipelines.ingest.discovery import LandingLayoutError, check_landing_layout

runner = CliRunner()


def _flat_landing(folder):
    folder.mkdir()
    for name in ("eligibility.csv", "medical_claim.csv", "patient.csv"):
        (folder / name).write_text("person_id\n1\n")
    return folder


@pytest.mark.parametrize("command", ["nightly", "ingest"])
def test_files_directly_in_the_landing_folder_stop_the_command(tmp_path, command):
    landing = _flat_landing(tmp_path / "landing")
    workspace = tmp_path / "ws"
    where = ["--landing", str(landing)] if command == "nightly" else [str(landing)]
    result = runner.invoke(app, [command, *where, "--workspace", str(workspace)])
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    assert "holds no drop folder named by extract date" in message
    assert "eligibility.csv" in message and "<YYYY-MM-DD>/eligibility.csv" in message
    assert "Traceback" not in result.output
    assert not (workspace / "warehouse.duckdb").exists()  # stopped before any work


def test_the_message_lists_a_few_of_the_names_found(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    for i in range(8):
        (landing / f"extract_{i}.csv").write_text("x\n")
    with pytest.raises(LandingLayoutError, match=r"extract_4\.csv, \.\.\.\)") as caught:
        check_landing_layout(landing)
    assert "extract_5.csv" not in str(caught.value)


def test_drop_folders_a_single_drop_and_an_empty_folder_pass(tmp_path):
    landing = tmp_path / "landing"
    drop = landing / "2025-01-01"
    drop.mkdir(parents=True)
    (drop / "eligibility.csv").write_text("person_id\n1\n")
    (landing / "README.txt").write_text("notes next to the drops are fine\n")
    check_landing_layout(landing)  # a drop folder next to other files
    check_landing_layout(drop)  # the drop folder itself
    empty = tmp_path / "empty"
    empty.mkdir()
    check_landing_layout(empty)  # nothing delivered yet: nothing to complain about


def test_a_missing_landing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        check_landing_layout(tmp_path / "nowhere")


def test_the_ingest_step_itself_refuses_such_a_folder(tmp_path):
    # the scheduled flow (readmit serve) calls the ingest step without the commands' early check
    con = duckdb.connect()
    with pytest.raises(LandingLayoutError, match="holds no drop folder"):
        ingest_landing(con, _flat_landing(tmp_path / "landing"), "r1")
