"""What happens in a stay: reason, length, procedures, labs, discharge, and its readmission risk."""

from __future__ import annotations

import numpy as np

from pipelines.synth import codes, risk
from pipelines.synth.codes import ADMIT_GROUPS, ADMIT_KEYS, CONDITIONS, MEDICATIONS
from pipelines.synth.ids import exact_age
from pipelines.synth.population import People
from pipelines.synth.timeline import Timeline

UNPLANNED, CHEMO, JOINT, PCI = 0, 1, 2, 3
ELECTIVE_GROUP = len(ADMIT_KEYS)  # group index of planned stays
N_HOSPITALS = 8

BASE_WEIGHT: dict[str, float] = {
    "hf": 2.0,
    "copd": 1.4,
    "pneumonia": 1.0,
    "sepsis": 1.0,
    "uti": 0.6,
    "aki": 0.35,
    "nstemi": 0.6,
    "stroke": 0.5,
    "afib": 0.6,
    "gibleed": 0.4,
    "diabetes": 0.5,
    "hyponatremia": 0.2,
    "hipfx": 0.25,
    "cellulitis": 0.35,
    "syncope": 0.3,
    "etoh": 1.5,
    "respfail": 0.3,
    "psych": 0.8,
    "cancer": 1.8,
}
# Multipliers of a reason's weight by condition or trait (ordered: conditions, female, old, low Na).
WEIGHT_MULT: dict[str, dict[str, float]] = {
    "pneumonia": {"copd": 2.0, "dem": 1.5},
    "sepsis": {"dem": 1.3, "ckd": 1.3, "dm": 1.3},
    "uti": {"dem": 2.0, "female": 1.5},
    "aki": {"ckd": 3.0},
    "stroke": {"af": 2.0},
    "gibleed": {"af": 1.5},
    "hipfx": {"dem": 2.0, "old": 2.0, "female": 1.5},
    "cellulitis": {"dm": 1.5},
    "respfail": {"copd": 3.0, "hf": 1.5},
    "hyponatremia": {"lowna": 4.0},
}


def _traits(people: People, tl: Timeline, idx: np.ndarray, day: np.ndarray) -> dict:
    t = {c: people.onset[idx, i] <= day for i, c in enumerate(CONDITIONS)}
    age = (tl.dates(day) - people.birth[idx]).astype(int) / 365.25
    t.update(female=people.sex[idx] == 0, old=age >= 80, lowna=people.na0[idx] < 135, age=age)
    return t


def choose_groups(rng: np.random.Generator, t: dict[str, np.ndarray]) -> np.ndarray:
    """Reason (admit group index) for each unplanned admission."""
    n = len(t["age"])
    w = np.empty((n, len(ADMIT_GROUPS)))
    for g, grp in enumerate(ADMIT_GROUPS):  # loop over 19 reasons
        wg = np.full(n, BASE_WEIGHT[grp["key"]])
        for k, m in WEIGHT_MULT.get(grp["key"], {}).items():
            wg = wg * np.where(t[k], m, 1.0)
        w[:, g] = wg * (t[grp["req"]] if grp["req"] else 1.0)
    cum = np.cumsum(w, axis=1)
    return (cum < rng.random(n)[:, None] * cum[:, -1:]).sum(axis=1)


