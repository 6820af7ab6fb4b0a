"""Exact min-cost assignment of patients to case managers within capacity in points (HiGHS).

Patients whose points and costs towards every case manager are equal are interchangeable, so the
problem is solved over classes of such patients. Variables: x[k, m] = patients of class k placed
with case manager m (continuous), s[k, l] = patients of class k with penalty level l left
unassigned (continuous, up to their count) and z[m, q] = places of q points opened with m
(integer). With z integral the rest is a transportation problem, whose matrix is totally
unimodular, so x is integral at a vertex: only z needs branching. Inside a class the lowest
penalties are left out first, so the class-level optimum is the patient-level optimum.

The solve runs in three steps. (1) The LP relaxation, tightened with each case manager's
integer hull of {2 a + 3 b <= capacity} (two point sizes), gives a lower bound; it is solved by
column generation (each class starts with its cheapest case managers). (2) A dive rounds
the places of the case managers the LP left fractional (to the nearest pattern that wastes no
point where the LP fills the capacity, or covers the LP's places where it leaves room),
re-solves from the last basis and repeats; the transportation LP over the final places gives an
integral assignment. (3) Unless that is within the objective's granularity of the bound, HiGHS
solves MILPs restricted by reduced cost (`assign_search`): a small one for a better incumbent,
then the exact one that proves it optimal, within the time limit. The exact one is solved over
groups of case managers that cost the same towards every class (`assign_groups`): their places
are interchangeable, and branching on each member's would search every permutation of them.

The time limit bounds every step, the LPs included. The transportation LP that places the
patients into places already chosen may run PLACE_GRACE seconds past it, so that places found
at the end are kept; if it is still not solved, the patients are placed into those places
greedily. If the limit runs out before the dive has an assignment (an LP too large to solve in
time), a greedy one is returned (`_greedy`), with the better of the LP bound, if solved, and a
bound from the pooled capacity (`_cheapest_bound`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from reports.assign_groups import cm_groups, group_hull_block, split_places
from reports.assign_highs import Lp, MatrixModel, TimeUp
from reports.assign_places import hull_block, round_places
from reports.assign_search import HEURISTIC_DELTA, Search

log = logging.getLogger(__name__)
UNASSIGNED = -1
DIVE_ROUNDS = 12
FIRST_SLACK = 2.0
# seconds the placement LP may run past the time limit; on a generated roster of 3,788 case
# managers and 109,699 candidates it took 97 s, on 50k x 200 under a second
PLACE_GRACE = 10.0


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
    """The class-level MILP; columns are x (class, case manager), then s (class, penalty level:
    patients left out), then z (case manager, size: places)."""

    m: MatrixModel
    xk: np.ndarray
    xm: np.ndarray
    xq: np.ndarray  # size index of each x column's class
    sk: np.ndarray  # class of each s column (in order of class, then penalty)
    points: np.ndarray  # points of each class
    sizes: np.ndarray
    capacity: np.ndarray

    @property
    def nx(self) -> int:
        return self.xk.size

    @property
    def z_start(self) -> int:
        return self.m.c.size - self.capacity.size * self.sizes.size

    @property
    def x_slot(self) -> np.ndarray:
        """The (case manager, size) slot each x column fills, in the order of the z columns."""
        return self.xm * self.sizes.size + self.xq

    def used_places(self, x: np.ndarray) -> np.ndarray:
        """Places of each (case manager, size) that a solution's x (or its x counts) fills."""
        n = self.capacity.size * self.sizes.size
        return np.bincount(self.x_slot, x[: self.nx], minlength=n)


