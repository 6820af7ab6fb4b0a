"""True probabilities of both prediction tasks, computed exactly from the risk process.

For a window [a, a + L) and the history before a, P(no unplanned admission in the window) is the
product of exp(-background hazard over the at-risk days) and (1 - q) for every excess-readmission
process that can still fire in the window:

* at-risk days exclude the rest of a stay in progress at a, the days inside planned stays of the
  window (a planned admission day itself stays at risk: an unplanned event that day wins), and days
  from death on;
* the background hazard of a month uses the unplanned admissions of the 6 previous months that
  happened before a (none inside the window: we condition on no admission there);
* the process of the last stay before a fires on day d + k (k = 1..30) with probability p f(k), is
  cancelled by any later admission (so only days up to the next planned admission count) and, for
  days already passed without an admission, is updated by Bayes' rule;
* planned index stays inside the window start their own processes.

`readmission_30d`: a = discharge day + 1, L = 30, for index stays with 30 days of follow-up.
`admission_90d`: a = each month start with 90 days of follow-up, L = 90, for members enrolled and
alive that day. Outcomes count unplanned admissions only, as the pipeline's labels do.
"""

from __future__ import annotations

import numpy as np

from pipelines.synth import risk
from pipelines.synth.simulate import History
from pipelines.synth.stays import UNPLANNED
from pipelines.synth.timeline import Timeline

KEY = np.int64(10**7)  # person * KEY + day orders events by person, then day
WINDOW_MONTHS = 4  # a 90-day window touches at most 4 calendar months


def _key(person: np.ndarray, day: np.ndarray) -> np.ndarray:
    return person.astype(np.int64) * KEY + day


def window_truth(
    h: History, tl: Timeline, person: np.ndarray, a: np.ndarray, length: int
) -> tuple[np.ndarray, np.ndarray]:
    """True probability and outcome of >= 1 unplanned admission in [a, a + length)."""
    s = h.stays
    skey = _key(s["person"], s["adm"])
    unpl = s["kind"] == UNPLANNED
    ukey, pkey = skey[unpl], skey[~unpl]
    last = np.searchsorted(skey, _key(person, a)) - 1
    has_last = (last >= 0) & (s["person"][np.maximum(last, 0)] == person)
    last = np.maximum(last, 0)
    death = np.where(has_last & s["died"][last], s["dis"][last], h.death[person])
    first_planned = np.searchsorted(pkey, _key(person, a))
    p1 = _planned_day(s, ~unpl, first_planned, person)
    survival = np.exp(-_background(h, tl, person, a, length, death, has_last, last, ukey, pkey))
    q_last = _last_stay_process(s, person, a, length, death, has_last, last, p1)
    log_keep = np.log1p(-q_last) + _planned_processes(s, unpl, pkey, person, a, length, death)
    prob = 1 - survival * np.exp(log_keep)
    lo = np.searchsorted(ukey, _key(person, a))
    hi = np.searchsorted(ukey, _key(person, a + length))
    return prob, hi > lo


def _planned_day(s: dict, planned: np.ndarray, pos: np.ndarray, person: np.ndarray) -> np.ndarray:
    """Admission day of the planned stay at `pos` of the planned list, if it is `person`'s."""
    p_person, p_adm = s["person"][planned], s["adm"][planned]
    ok = pos < len(p_adm)
    safe = np.minimum(pos, max(len(p_adm) - 1, 0))
    if not len(p_adm):
        return np.full(len(pos), 10**9)
    return np.where(ok & (p_person[safe] == person), p_adm[safe], 10**9)


def _background(
    h: History,
    tl: Timeline,
    person: np.ndarray,
    a: np.ndarray,
    length: int,
    death: np.ndarray,
    has_last: np.ndarray,
    last: np.ndarray,
    ukey: np.ndarray,
    pkey: np.ndarray,
) -> np.ndarray:
    s = h.stays
    m0 = tl.month_of(a)
    cs = np.concatenate([np.zeros((h.counts.shape[0], 1)), np.cumsum(h.counts, 1)], axis=1)
    partial = np.searchsorted(ukey, _key(person, a)) - np.searchsorted(
        ukey, _key(person, tl.month_start[m0])
    )
    ongoing_end = np.where(has_last & (s["dis"][last] >= a), s["dis"][last] + 1, a)
    blocked = _planned_blocks(s, pkey, person, a, length)
    total = np.zeros(len(a))
    month_end = np.append(tl.month_start[1:], tl.n_days)
    for k in range(WINDOW_MONTHS):  # the few calendar months a window touches
        m = np.minimum(m0 + k, tl.n_months - 1)
        valid = m0 + k < tl.n_months
        prior = cs[person, m0] - cs[person, np.maximum(m0 + k - risk.UTIL_MONTHS, 0)]
        prior = prior + partial * (k >= 1)
        rate = risk.daily_rate(h.log_rate[person, m], prior)
        lo = np.maximum(np.maximum(a, tl.month_start[m]), ongoing_end)
        hi = np.minimum(np.minimum(a + length, month_end[m]), death)
        days = np.clip(hi - lo, 0, None) - _overlap(blocked, lo, hi, len(a))
        total += valid * rate * np.clip(days, 0, None)
    return total