def _principal(
    rng: np.random.Generator,
    people: People,
    idx: np.ndarray,
    group: np.ndarray,
    kind: np.ndarray,
    t: dict,
) -> np.ndarray:
    out = np.empty(len(idx), dtype=object)
    for g, grp in enumerate(ADMIT_GROUPS):
        sel = (group == g) & (kind == UNPLANNED)
        out[sel] = np.array(grp["dx"])[rng.integers(0, len(grp["dx"]), sel.sum())]
    hf = (group == ADMIT_KEYS.index("hf")) & (kind == UNPLANNED)
    acute = np.array(["I5023", "I5033", "I5043"])[people.cond_code[idx, CONDITIONS.index("hf")]]
    hyper = np.where(t["ckd"], "I130", "I110")
    out[hf] = np.where(rng.random(len(idx)) < 0.85, acute, hyper)[hf]
    cancer_codes = np.array(codes.CONDITION_CODES["cancer"][0])
    person_cancer = cancer_codes[people.cond_code[idx, CONDITIONS.index("cancer")]]
    out[group == ADMIT_KEYS.index("cancer")] = person_cancer[group == ADMIT_KEYS.index("cancer")]
    oa_codes = np.array(codes.CONDITION_CODES["oa"][0])[
        people.cond_code[idx, CONDITIONS.index("oa")]
    ]
    out[kind == CHEMO] = codes.CHEMO["dx"]
    out[kind == JOINT] = oa_codes[kind == JOINT]
    out[kind == PCI] = codes.ELECTIVE_PCI["dx"]
    return out.astype(str)


def _procedures(
    rng: np.random.Generator, group: np.ndarray, kind: np.ndarray, dx: np.ndarray
) -> np.ndarray:
    n = len(group)
    pcs = np.full((n, 3), "", dtype=object)
    for g, grp in enumerate(ADMIT_GROUPS):
        for slot, (code, p) in enumerate(grp["pcs"]):
            sel = (group == g) & (kind == UNPLANNED) & (rng.random(n) < p)
            pcs[sel, slot] = code
    hip = pcs[:, 0] == "HIPFIX"
    pcs[hip, 0] = [codes.HIP_FIXATION[d] for d in dx[hip]]
    pcs[kind == CHEMO, 0] = codes.CHEMO["pcs"]
    pcs[kind == JOINT, 0] = [codes.JOINT_REPLACEMENT[d] for d in dx[kind == JOINT]]
    pcs[kind == PCI, 0] = codes.ELECTIVE_PCI["pcs"]
    # shift empty slots left so procedure_code_1 is the principal procedure
    order = np.argsort(pcs == "", axis=1, kind="stable")
    return np.take_along_axis(pcs, order, axis=1).astype(str)


def _los(
    rng: np.random.Generator, group: np.ndarray, kind: np.ndarray, t: dict, frailty: np.ndarray
) -> np.ndarray:
    mean = np.array([g["los"] for g in ADMIT_GROUPS] + [2.0])[group]
    mult = np.exp(0.12 * frailty + 0.1 * (t["age"] - 75) / 10)
    unplanned = 1 + np.round(rng.gamma(2.0, np.maximum(mean - 1, 0.3) * mult / 2))
    planned_mean = np.choose(np.clip(kind - 1, 0, 2), [0.8, 1.2, 0.3])
    planned = 1 + rng.poisson(planned_mean)
    return np.where(kind == UNPLANNED, unplanned, planned).astype(np.int32)


def _disposition(
    rng: np.random.Generator,
    group: np.ndarray,
    kind: np.ndarray,
    t: dict,
    people: People,
    idx: np.ndarray,
    los: np.ndarray,
) -> tuple[np.ndarray, ...]:
    n = len(idx)
    z = people.frailty[idx]
    die_base = np.array([g["die"] for g in ADMIT_GROUPS] + [0.0])[group]
    p_die = np.minimum(0.55 * die_base * np.exp(0.05 * (t["age"] - 75) + 0.25 * z), 0.5)
    died = (kind == UNPLANNED) & (rng.random(n) < p_die)
    key = np.array(ADMIT_KEYS + ("elective",))[group]
    p_ama = (0.012 + 0.06 * t["aud"] + 0.04 * people.social[idx, 0]) * (t["age"] >= 18)
    p_snf = 1 / (
        1
        + np.exp(
            -(
                -2.6
                + 0.06 * (t["age"] - 75)
                + 0.4 * z
                + 1.2 * (key == "hipfx")
                + 0.6 * t["dem"]
                + 0.4 * (key == "stroke")
            )
        )
    )
    p_hh = 1 / (1 + np.exp(-(-1.6 + 0.03 * (t["age"] - 75) + 0.3 * t["hf"])))
    u = rng.random((n, 3))
    unplanned = np.select(
        [u[:, 0] < p_ama, u[:, 1] < p_snf, u[:, 2] < p_hh], ["07", "03", "06"], "01"
    )
    joint = np.select([u[:, 1] < 0.1, u[:, 2] < 0.35], ["03", "06"], "01")
    dispo = np.select([died, kind == UNPLANNED, kind == JOINT], ["20", unplanned, joint], "01")
    p_transfer = 0.02 + 0.05 * np.isin(key, ("nstemi", "stroke"))
    transfer = (kind == UNPLANNED) & (los >= 3) & (rng.random(n) < p_transfer)
    return dispo, died, transfer


