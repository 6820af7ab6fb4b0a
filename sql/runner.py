"""Build the SQL layers (staging -> intermediate -> marts -> features) in dependency order.

Each `.sql` file under `sql/staging`, `sql/intermediate`, `sql/marts` and `sql/features` defines
one relation named after the file. The runner orders the files from the relations each one reads
(`graphlib.TopologicalSorter`) and materialises them by prefix, decided once per layer:

- `stg_` views (renaming, casting, code normalisation; cheap to recompute);
- `int_` tables, so each expensive step runs once per build, except the `int_cut_` views (each
  spine row joined to its earlier events: too big to store) and the two claim-line relations in
  `catalog.VIEW_NAMES` (cheaper to read than to store);
- `mart_` tables and `feat_` tables.

Parameters arrive as DuckDB variables (`getvariable('data_end_date')`), see `VARIABLES`; one left
unset reads as null and the SQL falls back to its documented default (`int_data_window`).
A build runs in one transaction: if any relation fails, the previous relations stay as they were.

The relations in `catalog.PASS_NAMES` are built in passes over a hash of person_id when the
extract is large (`person_passes`): pass k of K sets the variables `person_hash_from` and
`person_hash_to` to the k-th of K equal ranges of `hash(person_id)` (`pass_bounds`), which their
SQL reads to keep only that share of persons, and appends. A range, not `hash % K = k`: DuckDB
pushes a range filter through the views into the table scans, but keeps a modulo (an operator
that can fail) above every projection, so each pass would clean every row of the views it reads.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb

from sql.catalog import EXTERNAL_PREFIXES, SQL_DIR, Relation, SqlFileError, discover, tables_read

# Build parameters the SQL reads with getvariable(); each is a date, null = default.
VARIABLES: dict[str, str] = {
    "data_end_date": "last day of complete data (default: latest _extract_date - 1, "
    "else the latest claim or encounter date); follow-up windows past it are censored",
    "first_month_start": "first admission_90d as-of month (default: the first month start "
    "at least 12 months after the first event, so features have a year of history)",
    "last_month_start": "last admission_90d as-of month (default: the month after "
    "data_end_date, the row scored for the coming 90 days)",
}

Progress = Callable[[str, int, int], None]

# Medical claim lines per pass of the relations built in passes: about 200k persons' worth of
# generated claims, which one pass holds in a few GB.
LINES_PER_PASS = 20_000_000
PASS_VARIABLES = ("person_hash_from", "person_hash_to")
HASH_VALUES = 2**64  # hash() is a UBIGINT


class BuildError(RuntimeError):
    """A relation failed to build; the message names the file and DuckDB's reason."""


@dataclass
class BuildResult:
    """What a build did: relations in build order, rows per table, seconds per relation."""

    relations: list[str] = field(default_factory=list)
    rows: dict[str, int | None] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0


def plan(relations: dict[str, Relation], targets: Iterable[str] | None = None) -> list[str]:
    """Relation names in build order: `targets` and everything upstream of them, or all."""
    graph = {name: rel.reads & relations.keys() for name, rel in relations.items()}
    wanted = set(graph) if targets is None else _upstream(graph, list(targets))
    try:
        order = list(TopologicalSorter({n: graph[n] for n in wanted}).static_order())
    except CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise SqlFileError(f"SQL files read each other in a cycle: {cycle}") from None
    return order


def _upstream(graph: dict[str, frozenset[str]], targets: list[str]) -> set[str]:
    unknown = sorted(set(targets) - graph.keys())
    if unknown:
        raise SqlFileError(
            f"unknown target(s) {', '.join(unknown)}; known: {', '.join(sorted(graph))}"
        )
    seen: set[str] = set()
    todo = list(targets)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(graph[name])
    return seen


def set_variables(con: duckdb.DuckDBPyConnection, variables: dict | None) -> None:
    """Set every build variable on `con`: given ones as dates, the others reset to null."""
    given = dict(variables or {})
    unknown = sorted(set(given) - VARIABLES.keys())
    if unknown:
        raise ValueError(f"unknown build variable(s) {unknown}; known: {sorted(VARIABLES)}")
    for name in VARIABLES:
        value = _as_date(given.get(name))
        if value is None:
            con.execute(f"reset variable {name}")
        else:
            con.execute(f"set variable {name} = ?::date", [value])


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value))


def _existing(con: duckdb.DuckDBPyConnection) -> set[str]:
    tables = con.execute("select table_name from duckdb_tables()").fetchall()
    views = con.execute("select view_name from duckdb_views() where not internal").fetchall()
    return {r[0] for r in tables} | {r[0] for r in views}


def _check_reads(
    con: duckdb.DuckDBPyConnection, relations: dict[str, Relation], order: list[str]
) -> None:
    existing = _existing(con)
    for rel in (relations[name] for name in order):
        for name in sorted(rel.reads - relations.keys() - existing):
            if not name.startswith(EXTERNAL_PREFIXES):
                raise SqlFileError(f"{rel.path}: reads {name}, which no SQL file defines")


