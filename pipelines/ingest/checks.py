"""Check one source (`__src`) against its contract: which rows break which rules, and how many."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import pyarrow as pa

from data_contracts import load_contract
from data_contracts.errors import ContractError
from data_contracts.rules import Rule
from pipelines.ingest.positional import scan as scan_positional
from pipelines.ingest.predicates import MASK_BITS, keep_predicate, mask_columns
from sql.ingest import ident, render, run_script, set_variables

ENGINES = ("duckdb", "gx")


@dataclass(frozen=True)
class Finding:
    """How many rows of a source break one rule."""

    rule: str
    column: str
    severity: str
    rows: int


@dataclass
class SourceCheck:
    """The verdict on one source: rows in, rows set aside, and every rule that found something."""

    label: str
    table: str
    engine: str
    rows_in: int
    rows_quarantined: int
    findings: list[Finding] = field(default_factory=list)
    positional: bool = False
    keep: str = "true"  # positional loads: SQL true for a row no error-level rule quarantines

    @property
    def rows_loaded(self) -> int:
        """Rows that pass every error-level rule."""
        return self.rows_in - self.rows_quarantined

    @property
    def warning_rows(self) -> int:
        """Failing (row, rule) pairs at warn level."""
        return sum(f.rows for f in self.findings if f.severity == "warn")

    def add(self, findings: list[Finding]) -> None:
        """Merge what the cross-row rules found after loading (key conflicts are quarantined)."""
        self.rows_quarantined += sum(f.rows for f in findings if f.rule == "unique_key")
        self.findings = sorted(self.findings + findings, key=lambda f: -f.rows)

    def top_error(self) -> Finding | None:
        """The error-level rule breaking the most rows."""
        return next((f for f in self.findings if f.severity == "error"), None)


def applicable_rules(table: str, present: list[str]) -> list[Rule]:
    """The contract's rules this source can be checked against, row-level rules first."""
    have = set(present)
    rules = []
    for rule in load_contract(table).checks:
        needed = list(rule.columns) + list(rule.params.get("version_key", []))
        if rule.kind in ("unique_key", "duplicate_row"):
            usable = any(c in have for c in rule.columns)
        else:
            usable = all(c in have for c in needed)
        when = rule.params.get("when")
        if usable and (not when or when["column"] in have):
            rules.append(rule)
    return sorted(rules, key=lambda r: not r.row_level)


def _register_rules(con: duckdb.DuckDBPyConnection, rules: list[Rule]) -> None:
    table = pa.table(
        {
            "rule_id": pa.array(range(len(rules)), pa.int32()),
            "name": [r.name for r in rules],
            "kind": [r.kind for r in rules],
            "column_name": [r.column for r in rules],
            "severity": [r.severity for r in rules],
        }
    )
    con.register("__rules_in", table)
    run_script(con, "rules_table")
    con.unregister("__rules_in")


def _scan(
    con: duckdb.DuckDBPyConnection,
    row_rules: list[tuple[int, Rule]],
    engine: str,
    positional: tuple[str, list[str]] | None = None,
) -> int:
    """Build `__scan` (row ids and, for DuckDB, failure masks) in one pass; decode the masks.

    `positional` (table, present columns) scans a CSV source's `__src_plain` on every thread.
    """
    masks: list[str] = []
    if engine == "duckdb":
        masks, variables = mask_columns(row_rules)
        set_variables(con, variables)
    if positional is not None:
        scan_positional(con, masks, *positional)
    else:
        columns = "".join(",\n    " + item for item in masks)
        con.execute(render("scan", columns=columns))
    run_script(con, "fails_table")
    for n in range(len(masks)):
        con.execute(render("mask_fails", mask=ident(f"__m{n}"), offset=str(n * MASK_BITS)))
    return con.execute("select count(*) from __scan").fetchone()[0]


def _gx_fails(
    con: duckdb.DuckDBPyConnection,
    row_rules: list[tuple[int, Rule]],
    future_after: date,
    chunk_rows: int,
) -> None:
    """Run the row rules as GX expectations over `__src` in chunks and add what they flag."""
    from pipelines.ingest.gx_engine import gx_failures

    found = gx_failures(con, row_rules, future_after, chunk_rows)
    con.register("__gx_fails", found)
    run_script(con, "gx_fails")
    con.unregister("__gx_fails")


def check_source(
    con: duckdb.DuckDBPyConnection,
    label: str,
    table: str,
    present: list[str],
    *,
    extract_date: date,
    engine: str = "duckdb",
    chunk_rows: int = 100_000,
    positional: bool = False,
) -> SourceCheck:
    """Evaluate every applicable rule on `__src`; leaves __fails, __quarantined and __findings.

    `positional` (CSV sources, DuckDB engine) reads `__src_plain` instead, numbering rows by
    position so the file is read on every thread.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    positional = positional and engine == "duckdb"
    rules = [r for r in applicable_rules(table, present) if r.row_level]
    row_rules = list(enumerate(rules))
    future_after = extract_date + timedelta(days=1)
    set_variables(con, {"readmit_future_after": future_after})
    _register_rules(con, rules)
    rows_in = _scan(con, row_rules, engine, (table, present) if positional else None)
    if engine == "gx" and row_rules:
        _gx_fails(con, row_rules, future_after, chunk_rows)
    run_script(con, "summarise")
    quarantined = con.execute("select count(*) from __quarantined").fetchone()[0]
    findings = [
        Finding(*row)
        for row in con.execute(
            "select name, column_name, severity, rows from __findings"
        ).fetchall()
    ]
    keep = keep_predicate(row_rules) if positional else "true"
    return SourceCheck(label, table, engine, rows_in, quarantined, findings, positional, keep)


def enforce_threshold(check: SourceCheck, max_bad_share: float) -> None:
    """Stop the run when more than `max_bad_share` of a source's rows break error-level rules."""
    if not check.rows_in or check.rows_quarantined / check.rows_in <= max_bad_share:
        return
    top = check.top_error()
    share = check.rows_quarantined / check.rows_in
    raise ContractError(
        check.label,
        top.rule,
        f"{check.rows_quarantined:,} of {check.rows_in:,} {check.table} rows ({share:.1%}) break "
        f"error-level rules, above the {max_bad_share:.0%} limit; the most common is {top.rule} "
        f"on column {top.column} ({top.rows:,} rows)",
        column=top.column,
        action=(
            "Fix the extract and re-deliver it, or raise the limit (--max-bad-share) if these rows "
            "may be set aside in quarantine."
        ),
    )
