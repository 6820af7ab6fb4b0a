"""The documented risk process that decides who is admitted and who is readmitted.

Two processes generate every unplanned acute admission, and both truth tasks are computed from them
exactly (see `truth.py`), so the truth is calibrated against the generated outcomes by construction.

1. Background admissions. Each person has a daily hazard of an unplanned acute admission that is
   constant within a calendar month:

       log hazard(person, month) = log(BASE_YEARLY_RATE / 365.25) + age (linear above 40, more
                                   from 85) + conditions active at the month start + frailty
                                   + social needs (isolation only from age 75)
                                   + deprivation (linear, more in the most deprived areas)
                                   + payer + low adherence x (on a statin, ACE inhibitor or
                                     metformin: the fills whose PDC the pipeline sees)
                                   + UTIL_COEF * log(1 + unplanned admissions in the 6 previous
                                     calendar months)

   softly capped at RATE_CAP_YEARLY. The hazard is zero while the person is in hospital (from the
   day after an admission to its discharge day) and from the death (in or out of hospital) on.
   Treat-and-release ED visits follow the admission hazard only in part (ED_ELASTICITY < 1) and a
   person's own ED habit (Medicaid, alcohol use, housing, and an unexplained part), so ED counts
   are a blurred copy of the admission risk, as in real data.

2. Excess readmission after an index discharge (alive, not against medical advice, age >= 18,
   principal diagnosis not in a CMS exclusion category). With probability p (the logistic model
   below) an extra admission is scheduled 1-30 days after discharge, the day drawn from
   `readmission_day_weights` (front-loaded). It happens if the person is alive and not in
   hospital that day; any admission (planned or not) before it cancels it.

   logit p = READMIT_INTERCEPT + U-shaped age (young adults and the oldest) + age >= 85
             + chronic conditions (few points) + heart failure, COPD, CKD, dementia, depression,
               alcohol use (cancer little) + prior admissions (6 months, small)
             + length of stay (small: >= 5 and >= 10 days)
             + hemoglobin < 10 / < 11.5 g/dL + sodium < 135 / < 130 mmol/L (at discharge)
             + 5 and 7 or more chronic medications
             + low adherence (on PDC-visible medications) + heart failure x low adherence
             + housing, food, transport, financial needs + isolation, isolation x age >= 75,
               dementia x isolation, alcohol use x housing need
             + deprivation (linear and top areas) + dual eligibility + Medicaid
             + SNF / home-health discharge + reason for admission (elective stays lower)
             + unobserved frailty

   Most of p therefore comes from what LACE (length of stay, acuity, Charlson, ED visits) and
   HOSPITAL do not see or see only as a coarse threshold: age, payer, deprivation, social needs,
   adherence, polypharmacy, labs, alcohol use and depression, and the interactions. The
   coefficients are in READMIT_COEF; ED visits carry no excess risk of their own.

A readmission is itself an admission and may be an index stay. The 30-day unplanned readmission
probability of an index stay is 1 - (1 - p x share of its 30 days at risk) x exp(-background
hazard over those days). Unobserved frailty and the exact adherence (data show only fills) keep a
model trained on the extracts below the oracle. Planned stays (chemotherapy cycles, elective joint
replacement, elective PCI) follow schedules and never count as outcomes; elective ones are index
stays with their own, lower, excess risk.
"""

from __future__ import annotations

import numpy as np

from pipelines.synth.codes import ADMIT_KEYS, CONDITIONS
from pipelines.synth.population import People
from pipelines.synth.timeline import NEVER, Timeline

# ---- 1. background admissions (log of the yearly rate at age 75 without conditions) ----------
BASE_YEARLY_RATE = 0.05
AGE_PER_YEAR = 0.02  # per year of age above 40 (flat below 40)
AGE_85_COEF = 0.25  # extra from age 85 (non-linear)
CONDITION_COEF: dict[str, float] = {
    "htn": 0.05,
    "hld": 0.0,
    "dm": 0.25,
    "cad": 0.25,
    "af": 0.25,
    "ckd": 0.45,
    "hf": 0.75,
    "copd": 0.6,
    "dep": 0.4,
    "dem": 0.45,
    "cancer": 0.6,
    "aud": 0.9,
    "oa": 0.05,
}
FRAILTY_COEF = 0.35
SOCIAL_COEF: dict[str, float] = {"housing": 0.6, "food": 0.3, "transport": 0.35, "financial": 0.2}
ISOLATION_OLD_COEF = 0.35  # social isolation only matters from age 75
LOW_ADHERENCE_COEF = 1.5  # x max(0, 0.8 - PDC), for people on a chronic medication
ADHERENCE_TARGET = 0.8
# conditions whose medications (statin, ACE inhibitor, metformin) let data show adherence (PDC)
ADHERENCE_CONDITIONS = ("htn", "hld", "cad", "dm", "hf", "ckd")
PAYER_COEF = {"dual": 0.3, "medicaid": 0.3}
ADI_COEF = 0.08  # per 10 percentile points above 50
ADI_TOP_COEF = 0.2  # extra in the most deprived areas (percentile >= ADI_TOP)
ADI_TOP = 85
UTIL_COEF = 0.2
UTIL_MONTHS = 6
RATE_CAP_YEARLY = 4.0  # soft ceiling on the background hazard (rate / (1 + rate / cap))

