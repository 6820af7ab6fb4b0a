"""Per-patient reasons: LightGBM TreeSHAP contributions, grouped by registry feature, turned into
the top plain-language reasons filled with the patient's own values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import lightgbm as lgb
import numpy as np
import pyarrow as pa

TOP_REASONS = 3


class ReasonSource(Protocol):
    """What explanations need from a registry feature (`features.registry.Feature` fits)."""

    name: str
    dtype: str

    def reason_text(self, value: object) -> str | None: ...


def contributions(booster: lgb.Booster, x: np.ndarray, threads: int = 2) -> np.ndarray:
    """Per-row contributions to the raw score (log-odds); the last column is the bias term."""
    return booster.predict(x, pred_contrib=True, num_threads=threads)


def group_contributions(
    contrib: np.ndarray, columns: Sequence[str], feature_of: Mapping[str, str] | None = None
) -> tuple[list[str], np.ndarray]:
    """Sum the contributions of columns that belong to the same registry feature (bias dropped).

    `feature_of` maps a model column to its registry feature (one-hot or derived columns); a
    column it does not name is its own feature.
    """
    feature_of = feature_of or {}
    owners = [feature_of.get(c, c) for c in columns]
    names = list(dict.fromkeys(owners))
    index = {name: i for i, name in enumerate(names)}
    member = np.zeros((len(columns), len(names)))
    member[np.arange(len(columns)), [index[o] for o in owners]] = 1.0
    return names, contrib[:, : len(columns)] @ member


def _reasonable(values: np.ndarray, sources: Sequence[ReasonSource]) -> np.ndarray:
    """Where a value can be stated as a reason: known, and true for a flag."""
    is_flag = np.array([s.dtype == "bool" for s in sources])
    return np.isfinite(values) & ~(is_flag[None, :] & (values == 0))


def top_features(
    grouped: np.ndarray, values: np.ndarray, sources: Sequence[ReasonSource], k: int = TOP_REASONS
) -> tuple[np.ndarray, np.ndarray]:
    """Column positions of each row's `k` largest positive, statable contributions and a mask of
    which of those slots hold one (a row may have fewer than `k`)."""
    candidate = np.where((grouped > 0) & _reasonable(values, sources), grouped, -np.inf)
    k = min(k, candidate.shape[1])
    part = np.argpartition(-candidate, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(candidate, part, axis=1), axis=1, kind="stable")
    top = np.take_along_axis(part, order, axis=1)
    return top, np.isfinite(np.take_along_axis(candidate, top, axis=1))


def _as_python(value: float, dtype: str) -> object:
    if dtype == "int":
        return int(value)
    if dtype == "bool":
        return bool(value)
    return float(value)


def reason_texts(
    top: np.ndarray, valid: np.ndarray, values: np.ndarray, sources: Sequence[ReasonSource]
) -> np.ndarray:
    """An (rows, k) object array of reason sentences (None where a slot is empty).

    Each feature's template is filled once per distinct value among the rows that cite it.
    """
    out = np.full(top.shape, None, dtype=object)
    for j, source in enumerate(sources):
        hit = (top == j) & valid
        if not hit.any():
            continue
        rows, slots = np.nonzero(hit)
        distinct, inverse = np.unique(values[rows, j], return_inverse=True)
        texts = np.array(
            [source.reason_text(_as_python(v, source.dtype)) for v in distinct], dtype=object
        )
        out[rows, slots] = texts[inverse]
    return out


def reasons_column(texts: np.ndarray) -> pa.ListArray:
    """The (rows, k) reason array as an Arrow list<string> column, empty slots dropped."""
    present = np.not_equal(texts, None).astype(bool).reshape(texts.shape)
    offsets = np.concatenate([[0], np.cumsum(present.sum(axis=1))]).astype(np.int32)
    flat = pa.array(texts[present].tolist(), type=pa.string())
    return pa.ListArray.from_arrays(pa.array(offsets), flat)


def explain(
    booster: lgb.Booster,
    x: np.ndarray,
    columns: Sequence[str],
    sources: Mapping[str, ReasonSource],
    threads: int = 2,
    k: int = TOP_REASONS,
) -> pa.ListArray:
    """The top `k` plain-language reasons of each row of `x`, with the row's own values."""
    names, grouped = group_contributions(contributions(booster, x, threads), columns)
    position = {c: i for i, c in enumerate(columns)}
    values = x[:, [position[n] for n in names]]
    ordered = [sources[n] for n in names]
    top, valid = top_features(grouped, values, ordered, k)
    return reasons_column(reason_texts(top, valid, values, ordered))


def mean_abs_contribution(
    booster: lgb.Booster, x: np.ndarray, columns: Sequence[str], threads: int = 2
) -> list[tuple[str, float]]:
    """Features by mean |contribution| to the raw score over the rows of `x`, largest first."""
    names, grouped = group_contributions(contributions(booster, x, threads), columns)
    size = np.abs(grouped).mean(axis=0)
    order = np.argsort(-size, kind="stable")
    return [(names[i], float(size[i])) for i in order]
