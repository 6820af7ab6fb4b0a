"""Render a chunk's history into the extract tables (claims for members, EHR for patients)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from pipelines.synth import claims_facility as fac
from pipelines.synth import claims_professional as pro
from pipelines.synth import codes, diagnoses, ehr, ehr_results, members, pharmacy, phi
from pipelines.synth.claims_common import ChunkContext
from pipelines.synth.geography import Geography
from pipelines.synth.population import People
from pipelines.synth.providers import Providers
from pipelines.synth.simulate import History
from pipelines.synth.stay_views import stay_diagnoses, stay_legs
from pipelines.synth.timeline import Timeline
from pipelines.synth.visits import Visits, make_visits


def render(
    rng: Callable[[int], np.random.Generator],
    ctx: ChunkContext,
    people: People,
    h: History,
    geo: Geography,
    prov: Providers,
) -> dict[str, list[pl.DataFrame]]:
    """Every extract table of the chunk as a list of frames (claim families), before messiness."""
    tl = ctx.tl
    member = people.source != 2
    patient = people.source != 1
    ident = phi.identity_frame(rng(4), people, geo)
    cond_idx = diagnoses.condition_codes(people)
    legs = stay_legs(rng(5), h.stays)
    stay_dx = stay_diagnoses(rng(6), people, tl, h.stays, cond_idx)
    visits = make_visits(rng(7), people, h, tl)
    visit_dx = office_diagnoses(rng(8), people, tl, visits, cond_idx)
    ed = ed_details(rng(9), people, h, cond_idx)
    fills = pharmacy.make_fills(rng(10), people, h, tl.n_days)
    medical = [
        fac.inpatient_claims(rng(11), ctx, h, legs, stay_dx, prov, member),
        pro.attending_claims(ctx, h, stay_dx, prov, member),
        pro.surgeon_claims(ctx, h, stay_dx, prov, member),
        fac.ed_claims(rng(12), ctx, h, ed, prov, member),
        pro.ed_physician_claims(ctx, h, ed, prov, member),
        fac.post_acute_claims(rng(13), ctx, h, stay_dx, prov, member),
        pro.office_claims(ctx, visits, visit_dx, prov, member),
        pro.other_service_claims(ctx, visits, people, cond_idx, prov, member),
    ]
    enc = ehr.encounters(ctx, h, legs, stay_dx, visits, visit_dx, ed, patient, prov)
    return {
        "eligibility": [members.eligibility(rng(14), ctx, people, ident, h.death)],
        "medical_claim": medical,
        "pharmacy_claim": [pharmacy.pharmacy_claims(rng(15), ctx, fills, prov, member)],
        "patient": [members.patients(ctx, people, ident, h.death, patient)],
        "encounter": [enc.frame],
        "condition": [ehr.conditions(ctx, enc)],
        "procedure": [ehr.procedures(ctx, h, enc)],
        "medication": [pharmacy.prescriptions(ctx, fills, people, h, patient, prov)],
        "lab_result": [ehr_results.lab_results(rng(16), ctx, h, visits, enc)],
        "observation": [ehr_results.screening(rng(17), ctx, people, visits, enc)],
    }


def office_diagnoses(
    rng: np.random.Generator, people: People, tl: Timeline, v: Visits, cond_idx: np.ndarray
) -> np.ndarray:
    """(visits, 6) diagnoses of office visits: acute reason, conditions, documented needs."""
    acute_codes = diagnoses.lookup(np.array(codes.OFFICE_ACUTE))
    acute = np.where(v.acute >= 0, acute_codes[np.maximum(v.acute, 0)], -1)
    chronic = diagnoses.chronic_matrix(people, cond_idx, v.person, v.day)
    social = diagnoses.social_matrix(rng, people, tl, v.person, v.day, 0.05)
    screened = diagnoses.social_matrix(rng, people, tl, v.person, v.day, 0.6)
    social = np.where(v.screened[:, None], screened, social)
    dx = diagnoses.pack(acute, chronic, social, width=6)
    dx[dx[:, 0] < 0, 0] = diagnoses.INDEX[codes.WELLNESS_CODE]
    return dx


def ed_details(
    rng: np.random.Generator, people: People, h: History, cond_idx: np.ndarray
) -> dict[str, np.ndarray]:
    """Reason, E/M level (0-2), hospital and diagnoses (reason first) of each ED visit."""
    n = h.ed_person.size
    reasons = diagnoses.lookup(np.array(codes.ED_REASONS))
    reason = reasons[rng.integers(0, reasons.size, n)]
    chronic = diagnoses.chronic_matrix(people, cond_idx, h.ed_person, h.ed_day)
    return {
        "level": rng.choice(3, size=n, p=[0.35, 0.45, 0.2]),
        "hospital": (people.zip_idx[h.ed_person] % 8).astype(np.int32),
        "dx": diagnoses.pack(reason, chronic, width=6),
    }
