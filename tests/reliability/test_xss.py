"""Hostile text from extracts is shown as text in every published page, never run as code.

A second drop renames every patient `<script>alert(1)</script>` `<img ... onerror>`, gives a case
manager an `<img onerror>` name, adds a column and a file whose names are markup; the nightly run
publishes, and headless Chromium opens each worklist, the dashboard and the data-quality page.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from tests.reliability.nightly_driver import run_nightly

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
COLUMN = "<img src=x onerror=alert(3)>"
FILE = "<svg onload=alert(4)>.csv"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed"),
]


def hostile_drop(source: Path, drop: Path) -> None:
    """Patients and case managers re-delivered with markup for names, plus markup file names."""
    drop.mkdir(parents=True)
    with (source / "patient.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row.update(first_name=SCRIPT, last_name=IMG)
        row[COLUMN] = "x"
    with (drop / "patient.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    managers = (source / "case_managers.csv").read_text().splitlines()
    first = managers[1].split(",")
    first[1] = IMG.replace('"', "")
    lines = [managers[0], ",".join(first), *managers[2:]]
    (drop / "case_managers.csv").write_text("\n".join(lines) + "\n")
    (drop / FILE).write_text("a,b\n1,2\n")


def visit(browser, page_path: Path) -> tuple[list[str], int, str]:
    """Open a page; the dialogs it raised, elements with event-handler markup, its text."""
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    injected = page.eval_on_selector_all("[onerror], [onload]", "els => els.length")
    text = page.inner_text("body")
    page.close()
    return dialogs, injected, text


def test_markup_in_extracts_never_runs_in_published_pages(clean_runs, tmp_path):
    from playwright.sync_api import sync_playwright

    landing, workspace = tmp_path / "landing", tmp_path / "ws"
    shutil.copytree(clean_runs.landing, landing)
    shutil.copytree(clean_runs.first_snapshot, workspace, symlinks=True)
    hostile_drop(landing / "2025-01-01", landing / "2025-01-02")
    run_nightly(landing, workspace, say=lambda _: None)
    latest = workspace / "latest"
    pages = sorted((latest / "worklists").glob("CM*.html"))
    assert pages
    seen = ""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for path in [*pages, latest / "dashboard.html", latest / "data_quality.html"]:
            dialogs, injected, text = visit(browser, path)
            assert dialogs == [], f"{path.name} ran injected code: {dialogs}"
            assert injected == 0, f"{path.name} holds injected elements"
            seen += text
        browser.close()
    assert SCRIPT in seen and IMG in seen  # shown as text on the worklists
    assert COLUMN in seen or FILE in seen  # and on the data-quality page
