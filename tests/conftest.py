"""Fixtures shared by every test folder."""

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only sample data and reference sets beside the repository (`../shared`)."""
    return Path(__file__).resolve().parents[1].parent / "shared"


def require_shared(path: Path) -> Path:
    """`path` under ../shared, or skip the test: a checkout without the sample data beside it
    (a clone elsewhere) runs every other test."""
    if not path.exists():
        pytest.skip(f"{path.name} from ../shared is not present on this machine")
    return path
