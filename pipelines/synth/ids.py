"""Identifier helpers: valid NPIs (Luhn check digit), padded ids, dates from day offsets."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

NPI_PREFIX_SUM = 24  # Luhn contribution of the card-issuer prefix 80840 (CMS NPI standard)


def npi_check_digit(base: np.ndarray) -> np.ndarray:
    """Luhn check digit for 9-digit NPI bases (with the 80840 prefix)."""
    digits = (base[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    doubled = digits[:, ::-2] * 2  # rightmost digit and every second one to its left
    total = (doubled // 10 + doubled % 10).sum(axis=1) + digits[:, -2::-2].sum(axis=1)
    return (10 - (total + NPI_PREFIX_SUM) % 10) % 10


def make_npis(rng: np.random.Generator, n: int, first_digit: int = 1) -> np.ndarray:
    """`n` distinct valid 10-digit NPIs as strings."""
    base = first_digit * 10**8 + rng.choice(10**8, size=n, replace=False)
    full = base * 10 + npi_check_digit(base)
    return full.astype(str)


def npi_is_valid(npis: list[str]) -> np.ndarray:
    """True where a string is a 10-digit NPI with a correct check digit."""
    arr = np.array([s if len(s) == 10 and s.isdigit() else "0000000000" for s in npis])
    ok = np.array([len(s) == 10 and s.isdigit() for s in npis])
    nums = arr.astype(np.int64)
    return ok & (npi_check_digit(nums // 10) == nums % 10)


def padded(prefix: str, numbers: pl.Expr | str, width: int) -> pl.Expr:
    """`prefix` followed by the zero-padded integer column `numbers`."""
    col = pl.col(numbers) if isinstance(numbers, str) else numbers
    return pl.concat_str([pl.lit(prefix), col.cast(pl.String).str.zfill(width)])


def to_dates(start: date, offsets: np.ndarray) -> np.ndarray:
    """Calendar dates (datetime64[D]) for day offsets from `start`."""
    return np.datetime64(start, "D") + offsets.astype("timedelta64[D]")


def exact_age(birth: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Completed years between datetime64[D] birth dates and dates `on`."""
    years = on.astype("datetime64[Y]").astype(int) - birth.astype("datetime64[Y]").astype(int)
    return years - (_month_day(on) < _month_day(birth)).astype(int)


def _month_day(d: np.ndarray) -> np.ndarray:
    months = d.astype("datetime64[M]")
    return (months.astype(int) % 12) * 100 + (d - months).astype(int)
