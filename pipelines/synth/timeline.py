"""The generated period as day offsets from `start`, with calendar-month boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

NEVER = np.int32(10**6)  # day offset meaning "not within the period"


@dataclass(frozen=True)
class Timeline:
    """Days 0..n_days-1 map to start..end; months are the calendar months touching the period."""

    start: date
    end: date
    n_days: int = field(init=False)
    month_start: np.ndarray = field(init=False, repr=False)  # first day offset of each month
    month_days: np.ndarray = field(init=False, repr=False)  # days of each month inside the period
    day_month: np.ndarray = field(init=False, repr=False)  # month index of each day

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must be after start {self.start}")
        n_days = (self.end - self.start).days + 1
        first = np.datetime64(self.start, "M")
        last = np.datetime64(self.end, "M")
        months = np.arange(first, last + 1)
        starts = (months.astype("datetime64[D]") - np.datetime64(self.start, "D")).astype(int)
        starts = np.maximum(starts, 0)
        bounds = np.append(starts, n_days)
        object.__setattr__(self, "n_days", n_days)
        object.__setattr__(self, "month_start", starts.astype(np.int32))
        object.__setattr__(self, "month_days", np.diff(bounds).astype(np.int32))
        object.__setattr__(self, "day_month", np.repeat(np.arange(len(starts)), np.diff(bounds)))

    @property
    def n_months(self) -> int:
        """Number of calendar months touching the period."""
        return len(self.month_start)

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Month index of day offsets (clipped into the period)."""
        return self.day_month[np.clip(days, 0, self.n_days - 1)]

    def as_of_months(self, horizon: int = 90) -> np.ndarray:
        """Month indices whose first day is a real month start with `horizon` days of follow-up."""
        first_days = np.datetime64(self.start, "D") + self.month_start.astype("timedelta64[D]")
        is_month_start = first_days == first_days.astype("datetime64[M]").astype("datetime64[D]")
        fits = self.month_start + horizon <= self.n_days - 1  # as-of <= end - horizon
        return np.flatnonzero(is_month_start & fits)

    def dates(self, offsets: np.ndarray) -> np.ndarray:
        """Calendar dates for day offsets."""
        return np.datetime64(self.start, "D") + np.asarray(offsets).astype("timedelta64[D]")
