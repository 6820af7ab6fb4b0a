"""Temporal, person-disjoint split: train on older months (early stopping on a fold of persons),
calibrate on the months before the test window, test on the newest months; test persons are a
seeded hash share of all persons and appear nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from models.tasks import Task


@dataclass(frozen=True)
class Split:
    """Row indices of each part and the date windows they cover (first day, last day)."""

    train: np.ndarray
    early_stop: np.ndarray
    calibration: np.ndarray
    test: np.ndarray
    train_window: tuple[date | None, date | None]
    calibration_window: tuple[date, date]
    test_window: tuple[date, date | None]

    def sizes(self) -> dict[str, int]:
        """Rows in each part."""
        parts = ("train", "early_stop", "calibration", "test")
        return {p: int(len(getattr(self, p))) for p in parts}


def person_uniform(person_ids: pa.Array | pa.ChunkedArray, seed: int, salt: str) -> np.ndarray:
    """A reproducible number in [0, 1) per row, equal for every row of the same person."""
    ids = person_ids.combine_chunks() if isinstance(person_ids, pa.ChunkedArray) else person_ids
    uniq = pc.unique(ids)
    codes = pc.index_in(ids, value_set=uniq).to_numpy(zero_copy_only=False)
    key = f"{seed}{salt}".rjust(16, "0")[-16:]
    hashed = pd.util.hash_array(np.asarray(uniq.to_pylist(), dtype=object), hash_key=key)
    return ((hashed >> np.uint64(11)).astype(np.float64) / 2.0**53)[codes]


def _month_start(day: np.datetime64, months_back: int) -> np.datetime64:
    return (day.astype("datetime64[M]") - months_back).astype("datetime64[D]")


def _day(value: np.datetime64) -> date:
    return pd.Timestamp(value).date()


def temporal_split(
    person_ids: pa.Array | pa.ChunkedArray,
    as_of: np.ndarray,
    labelled: np.ndarray,
    task: Task,
    seed: int,
) -> Split:
    """Split labelled rows by time and person (DESIGN section 7).

    test persons = a seeded share (`task.test_person_share`) of all persons, drawn from a hash of
    the person id alone; test = their labelled rows in the last `task.test_months` calendar
    months; calibration = the `task.valid_months` before, of the other persons; fitting rows =
    earlier rows of the other persons whose outcome window closed before the calibration window
    starts (labels a model could have had then), split by person into early-stopping
    (`task.early_stop_share` of persons) and training rows.

    Why not "the persons seen in the test window": being seen there depends on earlier outcomes
    (a readmission makes a later index stay likely), so leaving those persons out of calibration
    would drop readmitted stays selectively and bias the calibration intercept (at 100k persons
    the calibration rate fell from 14% to 11% and the test intercept rose to +0.22).
    """
    if not 0.0 < task.test_person_share < 1.0:
        raise ValueError(
            f"{task.name}: test_person_share must be strictly between 0 and 1, "
            f"got {task.test_person_share}"
        )
    as_of = np.asarray(as_of, dtype="datetime64[D]")
    labelled = np.asarray(labelled, dtype=bool)
    if not labelled.any():
        raise ValueError(f"{task.name}: no labelled (non-censored) rows to train on")
    test_start = _month_start(as_of[labelled].max(), task.test_months - 1)
    calibration_start = _month_start(test_start, task.valid_months)
    is_test_person = person_uniform(person_ids, seed, "test") < task.test_person_share
    test = labelled & (as_of >= test_start) & is_test_person
    calibration = labelled & (as_of >= calibration_start) & (as_of < test_start) & ~is_test_person
    matured = as_of + np.timedelta64(task.horizon_days, "D") <= calibration_start
    fitting = labelled & matured & ~is_test_person
    stopper = person_uniform(person_ids, seed, "early_stop") < task.early_stop_share
    train = _cap(np.flatnonzero(fitting & ~stopper), task.max_train_rows, seed)
    split = Split(
        train=train,
        early_stop=np.flatnonzero(fitting & stopper),
        calibration=np.flatnonzero(calibration),
        test=np.flatnonzero(test),
        train_window=_window(as_of[train]),
        calibration_window=(_day(calibration_start), _day(test_start - 1)),
        test_window=(_day(test_start), _window(as_of[test])[1]),
    )
    _check(split, task)
    return split


def _window(days: np.ndarray) -> tuple[date | None, date | None]:
    """First and last day of `days`, or (None, None) when empty."""
    if len(days) == 0:
        return (None, None)
    return (_day(days.min()), _day(days.max()))


def _cap(rows: np.ndarray, limit: int | None, seed: int) -> np.ndarray:
    """At most `limit` of `rows`, a seeded uniform sample kept in row order."""
    if limit is None or len(rows) <= limit:
        return rows
    keep = np.random.default_rng(seed).choice(len(rows), size=limit, replace=False)
    return rows[np.sort(keep)]


def _check(split: Split, task: Task) -> None:
    empty = [name for name, n in split.sizes().items() if n == 0]
    if empty:
        raise ValueError(
            f"{task.name}: the temporal split left {', '.join(empty)} empty (test window "
            f"{split.test_window[0]}, calibration from {split.calibration_window[0]}); the data "
            f"needs more labelled months than test ({task.test_months}) + calibration "
            f"({task.valid_months}) + "
            f"the {task.horizon_days}-day outcome window"
        )
