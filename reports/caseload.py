"""Caseload assignment (DESIGN section 8): continuity first, then an exact min-cost assignment.

Tier 1-2 patients keep their case manager while they stay eligible and the case manager is active
and has the points; new ones are placed by `assign_solver.solve`. Patients who leave the tiers,
die or disenrol are released; those who do not fit are `unassigned`, with a shortfall summary.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl

from reports import assign_solver
from reports.assign_costs import CostTable, cost_rows, need_type

log = logging.getLogger(__name__)

DEFAULT_TIER_POINTS: dict[int, int] = {1: 3, 2: 2}
# seconds the solver may search before it keeps its best assignment (settings.caseload_time_limit)
DEFAULT_TIME_LIMIT = 120.0
ASSIGNMENT_COLUMNS: dict[str, pl.DataType] = {
    "person_id": pl.String(),
    "cm_id": pl.String(),
    "tier": pl.Int32(),
    "points": pl.Int32(),
    "status": pl.String(),
    "probability": pl.Float64(),
    "reason": pl.String(),
}
ATTRIBUTES = ("need", "language", "zip3", "county")


@dataclass(frozen=True)
class CaseloadResult:
    """This run's assignment rows, the shortfall summary and how the solver did."""

    assignments: pl.DataFrame
    shortfall: pl.DataFrame
    optimal: bool
    gap: float
    seconds: float


PEOPLE_TYPES: dict[str, pl.DataType] = {
    "person_id": pl.String(),
    "tier": pl.Int32(),
    "probability": pl.Float64(),
    "social_need": pl.Boolean(),
    "clinical_need": pl.Boolean(),
    "language": pl.String(),
    "zip3": pl.String(),
    "county": pl.String(),
    "deceased": pl.Boolean(),
    "disenrolled": pl.Boolean(),
}


def typed_people(people: pl.DataFrame) -> pl.DataFrame:
    """`people` with the expected column types (flags default to false)."""
    flags = ["social_need", "clinical_need", "deceased", "disenrolled"]
    return people.with_columns([pl.col(c).cast(t) for c, t in PEOPLE_TYPES.items()]).with_columns(
        pl.col(flags).fill_null(False)
    )


def candidates_of(people: pl.DataFrame, tier_points: Mapping[int, int]) -> pl.DataFrame:
    """Tier 1-2 patients who are alive and enrolled, with their points and need type."""
    tiers = list(tier_points)
    return people.filter(
        pl.col("tier").is_in(tiers) & ~pl.col("deceased") & ~pl.col("disenrolled")
    ).with_columns(
        points=pl.col("tier").replace_strict(tiers, list(tier_points.values())).cast(pl.Int32),
        need=need_type(pl.col("social_need"), pl.col("clinical_need")),
    )


def _release_reason(tiers: list[int]) -> pl.Expr:
    """Why an earlier assignment ends, or null while it may continue."""
    return (
        pl.when(pl.col("deceased").fill_null(False))
        .then(pl.lit("died"))
        .when(pl.col("disenrolled").fill_null(False))
        .then(pl.lit("disenrolled"))
        .when(~pl.col("tier").is_in(tiers).fill_null(False))
        .then(pl.lit("left tiers 1-2"))
        .when(~pl.col("active").fill_null(False))
        .then(pl.lit("case manager inactive"))
    )