def _drg(
    rng: np.random.Generator,
    group: np.ndarray,
    kind: np.ndarray,
    dx: np.ndarray,
    pcs: np.ndarray,
    n_chronic: np.ndarray,
    z: np.ndarray,
) -> np.ndarray:
    n = len(group)
    p_mcc = 1 / (1 + np.exp(-(-1.8 + 0.25 * n_chronic + 0.5 * z)))
    u = rng.random(n)
    sev = np.where(u < p_mcc, 0, np.where(u < p_mcc + (1 - p_mcc) * 0.45, 1, 2))
    table = np.array([g["drg"] for g in ADMIT_GROUPS])
    drg = table[np.minimum(group, len(ADMIT_GROUPS) - 1), sev]
    cancer = group == ADMIT_KEYS.index("cancer")
    drg[cancer] = [codes.CANCER_DRG[d][s] for d, s in zip(dx[cancer], sev[cancer], strict=True)]
    pci = (pcs[:, 0] == "02703DZ") & (kind == UNPLANNED)
    drg[pci] = np.where(sev[pci] == 0, "321", "322")
    drg[kind == CHEMO] = codes.CHEMO["drg"]
    drg[kind == JOINT] = codes.JOINT["drg"]
    drg[kind == PCI] = codes.ELECTIVE_PCI["drg"]
    return drg


def _labs(
    rng: np.random.Generator, people: People, idx: np.ndarray, group: np.ndarray, kind: np.ndarray
) -> dict[str, np.ndarray]:
    n = len(idx)
    unpl = kind == UNPLANNED
    hb_shift = np.array([g["hb"] for g in ADMIT_GROUPS] + [0.0])[group] * unpl
    na_shift = np.array([g["na"] for g in ADMIT_GROUPS] + [0.0])[group] * unpl
    cr_mult = np.where(group == ADMIT_KEYS.index("aki"), 2.2, 1.0) * np.where(unpl, 1.1, 1.0)
    hb0, na0 = people.hb0[idx], people.na0[idx]
    return {
        "hb_adm": hb0 + 0.7 * hb_shift + 0.6 * rng.standard_normal(n),
        "na_adm": na0 + na_shift + 1.5 * rng.standard_normal(n),
        "cr_adm": people.cr0[idx] * cr_mult * np.exp(0.12 * rng.standard_normal(n)),
        "hb_dis": hb0 + hb_shift - 0.3 * unpl + 0.6 * rng.standard_normal(n),
        "na_dis": na0 + 0.5 * na_shift + 1.5 * rng.standard_normal(n),
    }


def chronic_counts(people: People, idx: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, ...]:
    """Active chronic conditions and chronic medications of persons `idx` on `day`."""
    active = people.onset[idx] <= day[:, None]
    has = {c: active[:, i] for i, c in enumerate(CONDITIONS)}
    has["dm_insulin"] = has["dm"] & people.insulin[idx]
    meds = sum(np.logical_or.reduce([has[c] for c in trig]) for _, trig, *_ in MEDICATIONS)
    return active.sum(axis=1), meds


