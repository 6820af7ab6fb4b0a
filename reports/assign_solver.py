"""Exact min-cost assignment of patients to case managers within capacity in points (HiGHS).

Patients whose points and costs towards every case manager are equal are interchangeable, so the
problem is solved over classes of such patients. Variables: x[k, m] = patients of class k placed
with case manager m (continuous), s[i] = patient i left unassigned (continuous, at penalty[i]) and
z[m, q] = places of q points opened with m (integer). With z integral the rest is a
transportation problem, whose matrix is totally unimodular, so x is integral at a vertex: only z
needs branching. Leaving a patient unassigned costs `penalty[i]`; inside a class the lowest
penalties are left out first, so the class-level optimum is the patient-level optimum.

The solve runs in three steps. (1) The LP relaxation, tightened with each case manager's
integer hull of {2 a + 3 b <= capacity} (two point sizes), gives a lower bound. (2) A dive rounds
the places of the case managers the LP left fractional (to the nearest pattern that wastes no
point where the LP fills the capacity, or covers the LP's places where it leaves room),
re-solves the rest and repeats; the transportation LP over the final places gives an integral
assignment. When it is within the objective's granularity of the bound it is proven optimal.
(3) Otherwise HiGHS branches on z for the rest of the time limit and the better of the two
answers is kept, with the best proven bound.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from reports.assign_places import hull_block, round_places

UNASSIGNED = -1
INTEGRAL_GAP = 1.0 - 1e-6
DIVE_ROUNDS = 12


@dataclass(frozen=True)
class Solution:
    """Case manager index per patient (-1 = unassigned), objective, bound and whether proven."""

    cm_index: np.ndarray
    objective: float
    bound: float
    optimal: bool
    n_classes: int


@dataclass(frozen=True)
class _Classes:
    """Patients grouped into interchangeable classes."""

    of_patient: np.ndarray
    cost: np.ndarray
    points: np.ndarray
    size: np.ndarray


def group_classes(points: np.ndarray, cost: np.ndarray, row_of: np.ndarray) -> _Classes:
    """Group patients equal in points and in cost towards every case manager.

    `cost` has one row per attribute combination; `row_of` gives each patient's row.
    """
    _, first_row, same_row = np.unique(cost, axis=0, return_index=True, return_inverse=True)
    key = np.column_stack([points, same_row.reshape(-1)[row_of]])
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    size = np.bincount(inverse, minlength=first.size).astype(np.float64)
    return _Classes(inverse, cost[row_of[first]], points[first].astype(np.float64), size)


@dataclass(frozen=True)
class _Model:
    """The class-level MILP in matrix form; columns are x, then s, then z."""

    c: np.ndarray
    a: sp.csr_array
    row_lo: np.ndarray
    row_hi: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    xk: np.ndarray
    xm: np.ndarray
    xq: np.ndarray  # size index of each x column's class
    sizes: np.ndarray
    capacity: np.ndarray

    @property
    def nx(self) -> int:
        return self.xk.size

    @property
    def z_start(self) -> int:
        return self.c.size - self.capacity.size * self.sizes.size

    def used_places(self, x: np.ndarray) -> np.ndarray:
        """Places of each (case manager, size) that a solution's x fills."""
        n = self.capacity.size * self.sizes.size
        return np.bincount(self.xm * self.sizes.size + self.xq, x[: self.nx], minlength=n)


