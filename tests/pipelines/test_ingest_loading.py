"""Loading: every row accounted for, lineage on every raw row, idempotent re-loads, corrected
re-deliveries, one transaction per drop, and claim adjustments and reversals kept as versions."""

import hashlib

import duckdb
import pytest

from data_contracts.errors import ContractError
from tests.data_contracts.extracts import EXTRACT_DATE, count, drop_file, run_ingest, valid_row

RAW = ["raw_eligibility", "raw_medical_claim", "raw_pharmacy_claim", "raw_patient"]


@pytest.fixture
def con():
    return duckdb.connect()


@pytest.fixture
def landing(tmp_path):
    return tmp_path / "landing"


def _drop(landing, day=EXTRACT_DATE, bad_claims=1):
    """Claims, eligibility and fills for one extract date (ids differ between dates)."""
    claims = [valid_row("medical_claim", claim_id=f"C{day}-{i}") for i in range(40)]
    for i in range(bad_claims):
        claims[i]["person_id"] = ""
    drop_file(landing, "medical_claim", claims, day)
    drop_file(
        landing, "eligibility", [valid_row("eligibility", person_id=f"P{i}") for i in range(5)], day
    )
    fills = [valid_row("pharmacy_claim", claim_id=f"F{day}-{i}") for i in range(7)]
    drop_file(landing, "pharmacy_claim", fills, day)


def _snapshot(con):
    tables = RAW + ["quarantine", "ingest_files", "dq_findings"]
    return {t: count(con, t) for t in tables}


def test_rows_in_equal_rows_loaded_plus_quarantined_per_file(con, landing):
    _drop(landing)
    result = run_ingest(con, landing)
    files = con.execute(
        "select file, rows_in, rows_loaded, rows_quarantined from ingest_files"
    ).fetchall()
    assert len(files) == 3
    for file, rows_in, loaded, quarantined in files:
        assert rows_in == loaded + quarantined, file
    logged = con.execute(
        "select file, rows_in, rows_loaded, rows_quarantined from run_log "
        "where stage = 'ingest_file'"
    ).fetchall()
    assert sorted(logged) == sorted(files)
    claims = [f for f in files if f[0].endswith("medical_claim.csv")][0]
    assert claims[1:] == (40, 39, 1) and count(con, "raw_medical_claim") == 39
    stage = con.execute(
        "select status, rows_in, rows_loaded, rows_quarantined from run_log where stage = 'ingest'"
    ).fetchone()
    assert stage == ("success", 52, 51, 1)
    assert result.total("rows_in") == 52


def test_every_raw_row_carries_lineage(con, landing):
    _drop(landing, bad_claims=0)
    result = run_ingest(con, landing)
    path = landing / EXTRACT_DATE / "eligibility.csv"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    rows = con.execute(
        "select distinct _source_file, _checksum, _run_id, _extract_date from raw_eligibility"
    ).fetchall()
    assert [(r[0], r[1], r[2], str(r[3])) for r in rows] == [
        (f"{EXTRACT_DATE}/eligibility.csv", digest, result.run_id, EXTRACT_DATE)
    ]
    numbers = con.execute(
        "select _row_number, person_id from raw_eligibility order by 1"
    ).fetchall()
    assert numbers == [(i + 1, f"P{i}") for i in range(5)]


def test_identical_content_in_a_later_drop_is_skipped(con, landing):
    rows = [valid_row("patient", person_id=f"P{i}") for i in range(3)]
    drop_file(landing, "patient", rows, day="2024-12-01")
    drop_file(landing, "patient", rows)
    result = run_ingest(con, landing)
    assert [f.status for f in result.files] == ["loaded", "skipped"]
    assert count(con, "raw_patient") == 3


def test_a_superseded_version_delivered_again_replaces_the_current_one(con, landing):
    first = [valid_row("patient", person_id=f"P{i}") for i in range(3)]
    path = drop_file(landing, "patient", first)
    original = path.read_bytes()
    run_ingest(con, landing)
    drop_file(landing, "patient", first[:1])
    run_ingest(con, landing)
    path.write_bytes(original)
    run_ingest(con, landing)
    assert count(con, "raw_patient") == 3


def test_loading_the_same_files_twice_changes_nothing(con, landing):
    _drop(landing)
    run_ingest(con, landing)
    before = _snapshot(con)
    result = run_ingest(con, landing)
    assert {f.status for f in result.files} == {"skipped"}
    after = _snapshot(con)
    assert after == before


