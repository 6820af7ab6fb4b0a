"""Worklist and dashboard in a real headless Chromium: loads clean, sorts, filters, screenshots."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from reports import sources
from reports.caseload_store import run_caseload
from reports.dashboard import write_dashboard
from reports.worklist import worklist_rows, write_worklists
from tests.reports.warehouse_fixture import RUN_DATE, build, build_many

CHROMIUM = Path("/usr/bin/chromium")
SCREENS = Path("/tmp/readmit_screens")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    con = duckdb.connect()
    build(con)
    build_many(con, 12)
    run_caseload(con, "r1", RUN_DATE)
    rows = worklist_rows(con, "r1", RUN_DATE)
    with sources.prepared(con, "r1", RUN_DATE):
        roster = pl.from_arrow(sources.query(con, "rpt_roster"))
    out = tmp_path_factory.mktemp("latest")
    write_worklists(rows, roster, out / "worklists", RUN_DATE)
    write_dashboard(con, "r1", RUN_DATE, out / "dashboard.html")
    con.close()
    return out, rows


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser, path: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors, dialogs


def person_order(page) -> list[str]:
    return page.eval_on_selector_all(
        "#worklist tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.personId)"
    )


def save_screens(page, name: str, tmp_path: Path) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    SCREENS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / name, SCREENS / name)
    assert (tmp_path / name).stat().st_size > 10_000


def test_worklist_sorts_filters_and_counts(browser, published, tmp_path):
    out, rows = published
    mine = rows.filter(pl.col("cm_id") == "rn2")
    page, errors, _ = open_page(browser, out / "worklists" / "rn2.html")
    assert page.locator("#worklist tbody tr").count() == mine.height
    by_risk = mine.sort("probability", "person_id", descending=[True, False])
    assert person_order(page) == by_risk["person_id"].to_list()

    page.click("#worklist thead th:nth-child(5) button")  # Risk: ascending first
    ascending = person_order(page)
    risks = dict(zip(mine["person_id"], mine["probability"], strict=True))
    assert [risks[p] for p in ascending] == sorted(risks.values())
    assert page.get_attribute("#worklist thead th:nth-child(5)", "aria-sort") == "ascending"
    page.click("#worklist thead th:nth-child(5) button")
    assert [risks[p] for p in person_order(page)] == sorted(risks.values(), reverse=True)

    page.select_option("#tier-filter", "1")
    tier_1 = mine.filter(pl.col("tier") == 1)
    assert sorted(person_order(page)) == sorted(tier_1["person_id"].to_list())
    assert page.inner_text("#shown") == f"Showing {tier_1.height} of {mine.height}"
    page.select_option("#tier-filter", "")
    assert len(person_order(page)) == mine.height
    save_screens(page, "worklist.png", tmp_path)
    page.emulate_media(media="print")
    assert not page.is_visible(".controls") and page.is_visible("#worklist")
    assert errors == []


def test_patient_text_cannot_run_script(browser, published):
    out, _ = published
    page, errors, dialogs = open_page(browser, out / "worklists" / "sw1.html")
    assert dialogs == [] and errors == []
    assert "<script>alert(1)</script>" in page.inner_text("#worklist")


def test_empty_worklist_loads(browser, published):
    out, _ = published
    page, errors, _ = open_page(browser, out / "worklists" / "_unassigned.html")
    assert "No patients on this list today." in page.inner_text("main")
    assert errors == []


def test_dashboard_loads_with_every_plot(browser, published, tmp_path):
    out, _ = published
    page, errors, _ = open_page(browser, out / "dashboard.html")
    page.wait_for_selector("#fig-follow_up .main-svg")
    assert page.locator(".js-plotly-plot").count() == 5
    assert page.locator("#fig-fill .bars .point").count() == 3  # rn1, rn2, sw1
    save_screens(page, "dashboard.png", tmp_path)
    assert errors == []