def _model(cl: _Classes, penalty: np.ndarray, capacity: np.ndarray) -> _Model:
    """Objective, rows (class sizes, places, capacity, hull facets) and bounds of the MILP."""
    n_k, n_c = cl.cost.shape
    fits = np.minimum(cl.size[:, None], np.floor(capacity[None, :] / cl.points[:, None]))
    xk, xm = np.nonzero(fits > 0)
    order = np.lexsort((penalty, cl.of_patient))
    sk = cl.of_patient[order]
    sizes, q_of_k = np.unique(cl.points, return_inverse=True)
    zm, zq = np.divmod(np.arange(n_c * sizes.size), sizes.size)
    nx, ns, nz = xk.size, order.size, zm.size
    cols_x, cols_s, cols_z = np.arange(nx), nx + np.arange(ns), nx + ns + np.arange(nz)
    n = nx + ns + nz
    c = np.concatenate([cl.cost[xk, xm], penalty[order], np.zeros(nz)])
    a_class = sp.csr_array(
        (np.ones(nx + ns), (np.concatenate([xk, sk]), np.concatenate([cols_x, cols_s]))),
        shape=(n_k, n),
    )
    link_rows = np.concatenate([xm * sizes.size + q_of_k[xk], np.arange(nz)])
    link_vals = np.concatenate([np.ones(nx), -np.ones(nz)])
    a_link = sp.csr_array((link_vals, (link_rows, np.concatenate([cols_x, cols_z]))), (nz, n))
    a_cap = sp.csr_array((sizes[zq], (zm, cols_z)), shape=(n_c, n))
    a_hull, hull_rhs = hull_block(capacity, sizes, n, nx + ns)
    nh = hull_rhs.size
    return _Model(
        c=c,
        a=sp.vstack([a_class, a_link, a_cap, a_hull]).tocsr(),
        row_lo=np.concatenate([cl.size, np.full(nz + n_c + nh, -np.inf)]),
        row_hi=np.concatenate([cl.size, np.zeros(nz), capacity, hull_rhs]),
        lb=np.zeros(n),
        ub=np.concatenate([fits[xk, xm], np.ones(ns), np.floor(capacity[zm] / sizes[zq])]),
        xk=xk,
        xm=xm,
        xq=q_of_k[xk],
        sizes=sizes,
        capacity=capacity,
    )


def _lp(model: _Model, lb: np.ndarray, ub: np.ndarray) -> tuple[np.ndarray, float]:
    """A vertex solution and objective of the LP over `model` with column bounds lb..ub."""
    eq = model.row_lo == model.row_hi
    res = linprog(
        model.c,
        A_ub=model.a[~eq],
        b_ub=model.row_hi[~eq],
        A_eq=model.a[eq],
        b_eq=model.row_hi[eq],
        bounds=np.column_stack([lb, ub]),
        method="highs-ds",
    )
    if res.x is None:
        raise RuntimeError(f"caseload LP failed: {res.message}")
    return res.x, float(res.fun)


def _fix_places(model: _Model, places: np.ndarray) -> tuple[np.ndarray, float]:
    """The best assignment with the places fixed: a transportation LP, integral at a vertex."""
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[model.z_start :] = ub[model.z_start :] = np.rint(places)
    x, fun = _lp(model, lb, ub)
    x[: model.nx] = np.rint(x[: model.nx])
    return x, fun


def _dive(model: _Model, x: np.ndarray, rounds: int = DIVE_ROUNDS) -> np.ndarray:
    """Integral places from the LP: fix the fractional case managers' places to a rounded
    pattern, re-solve with the others free, and repeat until none is fractional."""
    lb, ub, q = model.lb.copy(), model.ub.copy(), model.sizes.size
    for _ in range(rounds):  # a few LP solves, each fixing every fractional case manager
        used = model.used_places(x).reshape(-1, q)
        fractional = np.nonzero((np.abs(used - np.rint(used)) > 1e-6).any(axis=1))[0]
        if fractional.size == 0:
            break
        places = round_places(used, model.capacity, model.sizes).reshape(-1, q)
        cols = model.z_start + (fractional[:, None] * q + np.arange(q)).ravel()
        lb[cols] = ub[cols] = places[fractional].ravel()
        x, _ = _lp(model, lb, ub)
    return round_places(model.used_places(x), model.capacity, model.sizes)


