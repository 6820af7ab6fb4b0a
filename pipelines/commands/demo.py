"""`readmit demo`: generate a synthetic population and run every pipeline step on it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from pipelines.demo import DemoResult, run_demo
from pipelines.settings import load_settings

console = Console()


def demo(
    workspace: Path | None = typer.Option(
        None, "--workspace", help="Workspace folder (default ./workspace or READMIT_WORKSPACE)."
    ),
    persons: int | None = typer.Option(
        None, "--persons", help="Population size to generate (default 20,000)."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Random seed for generation."),
) -> None:
    """Generate ~20k synthetic persons, run the pipeline end to end, say what was produced."""
    settings = load_settings(workspace=workspace, demo_persons=persons, seed=seed)
    extract_date = settings.synth_end + timedelta(days=1)
    console.print(
        f"[bold]readmit demo[/bold]: {settings.demo_persons:,} synthetic persons, "
        f"history {settings.synth_start} to {settings.synth_end}, workspace {settings.workspace}"
    )
    result = run_demo(settings, extract_date, console)
    _summary(result)


def _summary(result: DemoResult) -> None:
    """The steps and their results as a table, then each output path whole on its own line."""
    table = Table(title="What the demo produced", show_lines=False)
    table.add_column("step", no_wrap=True)
    table.add_column("result", overflow="fold")
    for step in result.steps:
        table.add_row(step.name, step.detail)
    console.print(table)
    console.print("[bold]Where the outputs are[/bold]")
    for step in result.steps:
        # soft_wrap: a long path is never cut or broken with a newline, so it can be copied
        console.print(f"  {step.name}: {step.where}", soft_wrap=True, highlight=False, markup=False)
