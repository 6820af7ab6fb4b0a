"""Original reason for entitlement (OREC) flows from eligibility into the CMS-HCC score."""

from __future__ import annotations

import warnings

import duckdb
import pytest

from sql.runner import build
from tests.sql.conftest import load_raw, member, rows, stay_claim

WINDOW = {"data_end_date": "2021-12-31", "first_month_start": "2021-06-01"}
TARGETS = ["int_feat_person_attributes", "int_feat_hcc"]


def enrol(person: str, birth: str, orec: str | None) -> dict:
    """A Medicare member with a given OREC (as delivered: spaces kept)."""
    return {**member(person, birth=birth, start="2019-01-01"),
            "original_reason_entitlement_code": orec}  # fmt: skip


def hccinfhir_score(codes: list[str], age: int, orec: str | None) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from hccinfhir import calculate_raf
    return calculate_raf(codes, age=age, sex="F", dual_elgbl_cd="NA", orec=orec or "0").risk_score


@pytest.fixture
def built(warehouse: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Five women with heart failure and COPD: OREC 0, 1 (disabled), 2 (ESRD), ' 1 ' and none."""
    con = warehouse
    people = [("young0", "1970-03-01", "0"), ("young1", "1970-03-01", "1"),
              ("young2", "1970-03-01", "2"), ("old1", "1945-03-01", " 1 "),
              ("oldnone", "1945-03-01", None)]  # fmt: skip
    load_raw(con, "eligibility", [enrol(p, birth, orec) for p, birth, orec in people])
    load_raw(con, "medical_claim", [
        stay_claim(f"{p}_s", p, "2021-02-01", "2021-02-05", dx="I5022", diagnosis_code_2="J449")
        for p, _, _ in people
    ])  # fmt: skip
    build(con, TARGETS, WINDOW)
    return con


def test_orec_is_carried_to_person_attributes(built: duckdb.DuckDBPyConnection) -> None:
    got = {
        r["person_id"]: r["orec"]
        for r in rows(
            built,
            "select distinct person_id, orec from int_feat_person_attributes "
            "where as_of_date = '2021-07-01'",
        )
    }
    assert got == {"young0": "0", "young1": "1", "young2": "2", "old1": "1", "oldnone": None}


def test_orec_sets_the_disabled_and_originally_disabled_factors(
    built: duckdb.DuckDBPyConnection,
) -> None:
    scores = {
        r["person_id"]: (r["age_years"], r["hcc_risk_score"])
        for r in rows(
            built,
            "select a.person_id, a.age_years, h.hcc_risk_score from int_feat_person_attributes a "
            "join int_feat_hcc h using (spine_id) where a.as_of_date = '2021-07-01'",
        )
    }
    codes = ["I5022", "J449"]
    for person, orec in [("young0", "0"), ("young1", "1"), ("young2", "2"), ("old1", "1"),
                         ("oldnone", None)]:  # fmt: skip
        age, score = scores[person]
        assert score == pytest.approx(hccinfhir_score(codes, age, orec), abs=1e-6), person
    # an originally-disabled member over 65 takes the OriginallyDisabled factor; under 65 the
    # community segments carry no DISABLED_* interaction factor (only the institutional one does)
    assert scores["old1"][1] > scores["oldnone"][1]
    assert scores["young1"][1] == scores["young0"][1]