def continuity(
    candidates: pl.DataFrame,
    previous: pl.DataFrame,
    people: pl.DataFrame,
    roster: pl.DataFrame,
    tiers: list[int],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(kept, ended): earlier assignments that continue, and those that end with their reason.

    A case manager whose capacity dropped keeps their highest-risk patients that fit; the others
    end with reason 'case manager capacity reduced' and go back to the pool.
    """
    prev = (
        previous.select("person_id", "cm_id")
        .join(people.select("person_id", "tier", "deceased", "disenrolled"), "person_id", "left")
        .join(roster.select("cm_id", "active", "capacity_points"), "cm_id", "left")
        .with_columns(reason=_release_reason(tiers))
    )
    ended = prev.filter(pl.col("reason").is_not_null()).select("person_id", "cm_id", "reason")
    staying = (
        prev.filter(pl.col("reason").is_null())
        .select("person_id", "cm_id", "capacity_points")
        .join(candidates.select("person_id", "points", "probability"), "person_id")
        .sort(["cm_id", "probability", "person_id"], descending=[False, True, False])
        .with_columns(used=pl.col("points").cum_sum().over("cm_id"))
    )
    fits = pl.col("used") <= pl.col("capacity_points")
    kept = staying.filter(fits).select("person_id", "cm_id")
    reduced = staying.filter(~fits).select(
        "person_id", "cm_id", reason=pl.lit("case manager capacity reduced")
    )
    return kept, pl.concat([ended, reduced])


def _solve_pool(
    pool: pl.DataFrame, roster: pl.DataFrame, remaining: np.ndarray, costs: CostTable, limit
) -> tuple[np.ndarray, assign_solver.Solution]:
    """Case-manager row index per pool patient (-1 = unassigned) and the solver's answer."""
    combos = pool.select(ATTRIBUTES).unique(maintain_order=True)
    row_of = pool.join(combos.with_row_index("row"), on=list(ATTRIBUTES), nulls_equal=True)
    row_of = row_of.sort("_order")["row"].to_numpy().astype(np.int64)
    points = pool["points"].to_numpy()
    penalty = costs.penalty(points, pool["probability"].to_numpy())
    solution = assign_solver.solve(
        points, cost_rows(combos, roster, costs), penalty, remaining, row_of, limit
    )
    return solution.cm_index, solution


def _cm_of(cm_ids: pl.Series, index: np.ndarray) -> pl.Series:
    """The case-manager id of each solver index (null for -1)."""
    nulls = pl.repeat(None, index.size, dtype=pl.String, eager=True).alias("cm_id")
    if cm_ids.len() == 0:
        return nulls
    return cm_ids.gather(np.maximum(index, 0)).zip_with(pl.Series(index >= 0), nulls)


def _rows(frame: pl.DataFrame, status: str) -> pl.DataFrame:
    """Assignment rows in the stable column order, with `status`."""
    return frame.with_columns(status=pl.lit(status)).select(
        [
            pl.col(c).cast(t) if c in frame.columns or c == "status" else pl.lit(None, t).alias(c)
            for c, t in ASSIGNMENT_COLUMNS.items()
        ]
    )


def shortfall_summary(unassigned: pl.DataFrame, roster: pl.DataFrame) -> pl.DataFrame:
    """Points short and case managers needed (at the role's average capacity), by role group."""
    group = pl.when(pl.col("need") == "social").then(pl.lit("SW/CHW")).otherwise(pl.lit("RN"))
    active = roster.filter(pl.col("active"))
    overall = active["capacity_points"].mean()
    avg = {
        "RN": active.filter(pl.col("role") == "RN")["capacity_points"].mean(),
        "SW/CHW": active.filter(pl.col("role").is_in(["SW", "CHW"]))["capacity_points"].mean(),
    }
    base = pl.DataFrame({"role_group": ["RN", "SW/CHW"]})
    counts = (
        unassigned.with_columns(role_group=group)
        .group_by("role_group")
        .agg(
            patients=pl.len(),
            tier_1=(pl.col("tier") == 1).sum(),
            tier_2=(pl.col("tier") == 2).sum(),
            points_short=pl.col("points").sum(),
        )
    )
    out = base.join(counts, on="role_group", how="left").fill_null(0)
    capacity = [avg[g] if avg[g] is not None else overall for g in out["role_group"]]
    needed = [
        math.ceil(p / c) if c else None for p, c in zip(out["points_short"], capacity, strict=True)
    ]
    return out.with_columns(
        average_capacity=pl.Series(capacity, dtype=pl.Float64),
        case_managers_needed=pl.Series(needed, dtype=pl.Int64),
    )


def assign_caseloads(
    people: pl.DataFrame,
    roster: pl.DataFrame,
    previous: pl.DataFrame,
    tier_points: Mapping[int, int] = DEFAULT_TIER_POINTS,
    costs: CostTable | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> CaseloadResult:
    """This run's assignments from the scored people, the roster and the last run's assignments.

    `people`: one row per person (person_id, tier, probability, social_need, clinical_need,
    language, zip3, county, deceased, disenrolled); `roster`: cm_id, role, capacity_points,
    languages (list), regions (list), active; `previous`: person_id, cm_id still assigned.
    """
    started = time.perf_counter()
    costs = costs or CostTable()
    people = typed_people(people)
    roster = roster.with_columns(
        pl.col("cm_id", "role").cast(pl.String),
        pl.col("capacity_points").cast(pl.Int64),
        pl.col("languages", "regions").cast(pl.List(pl.String)),
    )
    cands = candidates_of(people, tier_points).with_row_index("_order")
    kept, ended = continuity(cands, previous, people, roster, list(tier_points))
    active = roster.filter(pl.col("active")).sort("cm_id")
    used = (
        kept.join(cands.select("person_id", "points"), "person_id")
        .group_by("cm_id")
        .agg(used=pl.col("points").sum())
    )
    remaining = active.join(used, "cm_id", "left").select(
        pl.col("capacity_points") - pl.col("used").fill_null(0)
    )
    pool = cands.join(kept, "person_id", "anti").sort("_order")
    index, solution = _solve_pool(pool, active, remaining.to_series().to_numpy(), costs, time_limit)
    placed = pool.with_columns(cm_id=_cm_of(active["cm_id"], index))
    back = placed.join(ended.select("person_id", "cm_id"), ["person_id", "cm_id"], "semi")
    continued = pl.concat([kept, back.select("person_id", "cm_id")])
    released = ended.join(back, ["person_id", "cm_id"], "anti")
    detail = people.select("person_id", "tier", "probability")
    rows = pl.concat(
        [
            _rows(continued.join(cands, "person_id"), "continued"),
            _rows(
                placed.filter(pl.col("cm_id").is_not_null()).join(back, "person_id", "anti"), "new"
            ),
            _rows(released.join(detail, "person_id", "left"), "released"),
            _rows(placed.filter(pl.col("cm_id").is_null()), "unassigned").with_columns(
                reason=pl.lit("no case manager with room for their points")
            ),
        ]
    ).sort(["status", "cm_id", "probability", "person_id"], descending=[False, False, True, False])
    unassigned = placed.filter(pl.col("cm_id").is_null())
    _log_counts(rows, solution)
    return CaseloadResult(
        rows,
        shortfall_summary(unassigned, roster),
        solution.optimal,
        solution.objective - solution.bound,
        time.perf_counter() - started,
    )


def _log_counts(rows: pl.DataFrame, solution: assign_solver.Solution) -> None:
    """Counts by status and reason, and whether the solver proved optimality (no patient data)."""
    counts = rows.group_by("status", "reason").len().sort("status", "reason", nulls_last=True)
    for status, reason, n in counts.iter_rows():
        log.info("caseload %s%s: %d", status, f" ({reason})" if reason else "", n)
    if not solution.optimal:
        log.warning(
            "caseload solver stopped at its time limit; gap to the bound %.1f (of %.1f)",
            solution.objective - solution.bound,
            solution.objective,
        )
