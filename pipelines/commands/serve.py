"""`readmit serve`: serve the nightly and retrain deployments on their schedules."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from pipelines.errors import ReadmitError
from pipelines.settings import load_settings

console = Console()


def serve(
    landing: Path = typer.Option(
        ..., "--landing", help="Landing folder holding <extract_date>/ drops."
    ),
    workspace: Path | None = typer.Option(
        None, "--workspace", help="Workspace folder (default ./workspace or READMIT_WORKSPACE)."
    ),
    truth: Path | None = typer.Option(
        None, "--truth", help="Generator truth file, used only to report the oracle AUROC."
    ),
) -> None:
    """Run the nightly flow on READMIT_NIGHTLY_CRON and retrain on READMIT_RETRAIN_CRON."""
    from prefect.settings import get_current_settings

    api_url = get_current_settings().api.url
    if not api_url:
        raise ReadmitError(
            "PREFECT_API_URL is not set: `readmit serve` registers its deployments with a Prefect "
            "server. Start one (`prefect server start`) and set PREFECT_API_URL, e.g. "
            "http://127.0.0.1:4200/api; for a single run without a server use `readmit nightly`."
        )
    if not landing.is_dir():
        raise ReadmitError(f"landing folder {landing} does not exist")
    from pipelines.flows import serve_deployments

    settings = load_settings(workspace=workspace)
    zone = settings.schedule_timezone
    console.print(
        f"serving readmit-nightly/nightly ({settings.nightly_cron}, {zone}) and "
        f"readmit-train/retrain ({settings.retrain_cron}, {zone}) against {api_url}; "
        "Ctrl+C stops"
    )
    serve_deployments(settings, landing, truth)
