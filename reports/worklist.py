"""Case-manager worklists (DESIGN section 9): one HTML and one CSV per case manager, owner-only."""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from reports import sources
from reports.actions import (
    ACTIONS,
    RECENT_DAYS,
    REFERRAL,
    VISIT,
    VISIT_DAYS,
    action_due_dates,
    choose_next,
)
from reports.publish import render, safe_stem, write_private

log = logging.getLogger(__name__)

UNASSIGNED_FILE = "_unassigned"
TREND_FLAT_POINTS = 1.0
CSV_COLUMNS = (
    "rank", "person_id", "patient_name", "age", "last_discharge_date", "risk_pct", "tier",
    "trend_arrow", "trend_points", "reason_1", "reason_2", "reason_3", "social_needs",
    "next_action", "due_date", "other_actions", "follow_up_visit", "task", "status",
)  # fmt: skip
TASK_LABELS = {"readmission_30d": "30-day readmission", "admission_90d": "90-day admission"}
# a social worker or community health worker does not refer to social work: they act on the need
OWN_REFERRAL = "Connect to community resources"
SOCIAL_ROLES = ("SW", "CHW")
URGENT_SHOWN = 25


def _trend_arrow(points: pl.Expr) -> pl.Expr:
    """↑ / ↓ / → by the change in risk points since the last run; blank when new."""
    return (
        pl.when(points.is_null())
        .then(pl.lit(""))
        .when(points >= TREND_FLAT_POINTS)
        .then(pl.lit("↑"))
        .when(points <= -TREND_FLAT_POINTS)
        .then(pl.lit("↓"))
        .otherwise(pl.lit("→"))
    )


def add_actions(
    frame: pl.DataFrame, run_date: date, polypharmacy: float, holidays: Sequence[date]
) -> pl.DataFrame:
    """Next action, due date and the other actions of every row."""
    visit_done = frame["first_visit_date"].is_not_null().to_numpy()
    due = action_due_dates(
        run_date,
        frame["last_discharge_date"].to_numpy().astype("datetime64[D]"),
        visit_done,
        frame["medication_count"].cast(pl.Float64).fill_null(np.nan).to_numpy(),
        (frame["social_needs"].list.len() > 0).to_numpy(),
        polypharmacy=polypharmacy,
        holidays=holidays,
    )
    action, due_date, others = choose_next(due)
    return frame.with_columns(
        next_action=pl.Series(action, dtype=pl.String),
        due_date=pl.Series(due_date).cast(pl.Date),
        other_actions=pl.Series(others, dtype=pl.String),
        visit_due=pl.Series(due[:, ACTIONS.index(VISIT)]).cast(pl.Date),
    )


def follow_up_state(run_date: date) -> pl.Expr:
    """Where the follow-up visit after the last discharge stands (DESIGN section 9).

    'done' (a visit within 30 days), 'due' (a recent discharge, inside the 7-day window),
    'late' (recent, past 7 days, no visit yet), 'lapsed' (discharged over 30 days ago with no
    visit in its 30 days: nothing left to book) or 'none' (no discharge on record).
    """
    days = (pl.lit(run_date) - pl.col("last_discharge_date")).dt.total_days()
    return (
        pl.when(pl.col("last_discharge_date").is_null())
        .then(pl.lit("none"))
        .when(pl.col("first_visit_date").is_not_null())
        .then(pl.lit("done"))
        .when(days > RECENT_DAYS)
        .then(pl.lit("lapsed"))
        .when(days > VISIT_DAYS)
        .then(pl.lit("late"))
        .otherwise(pl.lit("due"))
    )


def follow_up_text() -> pl.Expr:
    """The CSV cell of the follow-up visit column, from `follow_up_state`."""
    state = pl.col("follow_up_state")
    return (
        pl.when(state == "done")
        .then(pl.lit("yes ") + pl.col("first_visit_date").dt.strftime("%Y-%m-%d"))
        .when(state.is_in(["due", "late"]))
        .then(pl.lit("not yet"))
        .when(state == "lapsed")
        .then(pl.lit(f"none within {RECENT_DAYS} days"))
        .otherwise(pl.lit(""))
    )


def shape_rows(frame: pl.DataFrame, run_date: date) -> pl.DataFrame:
    """Display columns: rank within each list (tier 1 first, then by risk: the two tasks' risks
    are over different windows, so a tier is the comparable measure), risk %, trend, reasons,
    follow-up."""
    trend = (pl.col("trend") * 100).round(1)
    reasons = pl.col("reasons").list
    return (
        frame.sort(
            ["cm_id", "tier", "probability", "person_id"],
            descending=[False, False, True, False],
            nulls_last=True,
        )
        .with_columns(
            rank=pl.int_range(1, pl.len() + 1).over("cm_id"),
            risk_pct=(pl.col("probability") * 100).round(0).cast(pl.Int32),
            trend_points=trend,
            trend_arrow=_trend_arrow(trend),
            reason_1=reasons.get(0, null_on_oob=True),
            reason_2=reasons.get(1, null_on_oob=True),
            reason_3=reasons.get(2, null_on_oob=True),
            social_text=pl.col("social_needs").list.join(", "),
            task_label=pl.col("task").replace_strict(TASK_LABELS, default=pl.col("task")),
            follow_up_state=follow_up_state(run_date),
        )
        .with_columns(follow_up_visit=follow_up_text())
    )