def _risk_features(
    people: People,
    idx: np.ndarray,
    t: dict,
    stay: dict,
    labs: dict,
    prior_adm: np.ndarray,
    prior_ed: np.ndarray,
) -> dict[str, np.ndarray]:
    """What `risk.readmission_logit` reads about each new stay."""
    social = {d: people.social[idx, j] for j, d in enumerate(codes.SOCIAL_DOMAINS)}
    conditions = {c: t[c] for c in ("hf", "copd", "ckd", "cancer", "dem", "dep", "aud")}
    return dict(
        age=t["age"],
        n_chronic=stay["n_chronic"],
        prior_adm=prior_adm,
        prior_ed=prior_ed,
        los=stay["los"],
        hb=labs["hb_dis"],
        na=labs["na_dis"],
        n_meds=stay["n_meds"],
        pdc=people.pdc[idx],
        adi=people.adi[idx],
        dual=people.payer[idx] == 1,
        medicaid=people.payer[idx] == 2,
        on_adherence_meds=risk.on_observable_medication(np.stack([t[c] for c in CONDITIONS], 1)),
        snf=stay["dispo"] == "03",
        home_health=stay["dispo"] == "06",
        frailty=people.frailty[idx],
        group=stay["group"],
        **conditions,
        **social,
    )


def make_stays(
    rng: np.random.Generator,
    people: People,
    tl: Timeline,
    idx: np.ndarray,
    adm: np.ndarray,
    kind: np.ndarray,
    prior_adm: np.ndarray,
    prior_ed: np.ndarray,
) -> dict[str, np.ndarray]:
    """Attributes of new stays of persons `idx` admitted on day `adm` (kind: UNPLANNED, ...)."""
    t = _traits(people, tl, idx, adm)
    group = np.where(kind == UNPLANNED, choose_groups(rng, t), ELECTIVE_GROUP)
    dx = _principal(rng, people, idx, group, kind, t)
    pcs = _procedures(rng, group, kind, dx)
    los = _los(rng, group, kind, t, people.frailty[idx])
    dispo, died, transfer = _disposition(rng, group, kind, t, people, idx, los)
    n_chronic, n_meds = chronic_counts(people, idx, adm)
    labs = _labs(rng, people, idx, group, kind)
    age_years = exact_age(people.birth[idx], tl.dates(adm))
    eligible_group = np.array([g["index"] for g in ADMIT_GROUPS] + [True])[group]
    index = eligible_group & (kind != CHEMO) & ~died & (dispo != "07") & (age_years >= 18)
    stay = dict(group=group, los=los, dispo=dispo, n_chronic=n_chronic, n_meds=n_meds)
    feats = _risk_features(people, idx, t, stay, labs, prior_adm, prior_ed)
    p_excess = np.where(index, risk.readmission_probability(feats), 0.0)
    home = np.where(
        rng.random(len(idx)) < 0.8,
        people.zip_idx[idx] % N_HOSPITALS,
        rng.integers(0, N_HOSPITALS, len(idx)),
    )
    return dict(
        person=idx,
        adm=adm.astype(np.int32),
        dis=(adm + los).astype(np.int32),
        kind=kind,
        group=group,
        dx=dx,
        pcs1=pcs[:, 0],
        pcs2=pcs[:, 1],
        pcs3=pcs[:, 2],
        los=los,
        dispo=dispo,
        died=died,
        transfer=transfer,
        via_ed=(kind == UNPLANNED) & (rng.random(len(idx)) < 0.8),
        drg=_drg(rng, group, kind, dx, pcs, n_chronic, people.frailty[idx]),
        index=index,
        p_excess=p_excess,
        n_chronic=n_chronic,
        n_meds=n_meds,
        age=age_years,
        hospital=home.astype(np.int32),
        **labs,
    )
