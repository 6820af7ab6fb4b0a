"""The SQL assertions (sql/tests/assert_*.sql) hold on every hand-built case together."""

import pytest

from sql.runner import run_assertions
from tests.sql import test_acute_stays, test_claim_versions_and_ed, test_index_stays, test_spine
from tests.sql.conftest import build_clinical, load_cases, new_warehouse

ALL_CASES = {
    f"{module.__name__}.{name}": tables
    for module in (test_acute_stays, test_index_stays, test_claim_versions_and_ed, test_spine)
    for name, tables in module.CASES.items()
}


@pytest.fixture(scope="module")
def built(reference_db):
    con = new_warehouse(reference_db)
    load_cases(con, ALL_CASES)
    build_clinical(con, first_month_start="2021-01-01", last_month_start="2022-01-01")
    yield con
    con.close()


def test_every_assertion_holds_on_the_hand_built_cases(built):
    results = run_assertions(built, skip_missing=True)
    names = {name for name, _ in results}
    for mart in ("mart_acute_stays", "mart_index_stays", "mart_prediction_spine"):
        assert any(name.startswith(f"assert_{mart}") for name in names), mart
    assert {name: found for name, found in results if found} == {}


def test_assertions_catch_a_duplicate_and_a_missing_label(built):
    built.execute("begin transaction")
    try:
        built.execute("insert into mart_acute_stays select * from mart_acute_stays limit 1")
        built.execute(
            "update mart_index_stays set unplanned_readmit_30 = null where stay_id in "
            "(select stay_id from mart_index_stays limit 1)"
        )
        failing = {name for name, found in run_assertions(built, skip_missing=True) if found}
    finally:
        built.execute("rollback")
    assert {
        "assert_mart_acute_stays_unique_stay_id",
        "assert_mart_index_stays_not_null",
    } <= failing
    assert "assert_mart_prediction_spine_unique_key" not in failing
