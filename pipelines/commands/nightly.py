"""`readmit nightly`: one local Prefect run of the nightly flow (no server to set up)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from pipelines.ingest.discovery import check_landing_layout
from pipelines.lock import ensure_free
from pipelines.settings import load_settings

console = Console()


def nightly(
    landing: Path = typer.Option(
        ..., "--landing", help="Landing folder holding <extract_date>/ drops."
    ),
    workspace: Path | None = typer.Option(
        None, "--workspace", help="Workspace folder (default ./workspace or READMIT_WORKSPACE)."
    ),
    truth: Path | None = typer.Option(
        None, "--truth", help="Generator truth file, used only to report the oracle AUROC."
    ),
    shards: int = typer.Option(
        0, "--shards", min=0, help="Split per-person work into K shards on a Dask cluster."
    ),
    dask: str | None = typer.Option(
        None, "--dask", help="Dask scheduler address (default: a local cluster); needs --shards."
    ),
) -> None:
    """Validate, load, build, score, tier and publish once (trains first if no model exists)."""
    if dask and not shards:
        raise typer.BadParameter("--dask needs --shards K (K >= 1)", param_hint="--dask")
    settings = load_settings(workspace=workspace)
    ensure_free(settings.workspace)  # exit at once, before Prefect starts, if a run holds it
    check_landing_layout(landing)  # before Prefect is imported: a wrong layout stops at once
    from pipelines.flows import nightly as nightly_flow

    if shards:
        from pipelines.flows import on_dask

        nightly_flow = on_dask(dask)
    result = nightly_flow(
        str(landing), str(settings.workspace), str(truth) if truth else None, shards
    )
    console.print(f"run {result['run_id']} published to {result['latest']}")
    for task, counts in result["scored"].items():
        tiers = ", ".join(f"tier {t}: {counts.get(f'tier_{t}', 0)}" for t in (1, 2, 3, 4))
        console.print(f"  {task}: {counts['rows']} scored ({tiers})")
