"""The risk process puts its signal where LACE cannot see it, and ED visits only blur admissions."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from pipelines.synth import risk
from pipelines.synth.chunk import simulate_chunk
from pipelines.synth.codes import ADMIT_KEYS, CONDITIONS
from pipelines.synth.geography import make_geography
from pipelines.synth.timeline import Timeline
from pipelines.synth.truth import readmission_truth

SEED, PERSONS = 5, 20_000
TL = Timeline(date(2022, 1, 1), date(2024, 12, 31))


def _stay(n: int = 1, **values) -> dict[str, np.ndarray]:
    """Features of `n` identical index stays (a 70-year-old, nothing special), with overrides."""
    base: dict = dict(
        age=70.0,
        n_chronic=2,
        prior_adm=0,
        prior_ed=0,
        los=4,
        hb=13.0,
        na=140.0,
        n_meds=2,
        pdc=0.9,
        on_adherence_meds=True,
        adi=50.0,
        group=ADMIT_KEYS.index("pneumonia"),
    )
    flags = ("hf", "copd", "ckd", "cancer", "dem", "dep", "aud", "dual", "medicaid", "snf")
    base.update({k: False for k in (*flags, "home_health", "frailty")})
    base.update({k: False for k in ("housing", "food", "transport", "financial", "isolation")})
    base["frailty"] = 0.0
    base.update(values)
    return {k: np.full(n, v) for k, v in base.items()}


def _logit(**values) -> float:
    return float(risk.readmission_logit(_stay(**values))[0])


@pytest.mark.parametrize(
    "change",
    [
        {"pdc": 0.3},
        {"housing": True},
        {"dual": True},
        {"adi": 95.0},
        {"hb": 9.5},
        {"na": 128.0},
        {"n_meds": 7},
        {"aud": True},
        {"age": 90.0},
        {"age": 25.0},
    ],
)
def test_signals_outside_lace_raise_the_excess_risk(change):
    assert _logit(**change) > _logit() + 0.2


def test_adherence_counts_only_for_medications_whose_fills_show_it():
    assert _logit(pdc=0.3, on_adherence_meds=False) == _logit(on_adherence_meds=False)
    heart_failure_gap = _logit(pdc=0.3, hf=True) - _logit(hf=True)
    assert heart_failure_gap > _logit(pdc=0.3) - _logit()  # heart failure x low adherence


def test_what_lace_sees_carries_little_excess_risk():
    assert _logit(prior_ed=6) == _logit()
    assert abs(_logit(los=12) - _logit()) <= 0.15
    assert _logit(housing=True) - _logit() > _logit(los=12) - _logit()


def test_ed_visits_follow_the_admission_hazard_only_in_part():
    people = simulate_chunk(SEED, 0, 0, 200, TL, make_geography(SEED))[0]
    log_rate = np.log(np.full((people.n, 1), risk.BASE_YEARLY_RATE / 365.25))
    habit = np.zeros(people.n)
    low = risk.ed_daily_rate(log_rate, people, habit) - risk.ED_FLOOR_YEARLY / 365.25
    high = risk.ed_daily_rate(log_rate + np.log(2), people, habit) - risk.ED_FLOOR_YEARLY / 365.25
    assert np.allclose(high / low, 2**risk.ED_ELASTICITY)
    spread = risk.ed_daily_rate(log_rate, people, np.linspace(-2, 2, people.n))
    assert spread.max() / spread.min() > 5  # the person's own ED habit


@pytest.fixture(scope="module")
def readmissions():
    """Index stays of 20,000 people: truth, outcome and a LACE score from the generator's record."""
    people, h, _ = simulate_chunk(SEED, 0, 0, PERSONS, TL, make_geography(SEED))
    r = readmission_truth(h, TL)
    s, st = h.stays, r["stay"]
    person, adm, dis = s["person"][st], s["adm"][st], s["dis"][st]
    ed_key = np.sort(h.ed_person.astype(np.int64) * 10**7 + h.ed_day)
    via_ed = s["person"][s["via_ed"]].astype(np.int64) * 10**7 + s["adm"][s["via_ed"]]
    key = person.astype(np.int64) * 10**7
    ed = sum(
        np.searchsorted(k, key + adm) - np.searchsorted(k, key + adm - 182)
        for k in (ed_key, via_ed)
    )
    return r, _lace(people, s, st, person, dis, ed)


def _lace(people, s, st, person, dis, ed) -> np.ndarray:
    """LACE (van Walraven 2010) with Charlson points from the generated conditions."""
    on = {c: people.onset[person, i] <= dis for i, c in enumerate(CONDITIONS)}
    code = people.cond_code[person]
    dm_cx = on["dm"] & (code[:, CONDITIONS.index("dm")] >= 1)
    ckd_severe = on["ckd"] & (code[:, CONDITIONS.index("ckd")] >= 1)
    charlson = (
        on["hf"] + on["copd"] + on["dem"] + (on["dm"] & ~dm_cx) + 2 * dm_cx + 2 * ckd_severe
    ) + 2 * on["cancer"]
    los = s["los"][st]
    length = np.select([los < 1, los <= 3, los <= 6, los <= 13], [0, los, 4, 5], 7)
    acuity = 3 * (s["kind"][st] == 0)
    return length + acuity + np.where(charlson >= 4, 5, charlson) + np.minimum(ed, 4)


def test_lace_leaves_signal_on_the_table(readmissions):
    r, lace = readmissions
    oracle = roc_auc_score(r["outcome"], r["prob"])
    assert 0.70 <= oracle <= 0.80
    assert oracle - roc_auc_score(r["outcome"], lace) >= 0.08
