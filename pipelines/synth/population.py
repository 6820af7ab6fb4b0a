"""People of one chunk: demographics, payer, place, frailty, conditions, social needs, labs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synth import names
from pipelines.synth.codes import CONDITION_CODES, CONDITIONS, SOCIAL_DOMAINS
from pipelines.synth.geography import Geography
from pipelines.synth.timeline import NEVER, Timeline

PAYER_TYPES = ("medicare", "dual", "medicaid", "commercial")
SOURCES = ("both", "claims", "ehr")  # which extracts a person appears in

# Condition model: logit P(condition during the period) at age 75 and frailty 0, change per
# 10 years of age, frailty loading, and log-odds added by earlier conditions or traits.
CONDITION_MODEL: dict[str, tuple[float, float, float, dict[str, float]]] = {
    "htn": (0.5, 0.35, 0.3, {}),
    "hld": (0.0, 0.2, 0.2, {"htn": 0.4}),
    "dm": (-1.25, 0.05, 0.45, {"htn": 0.4}),
    "cad": (-1.8, 0.35, 0.4, {"dm": 0.4, "hld": 0.4, "male": 0.4}),
    "af": (-2.3, 0.55, 0.4, {"htn": 0.3}),
    "ckd": (-2.1, 0.45, 0.5, {"dm": 0.8, "htn": 0.4}),
    "hf": (-2.9, 0.5, 0.7, {"htn": 0.4, "cad": 0.7, "af": 0.6, "ckd": 0.3}),
    "copd": (-2.1, 0.2, 0.5, {"medicaid": 0.4}),
    "dep": (-1.8, 0.0, 0.4, {"medicaid": 0.5, "female": 0.3}),
    "dem": (-2.7, 0.9, 0.5, {}),
    "cancer": (-2.9, 0.2, 0.4, {}),
    "aud": (-3.7, -0.15, 0.3, {"male": 0.7, "medicaid": 0.6, "dep": 0.5}),
    "oa": (-1.2, 0.25, 0.1, {}),
}
INCIDENT_SHARE = 0.12  # share of conditions that start during the period (else present at start)


@dataclass
class People:
    """Per-person arrays for one chunk (row i is global person `first + i`)."""

    first: int
    sex: np.ndarray  # 0 female, 1 male, 2 unknown
    birth: np.ndarray  # datetime64[D]
    age0: np.ndarray  # age in years at the period start
    race: np.ndarray
    ethnicity: np.ndarray
    language: np.ndarray
    payer: np.ndarray  # index into PAYER_TYPES
    zip_idx: np.ndarray  # index into Geography zips
    adi: np.ndarray
    frailty: np.ndarray
    onset: np.ndarray  # (n, conditions) first day of each condition, NEVER if none
    cond_code: np.ndarray  # (n, conditions) index of the person's code within the condition list
    social: np.ndarray  # (n, 5) bool, SOCIAL_DOMAINS order
    pdc: np.ndarray  # true adherence: proportion of days covered the person achieves
    hb0: np.ndarray
    na0: np.ndarray
    cr0: np.ndarray
    a1c0: np.ndarray
    death_out: np.ndarray  # out-of-hospital death day, NEVER if none
    source: np.ndarray  # index into SOURCES
    insulin: np.ndarray  # bool: diabetic on insulin

    @property
    def n(self) -> int:
        """Persons in the chunk."""
        return len(self.sex)

    def has(self, condition: str, day: np.ndarray | int) -> np.ndarray:
        """Whether each person has `condition` on `day` (scalar or per person)."""
        return self.onset[:, CONDITIONS.index(condition)] <= day


def make_people(
    rng: np.random.Generator, n: int, first: int, tl: Timeline, geo: Geography
) -> People:
    """Draw `n` people for a chunk."""
    age0 = _ages(rng, n)
    sex = rng.choice(3, size=n, p=[0.535, 0.463, 0.002])
    birth_offset = -(age0 * 365.25).astype(np.int64) - rng.integers(0, 365, n)
    birth = tl.dates(birth_offset)
    payer = _payers(rng, age0)
    zip_idx = rng.choice(len(geo.zips), size=n, p=geo.weights)
    adi = geo.adi[zip_idx]
    eth = rng.choice(3, size=n, p=[0.86, 0.10, 0.04])
    race = np.where(
        rng.random(n) < 0.92,
        rng.choice(7, size=n, p=[0.68, 0.19, 0.04, 0.005, 0.005, 0.03, 0.05]),
        6,
    )
    language = _languages(rng, eth, race)
    frailty = rng.standard_normal(n) + 0.25 * np.clip((age0 - 75) / 10, -3, 2)
    traits = {"male": sex == 1, "female": sex == 0, "medicaid": np.isin(payer, (1, 2))}
    onset, codes = _conditions(rng, age0, frailty, traits, tl)
    cancer = codes[:, CONDITIONS.index("cancer")]  # sex-specific sites: 2 breast, 3 prostate
    cancer[(sex == 1) & (cancer == 2)] = 3
    cancer[(sex != 1) & (cancer == 3)] = 2
    has = {c: onset[:, i] < NEVER for i, c in enumerate(CONDITIONS)}
    social = _social(rng, age0, adi, payer, has)
    pdc = _adherence(rng, payer, social, has)
    hb0, na0, cr0, a1c0 = _labs(rng, sex, frailty, has, codes)
    return People(
        first=first,
        sex=sex,
        birth=birth,
        age0=age0,
        race=race,
        ethnicity=eth,
        language=language,
        payer=payer,
        zip_idx=zip_idx,
        adi=adi,
        frailty=frailty,
        onset=onset,
        cond_code=codes,
        social=social,
        pdc=pdc,
        hb0=hb0,
        na0=na0,
        cr0=cr0,
        a1c0=a1c0,
        death_out=_deaths(rng, age0, frailty, has, tl),
        source=rng.choice(3, size=n, p=[0.7, 0.2, 0.1]),
        insulin=has["dm"] & (rng.random(n) < 0.25 + 0.3 * has["ckd"]),
    )


def _ages(rng: np.random.Generator, n: int) -> np.ndarray:
    group = rng.choice(3, size=n, p=[0.04, 0.31, 0.65])
    child = rng.uniform(2, 18, n)
    adult = rng.uniform(18, 65, n)
    senior = 65 + np.minimum(rng.gamma(2.0, 6.0, n), 34)
    return np.select([group == 0, group == 1], [child, adult], senior)


def _payers(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    u = rng.random(len(age))
    child = np.where(u < 0.8, 2, 3)
    adult = np.select([u < 0.45, u < 0.80, u < 0.90], [3, 2, 0], 1)
    senior = np.select([u < 0.72, u < 0.90], [0, 1], 3)
    return np.select([age < 18, age < 65], [child, adult], senior)


def _languages(rng: np.random.Generator, eth: np.ndarray, race: np.ndarray) -> np.ndarray:
    u = rng.random(len(eth))
    hispanic = np.where(u < 0.55, 1, 0)
    asian = np.select([u < 0.35, u < 0.65], [2, 3], 0)
    other = np.select([u < 0.012, u < 0.022, u < 0.03], [4, 5, 6], 0)
    return np.select([eth == 1, race == 2], [hispanic, asian], other)


def _conditions(
    rng: np.random.Generator, age: np.ndarray, frailty: np.ndarray, traits: dict, tl: Timeline
) -> tuple[np.ndarray, np.ndarray]:
    n = len(age)
    onset = np.full((n, len(CONDITIONS)), NEVER, dtype=np.int32)
    codes = np.zeros((n, len(CONDITIONS)), dtype=np.int8)
    has = dict(traits)
    child = age < 18
    for i, cond in enumerate(CONDITIONS):  # a loop over 13 condition types
        a, b, c, extra = CONDITION_MODEL[cond]
        logit = a + b * (age - 75) / 10 + c * frailty
        logit = logit + sum(w * has[k] for k, w in extra.items())
        p = 1 / (1 + np.exp(-logit)) * np.where(child, 0.03, 1.0)
        present = rng.random(n) < p
        incident = rng.random(n) < INCIDENT_SHARE
        day = np.where(incident, rng.integers(0, tl.n_days, n), -rng.integers(1, 3650, n))
        onset[:, i] = np.where(present, day, NEVER)
        has[cond] = present
        code_p = np.array(CONDITION_CODES[cond][1])
        codes[:, i] = rng.choice(len(code_p), size=n, p=code_p / code_p.sum())
    return onset, codes


def _social(
    rng: np.random.Generator, age: np.ndarray, adi: np.ndarray, payer: np.ndarray, has: dict
) -> np.ndarray:
    n = len(age)
    medicaid = (payer == 2).astype(float)
    dual = (payer == 1).astype(float)
    shared = rng.standard_normal(n)
    d = (adi - 50) / 10
    logits = {
        "housing": -4.0
        + 0.25 * d
        + 1.0 * medicaid
        + 0.6 * dual
        + 1.0 * has["aud"]
        + 0.4 * has["dep"]
        - 0.5 * (age >= 75),
        "food": -2.6 + 0.2 * d + 0.8 * medicaid + 0.5 * dual,
        "transport": -2.8 + 0.2 * d + 0.6 * (medicaid + dual) + 0.5 * (age >= 80),
        "financial": -2.0 + 0.2 * d + 0.7 * medicaid + 0.5 * dual,
        "isolation": -2.3 + 0.7 * (age >= 75) + 0.3 * has["dep"] + 0.3 * has["dem"],
    }
    out = np.zeros((n, len(SOCIAL_DOMAINS)), dtype=bool)
    for i, dom in enumerate(SOCIAL_DOMAINS):  # five domains
        p = 1 / (1 + np.exp(-(logits[dom] + 0.8 * shared)))
        out[:, i] = (rng.random(n) < p) & (age >= 18)
    return out


def _adherence(
    rng: np.random.Generator, payer: np.ndarray, social: np.ndarray, has: dict
) -> np.ndarray:
    logit = (
        1.5
        - 0.5 * has["dep"]
        - 0.5 * social[:, 3]
        - 0.3 * (payer == 2)
        - 0.4 * has["dem"]
        - 0.6 * has["aud"]
        - 0.3 * social[:, 0]
        + 0.4 * rng.standard_normal(len(payer))
    )
    mean = 1 / (1 + np.exp(-logit))
    return np.clip(rng.beta(mean * 5, (1 - mean) * 5), 0.05, 1.0)


def _labs(
    rng: np.random.Generator, sex: np.ndarray, frailty: np.ndarray, has: dict, codes: np.ndarray
) -> tuple[np.ndarray, ...]:
    n = len(sex)
    ckd_stage4 = has["ckd"] & (codes[:, CONDITIONS.index("ckd")] >= 1)
    hb = (
        13.0
        + 1.2 * (sex == 1)
        - 1.2 * has["ckd"]
        - 0.8 * ckd_stage4
        - 1.3 * has["cancer"]
        - 0.35 * frailty
        - 0.3 * has["dm"]
        + 0.9 * rng.standard_normal(n)
    )
    na = (
        139.5
        - 1.6 * has["hf"]
        - 0.8 * has["dem"]
        - 1.2 * has["aud"]
        - 0.4 * frailty
        + 2.0 * rng.standard_normal(n)
    )
    cr = (0.8 + 0.15 * (sex == 1) + 0.8 * has["ckd"] + 1.0 * ckd_stage4) * np.exp(
        0.15 * rng.standard_normal(n)
    )
    a1c = np.where(
        has["dm"], 7.4 + 1.1 * rng.standard_normal(n), 5.4 + 0.35 * rng.standard_normal(n)
    )
    return hb, na, cr, np.clip(a1c, 4.2, 14.0)


def _deaths(
    rng: np.random.Generator, age: np.ndarray, frailty: np.ndarray, has: dict, tl: Timeline
) -> np.ndarray:
    log_rate = (
        -4.8
        + 0.085 * (age - 75)
        + 0.45 * frailty
        + 0.6 * has["hf"]
        + 1.0 * has["cancer"]
        + 0.6 * has["dem"]
        + 0.4 * has["copd"]
        + 0.3 * has["ckd"]
    )
    days = rng.exponential(365.25 / np.exp(log_rate))
    return np.where(days < tl.n_days, days.astype(np.int32), NEVER)


def payer_names(payer: np.ndarray) -> np.ndarray:
    """Payer-type labels for payer indices."""
    return np.array(PAYER_TYPES)[payer]


def language_names(lang: np.ndarray) -> np.ndarray:
    """Preferred-language labels."""
    return np.array(names.LANGUAGES)[lang]
