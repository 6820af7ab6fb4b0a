"""Professional claims: hospital visits and surgeons (POS 21), ED (23), office care (11)."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.synth import codes, diagnoses
from pipelines.synth.claims_common import ChunkContext, assemble
from pipelines.synth.population import People
from pipelines.synth.providers import Providers
from pipelines.synth.simulate import History
from pipelines.synth.strings import cat, const
from pipelines.synth.visits import Visits

MAX_SUBSEQUENT = 10  # subsequent hospital care days billed per stay
EM_AMOUNT = {"99223": 190.0, "99232": 80.0, "99239": 110.0}
INPATIENT_EM = codes.INPATIENT_EM
OFFICE_AMOUNT = np.array([55.0, 90.0, 130.0, 180.0])


def _professional(
    n: int,
    person: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    pos: str,
    dx: np.ndarray,
    **extra: np.ndarray,
) -> dict:
    return {
        "person": person,
        "start": start,
        "end": end,
        "claim_type": const("professional", n),
        "place_of_service_code": const(pos, n),
        "dx": dx,
        **extra,
    }


def _covered_stays(ctx: ChunkContext, h: History, members: np.ndarray) -> np.ndarray:
    s = h.stays
    return np.flatnonzero(members[s["person"]] & ctx.covered(s["person"], s["adm"]))


def attending_claims(
    ctx: ChunkContext, h: History, stay_dx: np.ndarray, prov: Providers, members: np.ndarray
) -> pl.DataFrame:
    """Attending physician: initial (99223), subsequent (99232) and discharge (99239) visits."""
    s = h.stays
    i = _covered_stays(ctx, h, members)
    person, adm, dis = s["person"][i], s["adm"][i], s["dis"][i]
    header = _professional(
        i.size,
        person,
        adm,
        dis,
        "21",
        stay_dx[i][:, :4],
        facility_npi=prov.hospital_npi(s["hospital"][i]),
        billing_npi=prov.pick("clinic", i % 7),
    )
    per_claim = 2 + np.clip(dis - adm - 1, 0, MAX_SUBSEQUENT)
    claim = np.repeat(np.arange(i.size), per_claim)
    k = np.arange(claim.size) - np.repeat(np.cumsum(per_claim) - per_claim, per_claim)
    last = k == per_claim[claim] - 1
    code = np.where(k == 0, 0, np.where(last, 2, 1))
    day = np.where(last, dis[claim], adm[claim] + k)
    em = (INPATIENT_EM["initial"], INPATIENT_EM["subsequent"], INPATIENT_EM["discharge"])
    lines = {
        "claim_line_start_date": ctx.tl.dates(day),
        "claim_line_end_date": ctx.tl.dates(day),
        "hcpcs_code": cat(em, code),
        "rendering_npi": prov.pick("hospitalist", i * 13 + person).gather(claim),
        "service_unit_quantity": np.ones(claim.size),
        "allowed": np.array([EM_AMOUNT[c] for c in em])[code],
    }
    return assemble(ctx, header, claim, lines, "PH")


def surgeon_claims(
    ctx: ChunkContext, h: History, stay_dx: np.ndarray, prov: Providers, members: np.ndarray
) -> pl.DataFrame:
    """One surgeon line (CPT) for stays with a surgical principal procedure."""
    s = h.stays
    i = _covered_stays(ctx, h, members)
    i = i[np.isin(s["pcs1"][i], list(codes.SURGEON_CPT))]
    day = s["adm"][i] + (s["dis"][i] > s["adm"][i])
    header = _professional(
        i.size,
        s["person"][i],
        day,
        day,
        "21",
        stay_dx[i][:, :4],
        facility_npi=prov.hospital_npi(s["hospital"][i]),
        billing_npi=prov.pick("clinic", i % 5 + 7),
        rendering_npi=prov.pick("surgeon", i),
    )
    procedures = list(codes.SURGEON_CPT)
    which = np.array([procedures.index(c) for c in s["pcs1"][i]], dtype=int)
    lines = {
        "hcpcs_code": cat([codes.SURGEON_CPT[c] for c in procedures], which),
        "service_unit_quantity": np.ones(i.size),
        "allowed": np.full(i.size, 1100.0),
    }
    return assemble(ctx, header, np.arange(i.size), lines, "PS")


def ed_physician_claims(
    ctx: ChunkContext, h: History, ed: dict, prov: Providers, members: np.ndarray
) -> pl.DataFrame:
    """ED physician claims (POS 23) for treat-and-release visits."""
    keep = members[h.ed_person] & ctx.covered(h.ed_person, h.ed_day)
    person, day = h.ed_person[keep], h.ed_day[keep]
    dx = ed["dx"][keep][:, :4]
    header = _professional(
        person.size,
        person,
        day,
        day,
        "23",
        dx,
        rendering_npi=prov.pick("ed_physician", day + person),
        billing_npi=prov.pick("clinic", day % 3 + 12),
    )
    lines = {
        "hcpcs_code": cat(codes.ED_EM, ed["level"][keep]),
        "service_unit_quantity": np.ones(person.size),
        "allowed": np.array([75.0, 120.0, 170.0])[ed["level"][keep]],
    }
    return assemble(ctx, header, np.arange(person.size), lines, "EP")


def office_claims(
    ctx: ChunkContext, v: Visits, visit_dx: np.ndarray, prov: Providers, members: np.ndarray
) -> pl.DataFrame:
    """Office visits (E/M plus in-office labs) with the person's primary care physician."""
    keep = np.flatnonzero(members[v.person] & ctx.covered(v.person, v.day))
    person, day = v.person[keep], v.day[keep]
    pcp = prov.pick("pcp", ctx.first + person)
    header = _professional(
        keep.size,
        person,
        day,
        day,
        "11",
        visit_dx[keep],
        rendering_npi=pcp,
        billing_npi=prov.pick("clinic", person % 11),
    )
    labs = v.labs[keep]
    flags = np.stack(
        [
            np.ones(keep.size, bool),
            labs.any(axis=1),
            labs[:, 0],
            labs[:, 1] | labs[:, 2],
            labs[:, 3],
        ],
        axis=1,
    )
    claim, kind = np.nonzero(flags)
    code = np.where(kind == 0, v.em[keep][claim], len(codes.OFFICE_EM) - 1 + kind)
    amount = np.where(
        kind == 0, OFFICE_AMOUNT[v.em[keep]][claim], np.array([0, 3.0, 3.5, 9.0, 10.0])[kind]
    )
    lines = {
        "hcpcs_code": cat([*codes.OFFICE_EM, "36415", "85018", "80048", "83036"], code),
        "service_unit_quantity": np.ones(claim.size),
        "allowed": amount,
    }
    return assemble(ctx, header, claim, lines, "OV")