def _drop_other_kind(con: duckdb.DuckDBPyConnection, rel: Relation) -> None:
    is_view = con.execute(
        "select count(*) from duckdb_views() where view_name = ? and schema_name = 'main'",
        [rel.name],
    ).fetchone()[0]
    if rel.kind == "table" and is_view:
        con.execute(f"drop view {rel.name}")
    elif rel.kind == "view" and not is_view:
        con.execute(f"drop table if exists {rel.name}")


def person_passes(con: duckdb.DuckDBPyConnection) -> int:
    """Passes for the relations built in passes: one per `LINES_PER_PASS` medical claim lines."""
    lines = con.execute(
        "select coalesce(max(estimated_size), 0) from duckdb_tables() "
        "where table_name = 'raw_medical_claim' and schema_name = 'main'"
    ).fetchone()[0]
    return max(1, math.ceil(lines / LINES_PER_PASS))


def pass_bounds(k: int, passes: int) -> tuple[int, int]:
    """The first and last `hash(person_id)` value pass `k` of `passes` keeps."""
    if not 0 <= k < passes:
        raise ValueError(f"pass {k} of {passes}: a pass is 0 to {passes - 1}")
    return k * HASH_VALUES // passes, (k + 1) * HASH_VALUES // passes - 1


def set_pass(con: duckdb.DuckDBPyConnection, k: int, passes: int) -> None:
    """Set the variables that keep pass `k` of `passes` in the SQL of relations built in passes."""
    for name, value in zip(PASS_VARIABLES, pass_bounds(k, passes), strict=True):
        con.execute(f"set variable {name} = {int(value)}::ubigint")


def _reset_pass(con: duckdb.DuckDBPyConnection) -> None:
    for name in PASS_VARIABLES:
        con.execute(f"reset variable {name}")


def _materialise(con: duckdb.DuckDBPyConnection, rel: Relation, passes: int = 1) -> int | None:
    _drop_other_kind(con, rel)
    if not rel.in_passes or passes <= 1:
        con.execute(f"create or replace {rel.kind} {rel.name} as\n{rel.sql}")
    else:  # a table (catalog: only tables are built in passes): the first pass creates it
        try:
            for k in range(passes):
                set_pass(con, k, passes)
                head = f"insert into {rel.name}" if k else f"create or replace table {rel.name} as"
                con.execute(f"{head}\n{rel.sql}")
        finally:
            _reset_pass(con)
    if rel.kind == "view":
        return None
    return con.execute(f"select count(*) from {rel.name}").fetchone()[0]


def build(
    con: duckdb.DuckDBPyConnection,
    targets: list[str] | None = None,
    variables: dict | None = None,
    progress: Progress | None = None,
    root: Path = SQL_DIR,
    passes: int | None = None,
) -> BuildResult:
    """Build `targets` with their upstream (default: every relation) in one transaction.

    `passes` is the number of person passes of the relations built in passes (default:
    `person_passes`, from the size of the medical claim table).
    """
    relations = discover(root)
    order = plan(relations, targets)
    _check_reads(con, relations, order)
    set_variables(con, variables)
    _reset_pass(con)
    passes = person_passes(con) if passes is None else passes
    result = BuildResult()
    started = time.perf_counter()
    # Every relation states its own order where order matters (window `order by`, the matrices'
    # `order by`): not keeping insertion order lets DuckDB stream large tables with less memory.
    preserve = con.execute("select current_setting('preserve_insertion_order')").fetchone()[0]
    con.execute("set preserve_insertion_order = false")
    con.execute("begin transaction")
    try:
        for i, name in enumerate(order):
            if progress:
                progress(name, i, len(order))
            t0 = time.perf_counter()
            result.rows[name] = _materialise(con, relations[name], passes)
            result.seconds[name] = time.perf_counter() - t0
            result.relations.append(name)
        con.execute("commit")
    except BaseException as exc:
        con.execute("rollback")
        if isinstance(exc, duckdb.Error):
            where = relations[name].path
            raise BuildError(
                f"building {name} ({where}) failed; nothing was changed: {exc}"
            ) from exc
        raise
    finally:
        con.execute(f"set preserve_insertion_order = {bool(preserve)}")
    if progress:
        progress("done", len(order), len(order))
    result.total_seconds = time.perf_counter() - started
    return result


def run_assertions(
    con: duckdb.DuckDBPyConnection, root: Path = SQL_DIR, skip_missing: bool = False
) -> list[tuple[str, list[tuple]]]:
    """Run every `sql/tests/assert_*.sql`; each returns its offending rows (none = it holds).

    With `skip_missing`, assertions over relations that do not exist (a subset build) are skipped.
    """
    existing = _existing(con)
    results = []
    for path in sorted((root / "tests").glob("assert_*.sql")):
        sql = path.read_text().strip().rstrip(";")
        if skip_missing and not tables_read(sql, str(path)) <= existing:
            continue
        results.append((path.stem, con.execute(sql).fetchall()))
    return results
