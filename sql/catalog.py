"""Find the SQL relation files, read their grain lines and the relations each one reads.

One relation per `.sql` file: the file name is the relation name and its prefix decides how the
runner materialises it (see `MATERIALISATION`). Dependencies come from the statement's parse tree
(`json_serialize_sql`): unlike `duckdb.get_table_names`, the parser never binds, so `using` joins,
`unpivot` and `columns(...)` over tables that do not exist yet are fine.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent

# Folders the runner builds, in layer order; `sql/ingest/`, `sql/reference/` and `sql/tests/`
# belong to other steps and are never built here.
LAYER_DIRS: tuple[str, ...] = ("staging", "intermediate", "marts", "features")

# Prefix -> (folder, materialisation). Decided once per layer: staging is a thin renaming layer
# (views); intermediate relations and marts are tables so each expensive step runs once per
# build; the `int_cut_` relations are views because they join every spine row to every earlier
# event and would explode if stored; features are tables.
MATERIALISATION: tuple[tuple[str, str, str], ...] = (
    ("stg_", "staging", "view"),
    ("int_cut_", "intermediate", "view"),
    ("int_", "intermediate", "table"),
    ("mart_", "marts", "table"),
    ("feat_", "features", "table"),
)

# Named exceptions, views although `int_`: storing them would copy every claim line (or every
# claim diagnosis code) into the warehouse on every build, which costs more than reading them.
# int_claim_lines_current is the staging view minus the few rows int_claim_line_exclusions lists;
# int_claim_diagnoses is the long form of the current lines' codes, read once by the features.
VIEW_NAMES: frozenset[str] = frozenset({"int_claim_lines_current", "int_claim_diagnoses"})

# Tables built in passes by a hash of person_id when the extract is large (runner.person_passes):
# each pass keeps one share of the persons, so the largest per-person aggregates and windows (the
# distinct over every diagnosis record, its spells, the daily utilization series and its windows)
# hold one share in memory at a time instead of spilling or running out of memory on the whole
# set. The SQL of such a relation (and of the views it reads) filters its inputs with the
# `person_hash_from` / `person_hash_to` variables (runner.set_pass); unset, the filter keeps
# every row.
PASS_NAMES: frozenset[str] = frozenset(
    {"int_feat_dx_events", "int_feat_dx_spells", "int_feat_use_series", "feat_utilization"}
)

# Relations the SQL may read without building them: loaders' tables.
EXTERNAL_PREFIXES: tuple[str, ...] = ("raw_", "ref_")

GRAIN_LINE = re.compile(r"^-- grain: one row per \S.*$")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class SqlFileError(ValueError):
    """A SQL file breaks the one-relation-per-file rules (message names the file and the rule)."""


@dataclass(frozen=True)
class Relation:
    """One SQL file: the relation it defines, how it is materialised, and what it reads."""

    name: str
    path: Path
    kind: str
    grain: str
    sql: str
    reads: frozenset[str]
    in_passes: bool = False


def kind_of(name: str, folder: str) -> str:
    """`view` or `table` for a relation name, checking its prefix belongs in `folder`."""
    if not NAME.match(name):
        raise SqlFileError(f"{name}.sql: a relation name is lower-case letters, digits and _")
    for prefix, layer, kind in MATERIALISATION:
        if name.startswith(prefix):
            if layer != folder:
                raise SqlFileError(f"{name}.sql: prefix {prefix!r} belongs in sql/{layer}/")
            return "view" if name in VIEW_NAMES else kind
    prefixes = ", ".join(p for p, _, _ in MATERIALISATION)
    raise SqlFileError(f"{name}.sql in sql/{folder}/: the name must start with one of {prefixes}")


def read_grain(path: Path, text: str) -> str:
    """The file's `-- grain: one row per ...` first line, or an error naming the file."""
    first = text.splitlines()[0].strip() if text.strip() else ""
    if not GRAIN_LINE.match(first):
        raise SqlFileError(
            f"{path}: the first line must be '-- grain: one row per ...' (found {first[:60]!r}); "
            "state the grain of the relation the file defines"
        )
    return first.removeprefix("-- grain:").strip()


# one connection must not run two statements at once: threads (Dask workers) parse in turn
_PARSER_LOCK = threading.Lock()


@cache
def _parser() -> duckdb.DuckDBPyConnection:
    """One private in-memory connection, used only to parse SQL text."""
    return duckdb.connect()


def tables_read(sql: str, where: str = "<sql>") -> frozenset[str]:
    """Names of the tables and views a single `select` statement reads (CTE names removed)."""
    with _PARSER_LOCK:
        tree = json.loads(_parser().execute("select json_serialize_sql(?)", [sql]).fetchone()[0])
    if tree.get("error"):
        raise SqlFileError(f"{where}: cannot parse: {tree.get('error_message')}")
    if len(tree["statements"]) != 1:
        raise SqlFileError(f"{where}: holds {len(tree['statements'])} statements; write one select")
    tables: set[str] = set()
    ctes: set[str] = set()
    _walk(tree["statements"][0], tables, ctes)
    return frozenset(t.lower() for t in tables - ctes)


def _walk(node: object, tables: set[str], ctes: set[str]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "BASE_TABLE":
            tables.add(node["table_name"])
        for entry in (node.get("cte_map") or {}).get("map", []):
            ctes.add(entry["key"])
        for value in node.values():
            _walk(value, tables, ctes)
    elif isinstance(node, list):
        for value in node:
            _walk(value, tables, ctes)


def load_relation(path: Path, folder: str) -> Relation:
    """Read one SQL file into a `Relation`, enforcing the grain line and the prefix rules."""
    text = path.read_text()
    grain = read_grain(path, text)
    kind = kind_of(path.stem, folder)
    sql = text.strip().rstrip(";")
    reads = tables_read(sql, str(path))
    in_passes = path.stem in PASS_NAMES
    return Relation(path.stem, path, kind, grain, sql, reads, in_passes and kind == "table")


def discover(root: Path = SQL_DIR) -> dict[str, Relation]:
    """Every relation under the layer folders of `root`, by name."""
    relations: dict[str, Relation] = {}
    for folder in LAYER_DIRS:
        for path in sorted((root / folder).glob("*.sql")):
            relation = load_relation(path, folder)
            if relation.name in relations:
                raise SqlFileError(f"{path}: relation {relation.name} is defined twice")
            relations[relation.name] = relation
    return relations