def other_service_claims(
    ctx: ChunkContext,
    v: Visits,
    people: People,
    cond_idx: np.ndarray,
    prov: Providers,
    members: np.ndarray,
) -> pl.DataFrame:
    """Single-line professional claims for tests, therapy, vaccines and wellness visits."""
    keep = np.flatnonzero(members[v.other_person] & ctx.covered(v.other_person, v.other_day))
    person, day, service = v.other_person[keep], v.other_day[keep], v.other_service[keep]
    chronic = diagnoses.chronic_matrix(people, cond_idx, person, day)
    services = codes.OTHER_SERVICES
    own = np.array([codes.CONDITIONS.index(c) if c else -1 for _, _, c in services])[service]
    own_code = np.where(own >= 0, chronic[np.arange(keep.size), np.maximum(own, 0)], -1)
    wellness = np.full(keep.size, diagnoses.INDEX[codes.WELLNESS_CODE], dtype=np.int16)
    dx = diagnoses.pack(own_code, chronic, wellness, width=4)
    pos = cat([p for _, p, _ in services], service)
    header = _professional(
        keep.size,
        person,
        day,
        day,
        "11",
        dx,
        rendering_npi=prov.pick("specialist", person + service * 101),
        billing_npi=prov.pick("clinic", service + 15),
    )
    header["place_of_service_code"] = pos
    lines = {
        "hcpcs_code": cat([c for c, _, _ in services], service),
        "service_unit_quantity": np.ones(keep.size),
        "allowed": np.array([220.0, 45.0, 35.0, 25.0, 40.0, 60.0, 140.0, 170.0, 3.0, 65.0])[
            service
        ],
    }
    return assemble(ctx, header, np.arange(keep.size), lines, "OS")
