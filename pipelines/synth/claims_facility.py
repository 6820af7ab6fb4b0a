"""Institutional claims: acute inpatient (bill type 111), ED (131), SNF (211), home health (329)."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.synth import codes
from pipelines.synth.claims_common import ChunkContext, assemble
from pipelines.synth.providers import Providers
from pipelines.synth.simulate import History
from pipelines.synth.stays import UNPLANNED
from pipelines.synth.strings import cat, const, from_array, select, where

# line types of an inpatient claim: revenue code, share of the payment, probability
INPATIENT_LINES = (
    (codes.REV_ROOM, 0.45, 1.0),
    (codes.REV_PHARMACY, 0.15, 1.0),
    (codes.REV_LAB, 0.12, 1.0),
    (codes.REV_RADIOLOGY, 0.08, 0.7),
    (codes.REV_SUPPLY, 0.06, 0.5),
    (codes.REV_ED, 0.06, 0.0),
    (codes.REV_OR, 0.25, 0.0),
)
BASE_DRG_PAYMENT = 6500.0
ICU_GROUPS = ("sepsis", "respfail")


def admit_type(stays: dict, stay: np.ndarray) -> pl.Series:
    """1 emergency (via the ED), 2 urgent, 3 elective (planned stays)."""
    return select([stays["kind"][stay] != UNPLANNED, stays["via_ed"][stay]], ["3", "1"], "2")


def inpatient_claims(
    rng: np.random.Generator,
    ctx: ChunkContext,
    h: History,
    legs: dict,
    stay_dx: np.ndarray,
    prov: Providers,
    members: np.ndarray,
) -> pl.DataFrame:
    """One institutional claim per hospital leg of members, several revenue lines each."""
    s = h.stays
    person = s["person"][legs["stay"]]
    keep = members[person] & ctx.covered(person, legs["adm"])
    lg = {k: v[keep] for k, v in legs.items()}
    stay, person, n = lg["stay"], person[keep], int(keep.sum())
    pcs = np.stack([s["pcs1"][stay], s["pcs2"][stay], s["pcs3"][stay]], axis=1)
    pcs = np.where((lg["dis"] == s["dis"][stay])[:, None], pcs, "")  # on the episode's last leg
    hospital = prov.hospital_npi(lg["hospital"])
    header = {
        "person": person,
        "start": lg["adm"],
        "end": lg["dis"],
        "claim_type": const("institutional", n),
        "bill_type_code": const("111", n),
        "admission_date": ctx.tl.dates(lg["adm"]),
        "discharge_date": ctx.tl.dates(lg["dis"]),
        "admit_source_code": from_array(lg["admit_source"]),
        "admit_type_code": admit_type(s, stay),
        "discharge_disposition_code": from_array(lg["dispo"]),
        "drg_code_type": const("ms-drg", n),
        "drg_code": from_array(s["drg"][stay]),
        "facility_npi": hospital,
        "billing_npi": hospital,
        "rendering_npi": prov.pick("hospitalist", stay + person * 31),
        "diagnosis_poa_1": const("Y", n),
        "dx": stay_dx[stay],
        "pcs": pcs,
        "pcs_day": lg["adm"] + (lg["dis"] > lg["adm"]),
    }
    claim, lines = _inpatient_lines(rng, s, lg, np.isin(pcs[:, 0], list(codes.SURGEON_CPT)))
    return assemble(ctx, header, claim, lines, "IP")


def _inpatient_lines(
    rng: np.random.Generator, s: dict, lg: dict, surgical: np.ndarray
) -> tuple[np.ndarray, dict]:
    """Revenue lines (room, pharmacy, lab, ...) and the DRG payment spread over them."""
    stay = lg["stay"]
    flags = rng.random((stay.size, len(INPATIENT_LINES))) < np.array(
        [p for _, _, p in INPATIENT_LINES]
    )
    flags[:, 5] = s["via_ed"][stay] & lg["first"]
    flags[:, 6] = surgical
    claim, kind = np.nonzero(flags)
    icu = np.isin(np.array(codes.ADMIT_KEYS + ("elective",))[s["group"][stay]], ICU_GROUPS)
    revenue = np.where((kind == 0) & icu[claim] & (rng.random(kind.size) < 0.4), 7, kind)
    weight = flags * np.array([w for _, w, _ in INPATIENT_LINES])
    payment = BASE_DRG_PAYMENT * (0.9 + 0.12 * s["n_chronic"][stay] + 1.2 * surgical)
    ed_level = np.where(kind == 5, (rng.random(kind.size) < 0.5).astype(int), -1)
    days = np.maximum(lg["dis"] - lg["adm"], 1)[claim]
    return claim, {
        "revenue_center_code": cat([r for r, _, _ in INPATIENT_LINES] + [codes.REV_ICU], revenue),
        "hcpcs_code": cat(["99284", "99285"], ed_level),
        "service_unit_quantity": np.where(kind == 0, days, 1).astype(float),
        "allowed": (payment[:, None] * weight / weight.sum(axis=1, keepdims=True))[claim, kind],
    }


def ed_claims(
    rng: np.random.Generator,
    ctx: ChunkContext,
    h: History,
    ed: dict,
    prov: Providers,
    members: np.ndarray,
) -> pl.DataFrame:
    """Treat-and-release ED visits: outpatient institutional claims with revenue code 0450."""
    keep = members[h.ed_person] & ctx.covered(h.ed_person, h.ed_day)
    person, day = h.ed_person[keep], h.ed_day[keep]
    n = person.size
    dx, hospital, level = ed["dx"][keep], ed["hospital"][keep], ed["level"][keep]
    header = {
        "person": person,
        "start": day,
        "end": day,
        "claim_type": const("institutional", n),
        "bill_type_code": const("131", n),
        "discharge_disposition_code": const("01", n),
        "facility_npi": prov.hospital_npi(hospital),
        "billing_npi": prov.hospital_npi(hospital),
        "rendering_npi": prov.pick("ed_physician", day + person),
        "dx": dx,
    }
    flags = rng.random((n, 4)) < np.array([1.0, 0.7, 0.45, 0.35])
    claim, kind = np.nonzero(flags)
    hcpcs = np.where(kind == 0, level[claim], np.array([-1, 3, 4, -1])[kind])
    lines = {
        "revenue_center_code": cat(
            [codes.REV_ED, codes.REV_LAB, codes.REV_RADIOLOGY, codes.REV_PHARMACY], kind
        ),
        "hcpcs_code": cat([*codes.ED_EM, "80048", "71046"], hcpcs),
        "service_unit_quantity": np.ones(kind.size),
        "allowed": np.where(
            kind == 0,
            np.array([450.0, 700.0, 1100.0])[level[claim]],
            np.array([0, 60.0, 90.0, 40.0])[kind],
        ),
    }
    return assemble(ctx, header, claim, lines, "ED")


def post_acute_claims(
    rng: np.random.Generator,
    ctx: ChunkContext,
    h: History,
    stay_dx: np.ndarray,
    prov: Providers,
    members: np.ndarray,
) -> pl.DataFrame:
    """Skilled nursing (after disposition 03) and home health (after 06) claims."""
    s = h.stays
    same_next = np.r_[s["person"][1:] == s["person"][:-1], False]
    next_adm = np.where(same_next, np.r_[s["adm"][1:], 0], 10**6)
    limit = np.minimum(np.minimum(next_adm, h.death[s["person"]]), ctx.tl.n_days) - 1
    snf, hh = s["dispo"] == "03", s["dispo"] == "06"
    start = np.where(snf, s["dis"], s["dis"] + 2)
    length = np.where(snf, 6 + rng.gamma(2.0, 6.0, snf.size).astype(int), 29)
    end = np.minimum(start + length, limit)
    ok = (snf | hh) & (end >= start) & members[s["person"]]
    i = np.flatnonzero(ok & ctx.covered(s["person"], start))
    is_snf = snf[i]
    days = end[i] - start[i] + 1
    facility = pl.select(
        pl.when(pl.lit(pl.Series(is_snf)))
        .then(pl.lit(prov.pick("snf", i)))
        .otherwise(pl.lit(prov.pick("home_health", i)))
    ).to_series()
    header = {
        "person": s["person"][i],
        "start": start[i],
        "end": end[i],
        "claim_type": const("institutional", i.size),
        "bill_type_code": where(is_snf, "211", "329"),
        "admission_date": ctx.tl.dates(start[i]),
        "discharge_date": ctx.tl.dates(end[i]),
        "admit_source_code": where(is_snf, "4", None),
        "admit_type_code": where(is_snf, "3", None),
        "discharge_disposition_code": const("01", i.size),
        "facility_npi": facility,
        "billing_npi": facility,
        "rendering_npi": prov.pick("specialist", i),
        "dx": stay_dx[i][:, :8],
    }
    claim, lines = _post_acute_lines(is_snf, days)
    return assemble(ctx, header, claim, lines, "PA")


def _post_acute_lines(is_snf: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, dict]:
    """SNF: room (0120, per day), therapy (0420), pharmacy (0250); home health: 0551 and 0421."""
    claim = np.repeat(np.arange(is_snf.size), 3)
    kind = np.tile(np.arange(3), is_snf.size)
    keep = ~((kind == 2) & ~is_snf[claim])
    claim, kind = claim[keep], kind[keep]
    snf = is_snf[claim]
    stay_days = days[claim]
    visits = np.maximum(stay_days // 4, 1)
    snf_amount = np.array([480.0, 150.0, 200.0])[kind] * np.where(kind == 0, stay_days, 1)
    return claim, {
        "revenue_center_code": cat(
            ["0120", "0420", "0250", "0551", "0421"], np.where(snf, kind, kind + 3)
        ),
        "hcpcs_code": cat(["G0299", "G0151"], np.where(snf, -1, kind)),
        "service_unit_quantity": np.where(
            kind == 0, np.where(snf, stay_days, visits), np.maximum(visits // 2, 1)
        ).astype(float),
        "allowed": np.where(snf, snf_amount, np.array([150.0, 160.0, 0])[kind] * visits),
    }
