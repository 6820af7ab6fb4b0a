"""End to end: the real Prefect nightly flow on a generated drop, run twice, then a failing run."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import duckdb
import pytest

from data_contracts.errors import ContractError
from pipelines.synth import generate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nightly_runs(tmp_path_factory):
    """Generate 800 persons, run the nightly flow twice on the same landing folder."""
    import os

    root = tmp_path_factory.mktemp("nightly")
    os.environ["PREFECT_HOME"] = str(root / "prefect")
    from pipelines.flows import nightly

    landing = root / "landing"
    generate(
        800, 5, date(2022, 1, 1), date(2024, 12, 31), landing / "2025-01-01", root / "t.parquet"
    )
    first = nightly(str(landing), str(root / "ws"), str(root / "t.parquet"))
    second = nightly(str(landing), str(root / "ws"), None)
    return root, landing, first, second


def _query(root: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Run one read-only query and close the connection (the flow reopens the file)."""
    with duckdb.connect(str(root / "ws" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_first_run_trains_scores_assigns_and_publishes(nightly_runs):
    root, _, first, _ = nightly_runs
    assert sorted(first["trained"]) == ["admission_90d", "readmission_30d"]
    assert first["scored"]["admission_90d"]["rows"] > 100
    latest = root / "ws" / "latest"
    assert latest.resolve().name == first["run_id"] or latest.resolve().parent.name == "runs"
    for name in ("dashboard.html", "data_quality.html", "risk_assessments.ndjson"):
        path = latest / name
        assert path.exists(), name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (latest / "model_card_readmission_30d.html").exists()
    worklists = list((latest / "worklists").glob("*.html"))
    assert worklists
    scored = _query(root, "select count(*) from ml_scores where run_id = ?", [first["run_id"]])[0][
        0
    ]
    lines = (latest / "risk_assessments.ndjson").read_text().splitlines()
    assert len(lines) == scored
    # a rerun on the same night replaces that night's assignments: look at the night's rows
    assigned = _query(root, "select count(*) from caseload_assignments where cm_id is not null")
    assert assigned[0][0] > 0


def test_second_run_skips_loaded_files_and_has_trends(nightly_runs):
    root, _, first, second = nightly_runs
    assert second["ingest"]["rows_loaded"] == 0
    assert second["trained"] == {}
    with_trend = _query(
        root,
        "select count(*) from ml_scores where run_id = ? and trend is not null",
        [second["run_id"]],
    )[0][0]
    assert with_trend > 0
    same = _query(
        root,
        """select count(*) from ml_scores a join ml_scores b using (task, person_id, as_of_date)
        where a.run_id = ? and b.run_id = ? and a.probability <> b.probability""",
        [first["run_id"], second["run_id"]],
    )[0][0]
    assert same == 0  # same data, same champion: identical scores
    statuses = _query(
        root,
        "select distinct status from run_log where run_id = ? and stage in "
        "('build', 'score', 'assign', 'publish')",
        [second["run_id"]],
    )
    assert statuses == [("success",)]


def test_a_failing_run_leaves_the_last_good_outputs_published(nightly_runs):
    root, landing, _, second = nightly_runs
    from pipelines.flows import nightly

    before = (root / "ws" / "latest").resolve()
    broken = landing / "2025-01-02"
    broken.mkdir()
    (broken / "medical_claim.csv").write_bytes(b"")  # a broken transfer: 0 bytes
    with pytest.raises(ContractError):
        nightly(str(landing), str(root / "ws"), None)
    assert (root / "ws" / "latest").resolve() == before
    assert before.name == second["run_id"]
    failed = _query(root, "select count(*) from run_log where status = 'failed'")[0][0]
    assert failed >= 1