# ED treat-and-release visits: partly the admission hazard (elasticity < 1), partly a person's own
# ED habit (access, insurance, alcohol, housing), plus a floor; not an outcome.
ED_YEARLY_AT_BASE = 0.12  # at the base admission hazard and an average ED habit
ED_ELASTICITY = 0.6
ED_HABIT_SD = 0.8
ED_HABIT_COEF = {"medicaid": 0.4, "aud": 0.5, "housing": 0.5}
ED_FLOOR_YEARLY = 0.15

# ---- 2. excess readmission (logistic) ----------------------------------------------------------
READMIT_INTERCEPT = -4.45
READMIT_AGE_U = 0.22  # x ((age - 62) / 18) ** 2: higher for young adults and the oldest
READMIT_COEF: dict[str, float] = {
    "n_chronic": 0.03,
    "hf": 0.3,
    "copd": 0.25,
    "ckd": 0.2,
    "cancer": 0.1,
    "dem": 0.25,
    "dep": 0.25,
    "aud": 0.5,
    "prior_adm": 0.12,
    "prior_ed": 0.0,
    "los_1": 0.0,
    "los_5": 0.05,
    "los_10": 0.1,
    "hb_10": 0.45,
    "hb_11": 0.3,
    "na_135": 0.2,
    "na_130": 0.4,
    "meds_5": 0.25,
    "meds_7": 0.2,
    "low_adherence": 1.2,
    "hf_low_adherence": 1.0,
    "housing": 0.4,
    "food": 0.3,
    "transport": 0.3,
    "financial": 0.15,
    "isolation": 0.1,
    "isolation_old": 0.4,
    "dem_isolation": 0.3,
    "aud_housing": 0.3,
    "adi": 0.05,
    "adi_top": 0.25,
    "dual": 0.3,
    "medicaid": 0.2,
    "age_85": 0.2,
    "snf": 0.15,
    "home_health": 0.05,
    "frailty": 0.15,
}
READMIT_GROUP_COEF: dict[str, float] = {
    "hf": 0.15,
    "copd": 0.15,
    "sepsis": 0.1,
    "aki": 0.05,
    "gibleed": 0.1,
    "respfail": 0.1,
    "etoh": 0.2,
    "syncope": -0.2,
    "cellulitis": -0.05,
    "nstemi": -0.05,
    "elective": -0.6,
}
READMIT_DAY_DECAY = 10.0  # days: weight of day k after discharge is exp(-k / decay)


def readmission_day_weights() -> np.ndarray:
    """Probability that a scheduled excess readmission falls on day k = 1..30 after discharge."""
    w = np.exp(-np.arange(1, 31) / READMIT_DAY_DECAY)
    return w / w.sum()


def on_observable_medication(active: np.ndarray) -> np.ndarray:
    """Whether a person takes a medication whose fills show adherence, from active conditions."""
    return active[:, [CONDITIONS.index(c) for c in ADHERENCE_CONDITIONS]].any(axis=1)


def background_log_rate(people: People, tl: Timeline) -> np.ndarray:
    """Log daily hazard of an unplanned admission per person and month, before utilisation."""
    age = people.age0[:, None] + tl.month_start[None, :] / 365.25
    lr = np.log(BASE_YEARLY_RATE / 365.25) + AGE_PER_YEAR * (np.maximum(age, 40) - 75)
    lr = lr + AGE_85_COEF * (age >= 85)
    active = people.onset[:, :, None] <= tl.month_start[None, None, :]
    coef = np.array([CONDITION_COEF[c] for c in CONDITIONS])
    lr = lr + np.einsum("ncm,c->nm", active, coef)
    lr += _static_terms(people)[:, None]
    gap = np.maximum(0.0, ADHERENCE_TARGET - people.pdc)[:, None]
    lr = lr + LOW_ADHERENCE_COEF * gap * on_observable_medication(active)
    lr = lr + ISOLATION_OLD_COEF * (people.social[:, 4][:, None] & (age >= 75))
    return lr.astype(np.float32)


