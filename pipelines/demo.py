"""The demo path: synthetic drop -> every pipeline step that exists, as plain function calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from pipelines.settings import Settings
from pipelines.synth import generate


@dataclass(frozen=True)
class DemoStep:
    """One finished step: what it did and where its output is."""

    name: str
    detail: str
    where: Path


@dataclass
class DemoResult:
    """Every step the demo ran, in order."""

    steps: list[DemoStep] = field(default_factory=list)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=console,
    )


def run_demo(settings: Settings, extract_date: date, console: Console) -> DemoResult:
    """Generate the demo population into the workspace landing folder and run the pipeline on it."""
    result = DemoResult()
    drop = settings.landing / extract_date.isoformat()
    truth = settings.workspace / "truth" / "truth.parquet"
    with _progress(console) as bar:
        task = bar.add_task("generating extracts", total=1.0)
        summary = generate(
            persons=settings.demo_persons,
            seed=settings.seed,
            start=settings.synth_start,
            end=settings.synth_end,
            out_dir=drop,
            truth_out=truth,
            progress=lambda what, share: bar.update(task, completed=share, description=what),
        )
        bar.update(task, completed=1.0, description="extracts generated")
    rows = sum(summary.rows.values())
    result.steps.append(DemoStep("synth", f"{rows:,} rows in {len(summary.rows)} files", drop))
    result.steps.append(DemoStep("truth", "generator truth (evaluation only)", truth))
    console.print("running the nightly flow (ingest, build, train, score, publish)...")
    from pipelines.flows import nightly

    run = nightly(str(settings.landing), str(settings.workspace), str(truth))
    latest = Path(run["latest"])
    scored = sum(t["rows"] for t in run["scored"].values())
    result.steps.append(
        DemoStep("warehouse", "raw, staging, marts, features, scores", settings.warehouse)
    )
    result.steps.append(
        DemoStep(
            "models",
            f"trained: {', '.join(run['trained']) or 'none'}",
            settings.workspace / "models",
        )
    )
    result.steps.append(
        DemoStep(
            "scores",
            f"{scored:,} patients scored (run {run['run_id']})",
            latest / "risk_assessments.ndjson",
        )
    )
    for name in sorted(p.name for p in latest.iterdir()):
        result.steps.append(DemoStep("published", name, latest / name))
    return result
