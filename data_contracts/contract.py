"""Load the YAML contracts shipped in `data_contracts/contracts/`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from data_contracts.rules import Rule, contract_rules

CONTRACT_DIR = Path(__file__).parent / "contracts"

# Extract tables in the order a drop is loaded (DESIGN section 3).
TABLES: tuple[str, ...] = (
    "eligibility",
    "medical_claim",
    "pharmacy_claim",
    "patient",
    "encounter",
    "condition",
    "procedure",
    "medication",
    "lab_result",
    "observation",
    "case_managers",
    "area_deprivation",
)

DUCKDB_TYPES = {
    "varchar": "VARCHAR",
    "integer": "INTEGER",
    "double": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "boolean": "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    """One column of an extract: its type, whether the file must carry it, and its rules."""

    name: str
    type: str
    required: bool = False
    not_null: bool = False
    values: tuple[str, ...] | None = None
    format: str | None = None
    phi: bool = False
    values_severity: str | None = None
    format_severity: str | None = None

    @property
    def duckdb_type(self) -> str:
        """The DuckDB type the loader casts this column to."""
        return DUCKDB_TYPES[self.type]


@dataclass(frozen=True)
class Contract:
    """The contract of one extract table."""

    table: str
    grain: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    rules: tuple[dict, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        """Every known column, in contract order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Columns a file must carry."""
        return [c.name for c in self.columns if c.required]

    @property
    def phi_columns(self) -> list[str]:
        """Columns that identify a person and must never reach a log."""
        return [c.name for c in self.columns if c.phi]

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return next(c for c in self.columns if c.name == name)

    @property
    def checks(self) -> tuple[Rule, ...]:
        """Every rule of this contract: column attributes, key, then its `rules:` list."""
        return contract_rules(self)


def _column(name: str, spec: dict) -> Column:
    values = spec.get("values")
    return Column(
        name=name,
        type=spec["type"],
        required=bool(spec.get("required", False)),
        not_null=bool(spec.get("not_null", False)),
        values=tuple(str(v) for v in values) if values else None,
        format=spec.get("format"),
        phi=bool(spec.get("phi", False)),
        values_severity=spec.get("values_severity"),
        format_severity=spec.get("format_severity"),
    )


@cache
def load_contract(table: str) -> Contract:
    """Read the contract of `table` from its YAML file."""
    path = CONTRACT_DIR / f"{table}.yaml"
    if not path.exists():
        raise KeyError(f"no contract for table {table!r}; known tables: {', '.join(TABLES)}")
    raw = yaml.safe_load(path.read_text())
    return Contract(
        table=raw["table"],
        grain=raw["grain"],
        description=raw.get("description", ""),
        key=tuple(raw.get("key", ())),
        columns=tuple(_column(n, s) for n, s in raw["columns"].items()),
        rules=tuple(raw.get("rules", ())),
    )