def _model(
    cl: _Classes, penalty: np.ndarray, capacity: np.ndarray, group_of: np.ndarray | None = None
) -> _Model:
    """Objective, rows (class sizes, places, capacity, hull facets) and bounds of the MILP.

    Patients of one class with the same penalty share one s column bounded by their count. With
    `group_of` (a group per case manager, members costing the same) the columns are per group:
    its places of each size lie in the sum of its members' integer hulls.
    """
    n_k = cl.cost.shape[0]
    group_of = np.arange(capacity.size) if group_of is None else group_of
    n_c = int(group_of.max(initial=-1)) + 1
    _, first = np.unique(group_of, return_index=True)  # each group's costs: its first member's
    room = np.floor(capacity[None, :] / cl.points[:, None])
    fits = np.minimum(cl.size[:, None], _group_sum(room, group_of, n_c))
    xk, xm = np.nonzero(fits > 0)
    levels, count = np.unique(np.column_stack([cl.of_patient, penalty]), axis=0, return_counts=True)
    sk = levels[:, 0].astype(np.int64)
    sizes, q_of_k = np.unique(cl.points, return_inverse=True)
    zm, zq = np.divmod(np.arange(n_c * sizes.size), sizes.size)
    nx, ns, nz = xk.size, sk.size, zm.size
    cols_x, cols_s, cols_z = np.arange(nx), nx + np.arange(ns), nx + ns + np.arange(nz)
    n = nx + ns + nz
    a_class = sp.csr_array(
        (np.ones(nx + ns), (np.concatenate([xk, sk]), np.concatenate([cols_x, cols_s]))),
        shape=(n_k, n),
    )
    link_rows = np.concatenate([xm * sizes.size + q_of_k[xk], np.arange(nz)])
    link_vals = np.concatenate([np.ones(nx), -np.ones(nz)])
    a_link = sp.csr_array((link_vals, (link_rows, np.concatenate([cols_x, cols_z]))), (nz, n))
    a_cap = sp.csr_array((sizes[zq], (zm, cols_z)), shape=(n_c, n))
    group_cap = np.bincount(group_of, capacity, minlength=n_c)
    if n_c == capacity.size:
        a_hull, hull_rhs = hull_block(capacity, sizes, n, nx + ns)
    else:
        a_hull, hull_rhs = group_hull_block(capacity, group_of, sizes, n, nx + ns)
    nh = hull_rhs.size
    places = _group_sum(np.floor(capacity[None, :] / sizes[:, None]), group_of, n_c)
    matrix = MatrixModel(
        c=np.concatenate([cl.cost[xk, first[xm]], levels[:, 1], np.zeros(nz)]),
        a=sp.vstack([a_class, a_link, a_cap, a_hull]).tocsc(),
        row_lo=np.concatenate([cl.size, np.full(nz + n_c + nh, -np.inf)]),
        row_hi=np.concatenate([cl.size, np.zeros(nz), group_cap, hull_rhs]),
        lb=np.zeros(n),
        ub=np.concatenate([fits[xk, xm], count, places[zq, zm]]),
        integer=np.arange(n) >= nx + ns,
    )
    return _Model(matrix, xk, xm, q_of_k[xk], sk, cl.points, sizes, group_cap)


def _group_sum(per_cm: np.ndarray, group_of: np.ndarray, n_groups: int) -> np.ndarray:
    """Columns (case managers) of a matrix summed per group."""
    if n_groups == group_of.size:  # every case manager alone (groups follow first members)
        return per_cm
    total = np.zeros((per_cm.shape[0], n_groups))
    np.add.at(total.T, group_of, per_cm.T)
    return total


def _fractional(model: _Model, x: np.ndarray) -> np.ndarray:
    """Case managers whose places in x are not integral."""
    used = model.used_places(x).reshape(-1, model.sizes.size)
    return np.nonzero((np.abs(used - np.rint(used)) > 1e-6).any(axis=1))[0]


def _z_cols(model: _Model, cms: np.ndarray) -> np.ndarray:
    """The z columns of the given case managers."""
    q = model.sizes.size
    return model.z_start + (cms[:, None] * q + np.arange(q)).ravel()


def _dive(model: _Model, lp: Lp, x: np.ndarray) -> tuple[np.ndarray, float]:
    """An integral solution from the LP: fix the fractional case managers' places to a rounded
    pattern, re-solve from the last basis with the others free, repeat; then fix all places."""
    for _ in range(DIVE_ROUNDS):  # a few warm LP solves, each fixing every fractional one
        fractional = _fractional(model, x)
        if fractional.size == 0:
            break
        places = round_places(model.used_places(x), model.capacity, model.sizes)
        q = model.sizes.size
        lp.fix(_z_cols(model, fractional), places.reshape(-1, q)[fractional].ravel())
        x, _ = lp.solve()
    places = round_places(model.used_places(x), model.capacity, model.sizes)
    return _fix_places(model, lp, places, x)


