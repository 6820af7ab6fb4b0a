"""Fixtures for the feature tests: reference tables, running one SQL file, tiny warehouses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from sql.catalog import SQL_DIR, discover
from sql.reference import load_reference
from sql.reference_comorbidity import load_comorbidity_reference
from tests.sql.conftest import new_warehouse, reference_connection

FEATURE_TARGETS = sorted(n for n in discover() if n.startswith("feat_"))


@pytest.fixture(scope="session")
def feature_reference_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file with every `ref_` table (clinical and feature references), loaded once."""
    path = tmp_path_factory.mktemp("feature_reference") / "reference.duckdb"
    con = duckdb.connect(str(path))
    load_reference(con)
    load_comorbidity_reference(con)
    con.close()
    return path


@pytest.fixture
def ref_con(feature_reference_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh in-memory connection with every reference table, for one relation at a time."""
    connection = reference_connection(feature_reference_db)
    yield connection
    connection.close()


@pytest.fixture
def warehouse(feature_reference_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh in-memory warehouse: empty raw tables and copies of every reference table."""
    connection = new_warehouse(feature_reference_db)
    yield connection
    connection.close()


def run_relation(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Materialise one relation from its SQL file, reading whatever tables `con` holds."""
    relation = discover(SQL_DIR)[name]
    con.execute(f"create or replace table {name} as\n{relation.sql}")


def create_table(
    con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], rows: list
) -> None:
    """Create table `name` with typed `columns` and insert `rows` (tuples in column order)."""
    cols = ", ".join(f"{c} {t}" for c, t in columns.items())
    con.execute(f"create or replace table {name} ({cols})")
    if rows:
        marks = ", ".join("?" for _ in columns)
        con.executemany(f"insert into {name} values ({marks})", [list(r) for r in rows])


@pytest.fixture(scope="session")
def tuva_dir(shared_dir: Path) -> Path:
    """The shared Tuva-layout claims sample (skips when the shared folder is absent)."""
    folder = shared_dir / "data" / "tuva_ci_claims"
    if not folder.is_dir():
        pytest.skip("../shared/data/tuva_ci_claims is not present on this machine")
    return folder


@pytest.fixture(scope="session")
def built(feature_reference_db: Path, tuva_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The Tuva sample plus the hand-made persons, built through the feature matrices."""
    from tests.features.fixture_data import build_all, make_warehouse

    con = make_warehouse(feature_reference_db, tuva_dir)
    build_all(con)
    yield con
    con.close()


def diagnoses_cut(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str]]) -> None:
    """Stand in for the diagnosis cuts: each (spine_id, ICD-10-CM code) known at the cutoff.

    Builds int_cut_dx_spells (keys per spine row) and int_feat_dx_masks (bit masks per spine row)
    from the codes through the real code maps (int_feat_code_keys, int_feat_key_bits).
    """
    codes = sorted({code for _, code in rows})
    create_table(con, "int_feat_dx_codes", {"icd_10_cm": "varchar"}, [(c,) for c in codes])
    run_relation(con, "int_feat_code_keys")
    run_relation(con, "int_feat_key_bits")
    create_table(con, "case_codes", {"spine_id": "varchar", "icd_10_cm": "varchar"}, rows)
    con.execute(
        "create or replace table int_cut_dx_spells as "
        "select distinct c.spine_id, k.key_type, k.key "
        "from case_codes as c inner join int_feat_code_keys as k on c.icd_10_cm = k.icd_10_cm"
    )
    con.execute(
        "create or replace table int_feat_dx_masks as select s.spine_id, "
        + ", ".join(
            f"coalesce(bit_or(1::bigint << b.key_bit) filter (where s.key_type = '{t}'), 0) "
            f"as {t}_mask"
            for t in ("charlson", "elixhauser", "social")
        )
        + ", cast(count(*) filter (where s.key_type = 'chronic_ccs') as integer) as chronic_count "
        "from int_cut_dx_spells as s left join int_feat_key_bits as b "
        "on s.key_type = b.key_type and s.key = b.key group by s.spine_id"
    )
