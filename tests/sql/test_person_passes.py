"""Relations built in passes by a hash of person_id equal the one-pass build, table for table."""

from __future__ import annotations

import json
import shutil
from datetime import date

import duckdb
import pytest

from pipelines import nightly as steps
from pipelines.settings import load_settings
from pipelines.synth import generate
from sql import runner
from sql.catalog import PASS_NAMES, discover
from sql.reference import load_reference
from sql.reference_comorbidity import load_comorbidity_reference

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """A warehouse with 300 generated persons loaded, not yet built."""
    root = tmp_path_factory.mktemp("passes")
    generate(300, 11, date(2022, 1, 1), date(2024, 12, 31), root / "landing" / "2025-01-01", None)
    settings = load_settings(workspace=root / "ws", duckdb_threads=2)
    steps.step_ingest(settings, root / "landing", "r1")
    return settings.warehouse


def _built(source, folder, passes: int) -> tuple[duckdb.DuckDBPyConnection, runner.BuildResult]:
    path = folder / f"passes{passes}.duckdb"
    shutil.copy(source, path)
    con = duckdb.connect(str(path))
    load_reference(con)
    load_comorbidity_reference(con)
    return con, runner.build(con, passes=passes)


def test_every_table_equals_the_one_pass_build(ingested, tmp_path):
    one, result = _built(ingested, tmp_path, 1)
    three, result3 = _built(ingested, tmp_path, 3)
    assert result.rows == result3.rows
    assert result.rows["int_feat_dx_events"] > 1000
    one.close()
    three.execute(f"attach '{tmp_path / 'passes1.duckdb'}' as one (read_only)")
    tables = [name for name, rows in result3.rows.items() if rows is not None]
    assert set(PASS_NAMES) <= set(tables)
    for name in tables:
        for a, b in ((name, f"one.{name}"), (f"one.{name}", name)):
            extra = three.execute(
                f"select count(*) from (select * from {a} except all select * from {b})"
            ).fetchone()[0]
            assert extra == 0, f"{name}: {extra} rows of {a} are not in {b}"
    three.close()


def test_each_pass_keeps_a_share_and_the_shares_cover_everyone(ingested, tmp_path):
    con, _ = _built(ingested, tmp_path, 1)
    sql = discover()["int_feat_dx_events"].sql
    whole = con.execute(f"select count(*), count(distinct person_id) from ({sql})").fetchone()
    counts = []
    for k in range(3):
        runner.set_pass(con, k, 3)
        counts.append(con.execute(f"select count(*) from ({sql})").fetchone()[0])
    # the claims view the relation reads filters its persons too, before its own aggregate
    runner.set_pass(con, 0, 3)
    last = runner.pass_bounds(0, 3)[1]
    claim_persons = con.execute(
        "select count(distinct person_id) filter (where hash(person_id) > ?) "
        "from int_claim_diagnoses",
        [last],
    ).fetchone()[0]
    con.close()
    assert sum(counts) == whole[0]
    assert all(0 < c < whole[0] for c in counts)
    assert claim_persons == 0


def test_the_build_leaves_no_pass_variable_set(ingested, tmp_path):
    con, _ = _built(ingested, tmp_path, 2)
    names = ", ".join(f"getvariable('{name}')" for name in runner.PASS_VARIABLES)
    left = con.execute(f"select {names}").fetchone()
    all_claims = con.execute("select count(*) from int_claim_diagnoses").fetchone()[0]
    runner.set_pass(con, 0, 2)
    half = con.execute("select count(*) from int_claim_diagnoses").fetchone()[0]
    con.close()
    assert left == (None, None)
    assert 0 < half < all_claims


def _scans(node: object) -> list[dict]:
    """Every table scan of an `explain (format json)` plan: its table, columns and filters."""
    if isinstance(node, list):
        return [scan for child in node for scan in _scans(child)]
    own = [node["extra_info"]] if "SCAN" in node.get("name", "") else []
    return own + _scans(node.get("children", []))


@pytest.mark.parametrize(
    ("relation", "tables"),
    [
        ("int_claim_diagnoses", ["raw_medical_claim"]),
        # encounters and pharmacy claims are kept after their staging views drop replaced
        # versions (a window over the record id, which a filter on person_id cannot pass)
        ("int_feat_use_series", ["raw_medical_claim", "mart_acute_stays", "int_ed_visits"]),
    ],
)
def test_a_pass_keeps_its_share_of_rows_in_the_scans(ingested, tmp_path, relation, tables):
    # a filter the optimizer keeps above the views' code clean-up (or above a claim-level
    # aggregate) would read every claim line in every pass: the share is taken where rows are read
    con, _ = _built(ingested, tmp_path, 1)
    runner.set_pass(con, 1, 3)
    sql = discover()[relation].sql
    plan = con.execute(f"explain (format json) select * from ({sql})").fetchone()[1]
    con.close()
    scans = _scans(json.loads(plan))
    for table in tables:
        read = [s for s in scans if s.get("Table") == table]
        assert read, f"{relation} does not read {table}"
        for scan in read:
            assert "hash(person_id) BETWEEN" in scan.get("Filters", ""), f"{table}: {scan}"


def test_passes_follow_the_size_of_the_claim_table(ingested, tmp_path, monkeypatch):
    con, _ = _built(ingested, tmp_path, 1)
    lines = con.execute("select count(*) from raw_medical_claim").fetchone()[0]
    assert runner.person_passes(con) == 1
    monkeypatch.setattr(runner, "LINES_PER_PASS", lines // 4)
    assert runner.person_passes(con) in (4, 5)
    con.close()
