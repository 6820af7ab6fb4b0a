"""The SQL behind the analysts' API and the de-identified export: one `select` per file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).parent


@cache
def sql_text(name: str) -> str:
    """The text of `pipelines/queries/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text()
