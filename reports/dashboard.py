"""The program dashboard (DESIGN section 9): one self-contained plotly HTML, counts only."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import polars as pl
from plotly.offline import get_plotlyjs

from features.registry import TASKS
from reports import sources
from reports.publish import render, write_private

log = logging.getLogger(__name__)

TIER_COLOURS = {1: "#b3261e", 2: "#c26a00", 3: "#4a78b5", 4: "#8a94a6"}
ROLE_COLOURS = {"RN": "#3b6fb6", "SW": "#2e8b57", "CHW": "#8e5bb5"}
RELATIONS = (
    "rpt_tier_counts",
    "rpt_caseload_fill",
    "rpt_risk_histogram",
    "rpt_outcomes_by_tier",
    "rpt_shortfall",
    "rpt_run_quality",
    "rpt_quarantine_rules",
)


def _layout(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    fig.update_layout(
        title=None, meta=title, height=height, margin={"l": 60, "r": 20, "t": 20, "b": 50},
        template="plotly_white", legend={"orientation": "h", "y": -0.2},
    )  # fmt: skip
    return fig


# Bar fill pattern per task in the tier chart: solid, then hatched.
TASK_PATTERNS: tuple[str, ...] = ("", "/", "x", ".")


def tier_figure(counts: pl.DataFrame) -> go.Figure:
    """Persons per tier, one bar group per task: colour tells the tier, the fill pattern the
    task (so the legend, which shows the pattern, tells the tasks apart)."""
    fig = go.Figure()
    groups = counts.sort("task", "tier").group_by("task", maintain_order=True)
    for i, ((task,), part) in enumerate(groups):
        fig.add_bar(
            x=[f"Tier {t}" for t in part["tier"]],
            y=part["persons"],
            name=task,
            marker_color=[TIER_COLOURS.get(t) for t in part["tier"]],
            marker_pattern_shape=TASK_PATTERNS[i % len(TASK_PATTERNS)],
            marker_pattern_fgcolor="#ffffff",
            marker_line_color="#444444",
            marker_line_width=1,
        )
    return _layout(fig, "Persons by tier").update_layout(barmode="group")


def fill_figure(fill: pl.DataFrame) -> go.Figure:
    """Points used as a share of capacity, one bar per case manager."""
    fill = fill.sort("role", "cm_id").with_columns(
        share=pl.col("points_used").cast(pl.Float64)
        / pl.max_horizontal(pl.col("capacity_points"), 1).cast(pl.Float64)
    )
    fig = go.Figure()
    for (role,), part in fill.group_by("role", maintain_order=True):
        fig.add_bar(
            y=part["cm_id"], x=part["share"] * 100, orientation="h", name=role,
            marker_color=ROLE_COLOURS.get(role), customdata=part.select(
                "points_used", "capacity_points", "patients").to_numpy(),
            hovertemplate="%{y}: %{customdata[0]} of %{customdata[1]} points, "
            "%{customdata[2]} patients<extra></extra>",
        )  # fmt: skip
    fig.add_vline(x=100, line_dash="dot", line_color="#444")
    height = max(300, 22 * fill.height + 120)
    fig = _layout(fig, "Caseload fill: points used of capacity (%)", height)
    return fig.update_layout(xaxis_title="% of capacity", yaxis={"autorange": "reversed"})


def risk_figure(histogram: pl.DataFrame) -> go.Figure:
    """Distribution of predicted risk per task (2-point bins)."""
    fig = go.Figure()
    for (task,), part in histogram.sort("task", "bin_start").group_by("task", maintain_order=True):
        fig.add_bar(x=part["bin_start"] * 100 + 1, y=part["persons"], name=task, width=2)
    fig = _layout(fig, "Risk distribution")
    return fig.update_layout(barmode="overlay", xaxis_title="predicted risk (%)")


def outcome_figure(outcomes: pl.DataFrame, column: str, title: str) -> go.Figure:
    """A rate by discharge month, one line per tier."""
    fig = go.Figure()
    rows = outcomes.filter(pl.col(column).is_not_null()).sort("tier", "month")
    for (tier,), part in rows.group_by("tier", maintain_order=True):
        fig.add_scatter(
            x=part["month"], y=part[column] * 100, mode="lines+markers", name=f"Tier {tier}",
            line_color=TIER_COLOURS.get(tier),
        )  # fmt: skip
    return _layout(fig, title).update_layout(yaxis_title="%", yaxis_rangemode="tozero")


def _html(fig: go.Figure, div_id: str) -> str:
    """The figure as a div (plotly.js is included once, by the page)."""
    return fig.to_html(
        full_html=False, include_plotlyjs=False, div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )  # fmt: skip


def dashboard_data(con: duckdb.DuckDBPyConnection, run_id: str, run_date: date) -> dict:
    """Every relation the dashboard shows, as polars frames."""
    with sources.prepared(con, run_id, run_date):
        return {name: pl.from_arrow(sources.query(con, name)) for name in RELATIONS}


def render_dashboard(data: dict, run_id: str, run_date: date, tasks=TASKS) -> str:
    """The dashboard HTML from `dashboard_data`."""
    outcomes = data["rpt_outcomes_by_tier"]
    figures = {
        "tiers": (data["rpt_tier_counts"], tier_figure),
        "fill": (data["rpt_caseload_fill"], fill_figure),
        "risk": (data["rpt_risk_histogram"], risk_figure),
        "readmission": (
            outcomes.filter(pl.col("readmission_rate").is_not_null()),
            lambda d: outcome_figure(d, "readmission_rate", "Observed 30-day readmission rate"),
        ),
        "follow_up": (
            outcomes.filter(pl.col("follow_up_rate").is_not_null()),
            lambda d: outcome_figure(d, "follow_up_rate", "Follow-up visit within 7 days"),
        ),
    }
    plots = {
        k: _html(make(frame), f"fig-{k}") if frame.height else ""
        for k, (frame, make) in figures.items()
    }
    shortfall = data["rpt_shortfall"].sort("role_group")
    return render(
        "dashboard.html.j2",
        run_id=run_id,
        run_date=run_date,
        plotlyjs=get_plotlyjs(),
        plots=plots,
        tier_counts=data["rpt_tier_counts"].sort("task", "tier").to_dicts(),
        shortfall=shortfall.to_dicts(),
        unassigned=int(shortfall["patients"].sum()),
        points_short=int(shortfall["points_short"].sum()),
        cms_needed=int(shortfall["case_managers_needed"].fill_null(0).sum()),
        fill=data["rpt_caseload_fill"],
        run_quality=data["rpt_run_quality"].sort("stage").to_dicts(),
        quarantine=data["rpt_quarantine_rules"]
        .sort("rows_quarantined", descending=True)
        .to_dicts(),
        model_cards=[(task, f"model_card_{task}.html") for task in tasks],
    )


def write_dashboard(
    con: duckdb.DuckDBPyConnection, run_id: str, run_date: date, out_path: Path, mode: int = 0o600
) -> Path:
    """Write `dashboard.html` for the run (owner-only by default)."""
    html = render_dashboard(dashboard_data(con, run_id, run_date), run_id, run_date)
    log.info("dashboard written for run %s", run_id)
    return write_private(Path(out_path), html, mode)
