"""HiGHS (highspy) plumbing for the caseload model: warm LP re-solves and restricted MILPs.

A `MatrixModel` holds the class-level model in column form. `Lp` keeps one HiGHS instance so a
dive re-solves from the previous basis after bound changes. `restricted_milp` solves the MILP
over a subset of the columns, the others fixed at given values (reduced-cost fixing).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

INF = highspy.kHighsInf
PRICE_TOLERANCE = 1e-7
SIMPLEX_DUAL, SIMPLEX_PRIMAL = 1, 4  # HiGHS simplex_strategy values (dual is its default)
# A round that prices in more than LARGE_ROUND columns adds only the PRICE_PER_ROW cheapest for
# each first row (a class) and re-solves by the primal simplex. Smaller rounds add every column
# that pays, as the 50k x 200 benchmark's do (a handful each): its search is unchanged.
LARGE_ROUND = 100_000
PRICE_PER_ROW = 4
_banner_done = False


class TimeUp(Exception):
    """The solve's deadline passed before an LP was solved."""


@dataclass(frozen=True)
class MatrixModel:
    """min c x subject to row_lo <= A x <= row_hi, lb <= x <= ub; `integer` marks integer ones."""

    c: np.ndarray
    a: sp.csc_array
    row_lo: np.ndarray
    row_hi: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    integer: np.ndarray


def _highs_lp(model: MatrixModel, keep: np.ndarray | None = None, offset=None) -> highspy.HighsLp:
    """The model (or its `keep` columns, rows shifted by `offset`) as a HighsLp."""
    keep = np.ones(model.c.size, dtype=bool) if keep is None else keep
    offset = np.zeros(model.row_hi.size) if offset is None else offset
    a = model.a[:, keep].tocsc() if not keep.all() else model.a
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = int(keep.sum()), int(model.row_hi.size)
    lp.col_cost_ = model.c[keep]
    lp.col_lower_, lp.col_upper_ = model.lb[keep], model.ub[keep]
    lp.row_lower_ = np.where(np.isfinite(model.row_lo), model.row_lo - offset, -INF)
    lp.row_upper_ = np.where(np.isfinite(model.row_hi), model.row_hi - offset, INF)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    return lp


def _new_highs() -> highspy.Highs:
    """A HiGHS instance; the first in a process prints a banner on fd 1, kept off stdout here
    (stdout may carry `--json` output)."""
    global _banner_done
    if _banner_done:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _banner_done = True
    return h


def _quiet(time_limit: float | None = None) -> highspy.Highs:
    """A silent single-threaded HiGHS instance (the nightly shares its cores)."""
    h = _new_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    if time_limit is not None:
        h.setOptionValue("time_limit", max(float(time_limit), 0.01))
    return h


