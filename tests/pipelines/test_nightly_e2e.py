"""End to end: the real Prefect nightly flow on two consecutive drops, then score, backfill and a
failing run.

One generated population is split at a cutoff into drop 1 (extract date the day after the cutoff)
and drop 2 (a month later: new discharges, new events and late claims: lines dated before the
cutoff that arrive only in drop 2). Run 1 sees drop 1 and trains; run 2 sees both.
"""

from __future__ import annotations

import json
import math
import shutil
import stat
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from typer.testing import CliRunner

from data_contracts.errors import ContractError
from models.registry import read_champion
from pipelines.synth import generate
from tests.pipelines.consecutive_drops import split_drop

pytestmark = pytest.mark.slow

CUTOFF, END = date(2024, 11, 30), date(2024, 12, 31)
TASKS = ("admission_90d", "readmission_30d")
STAGES = ["ingest", "build", "models", "score", "assign", "publish"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run the nightly flow on drop 1, then on drops 1 and 2."""
    root = tmp_path_factory.mktemp("nightly")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PREFECT_HOME", str(root / "prefect"))
        mp.setenv("READMIT_DUCKDB_THREADS", "2")
        from pipelines.flows import nightly

        landing, ws = root / "landing", root / "ws"
        generate(600, 5, date(2022, 1, 1), END, root / "full", root / "t.parquet")
        drops = split_drop(root / "full", landing, CUTOFF, END)
        shutil.move(drops.second, root / "held_back")
        first = nightly(str(landing), str(ws), str(root / "t.parquet"))
        paid_after_first = _paid_as_of_drop_one(ws)
        shutil.move(root / "held_back", drops.second)
        second = nightly(str(landing), str(ws), None)
        yield SimpleNamespace(
            root=root,
            ws=ws,
            landing=landing,
            drops=drops,
            first=first,
            second=second,
            paid_after_first=paid_after_first,
        )


def _paid_as_of_drop_one(ws: Path, as_of: date | None = None) -> tuple[date, dict[str, float]]:
    """paid_amount_12m per member as of drop 1's last month start (or `as_of`)."""
    table = "ml_features_admission_90d"
    if as_of is None:
        as_of = _query(ws, f"select max(as_of_date) from {table}")[0][0]
    sql = f"select person_id, paid_amount_12m from {table} where as_of_date = ?"
    return as_of, dict(_query(ws, sql, [as_of]))


def _query(ws: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Run one read-only query and close the connection (the flow reopens the file)."""
    with duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _scores(ws: Path, run_id: str, task: str) -> list[tuple]:
    sql = (
        "select person_id, as_of_date, probability, tier, previous_probability, trend "
        "from ml_scores where run_id = ? and task = ? order by person_id, as_of_date"
    )
    return _query(ws, sql, [run_id, task])


def test_first_run_trains_scores_and_publishes_as_of_the_first_drop(runs):
    first = runs.first
    assert sorted(first["trained"]) == list(TASKS)
    assert first["scored"]["admission_90d"]["rows"] > 100
    assert first["scored"]["readmission_30d"]["rows"] > 0
    latest_as_of = _query(
        runs.ws, "select max(as_of_date) from ml_scores where run_id = ?", [first["run_id"]]
    )[0][0]
    assert latest_as_of <= date(2024, 12, 1)  # nothing from drop 2 was known yet
    folder = runs.ws / "runs" / first["run_id"]
    for name in ("dashboard.html", "data_quality.html", "risk_assessments.ndjson"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
    assert (folder / "model_card_readmission_30d.html").exists()
    assert list((folder / "worklists").glob("*.html"))


def test_second_run_loads_the_new_drop_with_its_late_claims(runs):
    second, drops = runs.second, runs.drops
    assert second["trained"] == {}
    assert second["ingest"]["rows_loaded"] > 0
    late = _query(
        runs.ws,
        "select count(*) from raw_medical_claim where _extract_date = ? "
        "and coalesce(claim_end_date, claim_start_date) <= ?",
        [date(2025, 1, 1), CUTOFF],
    )[0][0]
    assert drops.late_claim_lines > 0
    assert 0 < late <= drops.late_claim_lines
    # late claims change what was known as of drop 1's last month, for their persons only
    as_of, before = runs.paid_after_first
    late_persons = {
        p
        for (p,) in _query(
            runs.ws,
            "select distinct person_id from raw_medical_claim where _extract_date = ? "
            "and coalesce(claim_end_date, claim_start_date) < ?",
            [date(2025, 1, 1), as_of],
        )
    }
    after = _paid_as_of_drop_one(runs.ws, as_of)[1]
    assert before and before.keys() == after.keys()
    paid = {p: (before[p] or 0.0, after[p] or 0.0) for p in before}
    changed = {p for p, (b, a) in paid.items() if not math.isclose(a, b, abs_tol=1e-6)}
    assert changed and changed <= late_persons
    assert all(paid[p][1] > paid[p][0] for p in changed)


def test_second_run_scores_new_discharges_with_real_trends(runs):
    first, second = runs.first["run_id"], runs.second["run_id"]
    readmission = _scores(runs.ws, second, "readmission_30d")
    assert any(as_of > CUTOFF for _, as_of, *_ in readmission)  # discharged after drop 1
    before = {p: prob for p, _, prob, *_ in _scores(runs.ws, first, "admission_90d")}
    after = _scores(runs.ws, second, "admission_90d")
    assert min(a for _, a, *_ in after) > max(
        a for _, a, *_ in _scores(runs.ws, first, "admission_90d")
    )
    with_previous = [row for row in after if row[0] in before]
    assert len(with_previous) > 0.8 * len(after)
    for person, _, prob, _, previous, trend in with_previous:
        assert previous == pytest.approx(before[person])
        assert trend == pytest.approx(prob - previous)
    assert any(abs(row[5]) > 1e-9 for row in with_previous)  # a month later, risks moved
    assert all(row[4] is None for row in after if row[0] not in before)


def _cut(probabilities: list[float], share: float) -> float:
    """The probability a row needs to be in the top `share` (ties share the higher tier)."""
    k = math.ceil(round(share * len(probabilities), 9))
    return sorted(probabilities, reverse=True)[k - 1] if k else math.inf


@pytest.mark.parametrize("task", TASKS)
def test_second_run_tiers_follow_the_shares_and_rises(runs, task):
    rows = _scores(runs.ws, runs.second["run_id"], task)
    probabilities = [r[2] for r in rows]
    cut1, cut2, cut3 = (_cut(probabilities, s) for s in (0.05, 0.15, 0.30))
    for _, _, p, tier, _, trend in rows:
        rising = trend is not None and trend >= 0.10 - 1e-12
        expected = 1 if p >= cut1 else 2 if p >= cut2 else 3 if p >= cut3 or rising else 4
        assert tier == expected
    assert sum(r[3] == 1 for r in rows) >= math.ceil(0.05 * len(rows))


def test_latest_points_at_the_second_run_and_the_first_run_stays_on_disk(runs):
    second = runs.second["run_id"]
    latest = (runs.ws / "latest").resolve()
    assert latest.name == second
    assert (runs.ws / "runs" / runs.first["run_id"] / "risk_assessments.ndjson").exists()
    scored = _query(runs.ws, "select count(*) from ml_scores where run_id = ?", [second])[0][0]
    lines = (latest / "risk_assessments.ndjson").read_text().splitlines()
    assert len(lines) == scored
    assert {json.loads(line)["resourceType"] for line in lines} == {"RiskAssessment"}


def test_run_log_records_stages_inputs_code_and_model_versions(runs):
    second = runs.second["run_id"]
    rows = _query(
        runs.ws,
        "select stage, started_at, finished_at, status, rows_loaded, code_version, "
        "model_versions, inputs from run_log where run_id = ? and file is null "
        "order by started_at",
        [second],
    )
    assert [r[0] for r in rows] == STAGES
    champions = {t: read_champion(runs.ws / "models", t)["version"] for t in TASKS}
    for stage, started, finished, status, _, code, versions, _ in rows:
        assert status == "success" and started <= finished, stage
        assert code and code.split("+")[0], stage
        assert json.loads(versions) == champions, stage
    by_stage = {r[0]: r for r in rows}
    assert (
        by_stage["score"][4]
        == runs.second["scored"]["admission_90d"]["rows"]
        + (runs.second["scored"]["readmission_30d"]["rows"])
    )
    inputs = json.loads(by_stage["ingest"][7])
    delivered = {
        f"{d.name}/{f.name}" for d in (runs.drops.first, runs.drops.second) for f in d.iterdir()
    }
    assert set(inputs) == delivered
    assert all(len(c) == 64 and int(c, 16) >= 0 for c in inputs.values())
    files = _query(
        runs.ws,
        "select file, checksum from run_log where run_id = ? and stage = 'ingest_file'",
        [second],
    )
    assert files and all(inputs[f] == c for f, c in files)
    assert {f.split("/")[0] for f, _ in files} == {runs.drops.second.name}


def test_readmit_score_rescores_the_current_cohort(runs):
    from pipelines.cli import app

    result = CliRunner().invoke(app, ["score", "--workspace", str(runs.ws)])
    assert result.exit_code == 0, result.output
    (run_id,) = _query(runs.ws, "select distinct run_id from ml_scores where run_kind = 'score'")[0]
    for task in TASKS:
        again = _scores(runs.ws, run_id, task)
        night = _scores(runs.ws, runs.second["run_id"], task)
        assert [r[:4] for r in again] == [r[:4] for r in night]  # same data, same champion


def _backfilled(ws: Path) -> list[tuple]:
    return _query(
        ws,
        "select task, person_id, as_of_date, probability, tier, previous_probability "
        "from ml_scores where run_kind = 'backfill' order by all",
    )


def test_backfill_scores_every_as_of_date_once_and_is_idempotent(runs):
    from pipelines.cli import app

    args = ["backfill", "--from", "2024-06-01", "--to", "2024-08-31", "--workspace", str(runs.ws)]
    nightly_rows = _query(runs.ws, "select count(*) from ml_scores where run_kind <> 'backfill'")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    once = _backfilled(runs.ws)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert _backfilled(runs.ws) == once
    assert _query(runs.ws, "select count(*) from ml_scores where run_kind <> 'backfill'") == (
        nightly_rows
    )
    spine = _query(
        runs.ws,
        "select task, person_id, as_of_date from mart_prediction_spine "
        "where as_of_date between '2024-06-01' and '2024-08-31' order by all",
    )
    assert [r[:3] for r in once] == spine
    months = sorted({r[2] for r in once if r[0] == "admission_90d"})
    assert months == [date(2024, 6, 1), date(2024, 7, 1), date(2024, 8, 1)]
    june = {r[1]: r[3] for r in once if r[0] == "admission_90d" and r[2] == months[0]}
    july = [r for r in once if r[0] == "admission_90d" and r[2] == months[1]]
    assert july and all(r[5] == pytest.approx(june[r[1]]) for r in july if r[1] in june)
    for month in months:
        n = sum(1 for r in once if r[0] == "admission_90d" and r[2] == month)
        tier1 = sum(1 for r in once if r[0] == "admission_90d" and r[2] == month and r[4] == 1)
        assert math.ceil(0.05 * n) <= tier1 <= math.ceil(0.05 * n) + 3  # each month a cohort
    logged = _query(
        runs.ws,
        "select status, model_versions from run_log where stage = 'backfill' and file is null",
    )
    assert [s for s, _ in logged] == ["success", "success"]
    assert all(json.loads(v).keys() == set(TASKS) for _, v in logged)


def test_a_failing_run_leaves_the_last_good_outputs_published(runs):
    from pipelines.flows import nightly

    before = (runs.ws / "latest").resolve()
    broken = runs.landing / "2025-01-02"
    broken.mkdir()
    (broken / "medical_claim.csv").write_bytes(b"")  # a broken transfer: 0 bytes
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PREFECT_HOME", str(runs.root / "prefect"))
        with pytest.raises(ContractError):
            nightly(str(runs.landing), str(runs.ws), None)
    assert (runs.ws / "latest").resolve() == before
    assert before.name == runs.second["run_id"]
    failed = _query(
        runs.ws,
        "select run_id, stage, message from run_log where status = 'failed' and file is null",
    )
    (failed_run,) = {r for r, _, _ in failed}
    assert any(s == "ingest" and "medical_claim" in m for _, s, m in failed)
    assert _query(runs.ws, "select count(*) from ml_scores where run_id = ?", [failed_run]) == [
        (0,)
    ]
