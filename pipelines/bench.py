"""`readmit bench`: time the nightly path stage by stage against a bare load of the same files.

Stages run as the plain step functions of `pipelines/nightly.py`, not through Prefect, so the
times are the work itself. Peak memory is the process RSS sampled by a thread while a stage runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipelines import nightly as steps
from pipelines.bench_probe import (
    RssSampler,
    StageTiming,
    bare_load,
    extract_files,
    timed,
    warm_cache,
)
from pipelines.lock import run_lock
from pipelines.runlog import new_run_id
from pipelines.settings import Settings

STAGES = ("ingest", "build", "models", "score", "assign", "publish")
# DESIGN section 13 on 2 cores: (persons up to, whole-run seconds, peak RSS MB).
SIZE_BUDGETS = ((100_000, 180.0, 4096.0), (1_000_000, 1800.0, 12288.0))
MAX_BARE_LOAD_RATIO = 4.0
MIN_SCORING_ROWS_PER_S = 200_000.0
MB = 1024 * 1024
Progress = Callable[[str], None]


@dataclass
class BenchResult:
    """Everything `readmit bench` measured."""

    persons: int
    threads: int
    landing: Path
    stages: list[StageTiming] = field(default_factory=list)
    bare_load: StageTiming | None = None
    scoring: dict[str, dict] = field(default_factory=dict)
    persons_loaded: int = 0
    trained: list[str] = field(default_factory=list)
    synth_seconds: float | None = None

    @property
    def total_seconds(self) -> float:
        """Wall-clock seconds of the whole nightly path (generation and bare load excluded)."""
        return sum(s.seconds for s in self.stages)

    @property
    def peak_rss_mb(self) -> float:
        """The highest RSS seen during any nightly stage."""
        return max((s.peak_rss_mb for s in self.stages), default=0.0)

    @property
    def bare_load_ratio(self) -> float:
        """Whole run over the bare load of the same files."""
        if self.bare_load is None or self.bare_load.seconds <= 0:
            return float("nan")
        return self.total_seconds / self.bare_load.seconds

    @property
    def scoring_rows_per_s(self) -> float:
        """Rows/s from feature table to calibrated probability, over every task's full matrix."""
        scored = [s for s in self.scoring.values() if s["rows"] and s["scoring_rows_per_s"] > 0]
        seconds = sum(s["rows"] / s["scoring_rows_per_s"] for s in scored)
        return sum(s["rows"] for s in scored) / seconds if seconds > 0 else 0.0


def _raw_rows(settings: Settings) -> tuple[int, int]:
    """Rows in every raw_ table and distinct persons in raw_eligibility."""
    from data_contracts import TABLES

    with steps.warehouse(settings, read_only=True) as con:
        rows = sum(con.execute(f"select count(*) from raw_{t}").fetchone()[0] for t in TABLES)
        persons = con.execute("select count(distinct person_id) from raw_eligibility").fetchone()
    return rows, persons[0]


def _feature_rows(settings: Settings) -> int:
    from models.data import features_table, has_relation
    from models.tasks import TASKS

    with steps.warehouse(settings, read_only=True) as con:
        tables = [features_table(t) for t in TASKS if has_relation(con, features_table(t))]
        return sum(con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables)


def run_stages(
    settings: Settings, landing: Path, truth: Path | None, result: BenchResult, progress: Progress
) -> None:
    """The nightly path (ingest, build, models, score, assign, publish), each stage measured."""
    run_id = new_run_id()
    with run_lock(settings.workspace, run_id), RssSampler() as sampler:

        def ingest() -> int:
            return steps.step_ingest(settings, landing, run_id)["rows_in"]

        def build() -> int:
            steps.step_build(settings, run_id)
            return raw_rows

        def models() -> int:
            result.trained = sorted(steps.step_models(settings, run_id, truth, False))
            return _feature_rows(settings)

        def score() -> int:
            return sum(t["rows"] for t in steps.step_score(settings, run_id).values())

        def assign() -> int:
            return steps.step_assign(settings, run_id)["assignments"]

        def publish() -> int:
            steps.step_publish(settings, run_id)
            return scored

        raw_rows = scored = 0
        work = dict(zip(STAGES, (ingest, build, models, score, assign, publish), strict=True))
        for name, fn in work.items():
            progress(f"stage {name}")
            done = timed(name, sampler, fn)
            result.stages.append(done)
            progress(
                f"stage {name} done: {done.seconds:.1f} s, {done.cpu_seconds:.1f} s CPU, "
                f"{done.rows:,} rows, peak RSS {done.peak_rss_mb:,.0f} MB"
            )
            if name == "ingest":
                raw_rows, result.persons_loaded = _raw_rows(settings)
            if name == "score":
                scored = result.stages[-1].rows


def measure_scoring(settings: Settings, threads: int) -> dict[str, dict]:
    """Scoring throughput of each champion on its full feature matrix (`models.benchmark`)."""
    from models.benchmark import scoring_throughput
    from models.data import features_table, has_relation
    from models.registry import champion_dir
    from models.score import load_model
    from models.tasks import TASKS

    out: dict[str, dict] = {}
    with steps.warehouse(settings, read_only=True) as con:
        for task in TASKS:
            model_dir = champion_dir(settings.workspace / "models", task)
            if model_dir is None or not has_relation(con, features_table(task)):
                continue
            table = con.sql(f"select * from {features_table(task)}").to_arrow_table()
            out[task] = scoring_throughput(load_model(model_dir), table, threads)
    return out


