"""Exact min-cost assignment of patients to case managers within capacity in points (HiGHS MILP).

Patients whose points and costs towards every case manager are equal are interchangeable, so the
problem is solved over classes of such patients. Variables: x[k, m] = patients of class k placed
with case manager m (continuous), s[i] = patient i left unassigned (continuous, at penalty[i]) and
z[m, q] = patients of q points placed with m (integer). With z integral the rest is a
transportation problem, whose matrix is totally unimodular, so x is integral at a vertex: HiGHS
only branches on z. Leaving a patient unassigned costs `penalty[i]`; inside a class the lowest
penalties are left out first, so the class-level optimum is the patient-level optimum.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

UNASSIGNED = -1
INTEGRAL_GAP = 1.0 - 1e-6


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


def _model(cl: _Classes, penalty: np.ndarray, capacity: np.ndarray):
    """Objective, integrality, bounds, constraints and column layout of the MILP."""
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
    constraints = [
        LinearConstraint(a_class, cl.size, cl.size),
        LinearConstraint(a_link, 0, 0),
        LinearConstraint(a_cap, -np.inf, capacity),
    ]
    ub = np.concatenate([fits[xk, xm], np.ones(ns), np.floor(capacity[zm] / sizes[zq])])
    integrality = np.concatenate([np.zeros(nx + ns), np.ones(nz)])
    layout = (xk, xm, nx, ns, nz)
    return c, integrality, Bounds(np.zeros(n), ub), constraints, layout


def _integral_counts(c, bounds, constraints, x: np.ndarray, layout) -> np.ndarray:
    """The x part of a solution, made integral by re-solving the transportation LP with z fixed."""
    xk, xm, nx, ns, nz = layout
    if np.allclose(x[:nx], np.rint(x[:nx]), atol=1e-6):
        return np.rint(x[:nx])
    z = np.rint(x[nx + ns :])
    lb, ub = bounds.lb.copy(), bounds.ub.copy()
    lb[nx + ns :], ub[nx + ns :] = z, z
    a = sp.vstack([con.A for con in constraints[:2]]).tocsr()
    b = np.concatenate([constraints[0].lb, np.zeros(nz)])
    res = linprog(c, A_eq=a, b_eq=b, bounds=np.column_stack([lb, ub]), method="highs-ds")
    return np.rint(res.x[:nx])


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
    (seconds) stopped HiGHS first.
    """
    points = np.asarray(points, dtype=np.int64)
    penalty = np.asarray(penalty, dtype=np.float64)
    capacity = np.maximum(np.asarray(capacity, dtype=np.float64), 0.0)
    if points.size == 0 or capacity.size == 0:
        none = np.full(points.size, UNASSIGNED, dtype=np.int64)
        return Solution(none, float(penalty.sum()), float(penalty.sum()), True, 0)
    cost = np.asarray(cost, dtype=np.float64)
    row_of = np.arange(points.size) if row_of is None else np.asarray(row_of, dtype=np.int64)
    cl = group_classes(points, cost, row_of)
    c, integrality, bounds, constraints, layout = _model(cl, penalty, capacity)
    integral = bool(np.all(c == np.rint(c)))
    options: dict = {"mip_rel_gap": 0.0, "presolve": True}
    if integral:
        # x is integral once z is, so the objective is an integer: a gap under 1 proves optimality
        options["mip_abs_gap"] = INTEGRAL_GAP
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
        res = milp(
            c, integrality=integrality, bounds=bounds, constraints=constraints, options=options
        )
    if res.x is None:
        raise RuntimeError(f"caseload solver found no assignment: {res.message}")
    xk, xm = layout[0], layout[1]
    counts = np.zeros(cl.cost.shape, dtype=np.int64)
    counts[xk, xm] = _integral_counts(c, bounds, constraints, res.x, layout).astype(np.int64)
    bound = float(getattr(res, "mip_dual_bound", res.fun) or res.fun)
    proven = res.status == 0 or (integral and res.fun - bound < INTEGRAL_GAP)
    cm_index = hand_out(cl.of_patient, penalty, counts)
    return Solution(cm_index, float(res.fun), bound, bool(proven), int(cl.size.size))
