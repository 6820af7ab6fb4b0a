"""The loader's SQL templates (this folder's .sql files) and how identifiers are filled in.

Templates hold `${name}` placeholders for identifiers and SQL fragments only; values always go
in as DuckDB prepared parameters or variables. The build runner does not read this folder.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent
PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PLACEHOLDER = re.compile(r"\$\{([a-z_][a-z0-9_]*)\}")


@cache
def sql_text(name: str) -> str:
    """The text of `sql/ingest/<name>.sql`, comments included."""
    return (SQL_DIR / f"{name}.sql").read_text()


def render(name: str, **parts: str) -> str:
    """The template `name` with `${part}` placeholders replaced (identifiers and fragments only)."""

    def fill(match: re.Match) -> str:
        if match.group(1) not in parts:
            raise KeyError(f"sql/ingest/{name}.sql needs ${{{match.group(1)}}}")
        return parts[match.group(1)]

    return PLACEHOLDER.sub(fill, sql_text(name))


def fragment(name: str, **parts: str) -> str:
    """A rendered template without its comment lines, ready to splice into a larger statement."""
    text = render(name, **parts)
    return "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("--")).strip()


def ident(name: str) -> str:
    """A double-quoted identifier; refuses anything but a plain name."""
    if not PLAIN_NAME.match(name):
        raise ValueError(f"refusing identifier {name!r}: only letters, digits and underscores")
    return f'"{name}"'


def idents(names: list[str] | tuple[str, ...]) -> str:
    """Comma-separated quoted identifiers."""
    return ", ".join(ident(n) for n in names)


def run_script(con: duckdb.DuckDBPyConnection, name: str, **parts: str) -> None:
    """Execute every statement of a template (statements separated by `;`)."""
    con.execute(render(name, **parts))


def set_variables(con: duckdb.DuckDBPyConnection, values: dict[str, object]) -> None:
    """Set DuckDB variables (names are ours; values go in as parameters)."""
    for name, value in values.items():
        if not PLAIN_NAME.match(name):
            raise ValueError(f"refusing variable name {name!r}")
        text_list = isinstance(value, list) and all(isinstance(v, str) for v in value)
        cast = "::varchar[]" if text_list else ""
        con.execute(f"set variable {name} = ?{cast}", [value])