def _planned_blocks(
    s: dict, pkey: np.ndarray, person: np.ndarray, a: np.ndarray, length: int
) -> tuple[np.ndarray, ...]:
    """(row, first, end) of days inside planned stays admitted in each row's window."""
    lo = np.searchsorted(pkey, _key(person, a))
    hi = np.searchsorted(pkey, _key(person, a + length))
    row = np.repeat(np.arange(len(a)), hi - lo)
    pos = np.arange(row.size) - np.repeat(np.cumsum(hi - lo) - (hi - lo), hi - lo) + lo[row]
    planned = np.flatnonzero(s["kind"] != UNPLANNED)[pos] if row.size else pos
    return row, s["adm"][planned] + 1, s["dis"][planned] + 1, planned


def _overlap(blocked: tuple, lo: np.ndarray, hi: np.ndarray, n: int) -> np.ndarray:
    row, first, end, _ = blocked
    out = np.zeros(n)
    if row.size:
        ov = np.clip(np.minimum(end, hi[row]) - np.maximum(first, lo[row]), 0, None)
        np.add.at(out, row, ov)
    return out


def _last_stay_process(
    s: dict,
    person: np.ndarray,
    a: np.ndarray,
    length: int,
    death: np.ndarray,
    has_last: np.ndarray,
    last: np.ndarray,
    p1: np.ndarray,
) -> np.ndarray:
    """Probability that the excess process of the last stay before a fires inside the window."""
    dis = s["dis"][last]
    p = np.where(has_last, s["p_excess"][last], 0.0)
    q = np.zeros(len(a))
    rel = np.flatnonzero((p > 0) & (dis + 30 >= a) & (dis + 1 < a + length))
    if not rel.size:
        return q
    f = risk.readmission_day_weights()
    day = dis[rel][:, None] + np.arange(1, 31)[None, :]
    alive = day < death[rel][:, None]
    inside = alive & (day >= a[rel][:, None]) & (day < (a[rel] + length)[:, None])
    inside &= day <= p1[rel][:, None]
    before = alive & (day < a[rel][:, None])
    q[rel] = p[rel] * (inside @ f) / (1 - p[rel] * (before @ f))
    return q


def _planned_processes(
    s: dict,
    unpl: np.ndarray,
    pkey: np.ndarray,
    person: np.ndarray,
    a: np.ndarray,
    length: int,
    death: np.ndarray,
) -> np.ndarray:
    """Sum over planned index stays in each window of log(1 - q) of their excess processes."""
    row, _, _, planned = _planned_blocks(s, pkey, person, a, length)
    out = np.zeros(len(a))
    if not row.size:
        return out
    keep = s["index"][planned]
    row, planned = row[keep], planned[keep]
    nxt_pos = np.searchsorted(pkey, _key(s["person"][planned], s["adm"][planned]), side="right")
    nxt = _planned_day(s, ~unpl, nxt_pos, s["person"][planned])
    day = s["dis"][planned][:, None] + np.arange(1, 31)[None, :]
    ok = (day < (a[row] + length)[:, None]) & (day <= nxt[:, None]) & (day < death[row][:, None])
    q = s["p_excess"][planned] * (ok @ risk.readmission_day_weights())
    np.add.at(out, row, np.log1p(-q))
    return out


def readmission_truth(h: History, tl: Timeline) -> dict[str, np.ndarray]:
    """One row per index discharge with 30 days of follow-up: person, as-of day, p, outcome."""
    s = h.stays
    rows = np.flatnonzero(s["index"] & (s["dis"] + 30 <= tl.n_days - 1))
    person, dis = s["person"][rows], s["dis"][rows]
    prob, outcome = window_truth(h, tl, person, dis + 1, 30)
    return {"person": person, "day": dis, "prob": prob, "outcome": outcome, "stay": rows}


def admission_truth(h: History, tl: Timeline, enrolled: np.ndarray) -> dict[str, np.ndarray]:
    """One row per member enrolled and alive at each month start with 90 days of follow-up.

    `enrolled` is a (persons, as-of months) boolean matrix in `tl.as_of_months()` order.
    """
    months = tl.as_of_months(90)
    day_of = tl.month_start[months]
    alive = h.death[:, None] > day_of[None, :]
    person, col = np.nonzero(enrolled & alive)
    day = day_of[col]
    order = np.lexsort((day, person))
    person, day = person[order], day[order]
    prob, outcome = window_truth(h, tl, person, day, 90)
    return {"person": person, "day": day, "prob": prob, "outcome": outcome}
