"""Integration: the shared Tuva-layout claims sample through every clinical SQL layer."""

from pathlib import Path

import duckdb
import pytest

from data_contracts import load_contract
from sql.runner import run_assertions
from tests.sql.conftest import build_clinical, new_warehouse


def load_tuva_csv(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> int:
    """Read one Tuva CSV as text and insert it into raw_<table>, cast to the contract's types."""
    con.execute("set variable tuva_file = ?", [str(path)])
    present = {
        r[0]
        for r in con.execute(
            "describe select * from read_csv(getvariable('tuva_file'), all_varchar = true)"
        ).fetchall()
    }
    cols = [
        f'try_cast("{c.name}" as {c.duckdb_type})'
        if c.name in present
        else f"null::{c.duckdb_type}"
        for c in load_contract(table).columns
    ]
    before = con.execute(f"select count(*) from raw_{table}").fetchone()[0]
    con.execute(
        f"insert into raw_{table} select {', '.join(cols)}, '{path.name}', null, "
        "row_number() over (), 'tuva-test', null "
        "from read_csv(getvariable('tuva_file'), all_varchar = true)"
    )
    return con.execute(f"select count(*) from raw_{table}").fetchone()[0] - before


@pytest.fixture(scope="module")
def tuva(reference_db, shared_dir):
    folder = shared_dir / "data" / "tuva_ci_claims"
    if not folder.is_dir():
        pytest.skip("../shared/data/tuva_ci_claims is not present on this machine")
    con = new_warehouse(reference_db)
    loaded = {p.stem: load_tuva_csv(con, p.stem, p) for p in sorted(folder.glob("*.csv"))}
    build_clinical(con, data_end_date=None)
    yield con, loaded
    con.close()


def test_every_tuva_file_loads(tuva):
    _, loaded = tuva
    assert set(loaded) == {
        "eligibility",
        "medical_claim",
        "pharmacy_claim",
        "lab_result",
        "observation",
    }
    assert loaded["medical_claim"] == 2075


def test_acute_stays_come_from_the_inpatient_claims(tuva):
    con, _ = tuva
    claims = con.execute(
        "select count(distinct claim_id) from raw_medical_claim where bill_type_code like '11%'"
    ).fetchone()[0]
    stays = con.execute(
        "select count(*), count(distinct person_id) from mart_acute_stays"
    ).fetchone()
    assert 0 < stays[0] <= claims
    assert (
        con.execute("select count(*) from mart_acute_stays where source <> 'claims'").fetchone()[0]
        == 0
    )


def test_labels_are_computed_and_consistent(tuva):
    con, _ = tuva
    index, readmitted = con.execute(
        "select count(*), count(*) filter (where unplanned_readmit_30) "
        "from mart_index_stays where is_index"
    ).fetchone()
    assert index > 0 and readmitted <= index
    spine = con.execute(
        "select count(*) filter (where task = 'readmission_30d'), "
        "count(*) filter (where task = 'admission_90d') from mart_prediction_spine"
    ).fetchone()
    assert spine[0] == index and spine[1] > 0


def test_assertions_hold_on_the_tuva_sample(tuva):
    con, _ = tuva
    assert {name: rows for name, rows in run_assertions(con, skip_missing=True) if rows} == {}


def test_diagnosis_code_systems_are_inferred_from_shape(tuva):
    con, _ = tuva
    # The sample labels many ICD-10-CM diagnoses 'icd-10-pcs'; shape says they are ICD-10-CM.
    systems = dict(
        con.execute("select code_system, count(*) from int_claim_diagnoses group by all").fetchall()
    )
    assert systems.get("icd-10-cm", 0) > 1000 and systems.get("unknown", 0) < 0.01 * sum(
        systems.values()
    )
