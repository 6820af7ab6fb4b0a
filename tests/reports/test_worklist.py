"""Worklists: one owner-only HTML and CSV per case manager, only their patients, escaped text."""

from __future__ import annotations

import csv
import io
import stat
from datetime import date

import duckdb
import polars as pl
import pytest

from reports import sources
from reports.caseload_store import run_caseload
from reports.publish import safe_stem
from reports.worklist import CSV_COLUMNS, publish_worklists, worklist_rows, write_worklists
from tests.reports.warehouse_fixture import RUN_DATE, build


def roster_of(con, run_date=RUN_DATE) -> pl.DataFrame:
    with sources.prepared(con, "r1", run_date):
        return pl.from_arrow(sources.query(con, "rpt_roster"))


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    con = duckdb.connect()
    build(con)
    run_caseload(con, "r1", RUN_DATE)
    rows = worklist_rows(con, "r1", RUN_DATE)
    out = tmp_path_factory.mktemp("latest") / "worklists"
    files = write_worklists(rows, roster_of(con), out, RUN_DATE)
    yield con, rows, out, files
    con.close()


def read_csv(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text())))


def test_one_file_pair_per_active_case_manager_plus_unassigned(published):
    _, _, out, files = published
    names = sorted(p.name for p in files)
    assert names == sorted(["rn1.html", "rn1.csv", "sw1.html", "sw1.csv",
                            "_unassigned.html", "_unassigned.csv"])  # fmt: skip
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_each_list_holds_only_its_patients_ranked_by_risk(published):
    con, _, out, _ = published
    assigned = con.sql(
        "select cm_id, person_id from caseload_assignments where status in ('new', 'continued')"
    ).fetchall()
    for cm in ("rn1", "sw1"):
        rows = read_csv(out / f"{cm}.csv")
        assert list(rows[0]) == list(CSV_COLUMNS)
        assert {r["person_id"] for r in rows} == {p for c, p in assigned if c == cm}
        risks = [int(r["risk_pct"]) for r in rows]
        assert risks == sorted(risks, reverse=True)
        assert [r["rank"] for r in rows] == [str(i + 1) for i in range(len(rows))]
    assert read_csv(out / "_unassigned.csv") == []


def test_row_content_for_a_fresh_discharge(published):
    _, rows, _, _ = published
    ana = rows.filter(pl.col("person_id") == "p1").row(0, named=True)
    assert ana["patient_name"] == "Ana Lopez"
    assert ana["age"] == 73  # 74th birthday is the day after the run
    assert ana["last_discharge_date"] == date(2024, 3, 4)
    assert ana["follow_up_visit"] == "no"  # the office visit was on the discharge day itself
    assert ana["next_action"].startswith("Call patient")
    assert ana["due_date"] == date(2024, 3, 6)
    assert (ana["trend_arrow"], ana["trend_points"]) == ("↑", 5.0)
    assert ana["social_text"] == "food"
    bob = rows.filter(pl.col("person_id") == "p2").row(0, named=True)
    assert bob["follow_up_visit"] == "yes 2024-02-14" and bob["trend_arrow"] == "↓"


def test_text_is_escaped_in_html_and_formula_safe_in_csv(published):
    _, _, out, _ = published
    page = (out / "sw1.html").read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    names = {r["person_id"]: r["patient_name"] for r in read_csv(out / "sw1.csv")}
    assert names["p4"] == "'=HYPERLINK(1)"


def test_missing_sources_leave_blanks():
    con = duckdb.connect()
    con.execute(
        "create table caseload_assignments as select 'r1' as run_id, date '2024-03-06' as "
        "run_date, 'p9' as person_id, 'rn1' as cm_id, 2 as tier, 2 as points, 'new' as status, "
        "0.4 as probability, null::varchar as reason"
    )
    rows = worklist_rows(con, "r1", date(2024, 3, 6))
    row = rows.row(0, named=True)
    assert row["patient_name"] is None and row["last_discharge_date"] is None
    assert row["risk_pct"] == 40 and row["next_action"] == "Check-in call"


def test_mode_is_a_parameter_and_ids_cannot_escape_the_folder(tmp_path, published):
    _, rows, _, _ = published
    roster = pl.DataFrame({"cm_id": ["../evil"], "name": ["X"], "role": ["RN"], "active": [True]})
    files = write_worklists(rows.head(0), roster, tmp_path, RUN_DATE, mode=0o640)
    assert {p.parent for p in files} == {tmp_path}
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o640
    assert safe_stem("../evil") == "_evil"


def test_publish_reads_the_roster_itself(published, tmp_path):
    con, rows, out, _ = published
    files = publish_worklists(con, "r1", RUN_DATE, tmp_path)
    assert sorted(p.name for p in files) == sorted(p.name for p in out.iterdir())
