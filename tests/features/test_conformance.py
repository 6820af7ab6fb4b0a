"""One conformance test over every registered feature, on the Tuva sample plus hand-made persons.

For each task's matrix: keys equal the spine, each feature has its declared dtype, its missing
share is within its bound and it is filled somewhere; appending events dated after a cutoff
changes no feature value of the spine rows at or before that cutoff (no leakage).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from features.matrix import matrix_table
from features.registry import KEY_COLUMNS, TASKS, Feature, features_for
from tests.features.fixture_data import append_future_copies, build_all, make_warehouse

LEAK_CUTOFF = "2018-04-30"
POLARS_TYPES = {"int": pl.Int32, "float": pl.Float64, "bool": pl.Boolean}
FEATURE_CASES = [(task, f) for task in TASKS for f in features_for(task)]


@pytest.fixture(scope="module")
def matrices(built: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    return {task: built.execute(f"select * from {matrix_table(task)}").pl() for task in TASKS}


@pytest.mark.parametrize("task", TASKS)
def test_keys_equal_the_spine(built: duckdb.DuckDBPyConnection, matrices: dict, task: str) -> None:
    matrix = matrices[task]
    spine = built.execute(
        "select person_id, as_of_date from mart_prediction_spine where task = ? order by all",
        [task],
    ).pl()
    assert matrix.columns[:2] == list(KEY_COLUMNS)
    assert matrix.height > 0
    assert matrix.select(KEY_COLUMNS).sort(KEY_COLUMNS).equals(spine)
    assert matrix.columns[2:] == [f.name for f in features_for(task)]


@pytest.mark.parametrize(
    ("task", "feature"), FEATURE_CASES, ids=[f"{t}-{f.name}" for t, f in FEATURE_CASES]
)
def test_feature_conforms(matrices: dict, task: str, feature: Feature) -> None:
    column = matrices[task][feature.name]
    assert column.dtype == POLARS_TYPES[feature.dtype]
    missing = column.null_count() / len(column)
    assert missing <= feature.max_missing_share, f"{missing:.0%} missing"
    assert column.null_count() < len(column), "never filled on the fixture"
    if feature.dtype != "bool" and feature.unit in ("count", "USD", "days", "years"):
        assert column.drop_nulls().min() >= 0


@pytest.fixture(scope="module")
def leaked(feature_reference_db: Path, tuva_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The same warehouse with a copy of every event moved after LEAK_CUTOFF, rebuilt."""
    con = make_warehouse(feature_reference_db, tuva_dir)
    append_future_copies(con, LEAK_CUTOFF)
    build_all(con)
    yield con
    con.close()


def _rows(con: duckdb.DuckDBPyConnection, task: str, before: bool) -> pl.DataFrame:
    op = "<=" if before else ">"
    return con.execute(
        f"select m.* from {matrix_table(task)} as m inner join mart_prediction_spine as s "
        f"on s.task = ? and s.person_id = m.person_id and s.as_of_date = m.as_of_date "
        f"where s.cutoff_date {op} ?::date order by m.person_id, m.as_of_date",
        [task, LEAK_CUTOFF],
    ).pl()


@pytest.mark.parametrize("task", TASKS)
def test_future_events_change_no_feature(built, leaked, task: str) -> None:
    original = _rows(built, task, before=True)
    later = _rows(leaked, task, before=True)
    kept = original.join(later.select(KEY_COLUMNS), on=list(KEY_COLUMNS), how="semi")
    # a past stay may merge with a moved copy as one transfer episode; almost every row remains
    assert kept.height >= 0.9 * original.height > 0
    again = later.join(kept.select(KEY_COLUMNS), on=list(KEY_COLUMNS), how="semi")
    diff = {name: kept[name].ne_missing(again[name]).sum() for name in kept.columns}
    assert {name: n for name, n in diff.items() if n} == {}


def test_the_moved_events_reach_later_rows(built, leaked) -> None:
    # guards the test above: the copies land inside later rows' windows and do change them
    original = _rows(built, "admission_90d", before=False)
    later = _rows(leaked, "admission_90d", before=False)
    both = original.join(later, on=list(KEY_COLUMNS), suffix="_leaked")
    changed = sum(
        both[name].ne_missing(both[f"{name}_leaked"]).sum()
        for name in original.columns
        if name not in KEY_COLUMNS
    )
    assert changed > 0


def test_a_rebuild_gives_identical_matrices(built, feature_reference_db, tuva_dir) -> None:
    again = make_warehouse(feature_reference_db, tuva_dir)
    build_all(again)
    for task in TASKS:
        first = built.execute(f"select * from {matrix_table(task)}").pl()
        second = again.execute(f"select * from {matrix_table(task)}").pl()
        assert first.equals(second), task
    again.close()
