"""CMS-HCC V28 risk score in SQL equals hccinfhir's own `calculate_raf`, case by case."""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import duckdb
import pytest

from tests.features.conftest import (
    create_table,
    diagnoses_cut,
    reference_connection,
    run_relation,
)

PERSON_COLUMNS = {
    "spine_id": "varchar",
    "age_years": "integer",
    "hcc_sex": "varchar",
    "dual_status_code": "varchar",
    "orec": "varchar",
}


def hcc_scores(con: duckdb.DuckDBPyConnection, persons: list[tuple], dx: list[tuple]) -> dict:
    """Run the two HCC relations over hand-made persons and diagnoses; score per spine_id."""
    create_table(con, "int_feat_person_attributes", PERSON_COLUMNS, persons)
    diagnoses_cut(con, dx)
    run_relation(con, "int_feat_hcc_conditions")
    run_relation(con, "int_feat_hcc")
    return dict(con.execute("select spine_id, hcc_risk_score from int_feat_hcc").fetchall())


def library_score(
    codes: list[str], age: int, sex: str, dual: str | None, orec: str | None
) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from hccinfhir import calculate_raf
    result = calculate_raf(codes, age=age, sex=sex, dual_elgbl_cd=dual or "NA", orec=orec or "0")
    return result.risk_score


def test_random_persons_match_hccinfhir(feature_reference_db: Path) -> None:
    con = reference_connection(feature_reference_db)
    codes = [
        r[0] for r in con.execute("select distinct icd_10_cm from ref_hcc_dx_to_cc").fetchall()
    ]
    edited = [
        r[0]
        for r in con.execute(
            "select icd_10_cm from ref_hcc_dx_edits where edit_type in ('age', 'sex')"
        ).fetchall()
    ]
    rng = random.Random(5)
    persons, dx, lists = [], [], {}
    for i in range(200):
        age = rng.randint(18, 99)
        person = (
            f"p{i}",
            age,
            rng.choice(["1", "2"]),
            rng.choice(["00", "01", "02", "06", "08", None]),
            rng.choice(["0", "1", "2", "3", None]),
        )
        chosen = rng.sample(codes, rng.randint(0, 12)) + rng.sample(edited, rng.randint(0, 2))
        persons.append(person)
        lists[person[0]] = chosen
        dx += [(person[0], code) for code in chosen]
    got = hcc_scores(con, persons, dx)
    for spine_id, age, sex, dual, orec in persons:
        expected = library_score(lists[spine_id], age, sex, dual, orec)
        assert got[spine_id] == pytest.approx(expected, abs=1e-6), (spine_id, lists[spine_id])


HAND_CASES = [
    # (case, age, sex, dual, codes): demographic cell only, an HCC with its parent, an interaction
    ("no diagnoses, female 70 non-dual", 70, "2", "00", []),
    ("metastatic and lung cancer: hierarchy keeps 17 only", 72, "1", "00", ["C787", "C3490"]),
    ("diabetes and heart failure interaction", 80, "2", "02", ["E1122", "I5022"]),
    ("disabled segment under 65", 50, "1", "00", ["J449"]),
]


@pytest.mark.parametrize(
    ("case", "age", "sex", "dual", "codes"), HAND_CASES, ids=[c[0] for c in HAND_CASES]
)
def test_hand_cases(
    ref_con: duckdb.DuckDBPyConnection, case: str, age: int, sex: str, dual: str, codes: list[str]
) -> None:
    got = hcc_scores(ref_con, [(case, age, sex, dual, None)], [(case, c) for c in codes])
    assert got[case] == pytest.approx(library_score(codes, age, sex, dual, None), abs=1e-6)
    kept = {r[0] for r in ref_con.execute("select cc from int_feat_hcc_conditions").fetchall()}
    if "C787" in codes:
        assert kept == {"17"}


def test_unknown_sex_has_no_score(ref_con: duckdb.DuckDBPyConnection) -> None:
    got = hcc_scores(ref_con, [("x", 70, None, "00", None)], [("x", "I5022")])
    assert got == {}
