"""The next action on a worklist row and its due date, from discharge, visits, medicines and needs.

why: CMS transitional care management asks for an interactive contact within 2 business days of
discharge, a face-to-face visit within 7 days for high complexity (CPT 99496), and medication
reconciliation no later than that visit; unmet social needs go to social work (AHC model).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import polars as pl

OUTREACH = "Call patient (post-discharge outreach)"
VISIT = "Book follow-up visit"
MED_REC = "Medication reconciliation"
REFERRAL = "Social-work referral"
CHECK_IN = "Check-in call"
ACTIONS = (OUTREACH, VISIT, MED_REC, REFERRAL, CHECK_IN)
# why: a discharge opens a transition of care for 30 days (CMS TCM covers the 30 days from the
# discharge; HEDIS TRC counts follow-up within 30 days); after that there is no visit to chase.
RECENT_DAYS = 30
VISIT_DAYS = 7
NO_DATE = np.datetime64("NaT", "D")


def add_business_days(days: np.ndarray, n: int, holidays: Sequence[date] = ()) -> np.ndarray:
    """`n` business days after each date (a weekend or holiday date counts from the day before)."""
    days = np.asarray(days, dtype="datetime64[D]")
    known = ~np.isnat(days)
    out = np.full(days.shape, NO_DATE)
    hol = np.array(holidays, dtype="datetime64[D]")
    out[known] = np.busday_offset(days[known], n, roll="backward", holidays=hol)
    return out


def action_due_dates(
    run_date: date,
    last_discharge: np.ndarray,
    visit_done: np.ndarray,
    medication_count: np.ndarray,
    has_social_need: np.ndarray,
    polypharmacy: float = 10.0,
    recent_days: int = RECENT_DAYS,
    holidays: Sequence[date] = (),
) -> np.ndarray:
    """Due date of every action in `ACTIONS` order per row (NaT where the action does not apply)."""
    today = np.datetime64(run_date, "D")
    discharge = np.asarray(last_discharge, dtype="datetime64[D]")
    recent = ~np.isnat(discharge) & (discharge >= today - recent_days)
    open_transition = recent & ~np.asarray(visit_done, dtype=bool)
    outreach = add_business_days(discharge, 2, holidays)
    outreach_open = open_transition & (outreach >= today)
    # day 7 falling on a weekend or holiday: the visit has to happen by the business day before
    visit = add_business_days(discharge + np.timedelta64(VISIT_DAYS, "D"), 0, holidays)
    soon = add_business_days(np.full(discharge.shape, today), 5, holidays)
    many_meds = np.nan_to_num(np.asarray(medication_count, dtype=float), nan=0.0) >= polypharmacy
    med_due = np.where(open_transition, visit, soon)
    due = np.column_stack(
        [
            np.where(outreach_open, outreach, NO_DATE),
            np.where(open_transition, visit, NO_DATE),
            np.where(many_meds, med_due, NO_DATE),
            np.where(np.asarray(has_social_need, dtype=bool), soon, NO_DATE),
            soon,
        ]
    )
    others = ~np.isnat(due[:, :4]).all(axis=1)
    due[:, 4] = np.where(others, NO_DATE, soon)
    return due


def choose_next(due: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(next action, its due date, the other actions joined by '; ') per row: earliest due first."""
    far = np.datetime64("9999-12-31", "D")
    filled = np.where(np.isnat(due), far, due)
    first = np.argmin(filled, axis=1)  # ties go to the earlier action in ACTIONS
    names = np.array(ACTIONS)
    next_due = due[np.arange(due.shape[0]), first]
    applies = ~np.isnat(due)
    applies[np.arange(due.shape[0]), first] = False
    order = np.argsort(filled, axis=1, kind="stable")
    ranked = np.take_along_axis(applies, order, axis=1)
    listed = pl.DataFrame(
        {f"a{i}": np.where(ranked[:, i], names[order[:, i]], "") for i in range(len(ACTIONS))}
    )
    parts = [pl.when(pl.col(c) != "").then(pl.col(c)) for c in listed.columns]
    others = listed.select(pl.concat_str(parts, separator="; ", ignore_nulls=True))
    return names[first], next_due, others.to_series().fill_null("").to_list()
