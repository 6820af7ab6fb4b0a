"""SQL the scoring step runs (the build runner does not read this folder)."""

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).parent


@cache
def sql_text(name: str) -> str:
    """The text of `sql/scoring/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text()
