"""Run the risk process for one chunk: every acute stay, planned or not, in event order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synth import risk
from pipelines.synth.codes import CONDITIONS
from pipelines.synth.population import People
from pipelines.synth.stays import CHEMO, JOINT, PCI, UNPLANNED, make_stays
from pipelines.synth.timeline import NEVER, Timeline

CHEMO_SHARE = 0.2  # of people with cancer, share with an inpatient chemotherapy course
JOINT_SHARE = 0.10  # of people with knee/hip osteoarthritis, share with an elective replacement
PCI_SHARE = 0.04  # of people with coronary disease, share with an elective PCI


@dataclass
class History:
    """What happened to the people of a chunk (before any messiness)."""

    stays: dict[str, np.ndarray]  # one entry per acute episode, sorted by person and admission
    log_rate: np.ndarray  # (n, months) background log hazard before utilisation
    counts: np.ndarray  # (n, months) unplanned admissions per month
    death: np.ndarray  # death day (in or out of hospital), NEVER if alive at the end
    ed_person: np.ndarray  # treat-and-release ED visits
    ed_day: np.ndarray


def simulate(rng: np.random.Generator, people: People, tl: Timeline) -> History:
    """Generate all stays and ED visits of a chunk."""
    log_rate = risk.background_log_rate(people, tl)
    habit = rng.standard_normal(people.n)
    ed_counts = rng.poisson(risk.ed_daily_rate(log_rate, people, habit) * tl.month_days[None, :])
    n = people.n
    free = np.zeros(n, dtype=np.int32)
    horizon = np.minimum(people.death_out, tl.n_days).astype(np.int32)
    counts = np.zeros((n, tl.n_months), dtype=np.int16)
    forced = np.full(n, NEVER, dtype=np.int32)
    plan_day, plan_kind, cycles, gap = _plans(rng, people, tl)
    weights = risk.readmission_day_weights()
    rounds: list[dict] = []
    while (active := np.flatnonzero(free < horizon)).size:
        tb = _next_background(
            rng, log_rate[active], counts[active], free[active], horizon[active], tl
        )
        tu = np.minimum(tb, forced[active])
        tp = np.where(plan_day[active] < NEVER, np.maximum(plan_day[active], free[active]), NEVER)
        day = np.minimum(tu, tp)
        ok = day < horizon[active]
        free[active[~ok]] = NEVER
        idx, day, unplanned = active[ok], day[ok], (tu <= tp)[ok]
        if not idx.size:
            break
        kind = np.where(unplanned, UNPLANNED, plan_kind[idx])
        month = tl.month_of(day)
        prior_adm = _months_sum(counts[idx], month - 6, month + 1)  # this month so far, too
        prior_ed = _months_sum(ed_counts[idx], month - 6, month)
        st = make_stays(rng, people, tl, idx, day, kind, prior_adm, prior_ed)
        counts[idx[unplanned], month[unplanned]] += 1
        free[idx] = st["dis"] + 1
        horizon[idx] = np.where(st["died"], st["dis"] + 1, horizon[idx])
        drawn = rng.random(idx.size) < st["p_excess"]
        offset = rng.choice(np.arange(1, 31), size=idx.size, p=weights)
        forced[idx] = np.where(drawn, st["dis"] + offset, NEVER)
        st["excess_day"] = forced[idx].copy()
        planned = ~unplanned
        cycles[idx[planned]] -= 1
        again = planned & (cycles[idx] > 0)
        plan_day[idx[planned]] = np.where(again[planned], day[planned] + gap[idx[planned]], NEVER)
        rounds.append(st)
    stays = _concat(rounds)
    death = np.full(n, NEVER, dtype=np.int32)
    death[people.death_out < tl.n_days] = people.death_out[people.death_out < tl.n_days]
    death[stays["person"][stays["died"]]] = stays["dis"][stays["died"]]
    ed_person, ed_day = _ed_visits(rng, ed_counts, tl, stays, death)
    return History(stays, log_rate, counts, death, ed_person, ed_day)


def _plans(rng: np.random.Generator, people: People, tl: Timeline) -> tuple[np.ndarray, ...]:
    n = people.n
    onset = people.onset
    cancer = onset[:, CONDITIONS.index("cancer")]
    chemo = (cancer < tl.n_days - 60) & (rng.random(n) < CHEMO_SHARE) & (people.age0 >= 18)
    chemo_day = np.maximum(cancer, 0) + rng.integers(0, 400, n)
    oa = (onset[:, CONDITIONS.index("oa")] < 0) & (rng.random(n) < JOINT_SHARE) & ~chemo
    pci = (onset[:, CONDITIONS.index("cad")] < 0) & (rng.random(n) < PCI_SHARE) & ~chemo & ~oa
    day = np.select([chemo, oa | pci], [chemo_day, rng.integers(0, tl.n_days, n)], NEVER)
    kind = np.select([chemo, oa], [CHEMO, JOINT], PCI).astype(np.int8)
    cycles = np.where(chemo, rng.integers(4, 7, n), 1).astype(np.int16)
    gap = (21 + rng.integers(0, 4, n)).astype(np.int32)
    return np.minimum(day, NEVER).astype(np.int32), kind, cycles, gap


def _next_background(
    rng: np.random.Generator,
    log_rate: np.ndarray,
    counts: np.ndarray,
    free: np.ndarray,
    horizon: np.ndarray,
    tl: Timeline,
) -> np.ndarray:
    """First day of the piecewise-constant (monthly) background hazard at or after `free`."""
    rate = risk.daily_rate(log_rate, risk.prior_admissions(counts))
    month_end = np.append(tl.month_start[1:], tl.n_days)
    lo = np.maximum(tl.month_start[None, :], free[:, None])
    hi = np.minimum(month_end[None, :], horizon[:, None])
    days = np.clip(hi - lo, 0, None)
    cum = np.cumsum(rate * days, axis=1)
    need = rng.exponential(size=len(free))
    hit = cum >= need[:, None]
    m = hit.argmax(axis=1)
    r = np.arange(len(free))
    before = cum[r, m] - rate[r, m] * days[r, m]
    day = lo[r, m] + np.floor((need - before) / rate[r, m]).astype(np.int64)
    day = np.minimum(day, hi[r, m] - 1)
    return np.where(hit.any(axis=1), day, NEVER).astype(np.int32)


def _months_sum(counts: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per row, the sum of `counts` over months lo..hi-1 (clipped at the first month)."""
    cs = np.concatenate([np.zeros((len(lo), 1)), np.cumsum(counts, axis=1)], axis=1)
    r = np.arange(len(lo))
    return cs[r, hi] - cs[r, np.maximum(lo, 0)]