def _branch(model: _Model, time_limit: float | None, integral: bool):
    """HiGHS branch and bound over the places; (solution or None, objective, bound, optimal)."""
    integrality = np.zeros(model.c.size)
    integrality[model.z_start :] = 1
    options: dict = {"mip_rel_gap": 0.0, "presolve": True}
    if integral:
        # x is integral once z is, so the objective is an integer: a gap under 1 proves optimality
        options["mip_abs_gap"] = INTEGRAL_GAP
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    constraints = LinearConstraint(model.a, model.row_lo, model.row_hi)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
        res = milp(
            model.c,
            integrality=integrality,
            bounds=Bounds(model.lb, model.ub),
            constraints=constraints,
            options=options,
        )
    bound = getattr(res, "mip_dual_bound", None)
    fun = float(res.fun) if res.x is not None else np.inf
    bound = float(bound) if bound is not None and np.isfinite(bound) else -np.inf
    return res.x, fun, bound, res.status == 0


def hand_out(klass: np.ndarray, priority: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Case manager index per patient: each class's places go to its highest-priority patients."""
    order = np.lexsort((-priority, klass))
    sorted_class = klass[order]
    starts = np.searchsorted(sorted_class, np.arange(counts.shape[0]))
    rank = np.arange(klass.size) - starts[sorted_class]
    per_class = counts.sum(axis=1)
    place_cm = np.repeat(np.tile(np.arange(counts.shape[1]), counts.shape[0]), counts.ravel())
    place_start = np.concatenate([[0], np.cumsum(per_class)[:-1]])
    placed = rank < per_class[sorted_class]
    result = np.full(klass.size, UNASSIGNED, dtype=np.int64)
    result[order[placed]] = place_cm[place_start[sorted_class[placed]] + rank[placed]]
    return result


def solve(
    points: np.ndarray,
    cost: np.ndarray,
    penalty: np.ndarray,
    capacity: np.ndarray,
    row_of: np.ndarray | None = None,
    time_limit: float | None = None,
) -> Solution:
    """Assign each patient to a case manager (or none) at minimum total cost.

    `cost` has one column per case manager and one row per patient, or per attribute
    combination with `row_of` giving each patient's row. `points` and `penalty` are per patient
    (penalty = cost of leaving them unassigned, so a higher penalty means a higher priority);
    `capacity` is per case manager, in points. The result is proven optimal unless `time_limit`
    (seconds) stopped the branch and bound first; `bound` is then the best proven lower bound.
    """
    points = np.asarray(points, dtype=np.int64)
    penalty = np.asarray(penalty, dtype=np.float64)
    capacity = np.maximum(np.asarray(capacity, dtype=np.float64), 0.0)
    if points.size == 0 or capacity.size == 0:
        none = np.full(points.size, UNASSIGNED, dtype=np.int64)
        return Solution(none, float(penalty.sum()), float(penalty.sum()), True, 0)
    started = time.perf_counter()
    cost = np.asarray(cost, dtype=np.float64)
    row_of = np.arange(points.size) if row_of is None else np.asarray(row_of, dtype=np.int64)
    cl = group_classes(points, cost, row_of)
    model = _model(cl, penalty, capacity)
    integral = bool(np.all(model.c == np.rint(model.c)))
    relaxed, bound = _lp(model, model.lb, model.ub)
    if integral:
        bound = float(np.ceil(bound - 1e-6))  # the objective of an integral solution is integral
    x, objective = _fix_places(model, _dive(model, relaxed))
    proven = _closed(objective, bound, integral)
    left = None if time_limit is None else time_limit - (time.perf_counter() - started)
    if not proven and (left is None or left > 0):
        found, fun, mip_bound, optimal = _branch(model, left, integral)
        bound = max(bound, mip_bound)
        if found is not None and fun < objective - 1e-9:
            x, objective = _fix_places(model, found[model.z_start :])
        proven = optimal or _closed(objective, bound, integral)
    counts = np.zeros(cl.cost.shape, dtype=np.int64)
    counts[model.xk, model.xm] = x[: model.nx].astype(np.int64)
    cm_index = hand_out(cl.of_patient, penalty, counts)
    return Solution(cm_index, objective, min(bound, objective), proven, int(cl.size.size))


def _closed(objective: float, bound: float, integral: bool) -> bool:
    """Whether the bound proves the objective optimal (under 1 apart for integral costs)."""
    return objective - bound < (INTEGRAL_GAP if integral else 1e-9 * max(1.0, abs(objective)))
