"""Render the report templates (HTML escaped) and write files readable by their owner only."""

from __future__ import annotations

import os
import re
import tempfile
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATE_DIR = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    """The Jinja2 environment: autoescape on for every template, undefined names fail."""
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: object) -> str:
    """The text of `templates/<template>` with `context`."""
    return environment().get_template(template).render(**context)


def safe_stem(name: str) -> str:
    """A file name stem from an identifier: letters, digits, -, _ and . only, no leading dot."""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", name).lstrip(".")
    if not stem:
        raise ValueError(f"cannot make a file name from {name!r}")
    return stem


def write_private(path: Path, text: str, mode: int = 0o600) -> Path:
    """Write `text` to `path` atomically with permissions `mode` (owner-only by default)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.chmod(path, mode)
    return path
