"""`readmit score`: score the current warehouse with the champion models (no ingest, no publish)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from pipelines.settings import load_settings

console = Console()


def score(
    workspace: Path | None = typer.Option(
        None, "--workspace", help="Workspace folder (default ./workspace or READMIT_WORKSPACE)."
    ),
) -> None:
    """Score and tier every eligible person with the champions into ml_scores (one locked run)."""
    from pipelines.nightly import score_once

    settings = load_settings(workspace=workspace)
    result = score_once(settings)
    console.print(f"run {result['run_id']} scored into ml_scores")
    for task, counts in result["scored"].items():
        tiers = ", ".join(f"tier {t}: {counts.get(f'tier_{t}', 0)}" for t in (1, 2, 3, 4))
        console.print(f"  {task} ({counts['model_version']}): {counts['rows']} scored ({tiers})")
