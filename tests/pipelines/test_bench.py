"""`readmit bench`: budget verdicts, the JSON keys of DESIGN section 14, the probes it measures
with, and one small run of the whole command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.bench import (
    BenchResult,
    as_json,
    budget_checks,
    size_budget,
)
from pipelines.bench_probe import RssSampler, StageTiming, bare_load, extract_files, timed
from pipelines.cli import app

DESIGN_KEYS = {
    "total_seconds",
    "peak_rss_mb",
    "bare_load_seconds",
    "bare_load_ratio",
    "scoring_rows_per_s",
}
STAGES = ["ingest", "build", "models", "score", "assign", "publish"]


def _result(persons: int, seconds: float, rss: float, bare: float, rate: float) -> BenchResult:
    result = BenchResult(persons, 2, Path("landing"))
    share = seconds / len(STAGES)
    result.stages = [StageTiming(s, share, share, 1000, rss) for s in STAGES]
    result.bare_load = StageTiming("bare_load", bare, bare, 1000, rss / 2)
    rows = 300_000
    result.scoring = {"t": {"rows": rows, "scoring_rows_per_s": rate}}
    return result


def _verdicts(result: BenchResult) -> dict[str, bool]:
    return {c.name: c.passed for c in budget_checks(result)}


def test_size_classes_follow_design_13():
    assert size_budget(800) == (180.0, 4096.0)
    assert size_budget(100_000) == (180.0, 4096.0)
    assert size_budget(100_001) == (1800.0, 12288.0)
    assert size_budget(1_000_000) == (1800.0, 12288.0)
    assert size_budget(2_000_000) is None


def test_a_run_inside_every_budget_passes():
    verdicts = _verdicts(_result(100_000, 170.0, 3000.0, 50.0, 250_000.0))
    assert verdicts == dict.fromkeys(
        ["total_seconds", "peak_rss_mb", "bare_load_ratio", "scoring_rows_per_s"], True
    )


def test_each_budget_fails_on_its_own():
    assert not _verdicts(_result(100_000, 181.0, 3000.0, 50.0, 250_000.0))["total_seconds"]
    assert not _verdicts(_result(100_000, 170.0, 4097.0, 50.0, 250_000.0))["peak_rss_mb"]
    assert not _verdicts(_result(100_000, 170.0, 3000.0, 42.0, 250_000.0))["bare_load_ratio"]
    assert not _verdicts(_result(100_000, 170.0, 3000.0, 50.0, 199_000.0))["scoring_rows_per_s"]
    # 1M persons: 30 minutes and 12 GB
    assert _verdicts(_result(1_000_000, 1700.0, 12000.0, 500.0, 250_000.0))["total_seconds"]
    assert "total_seconds" not in _verdicts(_result(3_000_000, 9e9, 1.0, 9e9, 1e6))


def test_scoring_rate_pools_rows_and_seconds_over_tasks():
    result = _result(100, 10.0, 100.0, 5.0, 100.0)
    result.scoring = {
        "a": {"rows": 100, "scoring_rows_per_s": 100.0},  # 1 s
        "b": {"rows": 900, "scoring_rows_per_s": 300.0},  # 3 s
    }
    assert result.scoring_rows_per_s == pytest.approx(1000 / 4)


def test_json_has_the_design_keys_and_per_stage_figures():
    out = as_json(_result(100_000, 120.0, 2048.0, 40.0, 300_000.0))
    assert DESIGN_KEYS <= set(out)
    assert out["total_seconds"] == pytest.approx(120.0)
    assert out["bare_load_ratio"] == pytest.approx(3.0)
    assert list(out["stages"]) == STAGES
    for stage in STAGES:
        assert {"seconds", "peak_rss_mb", "rows_per_s", "cpu_seconds"} <= set(out["stages"][stage])
        assert out[f"{stage}_seconds"] == pytest.approx(20.0)
    assert all(v["pass"] for v in out["budgets"].values())
    json.dumps(out)  # serialisable as is


def test_the_sampler_sees_memory_a_stage_allocates():
    with RssSampler(interval=0.01) as sampler:
        baseline = timed("idle", sampler, lambda: 0)

        def allocate() -> int:
            block = bytearray(200 * 1024 * 1024)
            block[::4096] = b"x" * len(block[::4096])  # touch every page
            return len(block)

        grown = timed("allocate", sampler, allocate)
    assert grown.rows == 200 * 1024 * 1024
    assert grown.peak_rss_mb >= baseline.peak_rss_mb + 150
    assert grown.seconds >= 0 and grown.cpu_seconds >= 0


def test_bare_load_reads_every_file_as_text_even_when_sniffing_would_fail(tmp_path):
    drop = tmp_path / "landing" / "2025-01-01"
    drop.mkdir(parents=True)
    # a code column numeric for the first 30,000 rows, then text: sniffed types would fail
    lines = ["person_id,code"] + [f"P{i},{i}" for i in range(30_000)] + ["P-last,G0299"]
    (drop / "medical_claim.csv").write_text("\n".join(lines) + "\n")
    (drop / "eligibility.csv").write_text("person_id,payer\nP1,a\nP2,b\n")
    (drop / "notes.txt").write_text("not an extract")
    files = extract_files(tmp_path / "landing")
    assert sorted(p.name for p in files) == ["eligibility.csv", "medical_claim.csv"]
    assert bare_load(files, tmp_path / "bare.duckdb", 2, None) == 30_003


@pytest.mark.slow
def test_bench_runs_the_nightly_path_and_reports(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(
        app,
        ["bench", "--persons", "800", "--workspace", str(tmp_path / "ws"), "--json-out", str(out)],
    )
    assert result.exit_code == 0, result.output
    for name in ("total_seconds", "peak_rss_mb", "bare_load_ratio", "scoring_rows_per_s"):
        assert any(
            line.strip().startswith(("PASS " + name, "FAIL " + name))
            for line in result.output.splitlines()
        ), name
    assert "not through Prefect" in result.output
    report = json.loads(out.read_text())
    assert DESIGN_KEYS <= set(report)
    assert list(report["stages"]) == STAGES
    assert report["stages"]["ingest"]["rows"] > 100_000
    assert report["stages"]["score"]["rows"] > 0
    assert report["bare_load_rows"] == report["stages"]["ingest"]["rows"]
    assert report["peak_rss_mb"] > 100
    assert 0 < report["bare_load_ratio"] < 100
    assert report["scoring_rows_per_s"] > 0
    assert sorted(report["trained"]) == ["admission_90d", "readmission_30d"]
    assert not (tmp_path / "ws" / "bench_bare_load.duckdb").exists()


def test_bench_refuses_a_workspace_that_holds_a_warehouse(tmp_path):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "warehouse.duckdb").write_bytes(b"")
    landing = tmp_path / "landing"
    landing.mkdir()
    result = CliRunner().invoke(
        app, ["bench", "--persons", "100", "--workspace", str(workspace), "--reuse", str(landing)]
    )
    assert result.exit_code == 1
    assert "empty workspace" in result.output


def test_bench_generates_parquet_extracts_when_asked(tmp_path):
    from pipelines.commands.bench import _generate
    from pipelines.settings import load_settings

    settings = load_settings(workspace=tmp_path / "ws")
    landing, truth, seconds = _generate(settings, 200, lambda _: None, "parquet")
    files = extract_files(landing)
    assert files and all(p.suffix == ".parquet" for p in files)
    assert truth.exists() and seconds > 0
    assert bare_load(files, tmp_path / "bare.duckdb", 2, None) > 1_000
