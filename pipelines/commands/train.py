"""`readmit train`: train, evaluate and register a calibrated model for one prediction task."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from features.registry import features_for
from models import data
from models.card import metric_table
from models.pipeline import STEPS, TrainConfig, TrainResult, train_task
from models.register import Registered, register
from models.tasks import TASKS, Task, get_task
from pipelines.errors import ReadmitError
from pipelines.settings import load_settings
from pipelines.warehouse import connect

console = Console()
REPO = Path(__file__).resolve().parents[2]

TaskOption = Annotated[str, typer.Option("--task", help=f"One of: {', '.join(TASKS)}.")]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace", help="Workspace folder (default ./workspace or READMIT_WORKSPACE)."
    ),
]
TruthOption = Annotated[
    Path | None,
    typer.Option(
        "--truth",
        help="Generator truth Parquet (`readmit synth --truth-out`): adds the oracle AUROC.",
    ),
]
SeedOption = Annotated[int | None, typer.Option("--seed", help="Seed for the split and training.")]


def code_version() -> dict:
    """Package version and, when the source is a git checkout, its commit and dirty flag."""
    try:
        package = version("readmit")
    except PackageNotFoundError:
        package = "unknown"
    info: dict = {"package": package, "git_commit": None, "git_dirty": None}
    try:
        run = {"cwd": REPO, "capture_output": True, "text": True, "timeout": 10, "check": True}
        info["git_commit"] = subprocess.run(["git", "rev-parse", "HEAD"], **run).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain"], **run).stdout
        info["git_dirty"] = bool(status.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def train(
    task: TaskOption,
    workspace: WorkspaceOption = None,
    truth: TruthOption = None,
    seed: SeedOption = None,
) -> None:
    """Train a calibrated LightGBM model, compare it with LACE and HOSPITAL, and register it."""
    settings = load_settings(workspace=workspace, seed=seed)
    spec = get_task(task)
    if not settings.warehouse.exists():
        raise ReadmitError(f"no warehouse at {settings.warehouse}; run `readmit build` first")
    if truth is not None and not truth.exists():
        raise ReadmitError(f"truth file {truth} does not exist (see `readmit synth --truth-out`)")
    threads = settings.duckdb_threads or os.cpu_count() or 1
    config = TrainConfig(seed=settings.seed, threads=threads)
    con = connect(
        settings.warehouse,
        read_only=True,
        threads=threads,
        memory_limit=settings.duckdb_memory_limit,
    )
    try:
        result, registered = _run(con, spec, config, truth, settings.workspace / "models")
    finally:
        con.close()
    _summary(result, registered)


def _run(
    con: duckdb.DuckDBPyConnection,
    spec: Task,
    config: TrainConfig,
    truth: Path | None,
    models_root: Path,
) -> tuple[TrainResult, Registered]:
    """Train and register with a progress bar over the steps."""
    steps = len(STEPS) - (truth is None) + 1
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        job = bar.add_task(f"training {spec.name}", total=steps)

        def progress(step: str) -> None:
            bar.update(job, advance=1, description=step)

        result = train_task(con, spec, features_for(spec.name), config, truth, progress)
        progress("registering")
        registered = register(
            con,
            result,
            models_root,
            datetime.now(UTC),
            code_version(),
            data.fingerprint(con, spec.name),
            config.threads,
        )
    return result, registered


def _summary(result: TrainResult, registered: Registered) -> None:
    header, rows = metric_table(registered.metrics)
    facts = result.training
    table = Table(
        title=f"{result.task.name}: test window {facts['test_window'][0]} to "
        f"{facts['test_window'][1]} ({facts['rows']['test']:,} rows)"
    )
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    metrics = registered.metrics
    if metrics.get("oracle_share") is not None:
        console.print(
            f"Oracle AUROC {metrics['oracle_auroc']:.3f} on {metrics['oracle_rows']:,} test rows; "
            f"the model reaches {metrics['oracle_share']:.1%} of it."
        )
    flags = (metrics.get("subgroups") or {}).get("flags", [])
    for flag in flags:
        groups = {flag["low_group"], flag["high_group"]}
        console.print(
            f"[yellow]Subgroup gap[/yellow] {flag['attribute']} {flag['metric']}: "
            f"{flag['gap']:+.3f} ({' vs '.join(sorted(groups))})"
        )
    status = registered.decision.status
    console.print(f"[bold]{status}[/bold]: {registered.decision.reason}.")
    console.print(
        f"Registered {registered.version} at {registered.path} "
        f"(trained in {facts['seconds']:.1f} s; model card: card.html)."
    )
