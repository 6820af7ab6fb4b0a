"""The data-quality page: per file counts, top failing rules, code-system coverage, missing
tables and the features they leave empty, trends across runs; escaped, owner-only, no PHI."""

import stat

import duckdb
import pytest

from data_contracts.errors import ContractError
from reports.data_quality import render_report, report_context, write_data_quality_report
from tests.data_contracts.extracts import EXTRACT_DATE, drop_file, run_ingest, valid_row

SECRET_PERSON = "PERSON-SECRET-4711"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    landing = tmp_path_factory.mktemp("dq")
    claims = [valid_row("medical_claim", claim_id=f"C{i}") for i in range(40)]
    claims[0]["diagnosis_code_2"] = "NOTACODE"
    claims[1]["diagnosis_code_3"] = "E11.9"
    drop_file(landing, "medical_claim", claims, day="2024-12-01")
    con = duckdb.connect()
    first = run_ingest(con, landing)
    members = [valid_row("eligibility", person_id=f"M{i}") for i in range(30)]
    members[4]["person_id"] = SECRET_PERSON
    members[4]["birth_date"] = "not a date"
    drop_file(landing, "eligibility", members)
    (landing / EXTRACT_DATE / "<img src=x onerror=alert(1)>.csv").write_text("x\n")
    second = run_ingest(con, landing)
    return con, first.run_id, second.run_id


def test_files_rules_and_counts(runs):
    con, _, run_id = runs
    context = report_context(con, run_id)
    files = [
        (f["file"], f["rows_in"], f["rows_loaded"], f["rows_quarantined"]) for f in context["files"]
    ]
    assert files == [(f"{EXTRACT_DATE}/eligibility.csv", 30, 29, 1)]
    top = context["rules"][0]
    assert (top["table_name"], top["rule"], top["column"], top["rows"]) == (
        "eligibility",
        "type_date",
        "birth_date",
        1,
    )
    assert context["run"]["status"] == "success"


def test_code_system_coverage_counts_valid_icd10cm(runs):
    con, run_id, _ = runs
    (claims,) = [
        c for c in report_context(con, run_id)["coverage"] if c["source"].startswith("medical")
    ]
    # 40 lines x 25 diagnosis columns filled by the fixture, one code not shaped like ICD-10-CM
    assert claims["codes"] == 40 * 25 and claims["valid_icd10cm"] == 40 * 25 - 1
    assert claims["share"] == pytest.approx(999 / 1000)


def test_missing_tables_name_the_features_they_leave_empty(runs):
    con, _, run_id = runs
    missing = {t["table"]: t["empty_features"] for t in report_context(con, run_id)["missing"]}
    assert "medical_claim" not in missing and "eligibility" not in missing
    assert "clinical labs" in missing["lab_result"]
    assert "social-needs screening" in missing["observation"]
    assert "medication adherence" in missing["pharmacy_claim"]


def test_trend_covers_every_run(runs):
    con, first, second = runs
    trend = report_context(con, second)["trend"]
    assert [t["run_id"] for t in trend] == [first, second]
    assert trend[1]["quarantine_rate"] == pytest.approx(1 / 30)


def test_page_is_escaped_owner_only_and_holds_no_patient_data(runs, tmp_path):
    con, _, run_id = runs
    path = write_data_quality_report(con, run_id, tmp_path / "dq" / "data_quality.html")
    html = path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;.csv" in html
    assert SECRET_PERSON not in html
    for text in (
        "Top failing rules",
        "Code-system coverage",
        "Trend across runs",
        "raw_lab_result",
    ):
        assert text in html
    assert "<script src" not in html  # self-contained: nothing to fetch


def test_a_failed_run_shows_its_message(tmp_path):
    landing = tmp_path / "landing"
    (landing / EXTRACT_DATE).mkdir(parents=True)
    (landing / EXTRACT_DATE / "patient.csv").write_bytes(b"")
    con = duckdb.connect()
    with pytest.raises(ContractError):
        run_ingest(con, landing, engine="duckdb")
    run_id = con.execute("select run_id from run_log where stage = 'ingest'").fetchone()[0]
    context = report_context(con, run_id)
    assert context["run"]["status"] == "failed" and "0 bytes" in context["run"]["message"]
    assert "0 bytes" in render_report(context)
