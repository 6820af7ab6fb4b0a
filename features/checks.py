"""Check that the feature SQL tables and the registry describe the same columns."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from features.registry import GROUPS, Feature, registry

# Columns every `feat_<group>` table carries besides its features: the spine keys.
SPINE_COLUMNS: tuple[str, ...] = ("spine_id", "task", "person_id", "as_of_date")
TYPE_FAMILIES: dict[str, tuple[str, ...]] = {
    "bool": ("BOOLEAN",),
    "int": ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"),
    "float": ("DOUBLE", "FLOAT", "DECIMAL"),
}


def feature_tables(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Every built `feat_` table: column name -> DuckDB type, in column order."""
    rows = con.execute(
        "select table_name, column_name, data_type from duckdb_columns() "
        "where schema_name = 'main' and table_name like 'feat\\_%' escape '\\' "
        "order by table_name, column_index"
    ).fetchall()
    tables: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, {})[column] = data_type
    return tables


def registry_mismatches(
    con: duckdb.DuckDBPyConnection, features: Iterable[Feature] | None = None
) -> list[str]:
    """Every disagreement between the built `feat_` tables and the registry (none: they agree)."""
    registered = list(features) if features is not None else list(registry().values())
    tables = feature_tables(con)
    problems = [
        f"sql/features/{t}.sql has no registry group {t.removeprefix('feat_')!r}"
        for t in sorted(tables)
        if t.removeprefix("feat_") not in GROUPS
    ]
    for group in GROUPS:
        table = f"feat_{group}"
        columns = tables.get(table)
        if columns is None:
            problems.append(f"{table} is not built (expected sql/features/{table}.sql)")
            continue
        problems += _group_mismatches(table, columns, [f for f in registered if f.group == group])
    return problems


def _group_mismatches(table: str, columns: dict[str, str], features: list[Feature]) -> list[str]:
    problems = [f"{table} lacks spine column {c}" for c in SPINE_COLUMNS if c not in columns]
    in_sql = {c: t for c, t in columns.items() if c not in SPINE_COLUMNS}
    by_name = {f.name: f for f in features}
    problems += [
        f"{table}.{c} is not registered in features/ (add it to features/definitions*.py)"
        for c in in_sql
        if c not in by_name
    ]
    problems += [
        f"registered feature {n} is not a column of {table}" for n in by_name if n not in in_sql
    ]
    for name, feature in by_name.items():
        sql_type = in_sql.get(name)
        if sql_type and not sql_type.startswith(TYPE_FAMILIES[feature.dtype]):
            problems.append(f"{table}.{name} is {sql_type}; the registry says {feature.dtype}")
    return problems


def check_registry(con: duckdb.DuckDBPyConnection) -> None:
    """Raise when the feature SQL and the registry disagree, listing every disagreement."""
    problems = registry_mismatches(con)
    if problems:
        raise ValueError("feature SQL and registry disagree:\n- " + "\n- ".join(problems))
