"""Outpatient care: office visits (with labs and social-needs screening) and other services."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synth import codes
from pipelines.synth.codes import CONDITIONS
from pipelines.synth.population import People
from pipelines.synth.simulate import History
from pipelines.synth.timeline import Timeline

LAB_KEYS = ("hb", "na", "cr", "a1c")
SCREEN_SHARE = 0.45  # share of EHR patients screened for social needs in a given year


@dataclass
class Visits:
    """Office visits and other outpatient services of a chunk."""

    person: np.ndarray
    day: np.ndarray
    em: np.ndarray  # index into codes.OFFICE_EM
    acute: np.ndarray  # index into codes.OFFICE_ACUTE, -1 for a chronic-care visit
    labs: np.ndarray  # (visits, 4) bool: which of LAB_KEYS were drawn
    lab_values: np.ndarray  # (visits, 4) values
    screened: np.ndarray  # bool: social-needs screening done at this visit
    other_person: np.ndarray
    other_day: np.ndarray
    other_service: np.ndarray  # index into codes.OTHER_SERVICES


def _monthly_events(
    rng: np.random.Generator, rate: np.ndarray, tl: Timeline, death: np.ndarray, stays: dict
) -> tuple[np.ndarray, np.ndarray]:
    """Poisson events from (persons, months) monthly rates, outside stays and before death."""
    counts = rng.poisson(rate)
    person, month = np.nonzero(counts)
    reps = counts[person, month]
    person, month = np.repeat(person, reps), np.repeat(month, reps)
    day = tl.month_start[month] + (rng.random(person.size) * tl.month_days[month]).astype(np.int32)
    key = stays["person"].astype(np.int64) * 10**7 + stays["adm"]
    pos = np.maximum(np.searchsorted(key, person.astype(np.int64) * 10**7 + day, "right") - 1, 0)
    inside = (
        (stays["person"][pos] == person) & (stays["adm"][pos] <= day) & (day <= stays["dis"][pos])
    )
    keep = (day < death[person]) & ~inside
    order = np.lexsort((day[keep], person[keep]))
    return person[keep][order].astype(np.int32), day[keep][order].astype(np.int32)


def make_visits(rng: np.random.Generator, people: People, h: History, tl: Timeline) -> Visits:
    """Draw office visits and other services."""
    active = people.onset[:, :, None] <= tl.month_start[None, None, :]
    n_chronic = active.sum(axis=1)
    age = people.age0[:, None]
    base = np.select([age < 18, age < 65], [0.18, 0.3], 0.45)
    person, day = _monthly_events(rng, base + 0.11 * n_chronic, tl, h.death, h.stays)
    other_base = np.select([age < 18, age < 65], [0.1, 0.45], 0.75)
    o_person, o_day = _monthly_events(rng, other_base + 0.2 * n_chronic, tl, h.death, h.stays)
    labs, values = _labs(rng, people, person)
    return Visits(
        person=person,
        day=day,
        em=rng.choice(len(codes.OFFICE_EM), size=person.size, p=[0.1, 0.5, 0.33, 0.07]),
        acute=np.where(
            rng.random(person.size) < 0.25,
            rng.integers(0, len(codes.OFFICE_ACUTE), person.size),
            -1,
        ),
        labs=labs,
        lab_values=values,
        screened=_screening(rng, people, person, day),
        other_person=o_person,
        other_day=o_day,
        other_service=_other_services(rng, people, o_person, o_day),
    )


def _labs(rng: np.random.Generator, people: People, person: np.ndarray) -> tuple[np.ndarray, ...]:
    n = person.size
    ckd_hf = people.onset[person][:, [CONDITIONS.index("ckd"), CONDITIONS.index("hf")]] < 10**6
    p_panel = np.where(ckd_hf.any(axis=1), 0.55, 0.35)
    panel = rng.random(n) < p_panel
    dm = people.onset[person, CONDITIONS.index("dm")] < 10**6
    a1c = dm & (rng.random(n) < 0.4) | (~dm & (rng.random(n) < 0.04))
    labs = np.stack([panel, panel, panel, a1c], axis=1)
    values = np.stack(
        [
            people.hb0[person] + 0.5 * rng.standard_normal(n),
            people.na0[person] + 1.5 * rng.standard_normal(n),
            people.cr0[person] * np.exp(0.08 * rng.standard_normal(n)),
            people.a1c0[person] + 0.4 * rng.standard_normal(n),
        ],
        axis=1,
    )
    return labs, values


def _screening(
    rng: np.random.Generator, people: People, person: np.ndarray, day: np.ndarray
) -> np.ndarray:
    """Screen at the first visit of a year for a share of EHR patients (visits sorted by day)."""
    year = day // 365
    first = np.ones(person.size, dtype=bool)
    first[1:] = (person[1:] != person[:-1]) | (year[1:] != year[:-1])
    ehr = people.source[person] != 1
    return first & ehr & (rng.random(person.size) < SCREEN_SHARE) & (people.age0[person] >= 18)


def _other_services(
    rng: np.random.Generator, people: People, person: np.ndarray, day: np.ndarray
) -> np.ndarray:
    services = codes.OTHER_SERVICES
    w = np.empty((person.size, len(services)))
    for j, (_, _, cond) in enumerate(services):  # ten service types
        w[:, j] = 1.0 if not cond else 3.0 * (people.onset[person, CONDITIONS.index(cond)] <= day)
    cum = np.cumsum(w, axis=1)
    return (cum < rng.random(person.size)[:, None] * cum[:, -1:]).sum(axis=1)