class Lp:
    """The LP relaxation by column generation in one HiGHS instance: it starts from the `first`
    columns, adds every column the duals price below zero and re-solves from the last basis until
    none is left; bound changes (of columns always present) re-solve the same way. With a
    `deadline` (a `time.perf_counter` value) a solve that has not finished by then raises TimeUp."""

    def __init__(
        self, model: MatrixModel, first: np.ndarray, deadline: float | None = None
    ) -> None:
        self.model = model
        self.deadline = deadline
        self.cols = np.nonzero(first)[0]
        self.present = first.copy()
        self.reduced = np.zeros(model.c.size)
        self.highs = _quiet()
        self.highs.passModel(_highs_lp(model, first))

    def solve(self, grace: float | None = 0.0) -> tuple[np.ndarray, float]:
        """Column values (all columns) and objective of the current LP, which may run `grace`
        seconds past the deadline (None: to the end)."""
        deadline = None if grace is None or self.deadline is None else self.deadline + grace
        while True:
            self._run(deadline)
            status = self.highs.getModelStatus()
            if status != highspy.HighsModelStatus.kOptimal:
                raise RuntimeError(f"caseload LP failed: {self.highs.modelStatusToString(status)}")
            solution = self.highs.getSolution()
            duals = np.array(solution.row_dual)
            self.reduced = self.model.c - self.model.a.T @ duals
            priced = np.nonzero(~self.present & (self.reduced < -PRICE_TOLERANCE))[0]
            if priced.size == 0:
                break
            if priced.size > LARGE_ROUND:
                self._add(self._cheapest_per_row(priced))
                # new columns keep the basis primal feasible: the primal simplex goes on from it
                # (on a 109,699 x 3,788 instance a re-solve took 1-6 s so, 70-100 s by the dual)
                self.highs.setOptionValue("simplex_strategy", SIMPLEX_PRIMAL)
            else:
                self._add(priced)
        x = np.zeros(self.model.c.size)
        x[self.cols] = np.array(solution.col_value)
        return x, float(self.highs.getInfo().objective_function_value)

    def _run(self, deadline: float | None) -> None:
        """One HiGHS run, stopped at the deadline (HiGHS counts its time limit over every run of
        an instance, so the limit is that total plus the seconds left)."""
        limit = INF
        if deadline is not None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeUp
            limit = self.highs.getRunTime() + left
        self.highs.setOptionValue("time_limit", limit)  # none left over from a bounded run
        self.highs.run()
        if self.highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
            raise TimeUp

    def _cheapest_per_row(self, priced: np.ndarray) -> np.ndarray:
        """The PRICE_PER_ROW columns of lowest reduced cost for each first row. Adding every
        column that pays made one round of a 109,699 x 3,788 instance add 2.4M columns, and its
        re-solve run for minutes."""
        a = self.model.a if self.model.a.has_sorted_indices else self.model.a.sorted_indices()
        first_row = a.indices[a.indptr[priced]]  # a column's lowest row: its class row
        order = np.lexsort((self.reduced[priced], first_row))
        row = first_row[order]
        rank = np.arange(row.size) - np.searchsorted(row, row)
        return priced[order[rank < PRICE_PER_ROW]]

    def _add(self, cols: np.ndarray) -> None:
        """Add columns of the full model to the HiGHS instance."""
        m = self.model
        a = m.a[:, cols].tocsc()
        self.highs.addCols(
            cols.size, m.c[cols], m.lb[cols], m.ub[cols], a.nnz, a.indptr[:-1], a.indices, a.data
        )
        self.cols = np.concatenate([self.cols, cols])
        self.present[cols] = True

    def reduced_costs(self) -> np.ndarray:
        """Reduced cost of every column at the last solve."""
        return self.reduced

    def fix(self, cols: np.ndarray, values: np.ndarray) -> None:
        """Fix columns (present from the start) to values (both bounds)."""
        where = self._position(cols)
        values = np.asarray(values, dtype=np.float64)
        self.highs.setOptionValue("simplex_strategy", SIMPLEX_DUAL)  # it stays dual feasible
        self.highs.changeColsBounds(where.size, where.astype(np.int32), values, values)

    def _position(self, cols: np.ndarray) -> np.ndarray:
        """Position of full-model columns in the HiGHS instance."""
        position = np.full(self.model.c.size, -1, dtype=np.int64)
        position[self.cols] = np.arange(self.cols.size)
        return position[cols]


def restricted_milp(
    model: MatrixModel,
    keep: np.ndarray,
    fixed: np.ndarray,
    start: np.ndarray | None,
    time_limit: float | None,
    abs_gap: float,
) -> tuple[np.ndarray | None, float, float]:
    """(full column values or None, objective, dual bound) of the MILP over the `keep` columns,
    the others fixed at `fixed`; `start` is a full solution offered as the incumbent."""
    offset = model.a[:, ~keep] @ fixed[~keep]
    constant = float(model.c[~keep] @ fixed[~keep])
    lp = _highs_lp(model, keep, offset)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
        for i in model.integer[keep]
    ]
    h = _quiet(time_limit)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", abs_gap)
    # measured on two instances of 50k patients x 200 case managers: the proof took 73 and 45 s
    # without presolve, 228 and 99 s with it
    h.setOptionValue("presolve", "off")
    h.passModel(lp)
    if start is not None and np.allclose(start[~keep], fixed[~keep]):
        sol = highspy.HighsSolution()
        sol.col_value = list(start[keep])
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    info = h.getInfo()
    if h.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
        return None, np.inf, np.inf
    bound = float(info.mip_dual_bound) + constant if np.isfinite(info.mip_dual_bound) else -np.inf
    if info.primal_solution_status != 2:  # no feasible solution
        return None, np.inf, bound
    values = fixed.copy()
    values[keep] = np.array(h.getSolution().col_value)
    return values, float(info.objective_function_value) + constant, bound