def worklist_rows(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    run_date: date,
    polypharmacy: float = 10.0,
    holidays: Sequence[date] = (),
) -> pl.DataFrame:
    """Every worklist row of the run (assigned and unassigned), ranked per list (`shape_rows`)."""
    with sources.prepared(con, run_id, run_date):
        frame = pl.from_arrow(sources.query(con, "rpt_worklist"))
        roster = pl.from_arrow(sources.query(con, "rpt_roster"))
    frame = shape_rows(add_actions(frame, run_date, polypharmacy, holidays), run_date)
    frame = frame.with_columns(
        days_since_discharge=(pl.lit(run_date) - pl.col("last_discharge_date")).dt.total_days()
    )
    frame = frame.join(roster.select("cm_id", cm_name="name", cm_role="role"), "cm_id", "left")
    return frame.with_columns(role_wording(pl.col("cm_role")))


def role_wording(role: pl.Expr) -> list[pl.Expr]:
    """Social-work referral reads as connecting to resources on a SW or CHW list."""
    own = role.is_in(SOCIAL_ROLES).fill_null(False)
    return [
        pl.when(own)
        .then(pl.col(c).str.replace_all(REFERRAL, OWN_REFERRAL, literal=True))
        .otherwise(pl.col(c))
        .alias(c)
        for c in ("next_action", "other_actions")
    ]


def urgent_rows(rows: pl.DataFrame, run_date: date) -> list[dict]:
    """Rows whose next action is overdue or due today: most overdue first, then by rank."""
    due = rows.filter(pl.col("due_date") <= run_date).sort("due_date", "rank")
    return due.head(URGENT_SHOWN).to_dicts()


def _csv_text(rows: pl.DataFrame) -> str:
    """The CSV of one list; cells that a spreadsheet would run as a formula are quoted with '."""
    text_cols = ["patient_name", "reason_1", "reason_2", "reason_3", "social_needs"]
    out = rows.with_columns(social_needs=pl.col("social_text")).select(CSV_COLUMNS)
    risky = {c: pl.col(c).str.replace(r"^([=+\-@\t\r])", "'$1") for c in text_cols}
    return out.with_columns(**risky).write_csv()


def _page(rows: pl.DataFrame, title: str, cm: dict, run_date: date) -> str:
    """The self-contained HTML of one list."""
    script = render("worklist.js.j2")
    script_hash = hashlib.sha256(script.encode()).digest()
    context = {
        "title": title,
        "cm": cm,
        "run_date": run_date,
        "rows": rows.to_dicts(),
        "tiers": sorted(rows["tier"].drop_nulls().unique().to_list()),
        "script": script,
        "script_sha256": base64.b64encode(script_hash).decode(),
        "overdue": int((rows["due_date"] < run_date).sum()),
        "due_today": int((rows["due_date"] == run_date).sum()),
        "urgent": urgent_rows(rows, run_date),
    }
    return render("worklist.html.j2", **context)


def write_worklists(
    rows: pl.DataFrame,
    roster: pl.DataFrame,
    out_dir: Path,
    run_date: date,
    mode: int = 0o600,
) -> list[Path]:
    """`<cm_id>.html|.csv` per active case manager (only their patients) and `_unassigned.*`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    written: list[Path] = []
    lists = roster.filter(pl.col("active")).select("cm_id", "name", "role").to_dicts()
    lists.append({"cm_id": None, "name": "Unassigned high-risk patients", "role": "lead"})
    for cm in lists:  # one file pair per case manager, not per patient
        mine = rows.filter(
            pl.col("cm_id") == cm["cm_id"] if cm["cm_id"] else pl.col("cm_id").is_null()
        )
        stem = safe_stem(cm["cm_id"]) if cm["cm_id"] else UNASSIGNED_FILE
        title = f"Worklist: {cm['name']}" if cm["cm_id"] else cm["name"]
        html = out_dir / f"{stem}.html"
        csv = out_dir / f"{stem}.csv"
        write_private(html, _page(mine, title, cm, run_date), mode)
        write_private(csv, _csv_text(mine), mode)
        written += [html, csv]
    log.info("worklists written: %d lists, %d rows", len(lists), rows.height)
    return written


def publish_worklists(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    run_date: date,
    out_dir: Path,
    mode: int = 0o600,
    polypharmacy: float = 10.0,
    holidays: Sequence[date] = (),
) -> list[Path]:
    """Read the run's rows and roster from the warehouse and write every worklist into `out_dir`."""
    rows = worklist_rows(con, run_id, run_date, polypharmacy, holidays)
    with sources.prepared(con, run_id, run_date):
        roster = pl.from_arrow(sources.query(con, "rpt_roster"))
    return write_worklists(rows, roster, out_dir, run_date, mode)
