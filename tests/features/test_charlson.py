"""Hand-worked Charlson index cases: every condition, code boundaries and the hierarchy rules."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.features.conftest import (
    diagnoses_cut,
    reference_connection,
    run_relation,
)

# (case, ICD-10-CM codes, expected Charlson 1987 index) - Quan 2005 Table 1, Charlson 1987 weights.
CASES: list[tuple[str, list[str], int]] = [
    ("mi acute", ["I214"], 1),
    ("mi old", ["I252"], 1),
    ("cad is not mi", ["I2510"], 0),
    ("chf", ["I5022"], 1),
    ("hypertensive heart disease with hf", ["I110"], 1),
    ("ischemic cardiomyopathy", ["I255"], 1),
    ("dilated cardiomyopathy", ["I420"], 1),
    ("obstructive hypertrophic cardiomyopathy is not chf", ["I421"], 0),
    ("pvd atherosclerosis", ["I7025"], 1),
    ("pvd graft status Z95.8", ["Z95828"], 1),
    ("cerebrovascular", ["I639"], 1),
    ("tia", ["G459"], 1),
    ("dementia", ["F0390"], 1),
    ("alzheimer", ["G309"], 1),
    ("delirium superimposed on dementia", ["F051"], 1),
    ("delirium alone is not dementia", ["F050"], 0),
    ("copd", ["J449"], 1),
    ("other pulmonary heart disease I27.8", ["I2781"], 1),
    ("rheumatoid arthritis", ["M0579"], 1),
    ("polymyalgia rheumatica", ["M353"], 1),
    ("behcet is not in the list", ["M352"], 0),
    ("peptic ulcer", ["K259"], 1),
    ("gerd is not peptic ulcer", ["K219"], 0),
    ("alcoholic cirrhosis (mild liver)", ["K7030"], 1),
    ("chronic hepatitis C (mild liver)", ["B182"], 1),
    ("diabetes without complication", ["E119"], 1),
    ("diabetes E11.6 is uncomplicated in Quan", ["E1165"], 1),
    ("diabetes with nephropathy", ["E1122"], 2),
    ("hemiplegia", ["G8191"], 2),
    ("paraplegia", ["G8220"], 2),
    ("locked-in state G83.5 is not listed", ["G835"], 0),
    ("ckd stage 4", ["N184"], 2),
    ("dialysis status", ["Z992"], 2),
    ("hypertensive ckd with stage 5 I12.0", ["I120"], 2),
    ("hypertensive ckd stage 1-4 I12.9 is not listed", ["I129"], 0),
    ("lung cancer", ["C3490"], 2),
    ("melanoma", ["C439"], 2),
    ("non-melanoma skin cancer is excluded", ["C4401"], 0),
    ("esophageal varices (severe liver)", ["I8500"], 3),
    ("portal hypertension (severe liver)", ["K766"], 3),
    ("secondary liver cancer (metastatic)", ["C787"], 6),
    ("hiv", ["B20"], 6),
    ("mild and severe liver count as severe only", ["K7030", "I8500"], 3),
    ("diabetes with and without complications count once", ["E119", "E1122"], 2),
    ("cancer with metastases counts as metastatic only", ["C3490", "C787"], 6),
    ("two codes of one condition count once", ["I5022", "I5032"], 1),
    ("several conditions add up", ["I214", "I5022", "J449", "E1122", "N184", "C3490"], 9),
]


@pytest.fixture(scope="module")
def charlson(feature_reference_db: Path) -> dict[str, int]:
    """Charlson index per case, from the SQL file run over the hand-made diagnoses."""
    con = reference_connection(feature_reference_db)
    rows = [(case, code) for case, codes, _ in CASES for code in codes]
    diagnoses_cut(con, rows)
    run_relation(con, "int_feat_charlson")
    result = dict(con.execute("select spine_id, charlson_index from int_feat_charlson").fetchall())
    con.close()
    return result


@pytest.mark.parametrize(("case", "codes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_charlson_index(
    charlson: dict[str, int], case: str, codes: list[str], expected: int
) -> None:
    # a spine row with no Charlson condition has no row here (feat_comorbidity shows 0)
    assert charlson.get(case, 0) == expected


def test_quan_2011_weights(ref_con: duckdb.DuckDBPyConnection) -> None:
    rows = [("a", "I214"), ("a", "I5022"), ("a", "F0390"), ("b", "B20"), ("b", "N184")]
    diagnoses_cut(ref_con, rows)
    run_relation(ref_con, "int_feat_charlson")
    got = dict(
        ref_con.execute("select spine_id, charlson_quan_2011 from int_feat_charlson").fetchall()
    )
    # Quan 2011: MI 0, CHF 2, dementia 2; AIDS/HIV 4, renal 1
    assert got == {"a": 4, "b": 5}


def test_every_condition_has_codes_and_weights(ref_con: duckdb.DuckDBPyConnection) -> None:
    conditions = ref_con.execute(
        "select c.condition, count(i.code_prefix), any_value(c.charlson_weight) "
        "from ref_charlson_conditions c left join ref_charlson_icd10 i using (condition) group by 1"
    ).fetchall()
    assert len(conditions) == 17
    assert all(n > 0 and w in (1, 2, 3, 6) for _, n, w in conditions)
    orphans = ref_con.execute(
        "select distinct condition from ref_charlson_icd10 "
        "where condition not in (select condition from ref_charlson_conditions)"
    ).fetchall()
    assert orphans == []
