"""Subgroup metrics: a miscalibrated or poorly ranked group is flagged, a tiny one is not judged."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from models import data
from models.fairness import MIN_EVENTS, subgroup_report
from models.logistic import sigmoid
from tests.models import synthetic


def _groups(seed: int = 0):
    rng = np.random.default_rng(seed)
    n = 6000
    group = np.where(np.arange(n) < 3000, "a", "b").astype(object)
    group[:40] = "tiny"
    z = rng.normal(-1.5, 1.0, n)
    y = (rng.random(n) < sigmoid(z)).astype(int)
    p = sigmoid(z)
    b = group == "b"
    p[b] = sigmoid(rng.normal(-1.5, 1.0, b.sum())) + 0.08  # ranks at chance, over-predicts
    return y, np.clip(p, 0, 1), group


def test_gaps_flag_the_bad_group_and_skip_the_tiny_one():
    y, p, group = _groups()
    report = subgroup_report(y, p, {"sex": group})
    records = {r["group"]: r for r in report["groups"]["sex"]}
    assert not records["tiny"]["judged"] and records["tiny"]["events"] < MIN_EVENTS
    assert records["a"]["judged"] and records["b"]["judged"]
    flagged = {g["metric"]: g for g in report["flags"]}
    assert flagged["auroc"]["low_group"] == "b" and flagged["auroc"]["high_group"] == "a"
    assert (
        flagged["calibration_gap"]["low_group"] == "b" and flagged["calibration_gap"]["gap"] > 0.05
    )
    assert all("tiny" not in (g["low_group"], g["high_group"]) for g in report["gaps"])


def test_equal_groups_are_not_flagged():
    rng = np.random.default_rng(3)
    z = rng.normal(-1.5, 1.0, 8000)
    y = (rng.random(8000) < sigmoid(z)).astype(int)
    report = subgroup_report(y, sigmoid(z), {"sex": rng.choice(["f", "m"], 8000)})
    assert report["flags"] == []


def test_attributes_come_from_sql_with_age_bands_and_are_optional(warehouse):
    keys = pa.table(
        {
            "person_id": ["P1", "P1", "nobody"],
            "as_of_date": warehouse.sql(
                "select as_of_date from ml_features_readmission_30d where person_id = 'P1' "
                "order by as_of_date limit 1"
            ).fetchone()
            * 2
            + (None,),
        }
    )
    table = data.attributes(warehouse, synthetic.TASK, keys)
    assert table.column_names == ["row_index", "sex", "age_band", "race_ethnicity", "payer_type"]
    assert (
        table["age_band"][2].as_py() == "unknown"
        and table["payer_type"][2].as_py() == "not enrolled"
    )
    bare = synthetic.warehouse(300)
    bare.execute("drop table int_person_demographics")
    assert data.attributes(bare, synthetic.TASK, keys) is None