def run_bench(
    settings: Settings,
    landing: Path,
    persons: int,
    truth: Path | None = None,
    progress: Progress | None = None,
) -> BenchResult:
    """Run the nightly path on `landing` into an empty workspace, then the bare load and scoring."""
    if settings.warehouse.exists():
        raise FileExistsError(
            f"{settings.warehouse} already exists: bench needs an empty workspace so every stage "
            "does its full work. Give --workspace a new folder."
        )
    say = progress or (lambda _: None)
    threads = settings.duckdb_threads or os.cpu_count() or 1
    result = BenchResult(persons, threads, landing)
    files = extract_files(landing)
    say(f"reading {len(files)} extract files once to warm the page cache")
    warm_cache(files)
    run_stages(settings, landing, truth, result, say)
    say("bare load of the same files")
    database = settings.workspace / "bench_bare_load.duckdb"
    with RssSampler() as sampler:
        result.bare_load = timed(
            "bare_load",
            sampler,
            lambda: bare_load(files, database, threads, settings.duckdb_memory_limit),
        )
    for leftover in (database, database.with_name(database.name + ".wal")):
        leftover.unlink(missing_ok=True)
    say("scoring throughput")
    result.scoring = measure_scoring(settings, threads)
    return result


@dataclass(frozen=True)
class BudgetCheck:
    """One DESIGN section 13 budget: what was measured against what limit."""

    name: str
    measured: float
    limit: float
    passed: bool
    detail: str


def size_budget(persons: int) -> tuple[float, float] | None:
    """(seconds, peak MB) of the smallest DESIGN size class holding `persons`, if any."""
    return next(((s, m) for n, s, m in SIZE_BUDGETS if persons <= n), None)


def budget_checks(result: BenchResult) -> list[BudgetCheck]:
    """PASS/FAIL lines: whole-run time and memory for the size class, ratio, scoring rate."""
    checks: list[BudgetCheck] = []
    limits = size_budget(result.persons)
    if limits is not None:
        seconds, memory = limits
        where = f"{result.persons:,} persons, class up to {_class_of(result.persons):,}"
        checks.append(
            BudgetCheck(
                "total_seconds",
                result.total_seconds,
                seconds,
                result.total_seconds <= seconds,
                where,
            )
        )
        checks.append(
            BudgetCheck(
                "peak_rss_mb", result.peak_rss_mb, memory, result.peak_rss_mb <= memory, where
            )
        )
    ratio = result.bare_load_ratio
    checks.append(
        BudgetCheck(
            "bare_load_ratio", ratio, MAX_BARE_LOAD_RATIO, ratio <= MAX_BARE_LOAD_RATIO, "at most"
        )
    )
    rate = result.scoring_rows_per_s
    checks.append(
        BudgetCheck(
            "scoring_rows_per_s",
            rate,
            MIN_SCORING_ROWS_PER_S,
            rate >= MIN_SCORING_ROWS_PER_S,
            "at least",
        )
    )
    return checks


def _class_of(persons: int) -> int:
    return next(n for n, _, _ in SIZE_BUDGETS if persons <= n)


def as_json(result: BenchResult) -> dict:
    """One JSON-ready object with the DESIGN section 14 keys (and per-stage detail)."""
    out: dict = {"persons": result.persons, "persons_loaded": result.persons_loaded}
    out["threads"] = result.threads
    out["stages"] = {
        s.name: {
            "seconds": round(s.seconds, 3),
            "cpu_seconds": round(s.cpu_seconds, 3),
            "rows": s.rows,
            "rows_per_s": round(s.rows_per_s, 1),
            "peak_rss_mb": round(s.peak_rss_mb, 1),
        }
        for s in result.stages
    }
    for s in result.stages:
        out[f"{s.name}_seconds"] = round(s.seconds, 3)
        out[f"{s.name}_peak_rss_mb"] = round(s.peak_rss_mb, 1)
    out["total_seconds"] = round(result.total_seconds, 3)
    out["peak_rss_mb"] = round(result.peak_rss_mb, 1)
    bare = result.bare_load
    out["bare_load_seconds"] = round(bare.seconds, 3) if bare else None
    out["bare_load_rows"] = bare.rows if bare else None
    out["bare_load_peak_rss_mb"] = round(bare.peak_rss_mb, 1) if bare else None
    out["bare_load_ratio"] = round(result.bare_load_ratio, 3)
    out["scoring_rows_per_s"] = round(result.scoring_rows_per_s, 1)
    out["scoring"] = {
        task: {k: round(v, 1) if isinstance(v, float) else v for k, v in s.items()}
        for task, s in result.scoring.items()
    }
    out["trained"] = result.trained
    out["synth_seconds"] = result.synth_seconds
    out["budgets"] = {
        c.name: {"measured": round(c.measured, 3), "limit": c.limit, "pass": c.passed}
        for c in budget_checks(result)
    }
    out["timing_note"] = "stages run as plain functions of pipelines/nightly.py, without Prefect"
    return out
