"""Enrollment spans of health-plan members: month-aligned, with churn, gaps and deaths."""

from __future__ import annotations

import numpy as np

from pipelines.synth.population import People
from pipelines.synth.timeline import NEVER, Timeline

NEW_MEMBER_SHARE = 0.15
GAP_SHARE = 0.06
DISENROLL_YEARLY = np.array([0.03, 0.02, 0.10, 0.08])  # medicare, dual, medicaid, commercial


def _month_first(d: np.ndarray) -> np.ndarray:
    return d.astype("datetime64[M]").astype("datetime64[D]")


def _month_last(d: np.ndarray) -> np.ndarray:
    return (d.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1


def make_enrollment(
    rng: np.random.Generator, people: People, tl: Timeline, death: np.ndarray
) -> dict[str, np.ndarray]:
    """Spans (person, start, end as datetime64[D]) of members (people in the claims extracts)."""
    member = np.flatnonzero(people.source != 2)
    n = member.size
    start0 = tl.dates(np.zeros(n, dtype=np.int64))
    months_before = rng.integers(1, 97, n)
    old = (start0.astype("datetime64[M]") - months_before).astype("datetime64[D]")
    new = _month_first(tl.dates(rng.integers(1, max(tl.n_days - 60, 2), n)))
    start = np.where(rng.random(n) < NEW_MEMBER_SHARE, new, old)
    start = np.maximum(start, _month_first(people.birth[member]))
    rate = DISENROLL_YEARLY[people.payer[member]]
    leave = np.maximum(start, start0) + (rng.exponential(365.25 / rate)).astype("timedelta64[D]")
    death_day = np.where(death[member] < NEVER, death[member], 10**6)
    died = tl.dates(np.minimum(death_day, 10**6 - 1))
    end = _month_last(np.minimum(leave, died))
    open_end = _month_last(np.array([tl.dates(tl.n_days - 1)]))[0]
    end = np.minimum(end, open_end)
    return _split_gaps(rng, member, start, end, tl)


def _split_gaps(
    rng: np.random.Generator, member: np.ndarray, start: np.ndarray, end: np.ndarray, tl: Timeline
) -> dict[str, np.ndarray]:
    first_month = np.maximum(start, tl.dates(np.zeros(1, dtype=np.int64))[0]).astype(
        "datetime64[M]"
    )
    span_months = (end.astype("datetime64[M]") - first_month).astype(int)
    gap = (rng.random(member.size) < GAP_SHARE) & (span_months >= 8)
    gap_start = (
        first_month + 2 + (rng.random(member.size) * np.maximum(span_months - 6, 1)).astype(int)
    )
    gap_len = rng.integers(1, 4, member.size)
    first_end = (gap_start.astype("datetime64[D]")) - 1
    second_start = (gap_start + gap_len).astype("datetime64[D]")
    person = np.concatenate([member, member[gap]])
    s = np.concatenate([start, second_start[gap]])
    e = np.concatenate([np.where(gap, first_end, end), end[gap]])
    valid = e >= s  # people who died before their enrollment would have started are no members
    order = np.lexsort((s[valid], person[valid]))
    return {"person": person[valid][order], "start": s[valid][order], "end": e[valid][order]}


def enrolled_on(spans: dict[str, np.ndarray], n: int, day: np.datetime64) -> np.ndarray:
    """Boolean per person: covered by a span on `day`."""
    out = np.zeros(n, dtype=bool)
    cover = (spans["start"] <= day) & (spans["end"] >= day)
    out[spans["person"][cover]] = True
    return out
