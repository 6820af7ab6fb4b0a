"""Score eligible persons with the champion models, tier them, and append to `ml_scores`.

`score_run` scores the current cohort (a nightly run or `readmit score`); `backfill_run`
re-scores every spine row in a range of as-of dates, one as-of month at a time.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from models.registry import champion_dir
from models.score import explained_share, score
from models.tasks import TASKS
from models.tiers import TierThresholds, assign_tiers
from pipelines.errors import ReadmitError
from sql.scoring import sql_text

log = logging.getLogger("readmit.score")

RUN_KINDS = ("nightly", "score", "backfill")


class NoChampionError(ReadmitError):
    """A task has no champion model to score with."""


def ensure_scores_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create `ml_scores` if missing and add columns that later versions introduced."""
    con.execute(sql_text("ddl_ml_scores"))
    con.execute(sql_text("ddl_ml_scores_columns"))
    con.execute(sql_text("ddl_ml_scores_run_date"))


def champion_versions(models_root: Path) -> dict[str, str]:
    """The champion version of every task that has one."""
    found = {task: champion_dir(models_root, task) for task in TASKS}
    return {task: path.name for task, path in found.items() if path is not None}


def score_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    models_root: Path,
    thresholds: TierThresholds,
    threads: int = 2,
    kind: str = "nightly",
) -> dict[str, dict]:
    """Score each task's cohort (`mart_scoring_cohort`) with its champion; counts per task."""
    if kind not in RUN_KINDS:
        raise ValueError(f"kind must be one of {RUN_KINDS}, not {kind!r}")
    ensure_scores_table(con)
    con.execute("delete from ml_scores where run_id = ?", [run_id])
    _bind_run(con, run_id, kind)
    out: dict[str, dict] = {}
    for task in TASKS:
        model_dir = champion_dir(models_root, task)
        if model_dir is None:
            log.warning("run %s: no champion model for %s; not scored", run_id, task)
            continue
        out[task] = _score_task(con, task, model_dir, thresholds, threads)
    return out


def _bind_run(con: duckdb.DuckDBPyConnection, run_id: str, kind: str) -> None:
    con.execute("set variable score_run_id = ?", [run_id])
    con.execute("set variable score_run_kind = ?", [kind])
    try:
        con.execute(sql_text("bind_run_date"))
    except duckdb.CatalogException:  # no data window (hand-made tables): every earlier run counts
        con.execute("set variable score_run_date = null::date")


def _bind_task(con: duckdb.DuckDBPyConnection, task: str, model_dir: Path) -> None:
    con.execute("set variable score_task = ?", [task])
    con.execute("set variable score_model_version = ?", [model_dir.name])


def _score_task(
    con: duckdb.DuckDBPyConnection,
    task: str,
    model_dir: Path,
    thresholds: TierThresholds,
    threads: int,
) -> dict:
    _bind_task(con, task, model_dir)
    keys = con.sql(sql_text("cohort")).to_arrow_table()
    if keys.num_rows == 0:
        return {"rows": 0, "seconds": 0.0, "model_version": model_dir.name}
    started = time.perf_counter()
    share = explained_share(thresholds)
    scored = score(con, task, model_dir, keys, reasons_share=share, threads=threads)
    seconds = time.perf_counter() - started
    previous_rows = con.sql(sql_text("previous")).to_arrow_table()
    previous = _aligned(scored.column("person_id"), previous_rows)
    tiers = assign_tiers(scored.column("probability").to_numpy(), previous, thresholds)
    scored_rows = scored.append_column("tier", pa.array(tiers, pa.int8()))
    with _registered(con, scored_rows=scored_rows, previous_rows=previous_rows):
        con.execute(sql_text("insert"))
    return {
        "rows": scored.num_rows,
        "seconds": round(seconds, 3),
        "model_version": model_dir.name,
        **_tier_counts(tiers),
    }


def _tier_counts(tiers: np.ndarray) -> dict[str, int]:
    return {f"tier_{t}": int((tiers == t).sum()) for t in (1, 2, 3, 4)}


class _registered:
    """Expose Arrow tables to SQL under the given names for the duration of a block."""

    def __init__(self, con: duckdb.DuckDBPyConnection, **tables: pa.Table) -> None:
        self.con, self.tables = con, tables

    def __enter__(self) -> None:
        for name, table in self.tables.items():
            self.con.register(name, table)

    def __exit__(self, *exc: object) -> None:
        for name in self.tables:
            self.con.unregister(name)


