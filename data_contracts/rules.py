"""Every rule of a contract, from its column attributes and its `rules:` list, in one fixed form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

FORMATS_FILE = Path(__file__).parent / "formats.yaml"
SEVERITIES = ("error", "warn")
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

# Rule kinds checked one row at a time (both engines implement them).
ROW_KINDS = (
    "not_null",
    "castable",
    "in_set",
    "regex",
    "npi",
    "range",
    "date_not_future",
    "date_order",
    "code_system_agrees",
)
# Rule kinds that compare rows with each other (always evaluated in DuckDB over the whole file).
FILE_KINDS = ("unique_key", "duplicate_row", "not_negative_unless_reversal")
KINDS = ROW_KINDS + FILE_KINDS
# Kinds whose `columns` are roles of one rule; every other kind applies to each column separately.
MULTI_COLUMN_KINDS = ("date_order", "code_system_agrees", "unique_key", "duplicate_row")
PARAM_KEYS = ("values", "pattern", "format", "min", "max", "systems", "version_key", "order_by")


@dataclass(frozen=True)
class Rule:
    """One check: its name, kind, the columns it reads, severity and kind-specific parameters."""

    name: str
    kind: str
    columns: tuple[str, ...]
    severity: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    description: str = ""

    @property
    def column(self) -> str:
        """The column a finding is reported against."""
        if self.kind == "date_order":
            return self.columns[1]
        if self.kind in ("unique_key", "duplicate_row"):
            return ",".join(self.columns)
        return self.columns[0]

    @property
    def row_level(self) -> bool:
        """True if the rule looks at one row at a time."""
        return self.kind in ROW_KINDS

    @property
    def label(self) -> str:
        """`rule(column)`, as messages and reports show it."""
        return f"{self.name}({self.column})"


@cache
def load_formats() -> dict[str, dict[str, Any]]:
    """The code formats of `formats.yaml` (ICD-10-CM, ICD-10-PCS, NDC, LOINC, NPI, ZIP)."""
    return yaml.safe_load(FORMATS_FILE.read_text())


def format_rule(
    column: str, fmt: str, severity: str | None = None, when: dict | None = None
) -> Rule:
    """The row rule checking `column` against the named code format."""
    spec = load_formats()[fmt]
    params: dict[str, Any] = {"pattern": spec["pattern"], "format": fmt}
    if when:
        params["when"] = {"column": when["column"], "in": [str(v) for v in when["in"]]}
    return Rule(
        name=f"format_{fmt}",
        kind=spec["kind"],
        columns=(column,),
        severity=severity or spec["severity"],
        params=params,
        description=spec["description"],
    )


def _column_rules(contract: Any) -> list[Rule]:
    rules: list[Rule] = []
    for col in contract.columns:
        if col.not_null:
            rules.append(Rule("not_null", "not_null", (col.name,), "error", {}, "value required"))
        if col.type != "varchar":
            params = {"type": col.duckdb_type}
            rules.append(Rule(f"type_{col.type}", "castable", (col.name,), "error", params))
        if col.values:
            params = {"values": list(col.values)}
            severity = col.values_severity or "warn"
            rules.append(Rule("allowed_values", "in_set", (col.name,), severity, params))
        if col.format:
            rules.append(format_rule(col.name, col.format, col.format_severity))
    return rules


def _key_rules(contract: Any) -> list[Rule]:
    if not contract.key:
        return []
    key = tuple(contract.key)
    text = "rows sharing the key " + ", ".join(key)
    return [
        Rule("unique_key", "unique_key", key, "error", {}, text + " but differing elsewhere"),
        Rule("duplicate_row", "duplicate_row", key, "warn", {}, "exact copy of an earlier row"),
    ]


def _explicit_rules(contract: Any, spec: dict) -> list[Rule]:
    kind = spec["kind"]
    columns = tuple(spec["columns"])
    params = {k: spec[k] for k in PARAM_KEYS if k in spec}
    if "when" in spec:
        params["when"] = spec["when"]
    if kind == "regex" and "format" in spec and "pattern" not in spec:
        params["pattern"] = load_formats()[spec["format"]]["pattern"]
    groups = [columns] if kind in MULTI_COLUMN_KINDS else [(c,) for c in columns]
    out = []
    for cols in groups:
        typed = dict(params)
        typed["types"] = [contract.column(c).duckdb_type for c in cols]
        typed["type"] = typed["types"][-1]
        if "version_key" in params:
            typed["version_types"] = [contract.column(c).duckdb_type for c in params["version_key"]]
        out.append(
            Rule(
                spec["name"],
                kind,
                cols,
                spec.get("severity", "error"),
                typed,
                spec.get("description", ""),
            )
        )
    return out


def contract_rules(contract: Any) -> tuple[Rule, ...]:
    """Every rule of `contract`: column attributes, key, then its explicit `rules:` list."""
    explicit = [r for spec in contract.rules for r in _explicit_rules(contract, spec)]
    return tuple(_column_rules(contract) + _key_rules(contract) + explicit)


def check_rules(contract: Any) -> list[str]:
    """Problems with a contract's rules (unknown kinds, columns or severities); empty when sound."""
    names = set(contract.column_names)
    problems = [
        f"column name {c!r} is not a plain identifier" for c in names if not IDENTIFIER.match(c)
    ]
    for spec in contract.rules:
        if spec.get("kind") not in KINDS:
            problems.append(f"rule {spec.get('name')!r}: unknown kind {spec.get('kind')!r}")
            continue
        if spec.get("severity", "error") not in SEVERITIES:
            problems.append(f"rule {spec['name']!r}: severity must be one of {SEVERITIES}")
        refs = list(spec.get("columns", [])) + list(spec.get("version_key", []))
        refs += [spec["order_by"]] if "order_by" in spec else []
        refs += [spec["when"]["column"]] if "when" in spec else []
        problems += [f"rule {spec['name']!r}: no column {c!r}" for c in refs if c not in names]
        if not IDENTIFIER.match(str(spec.get("name", ""))):
            problems.append(f"rule name {spec.get('name')!r} is not a plain identifier")
    return problems
