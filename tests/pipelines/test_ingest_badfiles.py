"""The bad-file corpus: each broken extract either quarantines its bad rows or stops the run with a
message naming the file, the column and the rule, and never wipes rows loaded earlier."""

import gzip

import duckdb
import pytest

from data_contracts.errors import ContractError
from tests.data_contracts.extracts import (
    EXTRACT_DATE,
    count,
    drop_file,
    run_ingest,
    valid_row,
    write_csv,
)


@pytest.fixture
def con():
    return duckdb.connect()


@pytest.fixture
def landing(tmp_path):
    return tmp_path / "landing"


def _claims(n: int, **changes_by_row) -> list[dict]:
    rows = [valid_row("medical_claim", claim_id=f"C{i}") for i in range(n)]
    for i, changes in changes_by_row.items():
        rows[int(i.lstrip("r"))].update(changes)
    return rows


def _quarantined(con) -> set[tuple[int, str, str]]:
    return set(con.execute('select row_number, "column", rule from quarantine').fetchall())


def test_missing_required_column_stops_the_run_naming_file_column_rule(con, landing):
    rows = _claims(3)
    columns = [c for c in rows[0] if c != "claim_type"]
    write_csv(landing / EXTRACT_DATE / "medical_claim.csv", rows, columns)
    with pytest.raises(ContractError) as caught:
        run_ingest(con, landing)
    err = caught.value
    assert (err.file, err.column, err.rule) == (
        f"{EXTRACT_DATE}/medical_claim.csv",
        "claim_type",
        "required_column",
    )
    assert "medical_claim.csv" in str(err) and "claim_type" in str(err)
    assert count(con, "raw_medical_claim") == 0
    status = con.execute("select status, message from run_log where stage = 'ingest'").fetchone()
    assert status[0] == "failed" and "claim_type" in status[1]


def test_wrong_type_quarantines_only_that_row(con, landing):
    rows = [valid_row("pharmacy_claim", claim_id=f"R{i}") for i in range(30)]
    rows[7]["quantity"] = "three"
    drop_file(landing, "pharmacy_claim", rows)
    (result,) = run_ingest(con, landing).files
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == (30, 29, 1)
    assert _quarantined(con) == {(8, "quantity", "type_double")}
    assert count(con, "raw_pharmacy_claim", "_row_number = 8") == 0


def test_bad_dates_are_quarantined_with_their_rule(con, landing):
    rows = _claims(
        80,
        r3={"admission_date": "2024-06-10", "discharge_date": "2024-06-01"},
        r4={"claim_start_date": "2025-01-03"},  # after the extract date + 1 day
        r5={"claim_end_date": "2024-02-30"},
        r6={"claim_start_date": "2025-01-02", "claim_end_date": "2025-01-02"},  # extract + 1: fine
    )
    drop_file(landing, "medical_claim", rows)
    (result,) = run_ingest(con, landing).files
    assert result.rows_quarantined == 3 and result.rows_loaded == 77
    assert _quarantined(con) == {
        (4, "discharge_date", "discharge_not_before_admission"),
        (5, "claim_start_date", "date_not_future"),
        (6, "claim_end_date", "type_date"),
    }


def test_conflicting_keys_are_quarantined_and_exact_copies_only_warned(con, landing):
    rows = [valid_row("encounter", encounter_id=f"E{i}") for i in range(60)]
    rows.append(valid_row("encounter", encounter_id="E1", encounter_type="office visit"))
    rows.append(dict(rows[5]))
    drop_file(landing, "encounter", rows)
    (result,) = run_ingest(con, landing).files
    assert result.rows_quarantined == 2  # both versions of E1: which one is right cannot be told
    assert {r[0] for r in _quarantined(con)} == {2, 61}
    assert count(con, "raw_encounter", "encounter_id = 'E5'") == 2  # staging drops the copy
    warn = con.execute("select rows from dq_findings where rule = 'duplicate_row'").fetchone()
    assert warn == (1,)


def test_zero_byte_file_stops_the_run_and_keeps_earlier_rows(con, landing):
    path = drop_file(
        landing, "eligibility", [valid_row("eligibility", person_id=f"P{i}") for i in range(4)]
    )
    run_ingest(con, landing)
    path.write_bytes(b"")
    with pytest.raises(ContractError) as caught:
        run_ingest(con, landing)
    assert caught.value.rule == "non_empty_file" and "re-deliver" in str(caught.value)
    assert count(con, "raw_eligibility") == 4


def test_header_only_redelivery_loads_nothing_and_keeps_the_earlier_version(con, landing):
    path = drop_file(
        landing, "patient", [valid_row("patient", person_id=f"P{i}") for i in range(3)]
    )
    run_ingest(con, landing)
    write_csv(path, [], list(valid_row("patient")))
    (result,) = run_ingest(con, landing).files
    assert result.status == "empty" and result.rows_in == 0
    assert count(con, "raw_patient") == 3
    assert count(con, "dq_findings", "rule = 'empty_redelivery_kept_previous'") == 1
    assert count(con, "ingest_files", "status = 'loaded' and table_name = 'patient'") == 1


def test_header_only_first_delivery_loads_zero_rows(con, landing):
    write_csv(landing / EXTRACT_DATE / "procedure.csv", [], list(valid_row("procedure")))
    (result,) = run_ingest(con, landing).files
    assert (result.status, result.rows_in, result.rows_loaded) == ("loaded", 0, 0)
    assert count(con, "dq_findings", "rule = 'header_only'") == 1


