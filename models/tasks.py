"""The prediction tasks: cohort, outcome, horizon, and how each is split for honest evaluation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """One prediction task (DESIGN section 5) and its evaluation design.

    `test_person_share` is the share of all persons (a seeded hash of the person id, strictly
    between 0 and 1) held out for testing: their test-window rows form the test set and none of
    their rows is used for training or calibration; the other persons' test-window rows are unused.
    A share drawn independently of outcomes keeps calibration unbiased (see `split.temporal_split`).
    """

    name: str
    cohort: str
    outcome: str
    horizon_days: int
    test_months: int
    valid_months: int
    test_person_share: float
    early_stop_share: float
    max_train_rows: int | None
    baselines: tuple[str, ...]
    intended_use: str


TASKS: dict[str, Task] = {
    "readmission_30d": Task(
        name="readmission_30d",
        cohort="one row per index discharge (CMS hospital-wide readmission index stays), "
        "as of the discharge date",
        outcome="an unplanned acute readmission within 30 days of discharge (CMS planned "
        "readmission algorithm v4 decides planned)",
        horizon_days=30,
        test_months=6,
        valid_months=6,
        test_person_share=0.5,
        early_stop_share=0.15,
        max_train_rows=None,
        baselines=("lace_score", "hospital_score"),
        intended_use="rank patients at discharge for transitional-care outreach (calls, "
        "visits, medication reconciliation) within the following 30 days",
    ),
    "admission_90d": Task(
        name="admission_90d",
        cohort="one row per enrolled member per month start, as of the month start",
        outcome="an unplanned acute admission in the 90 days from the month start",
        horizon_days=90,
        test_months=3,
        valid_months=3,
        test_person_share=0.3,
        early_stop_share=0.15,
        max_train_rows=600_000,
        # LACE and HOSPITAL need an index stay; health plans stratify members by CMS-HCC.
        baselines=("hcc_risk_score",),
        intended_use="stratify an enrolled population each month so care-management "
        "programs reach the members most likely to be admitted in the next 90 days",
    ),
}


def get_task(name: str) -> Task:
    """The task called `name`, or a clear error listing the known tasks."""
    try:
        return TASKS[name]
    except KeyError:
        known = ", ".join(TASKS)
        raise ValueError(f"unknown task {name!r}; known tasks: {known}") from None
