"""Fast string columns: gather from a small vocabulary instead of converting numpy strings."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl


def cat(vocab: Sequence[str | None], idx: np.ndarray) -> pl.Series:
    """`vocab[idx]` as a polars String series; index -1 gives null."""
    series = pl.Series([*vocab, None], dtype=pl.String)
    idx = np.asarray(idx)
    return series.gather(np.where(idx < 0, len(vocab), idx).astype(np.int64))


def const(value: str | None, n: int) -> pl.Series:
    """A String series repeating `value` (or nulls)."""
    return pl.repeat(value, n, dtype=pl.String, eager=True)


def where(cond: np.ndarray, yes: str | None, no: str | None) -> pl.Series:
    """`yes` where `cond` else `no`, as strings."""
    return cat([yes, no], np.where(cond, 0, 1))


def select(
    conds: Sequence[np.ndarray], choices: Sequence[str | None], default: str | None
) -> pl.Series:
    """Like numpy.select, producing a String series."""
    idx = np.select(list(conds), list(range(len(choices))), len(choices))
    return cat([*choices, default], idx)


def from_array(values: np.ndarray) -> pl.Series:
    """A String series from a (small) numpy string array, via its distinct values."""
    uniq, inv = np.unique(values, return_inverse=True)
    return cat(uniq.tolist(), inv.reshape(-1))