def test_non_utf8_file_stops_the_run(con, landing):
    path = drop_file(
        landing, "patient", [valid_row("patient", person_id=f"P{i}") for i in range(3)]
    )
    text = path.read_bytes().replace(b"x1", "Jos\xe9".encode("latin-1"), 1)
    path.write_bytes(text)
    with pytest.raises(ContractError) as caught:
        run_ingest(con, landing)
    assert caught.value.rule == "utf8_encoding" and "UTF-8" in str(caught.value)
    assert count(con, "raw_patient") == 0


def test_truncated_gzip_stops_the_run(con, landing):
    rows = [valid_row("observation", observation_id=f"O{i}") for i in range(2000)]
    path = write_csv(landing / EXTRACT_DATE / "observation.csv.gz", rows)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ContractError) as caught:
        run_ingest(con, landing)
    assert caught.value.rule == "complete_gzip" and "truncated" in str(caught.value)
    assert count(con, "raw_observation") == 0


def test_whole_gzip_file_loads(con, landing):
    rows = [valid_row("observation", observation_id=f"O{i}") for i in range(50)]
    write_csv(landing / EXTRACT_DATE / "observation.csv.gz", rows)
    (result,) = run_ingest(con, landing).files
    assert result.rows_loaded == 50 and gzip.open  # the .gz was read through


def test_extra_unknown_columns_are_kept_as_text(con, landing):
    rows = [dict(valid_row("case_managers", cm_id=f"CM{i}"), team_colour=f"c{i}") for i in range(3)]
    drop_file(landing, "case_managers", rows)
    run_ingest(con, landing)
    kept = con.execute("select team_colour from raw_case_managers order by _row_number").fetchall()
    assert kept == [("c0",), ("c1",), ("c2",)]
    note = con.execute(
        "select \"column\" from dq_findings where rule = 'extra_columns_kept'"
    ).fetchone()
    assert note == ("team_colour",)


def test_wrong_delimiter_is_a_missing_column_error_with_a_hint(con, landing):
    path = landing / EXTRACT_DATE / "condition.csv"
    path.parent.mkdir(parents=True)
    row = valid_row("condition")
    path.write_text(";".join(row) + "\n" + ";".join(row.values()) + "\n")
    with pytest.raises(ContractError) as caught:
        run_ingest(con, landing)
    assert caught.value.rule == "required_column"
    assert "not comma-separated" in str(caught.value)


def test_mixed_line_endings_stop_the_run(con, landing):
    path = drop_file(
        landing, "medication", [valid_row("medication", medication_id=f"M{i}") for i in range(3)]
    )
    with path.open("a") as handle:
        handle.write("only,three,fields\n")
    with pytest.raises(ContractError) as caught:
        run_ingest(con, landing)
    assert caught.value.rule == "csv_structure"


def test_ragged_row_stops_the_run(con, landing):
    path = drop_file(
        landing, "medication", [valid_row("medication", medication_id=f"M{i}") for i in range(3)]
    )
    with path.open("a") as handle:
        handle.write("only,three,fields\r\n")
    with pytest.raises(ContractError) as caught:
        run_ingest(con, landing)
    assert caught.value.rule == "csv_structure" and "line 5" in str(caught.value)


def test_too_many_bad_rows_stop_the_run_unless_the_limit_is_raised(con, landing):
    rows = [valid_row("lab_result", lab_result_id=f"L{i}") for i in range(10)]
    rows[2]["person_id"] = ""
    rows[6]["person_id"] = ""
    drop_file(landing, "lab_result", rows)
    with pytest.raises(ContractError) as caught:
        run_ingest(con, landing)
    err = caught.value
    assert (err.file, err.column, err.rule) == (
        f"{EXTRACT_DATE}/lab_result.csv",
        "person_id",
        "not_null",
    )
    assert "2 of 10" in str(err) and "20.0%" in str(err) and "--max-bad-share" in str(err)
    assert count(con, "raw_lab_result") == 0
    (result,) = run_ingest(con, landing, max_bad_share=0.25).files
    assert (result.rows_loaded, result.rows_quarantined) == (8, 2)


def test_unknown_files_and_folders_are_warned_not_fatal(con, landing):
    drop_file(landing, "patient", [valid_row("patient")])
    (landing / EXTRACT_DATE / "notes.txt").write_text("hello")
    (landing / "archive").mkdir()
    result = run_ingest(con, landing)
    assert result.ignored == ["archive", f"{EXTRACT_DATE}/notes.txt"]
    assert count(con, "dq_findings", "rule = 'unknown_file'") == 2
    assert count(con, "raw_patient") == 1


def test_parquet_extract_loads_like_csv(con, landing, tmp_path):
    rows = [valid_row("area_deprivation", zip_code=z) for z in ("02139", "02140", "9021")]
    csv_path = write_csv(tmp_path / "adi.csv", rows)
    target = landing / EXTRACT_DATE / "area_deprivation.parquet"
    target.parent.mkdir(parents=True)
    duckdb.connect().execute(
        f"copy (select * from read_csv('{csv_path}', all_varchar = true)) to '{target}'"
    )
    (result,) = run_ingest(con, landing, max_bad_share=0.5).files
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert _quarantined(con) == {(3, "zip_code", "format_zip")}
