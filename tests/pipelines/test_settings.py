"""Settings: defaults, environment, explicit options, and frozen."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from pipelines.settings import load_settings


def test_defaults_put_the_warehouse_in_the_workspace(monkeypatch):
    monkeypatch.delenv("READMIT_WORKSPACE", raising=False)
    settings = load_settings()
    assert settings.workspace == Path("workspace")
    assert settings.warehouse == Path("workspace") / "warehouse.duckdb"


def test_environment_overrides_default_and_option_overrides_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("READMIT_WORKSPACE", str(tmp_path / "env"))
    monkeypatch.setenv("READMIT_SEED", "7")
    assert load_settings().workspace == tmp_path / "env"
    assert load_settings().seed == 7
    assert load_settings(workspace=tmp_path / "cli").workspace == tmp_path / "cli"


def test_settings_are_frozen_and_validated():
    settings = load_settings()
    with pytest.raises(ValidationError):
        settings.seed = 3  # type: ignore[misc]
    with pytest.raises(ValidationError):
        load_settings(max_bad_row_share=2)
