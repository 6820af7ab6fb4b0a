"""`readmit ingest LANDING_DIR`: check every new drop against its contracts, load raw tables."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from data_contracts.errors import ContractError
from pipelines.ingest import IngestResult, ingest_landing
from pipelines.ingest.discovery import check_landing_layout
from pipelines.lock import run_lock
from pipelines.publish import run_dir
from pipelines.runlog import new_run_id
from pipelines.settings import load_settings
from pipelines.warehouse import connect
from reports.data_quality import write_data_quality_report

console = Console()

LandingArgument = Annotated[
    Path,
    typer.Argument(
        exists=True,
        file_okay=False,
        help="Landing folder holding <extract_date>/ drops (or one drop folder).",
    ),
]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace", help="Workspace folder (default ./workspace or READMIT_WORKSPACE)."
    ),
]


class Engine(StrEnum):
    """Where the row rules run."""

    auto = "auto"
    duckdb = "duckdb"
    gx = "gx"


EngineOption = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="Where row rules run: duckdb (fast), gx (Great Expectations), auto (gx if small).",
    ),
]
MaxBadShareOption = Annotated[
    float | None,
    typer.Option(
        "--max-bad-share",
        help="Share of a file's rows that may break error rules before the run stops (0.05).",
    ),
]


def progress_bar(console: Console) -> Progress:
    """A progress bar with one step per file."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def ingest(
    landing_dir: LandingArgument,
    workspace: WorkspaceOption = None,
    engine: EngineOption = Engine.auto,
    max_bad_share: MaxBadShareOption = None,
) -> None:
    """Load every new drop: bad rows to quarantine, the rest to raw tables with lineage."""
    check_landing_layout(landing_dir)
    settings = load_settings(workspace=workspace, max_bad_row_share=max_bad_share)
    run_id = new_run_id()
    with run_lock(settings.workspace, run_id):
        con = connect(
            settings.warehouse,
            threads=settings.duckdb_threads,
            memory_limit=settings.duckdb_memory_limit,
        )
        report = run_dir(settings.workspace, run_id) / "data_quality.html"
        try:
            result = _run(con, landing_dir, run_id, engine.value, settings.max_bad_row_share)
        except ContractError:
            write_data_quality_report(con, run_id, report)
            console.print(f"Data-quality report of the stopped run: {report}", soft_wrap=True)
            raise
        else:
            write_data_quality_report(con, run_id, report)
        finally:
            con.close()
    _summary(result, report)


def _run(con, landing_dir: Path, run_id: str, engine: str, max_bad_share: float) -> IngestResult:
    with progress_bar(console) as bar:
        task = bar.add_task("ingest", total=None)

        def step(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done - 1, total=total)

        result = ingest_landing(
            con, landing_dir, run_id, engine=engine, max_bad_share=max_bad_share, progress=step
        )
        bar.update(task, description="ingest", completed=bar.tasks[0].total or 0)
    return result


def _summary(result: IngestResult, report: Path) -> None:
    table = Table(title=f"Run {result.run_id}")
    table.add_column("file (raw table)", overflow="fold")
    for name in ("status", "rows in", "loaded", "quarantined", "warnings"):
        table.add_column(name, justify="left" if name == "status" else "right")
    for f in result.files:
        table.add_row(
            f"{f.file} ({f.table})" if f.table else f.file,
            f.status,
            f"{f.rows_in:,}",
            f"{f.rows_loaded:,}",
            f"{f.rows_quarantined:,}",
            f"{f.warning_rows:,}",
        )
    console.print(table)
    if result.ignored:
        console.print(
            f"Ignored (not a known file name): {', '.join(result.ignored)}", soft_wrap=True
        )
    console.print(f"Data-quality report: {report}", soft_wrap=True)
