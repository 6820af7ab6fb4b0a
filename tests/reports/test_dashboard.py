"""The program dashboard: counts only, every panel present, empty states without history."""

from __future__ import annotations

import stat

import duckdb
import polars as pl
import pytest

from reports.caseload_store import run_caseload
from reports.dashboard import dashboard_data, render_dashboard, tier_figure, write_dashboard
from tests.reports.warehouse_fixture import PATIENTS, RUN_DATE, build, build_many


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    build(con)
    build_many(con, 6)
    con.execute(
        "create table run_log as select 'r1' as run_id, 'ingest' as stage, 'ok' as status, "
        "100 as rows_in, 97 as rows_loaded, 3 as rows_quarantined, 'patient.csv' as file"
    )
    con.execute(
        "create table quarantine as select 'r1' as run_id, 'patient.csv' as file, i as row_number, "
        "'zip_code' as column, 'format: zip' as rule, 'error' as severity from range(3) t(i)"
    )
    run_caseload(con, "r1", RUN_DATE)
    yield con
    con.close()


def test_counts_and_panels(con, tmp_path):
    data = dashboard_data(con, "r1", RUN_DATE)
    fill = {r["cm_id"]: r for r in data["rpt_caseload_fill"].to_dicts()}
    assert set(fill) == {"rn1", "sw1", "rn2"}  # the inactive chw9 is not shown
    assert fill["rn1"]["points_used"] <= fill["rn1"]["capacity_points"]
    tiers = {r["tier"]: r["persons"] for r in data["rpt_tier_counts"].to_dicts()}
    assert tiers[1] == 2 + sum(1 for i in range(6) if 0.18 + (i * 37 % 40) / 100 >= 0.5)
    outcomes = data["rpt_outcomes_by_tier"]
    assert outcomes.height > 0 and outcomes["readmission_rate"].drop_nulls().is_between(0, 1).all()
    path = write_dashboard(con, "r1", RUN_DATE, tmp_path / "dashboard.html")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    page = path.read_text()
    for panel in ("fig-tiers", "fig-fill", "fig-risk", "fig-readmission", "fig-follow_up"):
        assert f'id="{panel}"' in page
    assert "model_card_readmission_30d.html" in page and "format: zip" in page
    assert page.count("plotly.js v") <= 2  # the library is inlined once, no CDN
    assert "<script src" not in page and "<link" not in page


def test_no_patient_identities(con):
    page = render_dashboard(dashboard_data(con, "r1", RUN_DATE), "r1", RUN_DATE)
    page = page.split("</script>", 1)[1]  # what follows the inlined plotly.js library
    assert "fig-fill" in page
    for person, name, *_ in PATIENTS:
        assert name.split(" ")[0] not in page
        assert f'"{person}"' not in page


def test_empty_warehouse_shows_empty_states():
    con = duckdb.connect()
    page = render_dashboard(dashboard_data(con, "r0", RUN_DATE), "r0", RUN_DATE)
    assert "No scores for this run." in page
    assert "No scored discharges with 30 days of follow-up yet" in page
    assert "No run-log entries for this run." in page


def test_the_tier_chart_legend_tells_the_tasks_apart():
    counts = pl.DataFrame({
        "task": ["admission_90d"] * 2 + ["readmission_30d"] * 2,
        "tier": [1, 2, 1, 2],
        "persons": [5, 10, 3, 6],
    })  # fmt: skip
    fig = tier_figure(counts)
    names = [bar.name for bar in fig.data]
    patterns = [bar.marker.pattern.shape for bar in fig.data]
    assert names == ["admission_90d", "readmission_30d"]
    assert len(set(patterns)) == 2
