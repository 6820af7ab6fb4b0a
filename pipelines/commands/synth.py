"""`readmit synth`: generate synthetic extracts (one landing drop) and, optionally, the truth."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipelines.synth import SynthSummary, generate

PersonsOption = Annotated[
    int, typer.Option("--persons", min=1, help="Number of people to generate (members, patients).")
]
SeedOption = Annotated[
    int, typer.Option("--seed", help="Random seed: the same seed and options give identical files.")
]
StartOption = Annotated[
    datetime,
    typer.Option("--start", formats=["%Y-%m-%d"], help="First day of generated history."),
]
EndOption = Annotated[
    datetime,
    typer.Option(
        "--end", formats=["%Y-%m-%d"], help="Last day of generated history (the extract date)."
    ),
]
OutOption = Annotated[
    Path,
    typer.Option("--out", help="Landing folder to write, e.g. workspace/landing/<extract_date>."),
]
TruthOption = Annotated[
    Path | None,
    typer.Option(
        "--truth-out",
        help="Also write the generator truth (Parquet: task, person_id, as_of_date, "
        "true_probability, outcome) and <stem>_episodes.parquet beside it. The pipeline never "
        "reads it; evaluation may.",
    ),
]
MessinessOption = Annotated[
    float,
    typer.Option(
        "--messiness",
        min=0.0,
        help="Scale of injected data problems (missing values, duplicate lines, adjustments and "
        "reversals, late claims, bad codes, impossible dates, EHR dates off by a day); 0 = none.",
    ),
]
FormatOption = Annotated[
    str, typer.Option("--format", help="File format of the extracts: csv, csv.gz or parquet.")
]


def synth(
    persons: PersonsOption = 20_000,
    seed: SeedOption = 20250101,
    start: StartOption = datetime(2022, 1, 1),
    end: EndOption = datetime(2024, 12, 31),
    out: OutOption = Path("workspace/landing/2025-01-01"),
    truth_out: TruthOption = None,
    messiness: MessinessOption = 1.0,
    format: FormatOption = "csv",
) -> None:
    """Generate synthetic claims and EHR extracts with a documented risk process."""
    console = Console(stderr=True)
    columns = (TextColumn("[bold]synth[/]"), BarColumn(), TextColumn("{task.description}"))
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("starting", total=1.0)
        summary = generate(
            persons=persons,
            seed=seed,
            start=start.date(),
            end=end.date(),
            out_dir=out,
            truth_out=truth_out,
            messiness=messiness,
            fmt=format,
            progress=lambda stage, share: bar.update(task, completed=share, description=stage),
        )
    Console().print(summary_table(summary))


def summary_table(summary: SynthSummary) -> Table:
    """Rows per file, then rows touched per messiness knob."""
    title = f"{summary.persons:,} persons in {summary.seconds:.1f} s -> {summary.out_dir}"
    table = Table(title=title)
    table.add_column("file")
    table.add_column("rows", justify="right")
    for name, rows in summary.rows.items():
        table.add_row(summary.files[name].name, f"{rows:,}")
    for knob, rows in sorted(summary.messiness.items()):
        table.add_row(f"[dim]messiness: {knob}[/]", f"[dim]{rows:,}[/]")
    return table
