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
from reports.worklist import (
    CSV_COLUMNS,
    add_actions,
    follow_up_state,
    follow_up_text,
    publish_worklists,
    shape_rows,
    worklist_rows,
    write_worklists,
)
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


def test_each_list_holds_only_its_patients_ranked_by_tier_then_risk(published):
    con, _, out, _ = published
    assigned = con.sql(
        "select cm_id, person_id from caseload_assignments where status in ('new', 'continued')"
    ).fetchall()
    for cm in ("rn1", "sw1"):
        rows = read_csv(out / f"{cm}.csv")
        assert list(rows[0]) == list(CSV_COLUMNS)
        assert {r["person_id"] for r in rows} == {p for c, p in assigned if c == cm}
        order = [(int(r["tier"]), -int(r["risk_pct"])) for r in rows]
        assert order == sorted(order)
        assert [r["rank"] for r in rows] == [str(i + 1) for i in range(len(rows))]
    assert read_csv(out / "_unassigned.csv") == []


def test_row_content_for_a_fresh_discharge(published):
    _, rows, _, _ = published
    ana = rows.filter(pl.col("person_id") == "p1").row(0, named=True)
    assert ana["patient_name"] == "Ana Lopez"
    assert ana["age"] == 73  # 74th birthday is the day after the run
    assert ana["last_discharge_date"] == date(2024, 3, 4)
    assert ana["follow_up_visit"] == "not yet"  # the office visit was on the discharge day itself
    assert ana["follow_up_state"] == "due"
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


def test_a_tier_1_patient_ranks_above_a_riskier_tier_2_one_of_the_other_task():
    # a 90-day admission risk of 40% in tier 2 and a 30-day readmission risk of 25% in tier 1
    frame = pl.DataFrame(
        {
            "cm_id": ["rn1", "rn1", "rn1", "sw1"],
            "person_id": ["a", "b", "c", "d"],
            "task": ["admission_90d", "readmission_30d", "admission_90d", "admission_90d"],
            "tier": [2, 1, 1, 2],
            "probability": [0.40, 0.25, 0.30, 0.10],
            "trend": [None, None, None, None],
            "reasons": [[], [], [], []],
            "social_needs": [[], [], [], []],
            "last_discharge_date": [None, None, None, None],
            "first_visit_date": [None, None, None, None],
        },
        schema_overrides={"trend": pl.Float64, "reasons": pl.List(pl.String),
                          "social_needs": pl.List(pl.String), "last_discharge_date": pl.Date,
                          "first_visit_date": pl.Date},
    )  # fmt: skip
    shaped = shape_rows(frame, date(2025, 1, 1))
    assert shaped["person_id"].to_list() == ["c", "b", "a", "d"]
    assert shaped["rank"].to_list() == [1, 2, 3, 1]


def test_follow_up_visit_applies_only_to_a_recent_discharge():
    run = date(2025, 1, 1)
    frame = pl.DataFrame(
        {
            "last_discharge_date": [date(2024, 12, 29), date(2024, 12, 20), date(2024, 6, 13),
                                    date(2024, 6, 1), None],
            "first_visit_date": [None, None, None, date(2024, 6, 5), None],
        }
    )  # fmt: skip
    shaped = frame.with_columns(follow_up_state=follow_up_state(run)).with_columns(
        follow_up_visit=follow_up_text()
    )
    assert shaped["follow_up_state"].to_list() == ["due", "late", "lapsed", "done", "none"]
    assert shaped["follow_up_visit"].to_list() == [
        "not yet", "not yet", "none within 30 days", "yes 2024-06-05", "",
    ]  # fmt: skip


def two_patient_list(tmp_path, run: date, discharged: list, visited: list):
    """Rows and HTML of one RN's list: patient a (35%) above b (30%), both tier 1."""
    frame = pl.DataFrame(
        {
            "cm_id": ["rn1", "rn1"], "status": ["new", "new"], "person_id": ["a", "b"],
            "patient_name": ["Patient A", "Patient B"], "age": [82, 70],
            "last_discharge_date": discharged, "first_visit_date": visited,
            "probability": [0.35, 0.30], "tier": [1, 1],
            "task": ["admission_90d"] * 2, "trend": [None, None],
            "reasons": [["3 ED visits in the last 6 months"]] * 2,
            "social_needs": [[], []], "medication_count": [3, 3],
        },
        schema_overrides={
            "first_visit_date": pl.Date, "trend": pl.Float64, "social_needs": pl.List(pl.String)
        },
    )  # fmt: skip
    rows = shape_rows(add_actions(frame, run, 10.0, ()), run).with_columns(
        days_since_discharge=(pl.lit(run) - pl.col("last_discharge_date")).dt.total_days(),
        cm_name=pl.lit("Rita"),
        cm_role=pl.lit("RN"),
    )
    roster = pl.DataFrame({"cm_id": ["rn1"], "name": ["Rita"], "role": ["RN"], "active": [True]})
    write_worklists(rows, roster, tmp_path, run)
    return rows, (tmp_path / "rn1.html").read_text()


def test_an_old_discharge_shows_no_open_visit_and_no_transition_action(tmp_path):
    run = date(2025, 1, 1)
    rows, html = two_patient_list(
        tmp_path, run, [date(2024, 6, 13), date(2024, 12, 30)], [None, None]
    )
    old, new = rows.row(0, named=True), rows.row(1, named=True)
    assert (old["follow_up_visit"], old["next_action"]) == ("none within 30 days", "Check-in call")
    assert new["follow_up_visit"] == "not yet" and new["next_action"].startswith("Call patient")
    assert "Book follow-up visit" in new["other_actions"]
    old_row = html[html.index('data-person-id="a"') : html.index('data-person-id="b"')]
    assert "Not yet" not in old_row and "None within 30 days" in old_row
    assert "Not yet" in html[html.index('data-person-id="b"') :]
    assert "book by Mon 06 Jan" in html  # day 7 is Mon 6 Jan 2025


def test_a_follow_up_visit_of_an_earlier_year_shows_its_year(tmp_path):
    _, html = two_patient_list(
        tmp_path,
        date(2025, 3, 1),
        [date(2024, 6, 13), date(2025, 2, 20)],
        [date(2024, 6, 20), date(2025, 2, 25)],
    )
    last = html[html.index('data-person-id="a"') : html.index('data-person-id="b"')]
    this = html[html.index('data-person-id="b"') :]
    assert "Yes</span> · 20 Jun 2024<" in last
    assert "Yes</span> · 25 Feb<" in this


def test_social_roles_connect_to_resources_instead_of_referring(published):
    _, rows, _, _ = published
    p1 = rows.filter(pl.col("person_id") == "p1").row(0, named=True)  # on the RN's list
    p3 = rows.filter(pl.col("person_id") == "p3").row(0, named=True)  # on the SW's list
    assert "Social-work referral" in p1["other_actions"]
    assert p3["other_actions"] == "Connect to community resources"


def test_act_today_lists_due_and_overdue_patients_and_links_their_rows(published):
    _, _, out, _ = published
    rn1 = (out / "rn1.html").read_text()
    top = rn1[rn1.index('class="urgent"') : rn1.index('id="worklist"')]
    assert 'href="#p-p1"' in top and "Call patient (post-discharge outreach)" in top
    assert "due today" in top and "p2" not in top  # Bob's check-in is next week
    assert 'id="p-p1"' in rn1
    assert 'class="urgent"' not in (out / "sw1.html").read_text()  # nothing due yet
