"""Closing the gap of the caseload MILP by reduced-cost fixing around the LP optimum.

With LP value L and reduced costs d, every feasible solution y costs at least
L + |d_j| * |y_j - x_j| for each column j at its bound x_j. A solution with integral columns that
moves a column with |d_j| >= delta therefore costs at least L + delta. So the MILP over only the
columns with |d_j| < delta (the rest held at their LP bound) has a dual bound D that gives the
whole problem the bound min(D, L + delta). A small delta makes a small MILP that finds good
solutions quickly; delta = incumbent - L (less the objective's granularity) makes the
restriction exact, so solving it proves optimality.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from reports.assign_highs import MatrixModel, restricted_milp

INTEGRAL_GAP = 1.0 - 1e-6
HEURISTIC_DELTA = 2.0
TOLERANCE = 1e-6


class Search:
    """Incumbent, proven bound and the restricted MILPs that improve them."""

    def __init__(self, model: MatrixModel, integral: bool) -> None:
        self.model = model
        self.integral = integral
        self.x: np.ndarray = np.zeros(model.c.size)
        self.objective = math.inf
        self.bound = -math.inf

    def start(self, lp_value: float, reduced: np.ndarray, at_bound: np.ndarray) -> None:
        """The LP's value (a bound), reduced costs and each column's LP bound."""
        self.lp_value, self.reduced, self.at_bound = lp_value, np.abs(reduced), at_bound
        self.raise_bound(lp_value)

    def raise_bound(self, value: float) -> None:
        """Take a proven lower bound (rounded up when every cost is integral). A search stopped
        by its time limit before it had any bound reports -inf: that proves nothing."""
        if not math.isfinite(value):
            return
        if self.integral:
            value = math.ceil(value - TOLERANCE)
        self.bound = max(self.bound, value)

    def offer(self, x: np.ndarray, objective: float) -> None:
        """Keep a feasible integral solution when it beats the incumbent."""
        if objective < self.objective - 1e-9:
            self.x, self.objective = x, objective

    @property
    def proven(self) -> bool:
        """Whether the bound proves the incumbent optimal (under the objective's granularity)."""
        if self.integral:
            return self.objective - self.bound < INTEGRAL_GAP
        return self.objective - self.bound <= 1e-9 * max(1.0, abs(self.objective))

    def proof_delta(self) -> float:
        """The smallest delta whose restricted MILP, solved, proves the incumbent optimal."""
        granularity = 1.0 if self.integral else 0.0
        return self.objective - self.lp_value - granularity + 20 * TOLERANCE

    def restricted(
        self, delta: float, time_limit: float | None, box: tuple | None = None
    ) -> np.ndarray | None:
        """Solve the MILP over the columns with reduced cost under delta; returns its solution
        (or None). Without `box` (column bounds that cut the search down) the dual bound is
        valid for the whole problem and raises the proven bound."""
        if time_limit is not None and time_limit <= 0:
            return None
        keep = (self.reduced < delta) | self.model.integer
        gap = INTEGRAL_GAP if self.integral else 1e-9
        start = self.x if np.isfinite(self.objective) else None
        model = self.model if box is None else replace(self.model, lb=box[0], ub=box[1])
        x, _, dual = restricted_milp(model, keep, self.at_bound, start, time_limit, gap)
        if box is None:
            self.raise_bound(min(dual, self.lp_value + delta - TOLERANCE))
        return x