def _fix_places(
    model: _Model, lp: Lp, places: np.ndarray, near: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """The best assignment with the places fixed: a transportation LP, integral at a vertex. If
    the LP is not solved within the grace, the patients are placed greedily, starting from the
    counts of `near` (a solution near these places: the LP's or the MILP's) rounded down."""
    places = np.rint(places)
    lp.fix(_z_cols(model, np.arange(model.capacity.size)), places)
    try:
        x, _ = lp.solve(grace=PLACE_GRACE)
    except TimeUp:
        log.warning("caseload: no time left to place patients by LP; placed greedily")
        start = None if near is None else _within(model, np.floor(near[: model.nx] + 1e-9), places)
        x = _greedy(model, places, start)
        return x, float(model.m.c @ x)
    x[: model.z_start] = np.rint(x[: model.z_start])  # a vertex: integral counts
    return x, float(model.m.c @ x)


def _at_bound(model: MatrixModel, x: np.ndarray) -> np.ndarray:
    """Each column's LP bound nearest its value (where reduced-cost fixing would hold it)."""
    return np.where(np.abs(x - model.lb) <= np.abs(x - model.ub), model.lb, model.ub)


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
    (seconds) stopped the search first; `bound` is then the best proven lower bound.
    """
    points = np.asarray(points, dtype=np.int64)
    penalty = np.asarray(penalty, dtype=np.float64)
    capacity = np.maximum(np.asarray(capacity, dtype=np.float64), 0.0)
    if points.size == 0 or capacity.size == 0:
        none = np.full(points.size, UNASSIGNED, dtype=np.int64)
        return Solution(none, float(penalty.sum()), float(penalty.sum()), True, 0)
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    cost = np.asarray(cost, dtype=np.float64)
    row_of = np.arange(points.size) if row_of is None else np.asarray(row_of, dtype=np.int64)
    cl = group_classes(points, cost, row_of)
    model = _model(cl, penalty, capacity)
    search = Search(model.m, integral=bool(np.all(model.m.c == np.rint(model.m.c))))
    try:
        _search(cl, penalty, capacity, (model, search), deadline)
    except TimeUp:
        log.warning("caseload: the time limit ran out while solving an LP")
    if not np.isfinite(search.objective):  # no assignment yet: the greedy one
        x = _greedy(model)
        search.offer(x, float(model.m.c @ x))
        search.raise_bound(_cheapest_bound(model))
    counts = np.zeros(cl.cost.shape, dtype=np.int64)
    counts[model.xk, model.xm] = search.x[: model.nx].astype(np.int64)
    cm_index = hand_out(cl.of_patient, penalty, counts)
    bound = min(search.bound, search.objective)
    return Solution(cm_index, search.objective, bound, search.proven, int(cl.size.size))


def _search(cl: _Classes, penalty, capacity, started: tuple, deadline: float | None) -> None:
    """Steps 1-3: the LP bound, the dive, the repair and the exact restriction."""
    model, search = started
    lp = Lp(model.m, _first_columns(model), deadline)
    relaxed, lp_value = lp.solve()
    search.start(lp_value, lp.reduced_costs(), _at_bound(model.m, relaxed))
    search.offer(*_dive(model, lp, relaxed))
    if not search.proven:  # repair: re-choose the fractional case managers' places exactly
        delta = min(HEURISTIC_DELTA, search.proof_delta())
        found = search.restricted(delta, _left(deadline, 0.5), _repair_box(model, relaxed))
        if found is not None:
            search.offer(*_fix_places(model, lp, found[model.z_start :], found))
    if not search.proven and _left(deadline) != 0:
        _exact(cl, penalty, capacity, (model, lp, search), deadline)


def _exact(cl: _Classes, penalty, capacity, solved: tuple, deadline: float | None) -> None:
    """The exact restriction, over groups of case managers that cost the same: solved, it proves
    the incumbent (or the better solution it finds) optimal. Its places are split back to the
    members and the transportation LP places the patients."""
    model, lp, search = solved
    group_of = cm_groups(cl.cost, model.sizes)
    exact, grouped = search, model
    if group_of.max(initial=-1) + 1 < capacity.size:
        grouped = _model(cl, penalty, capacity, group_of)
        glp = Lp(grouped.m, _first_columns(grouped), deadline)
        gx, value = glp.solve()
        exact = Search(grouped.m, integral=search.integral)
        exact.start(value, glp.reduced_costs(), _at_bound(grouped.m, gx))
        exact.offer(_merged(search.x, model, grouped, group_of), search.objective)
    found = exact.restricted(exact.proof_delta(), _left(deadline))
    if found is not None and grouped is model:
        search.offer(*_fix_places(model, lp, found[model.z_start :], found))
    elif found is not None:
        places = split_places(grouped.used_places(found), capacity, group_of, model.sizes)
        if places is None:  # kept apart from the answer: the incumbent stands
            log.warning("caseload: a group's places did not split into its members' capacities")
        else:
            search.offer(*_fix_places(model, lp, places))
    search.raise_bound(exact.bound)  # valid either way: each solution merges into a grouped one


def _merged(x: np.ndarray, model: _Model, grouped: _Model, group_of: np.ndarray) -> np.ndarray:
    """A per-case-manager solution as a solution of the grouped model."""
    n_groups = grouped.capacity.size
    position = np.full((int(model.xk.max(initial=0)) + 1) * n_groups, -1)
    position[grouped.xk * n_groups + grouped.xm] = np.arange(grouped.nx)
    merged = np.zeros(grouped.m.c.size)
    np.add.at(merged, position[model.xk * n_groups + group_of[model.xm]], x[: model.nx])
    merged[grouped.nx : grouped.z_start] = x[model.nx : model.z_start]
    q = model.sizes.size
    z = np.zeros((n_groups, q))
    np.add.at(z, group_of, x[model.z_start :].reshape(-1, q))
    merged[grouped.z_start :] = z.ravel()
    return merged


def _within(model: _Model, counts: np.ndarray, places: np.ndarray) -> np.ndarray:
    """x counts trimmed to the places of each (case manager, size): where a slot holds more than
    its places, its costliest columns give patients up first."""
    x_slot = model.x_slot
    excess = np.maximum(model.used_places(counts) - places, 0.0)
    held = np.nonzero(counts)[0]
    held = held[excess[x_slot[held]] > 1e-9]  # columns in a slot that holds too many
    cols = held[np.lexsort((-model.m.c[held], x_slot[held]))]  # by slot, costliest first
    slot = x_slot[cols]
    before = np.cumsum(counts[cols]) - counts[cols]
    before -= before[np.searchsorted(slot, slot)]  # held by costlier columns of the same slot
    counts = counts.copy()
    counts[cols] -= np.clip(excess[slot] - before, 0, counts[cols])
    return counts


def _greedy(
    model: _Model, places: np.ndarray | None = None, start: np.ndarray | None = None
) -> np.ndarray:
    """A feasible solution without the LP. Classes in order of what placing their first patient
    saves per point fill their cheapest case managers with room, while a place costs less than
    leaving a patient out; in a class the highest penalties are placed and the lowest left out,
    as `hand_out` does. Room is each case manager's capacity, or with `places` (per case manager
    and size, as the z columns) the places of the class's size; `start` (x counts that fit it)
    is kept and only the room it leaves is filled."""
    c, nx, z_start, points = model.m.c, model.nx, model.z_start, model.points
    x = np.zeros(c.size)
    if places is None:  # room in points, shared by the sizes
        room, slot_of, per_place = model.capacity.copy(), model.xm, points
    else:  # room in places of each size
        room, slot_of, per_place = places.astype(np.float64), model.x_slot, np.ones_like(points)
    n_k = points.size
    if start is not None:  # kept: the room it takes is gone
        x[:nx] = start
        np.subtract.at(room, slot_of, per_place[model.xk] * start)
    x_start = np.searchsorted(model.xk, np.arange(n_k + 1))  # x columns are in class order
    s_start = np.searchsorted(model.sk, np.arange(n_k + 1))  # s: by class, penalty ascending
    top = (c[nx + s_start[1:] - 1] - _cheapest(model)) / points  # what placing one saves, per point
    for k in np.argsort(-top, kind="stable"):
        levels = slice(nx + s_start[k], nx + s_start[k + 1])
        penalties = np.repeat(c[levels][::-1], model.m.ub[levels][::-1].astype(np.int64))
        cols = np.arange(x_start[k], x_start[k + 1])
        cols = cols[np.argsort(c[cols], kind="stable")]
        kept = int(x[cols].sum())  # placed by the start: the highest penalties
        penalties = penalties[kept:]
        fits = np.minimum(np.floor(room[slot_of[cols]] / per_place[k]), model.m.ub[cols] - x[cols])
        ends = np.cumsum(fits)
        n = int(min(penalties.size, ends[-1] if ends.size else 0))
        slot = np.searchsorted(ends, np.arange(n), side="right")
        placed = int(np.sum(c[cols][slot] < penalties[:n]))  # a prefix: costs rise, penalties fall
        count = np.bincount(slot[:placed], minlength=cols.size).astype(np.float64)
        x[cols] += count
        room[slot_of[cols]] -= per_place[k] * count  # a class has one column per case manager
        left_out = penalties.size - placed  # the lowest levels first
        before = np.concatenate([[0.0], np.cumsum(model.m.ub[levels])[:-1]])
        x[levels] = np.clip(left_out - before, 0, model.m.ub[levels])
    x[z_start:] = model.used_places(x)
    return x


def _cheapest_bound(model: _Model) -> float:
    """A lower bound without the LP: each patient placed costs at least their cheapest case
    manager, and the places fit in the capacity of all case managers pooled (a fractional
    knapsack over what placing each patient saves against leaving them out)."""
    levels = slice(model.nx, model.z_start)
    count, penalty, weight = model.m.ub[levels], model.m.c[levels], model.points[model.sk]
    saving = np.maximum(penalty - _cheapest(model)[model.sk], 0.0)
    order = np.argsort(-saving / weight, kind="stable")
    filled = np.cumsum(count[order] * weight[order])
    room = float(model.capacity.sum())
    before = np.concatenate([[0.0], filled[:-1]])
    share = np.clip((room - before) / (count[order] * weight[order]), 0.0, 1.0)
    return float(count @ penalty - np.sum(share * count[order] * saving[order]))


def _cheapest(model: _Model) -> np.ndarray:
    """Each class's lowest placement cost (inf where no case manager has room for one)."""
    cheapest = np.full(int(model.sk.max(initial=-1)) + 1, np.inf)  # every class has an s column
    np.minimum.at(cheapest, model.xk, model.m.c[: model.nx])
    return cheapest