def test_a_corrected_redelivery_replaces_the_earlier_version(con, landing):
    _drop(landing)
    _drop(landing, day="2024-12-01")
    run_ingest(con, landing)
    corrected = [valid_row("medical_claim", claim_id=f"N{i}", paid_amount="7") for i in range(3)]
    path = drop_file(landing, "medical_claim", corrected)
    result = run_ingest(con, landing)
    loaded = [f.file for f in result.files if f.status == "loaded"]
    assert loaded == [f"{EXTRACT_DATE}/medical_claim.csv"]
    today = count(con, "raw_medical_claim", f"_extract_date = '{EXTRACT_DATE}'")
    assert today == 3
    assert count(con, "raw_medical_claim", "_extract_date = '2024-12-01'") == 39
    new_sum = hashlib.sha256(path.read_bytes()).hexdigest()
    checksums = con.execute(
        f"select distinct _checksum from raw_medical_claim where _extract_date = '{EXTRACT_DATE}'"
    ).fetchall()
    assert checksums == [(new_sum,)]
    statuses = con.execute(
        "select status, count(*) from ingest_files where table_name = 'medical_claim' "
        f"and extract_date = '{EXTRACT_DATE}' group by 1 order by 1"
    ).fetchall()
    assert statuses == [("loaded", 1), ("replaced", 1)]


def test_a_gzip_redelivery_of_the_same_table_replaces_the_csv(con, landing):
    rows = [valid_row("patient", person_id=f"P{i}") for i in range(4)]
    csv_path = drop_file(landing, "patient", rows)
    run_ingest(con, landing)
    csv_path.unlink()
    from tests.data_contracts.extracts import write_csv

    write_csv(landing / EXTRACT_DATE / "patient.csv.gz", rows[:2])
    run_ingest(con, landing)
    assert count(con, "raw_patient") == 2
    files = con.execute("select distinct _source_file from raw_patient").fetchall()
    assert files == [(f"{EXTRACT_DATE}/patient.csv.gz",)]


def test_a_broken_file_rolls_back_its_whole_drop(con, landing):
    _drop(landing)
    broken = landing / EXTRACT_DATE / "pharmacy_claim.csv"
    broken.write_text("claim_id,person_id\nF1,P1\n")
    with pytest.raises(ContractError):
        run_ingest(con, landing)
    for table in RAW + ["ingest_files", "quarantine", "dq_findings"]:
        assert count(con, table) == 0, table
    assert con.execute("select status from run_log where stage = 'ingest'").fetchone() == (
        "failed",
    )
    broken.unlink()
    result = run_ingest(con, landing)
    assert count(con, "raw_medical_claim") == 39 and len(result.files) == 2


def test_earlier_drops_stay_loaded_when_a_later_drop_fails(con, landing):
    _drop(landing, day="2024-12-01")
    _drop(landing)
    (landing / EXTRACT_DATE / "eligibility.csv").write_bytes(b"")
    with pytest.raises(ContractError):
        run_ingest(con, landing)
    assert count(con, "raw_medical_claim", "_extract_date = '2024-12-01'") == 39
    assert count(con, "raw_medical_claim", f"_extract_date = '{EXTRACT_DATE}'") == 0


def _claim(claim_id, paid_date, amount, line="1"):
    return valid_row(
        "medical_claim",
        claim_id=claim_id,
        claim_line_number=line,
        paid_date=paid_date,
        paid_amount=amount,
        allowed_amount=amount,
    )


def _negative_warnings(con):
    return con.execute(
        "select \"column\", rows from dq_findings where rule = 'amount_not_negative' order by 1"
    ).fetchall()


def test_adjustments_and_reversals_load_as_versions(con, landing):
    rows = [valid_row("medical_claim", claim_id=f"C{i}") for i in range(30)]
    rows += [
        _claim("A1", "2024-02-01", "100"),
        _claim("A1", "2024-03-01", "-100"),  # reversal of the earlier version: fine
        _claim("A1", "2024-03-01", "120", line="2"),
        _claim("A1", "2024-04-01", "150", line="2"),  # adjustment: a later version
        _claim("B1", "2024-02-01", "-30"),  # negative with no earlier version: warned
    ]
    drop_file(landing, "medical_claim", rows)
    (result,) = run_ingest(con, landing).files
    assert result.rows_quarantined == 0 and result.rows_loaded == 35
    assert _negative_warnings(con) == [("allowed_amount", 1), ("paid_amount", 1)]


def test_a_reversal_of_a_line_loaded_earlier_is_not_warned(con, landing):
    drop_file(landing, "medical_claim", [_claim("R1", "2024-02-01", "80")], day="2024-12-01")
    run_ingest(con, landing)
    drop_file(landing, "medical_claim", [_claim("R1", "2024-03-01", "-80")])
    run_ingest(con, landing)
    assert count(con, "raw_medical_claim") == 2
    assert _negative_warnings(con) == []
