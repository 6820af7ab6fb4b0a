"""`readmit build`: rebuild every SQL layer (staging through features) from the raw tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from features.matrix import build_feature_matrices
from pipelines.errors import ReadmitError
from pipelines.settings import Settings, load_settings
from pipelines.warehouse import connect, ensure_raw_tables
from sql import runner
from sql.reference import load_reference
from sql.reference_comorbidity import load_comorbidity_reference

console = Console()

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace", help="Workspace folder (default ./workspace or READMIT_WORKSPACE)."
    ),
]
TargetOption = Annotated[
    list[str] | None,
    typer.Option("--target", help="Build only this relation and what it reads (repeatable)."),
]
DataEndOption = Annotated[
    datetime | None,
    typer.Option(
        "--data-end-date",
        formats=["%Y-%m-%d"],
        help="Last day of complete data (default: latest extract date - 1 day).",
    ),
]


@dataclass
class BuildReport:
    """A finished build: the runner's result, failing assertions and headline counts."""

    result: runner.BuildResult
    failing_assertions: list[str] = field(default_factory=list)
    data_window: tuple[date, date] | None = None
    index_stays: tuple[int, int, int] | None = None  # index stays, censored, readmitted


def build_warehouse(
    settings: Settings,
    targets: list[str] | None = None,
    variables: dict | None = None,
    progress: runner.Progress | None = None,
) -> BuildReport:
    """Load the reference sets, build the SQL layers in the warehouse and run the assertions."""
    con = connect(
        settings.warehouse,
        threads=settings.duckdb_threads,
        memory_limit=settings.duckdb_memory_limit,
    )
    try:
        con.execute("set enable_progress_bar = false")
        ensure_raw_tables(con)
        load_reference(con)
        load_comorbidity_reference(con)
        result = runner.build(
            con,
            targets=targets,
            variables=variables,
            progress=progress,
            passes=settings.build_person_passes,
        )
        if not targets:
            # the matrices need every feat_ table: only a full build writes ml_features_<task>
            build_feature_matrices(con)
        failing = [name for name, found in runner.run_assertions(con, skip_missing=True) if found]
        return BuildReport(result, failing, *_headlines(con, result))
    finally:
        con.close()


def _headlines(con: duckdb.DuckDBPyConnection, result: runner.BuildResult) -> tuple:
    window = index = None
    if "int_data_window" in result.relations:
        window = con.execute(
            "select data_start_date, data_end_date from int_data_window"
        ).fetchone()
    if "mart_index_stays" in result.relations:
        index = con.execute(
            "select count(*), count(*) filter (where censored), "
            "count(*) filter (where unplanned_readmit_30 and not censored) "
            "from mart_index_stays where is_index"
        ).fetchone()
    return window, index


def build(
    workspace: WorkspaceOption = None,
    target: TargetOption = None,
    data_end_date: DataEndOption = None,
) -> None:
    """Build acute stays, index stays and labels, the prediction spine and the features."""
    settings = load_settings(workspace=workspace)
    variables = {"data_end_date": data_end_date.date()} if data_end_date else None
    report = _with_progress(
        lambda progress: build_warehouse(settings, target or None, variables, progress)
    )
    _summary(report)
    if report.failing_assertions:
        raise ReadmitError(
            f"the build finished but {len(report.failing_assertions)} SQL assertion(s) found "
            f"offending rows: {', '.join(report.failing_assertions)}; "
            "see sql/tests/<name>.sql for the rule each one checks"
        )


def _with_progress(work: Callable[[runner.Progress], BuildReport]) -> BuildReport:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("building", total=None)

        def progress(name: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=name)

        return work(progress)


def _summary(report: BuildReport) -> None:
    result = report.result
    table = Table(title=f"Built {len(result.relations)} relations in {result.total_seconds:.1f} s")
    for column in ("relation", "kind", "rows", "seconds"):
        table.add_column(column, justify="left" if column in ("relation", "kind") else "right")
    for name in result.relations:
        rows = result.rows[name]
        shown = "" if rows is None else f"{rows:,}"
        kind = "view" if rows is None else "table"
        table.add_row(name, kind, shown, f"{result.seconds[name]:.2f}")
    console.print(table)
    if report.data_window:
        start, end = report.data_window
        console.print(f"Data window: {start} to {end} (follow-up past {end} is censored).")
    if report.index_stays:
        index, censored, readmitted = report.index_stays
        observed = index - censored
        rate = f"{readmitted / observed:.1%}" if observed else "n/a"
        console.print(
            f"Index stays: {index:,} ({censored:,} censored); "
            f"30-day unplanned readmission rate {rate} of {observed:,} observed."
        )
