"""`readmit export --deidentified`: Parquet files for analysts who must not see identities."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from pipelines.errors import ReadmitError

console = Console()


def export(
    out: Path = typer.Option(..., "--out", help="Folder to write the Parquet files into."),
    deidentified: bool = typer.Option(
        False,
        "--deidentified",
        help="Hashed ids, ages (90+ top-coded), 3-digit zips, no names or contact details.",
    ),
    dates: str = typer.Option(
        "year",
        "--dates",
        help="Date precision: year (HIPAA Safe Harbor), or month / day under a data-use agreement.",
    ),
    workspace: Path | None = typer.Option(
        None, "--workspace", help="Workspace folder (default ./workspace or READMIT_WORKSPACE)."
    ),
) -> None:
    """Export persons, stays, feature matrices and latest scores, de-identified (key from
    READMIT_DEID_KEY, the same for every export so pseudonyms stay stable)."""
    from pipelines.api import export_deidentified

    if not deidentified:
        raise ReadmitError("only de-identified exports exist: add --deidentified")
    result = export_deidentified(out, workspace, dates)
    console.print(f"de-identified export (dates: {result.date_precision}) in {result.out_dir}")
    for stem, rows in result.rows.items():
        console.print(f"  {stem}.parquet: {rows:,} rows")
