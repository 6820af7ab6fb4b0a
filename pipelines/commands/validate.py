"""`readmit validate LANDING_DIR`: run the contracts over a feed without loading anything."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb
import typer
from rich.console import Console
from rich.table import Table

from pipelines.commands.ingest import (
    Engine,
    EngineOption,
    LandingArgument,
    MaxBadShareOption,
    WorkspaceOption,
    progress_bar,
)
from pipelines.ingest import Verdict, validate_landing
from pipelines.settings import load_settings

console = Console()


def validate(
    landing_dir: LandingArgument,
    workspace: WorkspaceOption = None,
    engine: EngineOption = Engine.auto,
    max_bad_share: MaxBadShareOption = None,
) -> None:
    """Check every file against its contract and say whether a load would stop (exit 2 if so)."""
    settings = load_settings(workspace=workspace, max_bad_row_share=max_bad_share)
    scratch = Path(tempfile.mkdtemp(prefix="readmit-validate-"))
    con = duckdb.connect(str(scratch / "scratch.duckdb"))  # the warehouse is not touched
    try:
        with progress_bar(console) as bar:
            task = bar.add_task("validate", total=None)
            verdicts = validate_landing(
                con,
                landing_dir,
                engine=engine.value,
                max_bad_share=settings.max_bad_row_share,
                progress=lambda label, done, total: bar.update(
                    task, description=label, completed=done - 1, total=total
                ),
            )
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)
    _print(verdicts)
    stopping = [v for v in verdicts if v.stops_run]
    if stopping:
        console.print(f"{len(stopping)} file(s) would stop `readmit ingest`:")
        for v in stopping:
            console.print(f"- {v.message}", markup=False)
        raise typer.Exit(2)
    console.print("Every file passes its contract; `readmit ingest` would load it.")


def _verdict(v: Verdict) -> str:
    if v.stops_run:
        return "would stop the run"
    if v.table is None:
        return v.message
    if v.error_rows:
        return "loads; some rows to quarantine"
    return "loads with warnings" if v.warning_rows else "loads"


def _print(verdicts: list[Verdict]) -> None:
    table = Table(title="Contract check (nothing loaded)")
    table.add_column("file (raw table)", overflow="fold")
    for name in ("rows", "errors", "warnings"):
        table.add_column(name, justify="right")
    table.add_column("verdict", overflow="fold")
    for v in verdicts:
        table.add_row(
            f"{v.file} ({v.table})" if v.table else v.file,
            f"{v.rows_in:,}",
            f"{v.error_rows:,}",
            f"{v.warning_rows:,}",
            _verdict(v),
        )
    console.print(table)
