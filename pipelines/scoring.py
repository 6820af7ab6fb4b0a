"""Score every eligible person with the champion models, tier them, and append to `ml_scores`."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from models.registry import champion_dir
from models.score import score
from models.tasks import TASKS
from models.tiers import TierThresholds, assign_tiers
from sql.scoring import sql_text

log = logging.getLogger("readmit.score")


def score_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    models_root: Path,
    thresholds: TierThresholds,
    threads: int = 2,
) -> dict[str, dict]:
    """Score each task's cohort (`mart_scoring_cohort`) with its champion; counts per task."""
    con.execute(sql_text("ddl_ml_scores"))
    con.execute("delete from ml_scores where run_id = ?", [run_id])
    con.execute("set variable score_run_id = ?", [run_id])
    out: dict[str, dict] = {}
    for task in TASKS:
        model_dir = champion_dir(models_root, task)
        if model_dir is None:
            log.warning("run %s: no champion model for %s; not scored", run_id, task)
            continue
        out[task] = _score_task(con, task, model_dir, thresholds, threads)
    return out


def _score_task(
    con: duckdb.DuckDBPyConnection,
    task: str,
    model_dir: Path,
    thresholds: TierThresholds,
    threads: int,
) -> dict:
    con.execute("set variable score_task = ?", [task])
    con.execute("set variable score_model_version = ?", [model_dir.name])
    keys = con.sql(sql_text("cohort")).to_arrow_table()
    if keys.num_rows == 0:
        return {"rows": 0, "seconds": 0.0, "model_version": model_dir.name}
    started = time.perf_counter()
    scored = score(con, task, model_dir, keys, threads=threads)
    seconds = time.perf_counter() - started
    previous_rows = con.sql(sql_text("previous")).to_arrow_table()
    previous = _aligned(scored.column("person_id"), previous_rows)
    tiers = assign_tiers(scored.column("probability").to_numpy(), previous, thresholds)
    scored_rows = scored.append_column("tier", pa.array(tiers, pa.int8()))
    con.register("scored_rows", scored_rows)
    con.register("previous_rows", previous_rows)
    try:
        con.execute(sql_text("insert"))
    finally:
        con.unregister("scored_rows")
        con.unregister("previous_rows")
    counts = {f"tier_{t}": int((tiers == t).sum()) for t in (1, 2, 3, 4)}
    return {
        "rows": scored.num_rows,
        "seconds": round(seconds, 3),
        "model_version": model_dir.name,
        **counts,
    }


def _aligned(persons: pa.ChunkedArray, previous_rows: pa.Table) -> np.ndarray:
    """Previous probabilities in the order of `persons` (NaN where a person was not scored)."""
    if previous_rows.num_rows == 0:
        return np.full(len(persons), np.nan)
    where = pc.index_in(persons, value_set=previous_rows.column("person_id").combine_chunks())
    values = pc.take(previous_rows.column("previous_probability"), where)
    return pc.fill_null(values.cast(pa.float64()), np.nan).to_numpy()