def _static_terms(people: People) -> np.ndarray:
    s = FRAILTY_COEF * people.frailty + ADI_COEF * (people.adi - 50) / 10
    s = s + ADI_TOP_COEF * (people.adi >= ADI_TOP)
    for i, dom in enumerate(("housing", "food", "transport", "financial")):
        s = s + SOCIAL_COEF[dom] * people.social[:, i]
    return (
        s + PAYER_COEF["dual"] * (people.payer == 1) + PAYER_COEF["medicaid"] * (people.payer == 2)
    )


def prior_admissions(counts: np.ndarray) -> np.ndarray:
    """Unplanned admissions in the UTIL_MONTHS calendar months before each month."""
    cs = np.concatenate([np.zeros((counts.shape[0], 1)), np.cumsum(counts, axis=1)], axis=1)
    m = np.arange(counts.shape[1])
    return cs[:, m] - cs[:, np.maximum(m - UTIL_MONTHS, 0)]


def daily_rate(log_rate: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Background daily hazard from the log rate and prior unplanned admissions (6 months)."""
    rate = np.exp(log_rate + UTIL_COEF * np.log1p(prior))
    return rate / (1 + rate * 365.25 / RATE_CAP_YEARLY)


def ed_daily_rate(log_rate: np.ndarray, people: People, habit: np.ndarray) -> np.ndarray:
    """Daily rate of treat-and-release ED visits: admission hazard^elasticity x ED habit + floor.

    `habit` is a standard normal draw per person (the unexplained part of the ED habit).
    """
    base = np.log(BASE_YEARLY_RATE / 365.25)
    h = ED_HABIT_SD * habit + ED_HABIT_COEF["medicaid"] * np.isin(people.payer, (1, 2))
    h = h + ED_HABIT_COEF["aud"] * (people.onset[:, CONDITIONS.index("aud")] < NEVER)
    h = h + ED_HABIT_COEF["housing"] * people.social[:, 0]
    log_ed = np.log(ED_YEARLY_AT_BASE / 365.25) + ED_ELASTICITY * (log_rate - base) + h[:, None]
    return np.exp(log_ed) + ED_FLOOR_YEARLY / 365.25


_PLAIN_TERMS = (
    "hf",
    "copd",
    "ckd",
    "cancer",
    "dem",
    "dep",
    "aud",
    "housing",
    "food",
    "transport",
    "financial",
    "isolation",
    "dual",
    "medicaid",
    "snf",
    "home_health",
    "frailty",
)


def readmission_logit(f: dict[str, np.ndarray]) -> np.ndarray:
    """Log-odds of an excess readmission for index stays described by the feature arrays `f`."""
    c = READMIT_COEF
    age = f["age"]
    lo = (
        READMIT_INTERCEPT + READMIT_AGE_U * (((age - 62) / 18) ** 2 - 1) + c["age_85"] * (age >= 85)
    )
    lo = lo + c["n_chronic"] * np.minimum(f["n_chronic"], 8)
    for k in _PLAIN_TERMS:
        lo = lo + c[k] * f[k]
    lo = lo + c["prior_adm"] * np.log1p(f["prior_adm"]) + c["prior_ed"] * np.log1p(f["prior_ed"])
    los = f["los"]
    lo = lo + c["los_1"] * (los <= 1) + c["los_5"] * ((los >= 5) & (los < 10))
    lo = lo + c["los_10"] * (los >= 10)
    lo = lo + c["hb_10"] * (f["hb"] < 10) + c["hb_11"] * ((f["hb"] >= 10) & (f["hb"] < 11.5))
    lo = lo + c["na_135"] * (f["na"] < 135) + c["na_130"] * (f["na"] < 130)
    lo = lo + c["meds_5"] * (f["n_meds"] >= 5) + c["meds_7"] * (f["n_meds"] >= 7)
    gap = np.maximum(0.0, ADHERENCE_TARGET - f["pdc"]) * f["on_adherence_meds"]
    lo = lo + c["low_adherence"] * gap + c["hf_low_adherence"] * f["hf"] * gap
    lo = lo + c["isolation_old"] * f["isolation"] * (age >= 75)
    lo = (
        lo
        + c["dem_isolation"] * f["dem"] * f["isolation"]
        + c["aud_housing"] * f["aud"] * f["housing"]
    )
    lo = lo + c["adi"] * (f["adi"] - 50) / 10 + c["adi_top"] * (f["adi"] >= ADI_TOP)
    group = np.array(
        [READMIT_GROUP_COEF.get(k, 0.0) for k in ADMIT_KEYS] + [READMIT_GROUP_COEF["elective"]]
    )
    return lo + group[f["group"]]


def readmission_probability(f: dict[str, np.ndarray]) -> np.ndarray:
    """Probability of an excess readmission (see `readmission_logit`)."""
    return 1 / (1 + np.exp(-readmission_logit(f)))
