"""Chronic medications: pharmacy fills driven by each person's adherence, and EHR prescriptions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.synth.claims_common import ChunkContext, serial_ids
from pipelines.synth.codes import CONDITIONS, MEDICATIONS
from pipelines.synth.population import People
from pipelines.synth.providers import Providers
from pipelines.synth.simulate import History
from pipelines.synth.strings import cat

UNITS_PER_DAY = np.array([2.0, 0.334, 1.0, 1.0, 1.0, 1.0, 2.0, 0.6, 1.0])  # MEDICATIONS order
UNIT_COST = np.array([0.05, 30.0, 0.05, 0.3, 0.05, 0.4, 9.8, 1.7, 0.1])
NINETY_DAY_SHARE = 0.45
RENEWAL_DAYS = 180


@dataclass
class Fills:
    """Dispensings of chronic medications (before enrollment filtering)."""

    person: np.ndarray
    med: np.ndarray  # index into MEDICATIONS
    day: np.ndarray
    supply: np.ndarray
    course_start: np.ndarray  # first fill day of the person-medication course, per course
    course_person: np.ndarray
    course_med: np.ndarray
    course_supply: np.ndarray


def _courses(people: People) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    has = {c: people.onset[:, i] for i, c in enumerate(CONDITIONS)}
    has["dm_insulin"] = np.where(people.insulin, has["dm"], 10**6)
    start = np.stack([np.min([has[c] for c in trig], axis=0) for _, trig, *_ in MEDICATIONS], 1)
    person, med = np.nonzero(start < 10**6)
    return person, med, start[person, med]


def make_fills(rng: np.random.Generator, people: People, h: History, n_days: int) -> Fills:
    """Fill days per person-medication with interval supply / adherence on average."""
    person, med, onset = _courses(people)
    supply = np.where(rng.random(person.size) < NINETY_DAY_SHARE, 90, 30)
    pdc = np.clip(people.pdc[person] * np.exp(0.1 * rng.standard_normal(person.size)), 0.05, 1.0)
    first = np.where(
        onset < 0,
        (rng.random(person.size) * supply).astype(int),
        onset + rng.integers(0, 15, person.size),
    )
    k = n_days // 30 + 2
    gaps = rng.exponential((supply * (1 / pdc - 1))[:, None], size=(person.size, k))
    steps = supply[:, None] + gaps
    days = first[:, None] + np.concatenate(
        [np.zeros((person.size, 1)), np.cumsum(steps[:, :-1], axis=1)], axis=1
    )
    end = np.minimum(h.death[person], n_days)
    ok = days < end[:, None]
    row, col = np.nonzero(ok)
    return Fills(
        person=person[row],
        med=med[row],
        day=days[row, col].astype(np.int32),
        supply=supply[row],
        course_start=first,
        course_person=person,
        course_med=med,
        course_supply=supply,
    )


def pharmacy_claims(
    rng: np.random.Generator, ctx: ChunkContext, f: Fills, prov: Providers, members: np.ndarray
) -> pl.DataFrame:
    """Pharmacy claim lines (one fill per claim) of members while enrolled."""
    keep = members[f.person] & ctx.covered(f.person, f.day)
    person, med, day, supply = f.person[keep], f.med[keep], f.day[keep], f.supply[keep]
    order = np.lexsort((med, day, person))
    person, med, day, supply = person[order], med[order], day[order], supply[order]
    n = person.size
    qty = np.round(UNITS_PER_DAY[med] * supply, 0)
    allowed = np.round(UNIT_COST[med] * UNITS_PER_DAY[med] * supply * 1.0 + 2.0, 2)
    copay = np.where(ctx.payer[person] == 2, 1.0, np.where(allowed > 100, 47.0, 5.0))
    return pl.DataFrame(
        {
            "claim_id": serial_ids("RX", ctx.chunk, n),
            "claim_line_number": np.ones(n, dtype=np.int32),
            "person_id": ctx.person_id.gather(person),
            "member_id": ctx.member_id.gather(person),
            "payer": ctx.payer_name.gather(person),
            "plan": ctx.plan_name.gather(person),
            "prescribing_provider_npi": prov.pick("pcp", ctx.first + person),
            "dispensing_provider_npi": prov.pick("pharmacy", ctx.first + person),
            "dispensing_date": ctx.tl.dates(day),
            "paid_date": ctx.tl.dates(day),
            "ndc_code": cat([m[2] for m in MEDICATIONS], med),
            "quantity": qty,
            "days_supply": supply.astype(np.int32),
            "refills": rng.integers(0, 6, n).astype(np.int32),
            "paid_amount": np.maximum(np.round(allowed - copay, 2), 0.0),
            "allowed_amount": allowed,
            "copayment_amount": copay,
            "in_network_flag": np.ones(n, dtype=np.int32),
            "data_source": "synthetic health plan",
            "file_name": "pharmacy_claim",
            "file_date": ctx.tl.end,
            "_end_day": day,
            "_person": person,
        }
    )


def prescriptions(
    ctx: ChunkContext, f: Fills, people: People, h: History, ehr: np.ndarray, prov: Providers
) -> pl.DataFrame:
    """EHR medication orders: at the start of each course and every 180 days while alive."""
    sel = ehr[f.course_person]
    person, med = f.course_person[sel], f.course_med[sel]
    start, supply = np.maximum(f.course_start[sel], 0), f.course_supply[sel]
    end = np.minimum(h.death[person], ctx.tl.n_days)
    count = np.maximum((end - start - 1) // RENEWAL_DAYS + 1, 0)
    row = np.repeat(np.arange(person.size), count)
    k = np.arange(row.size) - np.repeat(np.cumsum(count) - count, count)
    day = start[row] + k * RENEWAL_DAYS
    person, med, supply = person[row], med[row], supply[row]
    order = np.lexsort((med, day, person))
    person, med, day, supply = person[order], med[order], day[order], supply[order]
    n = person.size
    return pl.DataFrame(
        {
            "medication_id": serial_ids("MO", ctx.chunk, n),
            "person_id": ctx.person_id.gather(person),
            "patient_id": ctx.patient_id.gather(person),
            "prescribing_date": ctx.tl.dates(day),
            "source_code_type": "rxnorm",
            "source_code": cat([m[3] for m in MEDICATIONS], med),
            "source_description": cat([m[4] for m in MEDICATIONS], med),
            "ndc_code": cat([m[2] for m in MEDICATIONS], med),
            "rxnorm_code": cat([m[3] for m in MEDICATIONS], med),
            "rxnorm_description": cat([m[4] for m in MEDICATIONS], med),
            "quantity": np.round(UNITS_PER_DAY[med] * supply, 0),
            "days_supply": supply.astype(np.int32),
            "practitioner_id": prov.pick("pcp", ctx.first + person),
            "data_source": "synthetic ehr",
            "file_name": "medication",
            "_person": person,
        }
    )
