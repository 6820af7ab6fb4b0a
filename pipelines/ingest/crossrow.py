"""Rules that compare rows, checked on the typed rows a load has just inserted (same transaction).

Key conflicts are quarantined (recorded, then deleted from the raw table), exact copies and
negative amounts without an earlier version of the claim line are counted as warnings. Only rows
whose key repeats are hashed, so the check costs a scan of the key columns, not of every column.
"""

from __future__ import annotations

import duckdb

from data_contracts import load_contract
from data_contracts.rules import Rule
from pipelines.ingest.checks import Finding
from sql.ingest import fragment, ident, idents, render, run_script, set_variables


def _keys(
    con: duckdb.DuckDBPyConnection, raw: str, rule: Rule, present: list[str]
) -> list[Finding]:
    key = list(rule.columns)
    any_key = " or ".join(fragment("not_null_column", col=ident(c)) for c in key)
    con.execute(render("load_rows", raw_table=raw, key=idents(key), any_key=any_key))
    columns = ", ".join("r." + ident(c) for c in present)
    con.execute(render("key_groups", raw_table=raw, columns=columns))
    run_script(con, "key_conflicts")
    conflicts = con.execute("select count(*) from __key_conflicts").fetchone()[0]
    copies = con.execute(render("key_copies")).fetchone()[0]
    if conflicts:
        set_variables(con, {"readmit_key_label": rule.column})
        run_script(con, "quarantine_conflicts", raw_table=raw)
    return [
        Finding("unique_key", rule.column, "error", conflicts),
        Finding("duplicate_row", rule.column, "warn", copies),
    ]


def _reversals(con: duckdb.DuckDBPyConnection, raw: str, rule: Rule) -> Finding:
    same_line = " and ".join(
        fragment("same_column", col=ident(c)) for c in rule.params["version_key"]
    )
    query = render(
        "reversals",
        raw_table=raw,
        amount=ident(rule.columns[0]),
        order_by=ident(rule.params["order_by"]),
        same_line=same_line,
    )
    return Finding(rule.name, rule.column, rule.severity, con.execute(query).fetchone()[0])


def check_loaded(con: duckdb.DuckDBPyConnection, table: str, present: list[str]) -> list[Finding]:
    """Run the cross-row rules on this load's rows (the loader's lineage variables are set)."""
    raw = ident(f"raw_{table}")
    findings: list[Finding] = []
    for rule in load_contract(table).checks:
        if rule.kind == "unique_key" and any(c in present for c in rule.columns):
            findings += _keys(con, raw, rule, present)
        elif rule.kind == "not_negative_unless_reversal" and rule.columns[0] in present:
            findings.append(_reversals(con, raw, rule))
    return [f for f in findings if f.rows]
