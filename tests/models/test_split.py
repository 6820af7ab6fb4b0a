"""The temporal split: no person on both sides, test strictly later, labels matured, seeded."""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa
import pytest

from models.split import person_uniform, temporal_split
from models.tasks import get_task

TASK = get_task("readmission_30d")


def _rows(persons: int = 400, per: int = 12, seed: int = 0):
    rng = np.random.default_rng(seed)
    person = np.repeat(np.arange(persons), per)
    days = rng.integers(0, 3 * 365, len(person))
    as_of = np.datetime64("2022-01-01") + days.astype("timedelta64[D]")
    ids = pa.array(np.char.add("P", person.astype(str)))
    labelled = as_of < np.datetime64("2024-12-01")
    return ids, as_of, labelled


def _persons(ids: pa.Array, index: np.ndarray) -> set[str]:
    return set(ids.take(pa.array(index)).to_pylist())


def test_no_test_person_anywhere_else_and_test_strictly_later():
    ids, as_of, labelled = _rows()
    split = temporal_split(ids, as_of, labelled, TASK, seed=1)
    test = _persons(ids, split.test)
    for part in (split.train, split.early_stop, split.calibration):
        assert not test & _persons(ids, part)
    assert as_of[split.test].min() > as_of[split.train].max()
    assert as_of[split.test].min() > as_of[split.calibration].max()
    assert as_of[split.calibration].min() > as_of[split.train].max()
    assert not _persons(ids, split.early_stop) & _persons(ids, split.train)


def test_windows_follow_the_task_and_training_labels_have_matured():
    ids, as_of, labelled = _rows()
    split = temporal_split(ids, as_of, labelled, TASK, seed=1)
    assert str(split.test_window[0]) == "2024-06-01"  # last labelled month Nov 2024, 6 months
    assert str(split.calibration_window[0]) == "2023-12-01"  # 6 months before the test window
    horizon = np.timedelta64(TASK.horizon_days, "D")
    for part in (split.train, split.early_stop):
        assert (as_of[part] + horizon <= np.datetime64("2023-12-01")).all()
    assert labelled[np.concatenate([split.train, split.test, split.calibration])].all()


def test_censored_rows_are_never_used():
    ids, as_of, labelled = _rows()
    labelled = labelled & (np.arange(len(labelled)) % 3 != 0)
    split = temporal_split(ids, as_of, labelled, TASK, seed=1)
    used = np.concatenate([split.train, split.early_stop, split.calibration, split.test])
    assert labelled[used].all()


def test_test_person_share_samples_persons_and_keeps_training_data():
    ids, as_of, labelled = _rows()
    small = dataclasses.replace(TASK, test_person_share=0.2)
    split = temporal_split(ids, as_of, labelled, small, seed=1)
    half = temporal_split(ids, as_of, labelled, TASK, seed=1)
    assert 0.12 < len(_persons(ids, split.test)) / 400 < 0.28
    assert 0.4 < len(_persons(ids, half.test)) / 400 < 0.6
    assert len(split.train) > 1.3 * len(half.train)


def test_test_persons_do_not_depend_on_what_happens_to_them():
    # Being seen in the test window depends on earlier outcomes (a readmission makes a later index
    # stay likely); the held-out persons must not, or calibration loses readmitted stays.
    ids, as_of, labelled = _rows()
    split = temporal_split(ids, as_of, labelled, TASK, seed=1)
    odd = np.array([int(p[1:]) % 2 == 1 for p in ids.to_pylist()])
    early = (as_of < np.datetime64(split.test_window[0])) | ~odd  # odd persons lose later stays
    cut = temporal_split(ids.filter(pa.array(early)), as_of[early], labelled[early], TASK, seed=1)
    kept = np.flatnonzero(early)
    assert cut.test_window == split.test_window
    assert np.array_equal(kept[cut.calibration], split.calibration)
    assert np.array_equal(kept[cut.train], split.train)


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_test_person_share_must_leave_both_sides(share):
    ids, as_of, labelled = _rows()
    with pytest.raises(ValueError, match="test_person_share"):
        temporal_split(ids, as_of, labelled, dataclasses.replace(TASK, test_person_share=share), 1)


def test_same_seed_same_split_and_another_seed_differs():
    ids, as_of, labelled = _rows()
    monthly = dataclasses.replace(TASK, test_person_share=0.5)
    a = temporal_split(ids, as_of, labelled, monthly, seed=1)
    b = temporal_split(ids, as_of, labelled, monthly, seed=1)
    c = temporal_split(ids, as_of, labelled, monthly, seed=2)
    assert np.array_equal(a.test, b.test) and np.array_equal(a.calibration, b.calibration)
    assert not np.array_equal(a.test, c.test)


def test_person_uniform_is_constant_per_person():
    ids = pa.array(["a", "b", "a", "c", "b"])
    u = person_uniform(ids, seed=3, salt="x")
    assert u[0] == u[2] and u[1] == u[4] and len(set(u)) == 3
    assert ((u >= 0) & (u < 1)).all()


def test_training_row_cap_is_a_seeded_sample():
    ids, as_of, labelled = _rows()
    capped = dataclasses.replace(TASK, max_train_rows=500, test_person_share=0.3)
    split = temporal_split(ids, as_of, labelled, capped, seed=1)
    assert len(split.train) == 500 and np.all(np.diff(split.train) > 0)


def test_too_little_history_is_a_clear_error():
    ids, as_of, labelled = _rows()
    recent = as_of >= np.datetime64("2024-09-01")
    with pytest.raises(ValueError, match="left train"):
        temporal_split(ids.filter(pa.array(recent)), as_of[recent], labelled[recent], TASK, 1)


def test_no_labelled_rows_is_a_clear_error():
    ids, as_of, labelled = _rows(persons=5, per=2)
    with pytest.raises(ValueError, match="no labelled"):
        temporal_split(ids, as_of, np.zeros_like(labelled), TASK, 1)