def _concat(rounds: list[dict]) -> dict[str, np.ndarray]:
    if not rounds:
        raise ValueError("no stays were generated; use more persons or a longer period")
    stays = {k: np.concatenate([r[k] for r in rounds]) for k in rounds[0]}
    order = np.lexsort((stays["adm"], stays["person"]))
    return {k: v[order] for k, v in stays.items()}


def _ed_visits(
    rng: np.random.Generator,
    ed_counts: np.ndarray,
    tl: Timeline,
    stays: dict[str, np.ndarray],
    death: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    person, month = np.nonzero(ed_counts)
    reps = ed_counts[person, month]
    person, month = np.repeat(person, reps), np.repeat(month, reps)
    day = tl.month_start[month] + (rng.random(len(month)) * tl.month_days[month]).astype(np.int32)
    keep = day < death[person]
    key = stays["person"].astype(np.int64) * 10**7 + stays["adm"]
    pos = np.searchsorted(key, person.astype(np.int64) * 10**7 + day, side="right") - 1
    prev_ok = (pos >= 0) & (stays["person"][np.maximum(pos, 0)] == person)
    inside = prev_ok & (day <= stays["dis"][np.maximum(pos, 0)])
    keep &= ~inside
    return person[keep].astype(np.int32), day[keep].astype(np.int32)
