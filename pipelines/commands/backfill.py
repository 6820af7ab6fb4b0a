"""`readmit backfill`: re-score a range of as-of dates with the champion models."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console

from pipelines.errors import ReadmitError
from pipelines.settings import load_settings

console = Console()
DAY = ["%Y-%m-%d"]


def backfill(
    start: datetime = typer.Option(
        ..., "--from", formats=DAY, help="First as-of date to re-score (YYYY-MM-DD)."
    ),
    end: datetime = typer.Option(
        ..., "--to", formats=DAY, help="Last as-of date to re-score, inclusive (YYYY-MM-DD)."
    ),
    workspace: Path | None = typer.Option(
        None, "--workspace", help="Workspace folder (default ./workspace or READMIT_WORKSPACE)."
    ),
) -> None:
    """Re-score every as-of date in a range with the champions; rerunning a range replaces it."""
    first, last = start.date(), end.date()
    if last < first:
        raise typer.BadParameter(f"--to {last} is before --from {first}")
    settings = load_settings(workspace=workspace)
    if not settings.warehouse.exists():
        raise ReadmitError(
            f"no warehouse at {settings.warehouse}; run `readmit nightly` first, then backfill"
        )
    from pipelines.flows import backfill as backfill_flow

    began = datetime.now()
    result = backfill_flow(first, last, str(settings.workspace))
    seconds = (datetime.now() - began).total_seconds()
    console.print(f"run {result['run_id']} re-scored {first} to {last} in {seconds:.0f} s")
    for task, counts in result["scored"].items():
        console.print(
            f"  {task} ({counts['model_version']}): {counts['rows']} rows over "
            f"{counts['as_of_dates']} as-of dates"
        )
