"""LACE (van Walraven 2010) and HOSPITAL (Donze 2013) points: every component and its boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.features.conftest import create_table, reference_connection, run_relation

COMPONENTS = {
    "spine_id": "varchar",
    "los_days": "integer",
    "urgent_admission": "boolean",
    "charlson_index": "integer",
    "ed_visits_6m_before_admission": "integer",
    "hemoglobin_at_discharge": "double",
    "sodium_at_discharge": "double",
    "oncology_discharge": "boolean",
    "procedure_during_stay": "boolean",
    "admissions_12m_before_admission": "integer",
}
# A stay scoring 0 on every component: same-day, elective, no comorbidity, normal labs.
BASE = dict(
    los_days=0, urgent_admission=False, charlson_index=0, ed_visits_6m_before_admission=0,
    hemoglobin_at_discharge=13.5, sodium_at_discharge=140.0, oncology_discharge=False,
    procedure_during_stay=False, admissions_12m_before_admission=0,
)  # fmt: skip

# (case, changed inputs, component, expected points)
CASES: list[tuple[str, dict, str, int]] = [
    *[(f"los {n} days", {"los_days": n}, "lace_l", p)
      for n, p in [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (6, 4), (7, 5), (13, 5), (14, 7),
                   (40, 7)]],
    ("emergent admission", {"urgent_admission": True}, "lace_a", 3),
    ("elective admission", {"urgent_admission": False}, "lace_a", 0),
    ("unknown admission type", {"urgent_admission": None}, "lace_a", 0),
    *[(f"charlson {n}", {"charlson_index": n}, "lace_c", p)
      for n, p in [(0, 0), (1, 1), (2, 2), (3, 3), (4, 5), (9, 5)]],
    *[(f"ed visits {n}", {"ed_visits_6m_before_admission": n}, "lace_e", p)
      for n, p in [(0, 0), (1, 1), (3, 3), (4, 4), (7, 4)]],
    ("hemoglobin 11.9", {"hemoglobin_at_discharge": 11.9}, "hospital_h", 1),
    ("hemoglobin 12.0", {"hemoglobin_at_discharge": 12.0}, "hospital_h", 0),
    ("no hemoglobin drawn", {"hemoglobin_at_discharge": None}, "hospital_h", 0),
    ("oncology discharge", {"oncology_discharge": True}, "hospital_o", 2),
    ("sodium 134.9", {"sodium_at_discharge": 134.9}, "hospital_s", 1),
    ("sodium 135", {"sodium_at_discharge": 135.0}, "hospital_s", 0),
    ("procedure during stay", {"procedure_during_stay": True}, "hospital_p", 1),
    ("urgent index admission", {"urgent_admission": True}, "hospital_i", 1),
    *[(f"admissions {n}", {"admissions_12m_before_admission": n}, "hospital_a", p)
      for n, p in [(0, 0), (1, 0), (2, 2), (5, 2), (6, 5)]],
    ("los 4 days", {"los_days": 4}, "hospital_l", 0),
    ("los 5 days", {"los_days": 5}, "hospital_l", 2),
]  # fmt: skip
WORST = dict(
    los_days=20, urgent_admission=True, charlson_index=6, ed_visits_6m_before_admission=5,
    hemoglobin_at_discharge=9.0, sodium_at_discharge=128.0, oncology_discharge=True,
    procedure_during_stay=True, admissions_12m_before_admission=8,
)  # fmt: skip


@pytest.fixture(scope="module")
def points(feature_reference_db: Path) -> dict[str, dict]:
    """LACE and HOSPITAL points per case, from the SQL file over hand-made components."""
    con = reference_connection(feature_reference_db)
    cases = {case: {**BASE, **changed} for case, changed, _, _ in CASES}
    cases["base"], cases["worst"] = BASE, WORST
    rows = [(case, *(values[c] for c in list(COMPONENTS)[1:])) for case, values in cases.items()]
    create_table(con, "int_feat_rule_components", COMPONENTS, rows)
    run_relation(con, "int_feat_rule_points")
    cursor = con.execute("select * from int_feat_rule_points")
    names = [d[0] for d in cursor.description]
    result = {r[0]: dict(zip(names, r, strict=True)) for r in cursor.fetchall()}
    con.close()
    return result


@pytest.mark.parametrize(
    ("case", "changed", "component", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_component(points: dict, case: str, changed: dict, component: str, expected: int) -> None:
    row = points[case]
    assert row[component] == expected
    lace = ("lace_l", "lace_a", "lace_c", "lace_e")
    assert row["lace_score"] == sum(row[c] for c in lace)
    assert row["hospital_score"] == sum(
        row[c] for c in row if c.startswith("hospital_") and c != "hospital_score"
    )


def test_base_scores_zero_and_worst_scores_the_maximum(points: dict) -> None:
    assert (points["base"]["lace_score"], points["base"]["hospital_score"]) == (0, 0)
    # LACE tops out at 7 + 3 + 5 + 4 = 19; HOSPITAL at 1 + 2 + 1 + 1 + 1 + 5 + 2 = 13.
    assert (points["worst"]["lace_score"], points["worst"]["hospital_score"]) == (19, 13)