def _aligned(persons: pa.ChunkedArray, previous_rows: pa.Table) -> np.ndarray:
    """Previous probabilities in the order of `persons` (NaN where a person was not scored)."""
    if previous_rows.num_rows == 0:
        return np.full(len(persons), np.nan)
    where = pc.index_in(persons, value_set=previous_rows.column("person_id").combine_chunks())
    values = pc.take(previous_rows.column("previous_probability"), where)
    return pc.fill_null(values.cast(pa.float64()), np.nan).to_numpy()


def backfill_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    models_root: Path,
    thresholds: TierThresholds,
    start: date,
    end: date,
    threads: int = 2,
) -> dict[str, dict]:
    """Re-score every spine row with an as-of date in [start, end] with the champions.

    Earlier backfill rows of the range are replaced (idempotent); nightly rows stay.
    """
    if end < start:
        raise ValueError(f"backfill range is empty: --from {start} is after --to {end}")
    missing = [t for t in TASKS if champion_dir(models_root, t) is None]
    if missing:
        raise NoChampionError(
            f"no champion model for {', '.join(missing)} in {models_root}; run `readmit nightly` "
            "or `readmit train --task <task>` first, then backfill"
        )
    ensure_scores_table(con)
    _bind_run(con, run_id, "backfill")
    con.execute("set variable backfill_from = ?", [start])
    con.execute("set variable backfill_to = ?", [end])
    out: dict[str, dict] = {}
    for task in TASKS:
        model_dir = champion_dir(models_root, task)
        out[task] = _backfill_task(con, task, model_dir, thresholds, threads)
    return out


def _backfill_task(
    con: duckdb.DuckDBPyConnection,
    task: str,
    model_dir: Path,
    thresholds: TierThresholds,
    threads: int,
) -> dict:
    _bind_task(con, task, model_dir)
    keys = con.sql(sql_text("backfill_keys")).to_arrow_table()
    con.execute(sql_text("backfill_delete"))
    if keys.num_rows == 0:
        return {"rows": 0, "as_of_dates": 0, "model_version": model_dir.name}
    started = time.perf_counter()
    months = keys.column("as_of_month").to_numpy()
    scored = pa.concat_tables(
        score(con, task, model_dir, keys.slice(lo, hi - lo), threads=threads)
        for lo, hi in _runs(months)
    )
    scored = scored.append_column("row_index", pa.array(np.arange(scored.num_rows)))
    with _registered(con, backfill_rows=scored):
        previous = con.sql(sql_text("backfill_previous")).to_arrow_table()
    previous_p = pc.fill_null(previous.column("previous_probability"), np.nan).to_numpy()
    tiers = tiers_by_group(scored.column("probability").to_numpy(), previous_p, months, thresholds)
    rows = scored.append_column("tier", pa.array(tiers, pa.int8()))
    rows = rows.append_column("previous_probability", pa.array(previous_p, from_pandas=True))
    with _registered(con, backfill_rows=rows):
        con.execute(sql_text("backfill_insert"))
    return {
        "rows": rows.num_rows,
        "as_of_dates": len(pc.unique(keys.column("as_of_date"))),
        "seconds": round(time.perf_counter() - started, 3),
        "model_version": model_dir.name,
        **_tier_counts(tiers),
    }


def _runs(groups: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) index pairs of the runs of equal values in a sorted array."""
    if len(groups) == 0:
        return []
    edges = np.flatnonzero(groups[1:] != groups[:-1]) + 1
    bounds = np.concatenate([[0], edges, [len(groups)]])
    return list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))


def tiers_by_group(
    probabilities: np.ndarray,
    previous: np.ndarray,
    groups: np.ndarray,
    thresholds: TierThresholds,
) -> np.ndarray:
    """Tiers assigned within each group (rows sorted by group): each group is its own cohort."""
    tiers = np.empty(len(probabilities), dtype=np.int8)
    for lo, hi in _runs(groups):
        tiers[lo:hi] = assign_tiers(probabilities[lo:hi], previous[lo:hi], thresholds)
    return tiers
