"""Views of episodes shared by claims and EHR: facility legs (transfers) and diagnosis lists."""

from __future__ import annotations

import numpy as np

from pipelines.synth import codes, diagnoses
from pipelines.synth.codes import CONDITIONS
from pipelines.synth.population import People
from pipelines.synth.stays import UNPLANNED
from pipelines.synth.timeline import Timeline

TERTIARY = 3  # hospitals receive transfers at "University Hospital East"
STAY_DX_WIDTH = 25


def stay_legs(rng: np.random.Generator, stays: dict) -> dict[str, np.ndarray]:
    """One row per hospital leg; a transfer splits an episode into a 02 discharge and a new stay."""
    n = len(stays["adm"])
    t = np.flatnonzero(stays["transfer"])
    mid = stays["adm"][t] + np.maximum(1, stays["los"][t] // 3)
    next_day = rng.random(t.size) < 0.4
    stay = np.concatenate([np.arange(n), t])
    adm = np.concatenate([stays["adm"], mid + next_day])
    dis = np.concatenate([stays["dis"], stays["dis"][t]])
    dis[t] = mid
    dispo = np.concatenate([stays["dispo"], stays["dispo"][t]])
    dispo[t] = "02"
    hospital = np.concatenate([stays["hospital"], np.full(t.size, TERTIARY, dtype=np.int32)])
    clash = hospital[n:] == stays["hospital"][t]
    hospital[n:][clash] = (TERTIARY + 1) % 8
    source = np.where(stays["via_ed"], "1", "2")
    source = np.concatenate([source, np.full(t.size, "4")])
    first = np.concatenate([np.ones(n, bool), np.zeros(t.size, bool)])
    order = np.lexsort((adm, stays["person"][stay]))
    legs = dict(
        stay=stay,
        adm=adm,
        dis=dis,
        dispo=dispo,
        hospital=hospital,
        admit_source=source,
        first=first,
    )
    return {k: v[order] for k, v in legs.items()}


def stay_diagnoses(
    rng: np.random.Generator, people: People, tl: Timeline, stays: dict, cond_idx: np.ndarray
) -> np.ndarray:
    """(stays, 25) diagnosis codes: principal first, then active conditions and documented needs."""
    person, adm = stays["person"], stays["adm"]
    principal = diagnoses.lookup(stays["dx"])
    chronic = diagnoses.chronic_matrix(people, cond_idx, person, adm)
    i = diagnoses.INDEX
    extra = np.stack(
        [
            np.where(stays["hb_dis"] < 10, i[codes.ANEMIA_CODE], -1),
            np.where(
                (stays["na_dis"] < 133) & (stays["kind"] == UNPLANNED),
                i[codes.HYPONATREMIA_CODE],
                -1,
            ),
            np.where(
                people.onset[person, CONDITIONS.index("af")] <= adm, i[codes.ANTICOAGULANT_CODE], -1
            ),
            np.where(
                people.insulin[person] & (people.onset[person, CONDITIONS.index("dm")] <= adm),
                i[codes.INSULIN_CODE],
                -1,
            ),
        ],
        axis=1,
    )
    social = diagnoses.social_matrix(rng, people, tl, person, adm, 0.35)
    return diagnoses.pack(principal, chronic, extra, social, width=STAY_DX_WIDTH)
