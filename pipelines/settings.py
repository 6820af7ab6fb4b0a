"""The one place configuration is read: command-line options over environment over defaults."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr

ENV_PREFIX = "READMIT_"


class Settings(BaseModel):
    """Run configuration, frozen once read and passed down as plain arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    workspace: Path = Field(
        Path("workspace"), description="Folder for the warehouse, models and published outputs"
    )
    seed: int = Field(20250101, description="Seed for generation, splits and training")
    demo_persons: int = Field(
        20_000, ge=100, description="Population size `readmit demo` generates"
    )
    synth_start: date = Field(date(2022, 1, 1), description="First day of generated history")
    synth_end: date = Field(date(2024, 12, 31), description="Last day of generated history")
    max_bad_row_share: float = Field(
        0.05, ge=0, le=1, description="Share of bad rows above which a file stops the run"
    )
    tier1_share: float = Field(0.05, ge=0, le=1, description="Tier 1 (intensive): top share")
    tier2_share: float = Field(0.10, ge=0, le=1, description="Tier 2 (high): the next share")
    tier3_share: float = Field(0.15, ge=0, le=1, description="Tier 3 (rising): the next share")
    tier3_rise_points: float = Field(
        0.10, gt=0, le=1, description="A rise in probability since the last run that makes tier 3"
    )
    tier1_points: int = Field(3, ge=1, description="Caseload acuity points of a tier 1 patient")
    tier2_points: int = Field(2, ge=1, description="Caseload acuity points of a tier 2 patient")
    caseload_time_limit: float = Field(
        120.0,
        gt=0,
        description="Seconds the caseload solver may search; it stops as soon as it proves the "
        "assignment optimal, and otherwise keeps its best one and reports the gap",
    )
    output_mode: int = Field(0o600, description="File mode of published outputs (owner-only)")
    nightly_cron: str = Field("0 2 * * *", description="When `readmit serve` runs the nightly flow")
    retrain_cron: str = Field("0 3 1 * *", description="When `readmit serve` retrains (monthly)")
    schedule_timezone: str = Field(
        "UTC", description="IANA time zone of the serve schedules, e.g. 'America/New_York'"
    )
    duckdb_threads: int | None = Field(
        None, ge=1, description="DuckDB threads (default: all cores)"
    )
    duckdb_memory_limit: str | None = Field(None, description="DuckDB memory limit, e.g. '8GB'")
    build_person_passes: int | None = Field(
        None,
        ge=1,
        description="Passes by hash of person_id for the largest build steps "
        "(default: one per 20M medical claim lines)",
    )
    deid_key: SecretStr | None = Field(
        None, description="Secret key of the de-identified export's pseudonyms (keep it stable)"
    )

    @property
    def warehouse(self) -> Path:
        """The DuckDB warehouse file (DESIGN section 14)."""
        return self.workspace / "warehouse.duckdb"

    @property
    def landing(self) -> Path:
        """Where `readmit demo` writes generated drops."""
        return self.workspace / "landing"


def _from_env() -> dict:
    values: dict = {}
    for name in Settings.model_fields:
        raw = os.environ.get(ENV_PREFIX + name.upper())
        if raw is not None and raw != "":
            values[name] = raw
    return values


def load_settings(**overrides: object) -> Settings:
    """Settings from defaults, then `READMIT_*` environment variables, then explicit overrides."""
    values = _from_env()
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
