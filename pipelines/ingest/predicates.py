"""Compile contract rules into DuckDB SQL: row predicates, failure masks and cross-row queries."""

from __future__ import annotations

from data_contracts.contract import DUCKDB_TYPES
from data_contracts.rules import Rule, load_formats
from sql.ingest import fragment, ident

TYPES = frozenset(DUCKDB_TYPES.values())
MASK_BITS = 64


def rule_var(rule_id: int) -> str:
    """The prefix of the DuckDB variables holding rule `rule_id`'s parameters."""
    return f"readmit_r{rule_id}"


def checked_type(name: str) -> str:
    """A DuckDB type name from our own contracts, refused if it is anything else."""
    if name not in TYPES:
        raise ValueError(f"unknown column type {name!r}")
    return name


def _code_system(rule: Rule, var: str, variables: dict[str, object]) -> str:
    declared, code = ident(rule.columns[0]), ident(rule.columns[1])
    formats = load_formats()
    parts: list[str] = []
    earlier: list[str] = []
    for k, (system, fmt) in enumerate(rule.params["systems"].items()):
        sub = f"{var}_s{k}"
        variables[f"{sub}_system"] = system
        variables[f"{sub}_pattern"] = formats[fmt]["pattern"]
        prior = " or ".join(earlier) or "false"
        parts.append(
            fragment(
                "rules/code_system_agrees", declared=declared, code=code, var=sub, earlier=prior
            )
        )
        earlier.append(fragment("rules/matches", code=code, var=sub))
    return "(" + " or ".join(parts) + ")"


def _kind_sql(rule: Rule, var: str, variables: dict[str, object]) -> str:
    p, kind = rule.params, rule.kind
    col = ident(rule.columns[0])
    if kind in ("not_null", "npi"):
        return fragment(f"rules/{kind}", col=col)
    if kind in ("castable", "date_not_future"):
        return fragment(f"rules/{kind}", col=col, type=checked_type(p["type"]))
    if kind == "in_set":
        variables[f"{var}_values"] = [str(v) for v in p["values"]]
        return fragment("rules/in_set", col=col, var=var)
    if kind == "regex":
        variables[f"{var}_pattern"] = p["pattern"]
        return fragment("rules/regex", col=col, var=var)
    if kind == "range":
        variables[f"{var}_min"] = None if p.get("min") is None else float(p["min"])
        variables[f"{var}_max"] = None if p.get("max") is None else float(p["max"])
        return fragment("rules/range", col=col, var=var, type=checked_type(p["type"]))
    if kind == "date_order":
        type_a, type_b = (checked_type(t) for t in p["types"])
        b = ident(rule.columns[1])
        return fragment("rules/date_order", a=col, b=b, type_a=type_a, type_b=type_b)
    if kind == "code_system_agrees":
        return _code_system(rule, var, variables)
    raise ValueError(f"rule kind {kind!r} is not a row-level kind")


def row_predicate(rule: Rule, rule_id: int) -> tuple[str, dict[str, object]]:
    """SQL that is true when a row breaks `rule`, and the variables it reads."""
    var = rule_var(rule_id)
    variables: dict[str, object] = {}
    sql = _kind_sql(rule, var, variables)
    when = rule.params.get("when")
    if when:
        variables[f"{var}_when"] = [str(v) for v in when["in"]]
        sql = fragment("rules/when", predicate=sql, var=var, when_col=ident(when["column"]))
    return sql, variables


def mask_columns(row_rules: list[tuple[int, Rule]]) -> tuple[list[str], dict[str, object]]:
    """`expr as __mN` select items holding one failure bit per row rule, and their variables."""
    variables: dict[str, object] = {}
    masks: dict[int, list[str]] = {}
    for position, (rule_id, rule) in enumerate(row_rules):
        predicate, extra = row_predicate(rule, rule_id)
        variables.update(extra)
        bit = str(1 << (position % MASK_BITS))
        masks.setdefault(position // MASK_BITS, []).append(
            fragment("rules/mask_term", predicate=predicate, bit=bit)
        )
    items = [" + ".join(terms) + " as " + ident(f"__m{n}") for n, terms in masks.items()]
    return items, variables


def keep_predicate(row_rules: list[tuple[int, Rule]]) -> str:
    """SQL true for a row that breaks no error-level rule (the rows a load keeps).

    Each rule counts as broken exactly when its failure bit would be set (a null verdict is not a
    failure), so the rows kept are those the scan's masks did not quarantine.
    """
    terms = [
        fragment("rules/mask_term", predicate=row_predicate(rule, rule_id)[0], bit="1")
        for rule_id, rule in row_rules
        if rule.severity == "error"
    ]
    return "(" + " + ".join(terms) + ") = 0" if terms else "true"