def _first_columns(model: _Model) -> np.ndarray:
    """Columns the LP starts from: every s and z, and each class's x within FIRST_SLACK of its
    cheapest case manager (column generation adds the others that pay)."""
    cost = model.m.c[: model.nx]
    first = np.ones(model.m.c.size, dtype=bool)
    first[: model.nx] = cost <= _cheapest(model)[model.xk] + FIRST_SLACK
    return first


def _left(deadline: float | None, share: float = 1.0) -> float | None:
    """A share of the seconds left before the deadline (None: no limit)."""
    return None if deadline is None else share * max(deadline - time.perf_counter(), 0.0)


def _repair_box(model: _Model, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column bounds that keep the LP's integral places and let the fractional case managers'
    places move one beyond the floor and ceiling of their LP values."""
    q = model.sizes.size
    used = model.used_places(x)
    loose = np.zeros(model.capacity.size, dtype=bool)
    loose[_fractional(model, x)] = True
    loose = np.repeat(loose, q)
    lb, ub = model.m.lb.copy(), model.m.ub.copy()
    z = slice(model.z_start, None)
    lb[z] = np.where(loose, np.maximum(np.floor(used - 1e-9) - 1, 0), np.rint(used))
    ub[z] = np.where(loose, np.minimum(np.ceil(used + 1e-9) + 1, ub[z]), np.rint(used))
    return lb, ub
