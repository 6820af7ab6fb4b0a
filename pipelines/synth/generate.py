"""Generate a landing drop of synthetic extracts (and optionally the generator truth) in chunks.

Chunks of people are independent (each has its own random streams), so up to `workers` processes
build them in parallel, each writing part files; the parts are then concatenated in chunk order,
which keeps the output identical for any number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from data_contracts.contract import TABLES
from pipelines.synth.chunk import simulate_chunk, truth_frames
from pipelines.synth.geography import make_geography
from pipelines.synth.messiness import MessinessConfig
from pipelines.synth.parts import CHUNK_TABLES, Job, merge, part_path, run_job
from pipelines.synth.phi import person_ids
from pipelines.synth.roster import case_managers
from pipelines.synth.timeline import Timeline
from pipelines.synth.writer import FORMATS, TableWriter, contract_schema

CHUNK_SIZE = 10_000
MAX_WORKERS = 2
PART_DIR = ".synth_parts"


@dataclass
class SynthSummary:
    """What `generate` wrote: rows and path per table, seconds, and rows touched per knob."""

    persons: int
    out_dir: Path
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    messiness: dict[str, int] = field(default_factory=dict)
    truth_path: Path | None = None
    episodes_path: Path | None = None


def episodes_path(truth_out: Path) -> Path:
    """The episode file written beside the truth file: `<truth stem>_episodes.parquet`."""
    return truth_out.with_name(f"{truth_out.stem}_episodes.parquet")


def _check(persons: int, start: date, end: date, messiness: float, fmt: str) -> None:
    if persons < 1:
        raise ValueError(f"--persons must be at least 1, got {persons}")
    if (end - start).days < 120:
        raise ValueError(f"the period {start}..{end} is too short: use at least 120 days")
    if messiness < 0:
        raise ValueError(f"--messiness must be >= 0, got {messiness}")
    if fmt not in FORMATS:
        raise ValueError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")


def generate(
    persons: int,
    seed: int,
    start: date,
    end: date,
    out_dir: Path,
    truth_out: Path | None,
    messiness: float = 1.0,
    fmt: str = "csv",
    progress: Callable[[str, float], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
    workers: int | None = None,
) -> SynthSummary:
    """Write one landing drop (every contract table, roster and deprivation too) to `out_dir`."""
    _check(persons, start, end, messiness, fmt)
    began = time.perf_counter()
    out_dir = Path(out_dir)
    part_dir = out_dir / PART_DIR
    shutil.rmtree(part_dir, ignore_errors=True)
    part_dir.mkdir(parents=True)
    cfg = MessinessConfig().scaled(messiness)
    jobs = [
        Job(
            seed,
            c,
            first,
            min(chunk_size, persons - first),
            start,
            end,
            cfg,
            fmt,
            part_dir,
            truth_out is not None,
        )
        for c, first in enumerate(range(0, persons, chunk_size))
    ]
    rows, touched = _run(jobs, workers, progress)
    summary = SynthSummary(persons=persons, out_dir=out_dir, rows=rows, messiness=dict(touched))
    for name in CHUNK_TABLES:
        summary.files[name] = out_dir / f"{name}.{fmt}"
        merge([part_path(part_dir, j.chunk, name, fmt) for j in jobs], summary.files[name], fmt)
    geo = make_geography(seed)
    for name, frame in (
        ("case_managers", case_managers(seed, persons, geo)),
        ("area_deprivation", geo.table()),
    ):
        w = TableWriter(out_dir, name, fmt, contract_schema(name))
        w.write(frame)
        w.close()
        summary.rows[name], summary.files[name] = w.rows, w.path
    if truth_out is not None:
        _merge_truth(jobs, part_dir, Path(truth_out), summary)
    shutil.rmtree(part_dir)
    summary.rows = {t: summary.rows[t] for t in (*TABLES, "truth", "episodes") if t in summary.rows}
    summary.seconds = time.perf_counter() - began
    return summary


def _run(
    jobs: list[Job], workers: int | None, progress: Callable[[str, float], None] | None
) -> tuple[dict[str, int], Counter]:
    """Run the jobs (in worker processes when there are several) and add up their counts."""
    rows: Counter = Counter()
    touched: Counter = Counter()
    n = min(workers or min(MAX_WORKERS, os.cpu_count() or 1), len(jobs))
    if n <= 1:
        results = map(run_job, jobs)
        pool = None
    else:
        pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"))
        results = pool.map(run_job, jobs)
    try:
        for i, (job_rows, job_touched) in enumerate(results):
            rows.update(job_rows)
            touched.update(job_touched)
            if progress is not None:
                progress(f"chunk {i + 1}/{len(jobs)}", (i + 1) / len(jobs))
    finally:
        if pool is not None:
            pool.shutdown()
    return dict(rows), touched


def _merge_truth(jobs: list[Job], part_dir: Path, truth_out: Path, summary: SynthSummary) -> None:
    truth_out.parent.mkdir(parents=True, exist_ok=True)
    summary.truth_path, summary.episodes_path = truth_out, episodes_path(truth_out)
    for name, target in (("truth", summary.truth_path), ("episodes", summary.episodes_path)):
        merge([part_dir / f"{j.chunk:05d}" / f"{name}.parquet" for j in jobs], target, "parquet")
        summary.files[name] = target


def simulate_truth(
    persons: int, seed: int, start: date, end: date, chunk_size: int = CHUNK_SIZE
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Only the risk process: truth rows and episodes, exactly as `generate` would write them."""
    _check(persons, start, end, 0.0, "csv")
    tl, geo = Timeline(start, end), make_geography(seed)
    truth, episodes = [], []
    for c, first in enumerate(range(0, persons, chunk_size)):  # chunks of people
        n = min(chunk_size, persons - first)
        people, h, spans = simulate_chunk(seed, c, first, n, tl, geo)
        t, e = truth_frames(person_ids(first, n), tl, people, h, spans)
        truth.append(t)
        episodes.append(e)
    return pl.concat(truth), pl.concat(episodes)
