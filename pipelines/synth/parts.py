"""One worker job: build a chunk and write its part files; then merge parts in chunk order."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import BinaryIO

import polars as pl
import pyarrow.parquet as pq

from data_contracts.contract import TABLES
from pipelines.synth.chunk import build_chunk
from pipelines.synth.geography import Geography, make_geography
from pipelines.synth.messiness import MessinessConfig
from pipelines.synth.providers import Providers, make_providers
from pipelines.synth.timeline import Timeline
from pipelines.synth.writer import TableWriter, contract_schema

TRUTH_SCHEMA = {
    "task": pl.String,
    "person_id": pl.String,
    "as_of_date": pl.Date,
    "true_probability": pl.Float64,
    "outcome": pl.Int8,
}
CHUNK_TABLES = tuple(t for t in TABLES if t not in ("case_managers", "area_deprivation"))


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to build chunk `chunk` (people first..first+n-1)."""

    seed: int
    chunk: int
    first: int
    n: int
    start: date
    end: date
    cfg: MessinessConfig
    fmt: str
    part_dir: Path
    truth: bool


@cache
def _world(seed: int, start: date, end: date) -> tuple[Timeline, Geography, Providers]:
    return Timeline(start, end), make_geography(seed), make_providers(seed)


def part_path(part_dir: Path, chunk: int, name: str, fmt: str) -> Path:
    """Where chunk `chunk` writes its part of table `name`."""
    return part_dir / f"{chunk:05d}" / f"{name}.{fmt}"


def run_job(job: Job) -> tuple[dict[str, int], Counter]:
    """Build one chunk and write its parts (CSV parts carry a header only in chunk 0)."""
    tl, geo, prov = _world(job.seed, job.start, job.end)
    chunk = build_chunk(job.seed, job.chunk, job.first, job.n, tl, geo, prov, job.cfg)
    folder = job.part_dir / f"{job.chunk:05d}"
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for name in CHUNK_TABLES:
        w = TableWriter(folder, name, job.fmt, contract_schema(name), header=job.chunk == 0)
        for frame in chunk.tables[name]:
            w.write(frame)
        w.close()
        rows[name] = w.rows
    if job.truth:
        for name, frame in (("truth", chunk.truth), ("episodes", chunk.episodes)):
            frame.write_parquet(folder / f"{name}.parquet", compression="zstd")
            rows[name] = frame.height
    return rows, chunk.touched


def merge(parts: list[Path], target: Path, fmt: str) -> None:
    """Concatenate part files in order (CSV and gzip members byte-wise, Parquet by row group)."""
    if fmt == "parquet":
        with pq.ParquetWriter(target, pq.read_schema(parts[0]), compression="zstd") as out:
            for part in parts:
                out.write_table(pq.read_table(part))
        return
    shutil.move(parts[0], target)
    with open(target, "r+b") as out:  # not "ab": copy_file_range refuses O_APPEND files
        out.seek(0, os.SEEK_END)
        for part in parts[1:]:
            with open(part, "rb") as src:
                _append(src, out)
            part.unlink()


def _append(src: BinaryIO, out: BinaryIO) -> None:
    """Append all of `src` to `out`, in the kernel where the platform allows."""
    out.flush()
    size = os.fstat(src.fileno()).st_size
    try:
        while size > 0:
            copied = os.copy_file_range(src.fileno(), out.fileno(), size)
            if copied == 0:
                break
            size -= copied
    except (AttributeError, OSError):
        pass
    if size > 0:
        shutil.copyfileobj(src, out, length=16 * 2**20)
