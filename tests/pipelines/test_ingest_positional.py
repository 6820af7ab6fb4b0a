"""CSV sources read on every thread: rows are numbered by position (no row_number window), and
the numbers, the quarantine and the rules' verdicts equal those of the numbered path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.checks import check_source
from pipelines.ingest.discovery import LandingFile
from pipelines.ingest.load import Lineage, load_source
from pipelines.ingest.positional import RowOrderError, check_column
from pipelines.ingest.source import open_flat
from pipelines.ingest.steps import prepare
from pipelines.warehouse import connect
from tests.data_contracts.extracts import EXTRACT_DATE, count, drop_file, run_ingest, valid_row
from tests.pipelines.test_ingest_engines import _claims

DAY = date.fromisoformat(EXTRACT_DATE)
BIG_ROWS = 90_000
BAD_LINES = (3, 45_001, 89_998)  # birth dates that are not dates: quarantined by line number


def _big_eligibility(root: Path) -> Path:
    """A CSV of BIG_ROWS eligibility rows (large enough to be read in parallel) whose person_id
    encodes the data row number; three rows carry a birth date that does not cast."""
    template = valid_row("eligibility")
    path = root / EXTRACT_DATE / "eligibility.csv"
    path.parent.mkdir(parents=True)
    items = []
    for name, value in template.items():
        if name == "person_id":
            items.append("'P' || lpad(i::varchar, 9, '0') as person_id")
        elif name == "birth_date":
            bad = ", ".join(str(n) for n in BAD_LINES)
            items.append(f"case when i in ({bad}) then 'not-a-date' else '{value}' end as {name}")
        else:
            items.append(f"'{value}' as {name}")
    query = f"select {', '.join(items)} from range(1, {BIG_ROWS + 1}) as t(i)"
    with duckdb.connect() as con:
        con.execute(f"copy ({query}) to '{path}' (header, delimiter ',')")
    return path


def test_a_large_csv_read_on_two_threads_keeps_every_row_number(tmp_path):
    path = _big_eligibility(tmp_path / "landing")
    assert path.stat().st_size > 16_000_000  # several 8 MB scan units: threads split the file
    con = connect(tmp_path / "w.duckdb", threads=2)
    result = run_ingest(con, tmp_path / "landing")
    (only,) = result.files
    assert (only.rows_in, only.rows_loaded, only.rows_quarantined) == (BIG_ROWS, BIG_ROWS - 3, 3)
    misnumbered = "_row_number <> cast(substr(person_id, 2) as bigint)"
    assert count(con, "raw_eligibility", misnumbered) == 0
    assert count(con, "raw_eligibility") == BIG_ROWS - 3
    lines = con.execute("select row_number from quarantine order by 1").fetchall()
    assert [r[0] for r in lines] == list(BAD_LINES)
    bad = ", ".join(f"'P{n:09d}'" for n in BAD_LINES)
    assert count(con, "raw_eligibility", f"person_id in ({bad})") == 0


def _flagged(root: Path, positional: bool):
    con = duckdb.connect()
    prepare(con)
    path = root / EXTRACT_DATE / "medical_claim.csv"
    f = LandingFile(path, f"{EXTRACT_DATE}/medical_claim.csv", DAY, "csv", False, "medical_claim")
    header = open_flat(con, f)
    assert header.positional
    check = check_source(
        con, f.label, f.table, header.present, extract_date=DAY, positional=positional
    )
    fails = set(con.execute("select __line, rule_id from __fails").fetchall())
    return con, header, check, fails


@pytest.fixture(scope="module")
def claims(tmp_path_factory):
    root = tmp_path_factory.mktemp("positional")
    drop_file(root, "medical_claim", _claims())
    return root


def test_positional_and_numbered_scans_flag_the_same_rows(claims):
    _, _, by_position, position_fails = _flagged(claims, positional=True)
    _, _, numbered, numbered_fails = _flagged(claims, positional=False)
    assert by_position.positional and not numbered.positional
    assert position_fails == numbered_fails
    assert len({line for line, _ in position_fails}) >= 10
    assert by_position.rows_quarantined == numbered.rows_quarantined > 0
    assert sorted(by_position.findings, key=repr) == sorted(numbered.findings, key=repr)


def test_a_load_that_sees_another_row_order_stops(claims):
    con, header, check, _ = _flagged(claims, positional=True)
    assert check_column("medical_claim", header.present) == "claim_id"
    kept = "__row not in (select __row from __quarantined)"  # the check covers kept rows
    first = f"(select min(__check) from __scan where {kept})"
    con.execute(f"update __scan_masks set __check = __check + 1 where __check = {first}")
    con.begin()
    with pytest.raises(RowOrderError, match="different order"):
        load_source(con, header, check, Lineage("r1", "f.csv", "abc", DAY))
    con.rollback()


def test_kept_rows_are_numbered_across_runs_of_quarantined_rows(tmp_path):
    """Quarantined rows first, last and side by side: every kept row keeps its file row number,
    and the raw table never held the quarantined rows (nothing is deleted after the insert)."""
    bad = {1, 2, 5, 6, 7, 11, 14}
    rows = [
        valid_row(
            "eligibility", person_id=f"P{i:04d}", birth_date="x" if i in bad else "1950-02-03"
        )
        for i in range(1, 15)
    ]
    drop_file(tmp_path / "landing", "eligibility", rows)
    con = connect(tmp_path / "w.duckdb", threads=2)
    (only,) = run_ingest(con, tmp_path / "landing", max_bad_share=0.9).files
    assert (only.rows_in, only.rows_loaded, only.rows_quarantined) == (14, 7, 7)
    numbered = con.execute(
        "select _row_number, person_id from raw_eligibility order by _row_number"
    ).fetchall()
    assert numbered == [(i, f"P{i:04d}") for i in range(1, 15) if i not in bad]
    lines = con.execute("select row_number from quarantine order by 1").fetchall()
    assert {r[0] for r in lines} == bad
