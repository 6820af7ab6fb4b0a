"""Fixtures shared by every test folder."""

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only sample data and reference sets beside the repository (`../shared`)."""
    return Path(__file__).resolve().parents[1].parent / "shared"
