"""`readmit bench`: generate (or reuse) N persons, time the nightly path, check DESIGN budgets."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pipelines.bench import BenchResult, as_json, budget_checks, run_bench
from pipelines.settings import Settings, load_settings

PersonsOption = Annotated[
    int, typer.Option("--persons", min=100, help="Number of persons to generate (or reused).")
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON object (DESIGN section 14 keys) only.")
]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        help="An empty folder for the bench run (kept afterwards). Default: a temporary folder, "
        "deleted at the end.",
    ),
]
ReuseOption = Annotated[
    Path | None,
    typer.Option(
        "--reuse",
        exists=True,
        file_okay=False,
        help="Reuse generated extracts: a folder holding landing/ (and truth.parquet), "
        "or a landing folder itself.",
    ),
]
JsonOutOption = Annotated[
    Path | None,
    typer.Option("--json-out", help="Also write the JSON object to this file."),
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        help="File format of generated extracts: csv, csv.gz or parquet. Parquet takes far less "
        "disk (20k persons: 41 MB against 1.1 GB of CSV): use it for a million persons.",
    ),
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Exit with code 1 when a budget fails.")
]
EXTRACT_DATE = date(2025, 1, 1)


def _reused(folder: Path) -> tuple[Path, Path | None]:
    """The landing folder and truth file of a `--reuse` folder."""
    landing = folder / "landing" if (folder / "landing").is_dir() else folder
    truth = folder / "truth.parquet"
    return landing, truth if truth.exists() else None


def _generate(settings: Settings, persons: int, say, fmt: str = "csv") -> tuple[Path, Path, float]:
    from pipelines.synth import generate

    landing = settings.workspace / "landing"
    truth = settings.workspace / "truth" / "truth.parquet"
    say(f"generating {persons:,} persons")
    summary = generate(
        persons=persons,
        seed=settings.seed,
        start=settings.synth_start,
        end=settings.synth_end,
        out_dir=landing / EXTRACT_DATE.isoformat(),
        truth_out=truth,
        fmt=fmt,
    )
    return landing, truth, summary.seconds


def bench(
    persons: PersonsOption = 100_000,
    as_json_: JsonOption = False,
    workspace: WorkspaceOption = None,
    reuse: ReuseOption = None,
    json_out: JsonOutOption = None,
    strict: StrictOption = False,
    fmt: FormatOption = "csv",
) -> None:
    """Time the nightly path stage by stage (no Prefect) against a bare load of the same files."""
    err = Console(stderr=True)

    def say(text: str) -> None:
        if not as_json_:
            err.print(f"[dim]bench: {text}[/]")

    scratch = workspace is None
    root = Path(tempfile.mkdtemp(prefix="readmit-bench-")) if scratch else workspace
    try:
        settings = load_settings(workspace=root)
        synth_seconds = None
        if reuse is not None:
            landing, truth = _reused(reuse)
        else:
            landing, truth, synth_seconds = _generate(settings, persons, say, fmt)
        result = run_bench(settings, landing, persons, truth, say)
        result.synth_seconds = synth_seconds
    finally:
        if scratch:
            shutil.rmtree(root, ignore_errors=True)
    report = json.dumps(as_json(result))
    if json_out is not None:
        json_out.write_text(report + "\n")
    if as_json_:
        sys.stdout.write(report + "\n")
    else:
        print_report(Console(soft_wrap=True), result)
    if strict and not all(c.passed for c in budget_checks(result)):
        raise typer.Exit(1)


def print_report(console: Console, result: BenchResult) -> None:
    """The per-stage table, bare load, ratio, scoring and PASS/FAIL budget lines."""
    title = (
        f"readmit bench: {result.persons:,} persons "
        f"({result.persons_loaded:,} in raw_eligibility), "
        f"{result.threads} DuckDB threads, landing {result.landing}"
    )
    table = Table(title=title)
    for name in ("stage", "seconds", "cpu s", "rows", "rows/s", "peak RSS MB"):
        table.add_column(name, justify="left" if name == "stage" else "right")
    for s in result.stages:
        table.add_row(
            s.name,
            f"{s.seconds:.1f}",
            f"{s.cpu_seconds:.1f}",
            f"{s.rows:,}",
            f"{s.rows_per_s:,.0f}",
            f"{s.peak_rss_mb:,.0f}",
        )
    table.add_row("total", f"{result.total_seconds:.1f}", "", "", "", f"{result.peak_rss_mb:,.0f}")
    bare = result.bare_load
    if bare is not None:
        table.add_row(
            "bare load",
            f"{bare.seconds:.1f}",
            f"{bare.cpu_seconds:.1f}",
            f"{bare.rows:,}",
            f"{bare.rows_per_s:,.0f}",
            f"{bare.peak_rss_mb:,.0f}",
        )
    console.print(table)
    console.print(f"whole run / bare load: {result.bare_load_ratio:.2f}")
    for task, s in result.scoring.items():
        console.print(
            f"scoring {task}: {s['rows']:,} rows, probability {s['scoring_rows_per_s']:,.0f} "
            f"rows/s, with reasons for the top {s['reasons_rows']:,} "
            f"{s['with_reasons_rows_per_s']:,.0f} rows/s"
        )
    if result.synth_seconds is not None:
        console.print(f"generation (not timed as part of the run): {result.synth_seconds:.1f} s")
    if result.trained:
        console.print(f"models trained in this run (no champion yet): {', '.join(result.trained)}")
    console.print("budgets (DESIGN section 13, on 2 cores):")
    for c in budget_checks(result):
        verdict = "PASS" if c.passed else "FAIL"
        console.print(f"  {verdict} {c.name}: {c.measured:,.2f} vs {c.limit:,.0f} ({c.detail})")
    console.print(
        "Stages ran as the plain step functions of pipelines/nightly.py, not through Prefect, "
        "so the times are the work itself."
    )
