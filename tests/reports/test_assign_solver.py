"""The class-level MILP is exact: it matches brute force on small cases and never overfills."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from reports import assign_highs, assign_solver
from reports.assign_highs import Lp, TimeUp
from reports.assign_places import round_places, upper_hull
from reports.assign_search import Search
from reports.assign_solver import (
    PLACE_GRACE,
    UNASSIGNED,
    _at_bound,
    _cheapest_bound,
    _first_columns,
    _fix_places,
    _greedy,
    _model,
    _within,
    _z_cols,
    group_classes,
    hand_out,
    solve,
)


def brute_force(points, cost, penalty, capacity) -> float:
    """The minimum objective over every assignment (each patient to a case manager or none)."""
    best = np.inf
    n, m = cost.shape
    for combo in itertools.product(range(-1, m), repeat=n):
        a = np.array(combo)
        used = np.bincount(a[a >= 0], weights=points[a >= 0], minlength=m)
        if (used <= capacity).all():
            best = min(best, objective(a, cost, penalty))
    return best


def objective(a, cost, penalty) -> float:
    placed = a >= 0
    return float(cost[placed, a[placed]].sum() + penalty[~placed].sum())


def used_points(a, points, m):
    return np.bincount(a[a >= 0], weights=points[a >= 0], minlength=m)


def test_matches_brute_force_on_random_6_by_3_cases():
    rng = np.random.default_rng(7)
    for _ in range(20):
        points = rng.choice([2, 3], 6)
        cost = rng.integers(0, 9, (6, 3)).astype(float)
        penalty = points * (100 + rng.integers(0, 100, 6))
        capacity = rng.integers(0, 10, 3)
        s = solve(points, cost, penalty, capacity)
        assert s.optimal
        assert (used_points(s.cm_index, points, 3) <= capacity).all()
        assert objective(s.cm_index, cost, penalty) == brute_force(points, cost, penalty, capacity)


def test_known_case_by_hand():
    # two case managers of 3 points; a 3-point patient fits only whole, so the two 2-point
    # patients cannot share one case manager (4 > 3): best is 3-pointer to A, one 2-pointer to B.
    points = np.array([3, 2, 2])
    cost = np.array([[0.0, 5.0], [1.0, 0.0], [1.0, 0.0]])
    penalty = np.array([390.0, 250.0, 240.0])
    s = solve(points, cost, penalty, np.array([3, 3]))
    assert s.cm_index.tolist() == [0, 1, UNASSIGNED]
    assert s.objective == 240.0


def test_row_of_shares_cost_rows():
    points = np.array([2, 2, 2])
    rows = np.array([[0.0, 9.0], [9.0, 0.0]])
    s = solve(points, rows, np.array([300.0, 200.0, 250.0]), np.array([2, 2]), row_of=[0, 0, 1])
    # patients 0 and 1 both prefer A; A holds one: the higher penalty (patient 0) gets it
    assert s.cm_index.tolist() == [0, UNASSIGNED, 1]


def test_hand_out_gives_places_to_highest_priority_first():
    klass = np.array([0, 0, 0, 1])
    counts = np.array([[1, 1], [0, 0]])
    result = hand_out(klass, np.array([0.1, 0.9, 0.5, 0.7]), counts)
    assert result.tolist() == [UNASSIGNED, 0, 1, UNASSIGNED]


def test_no_case_managers_leaves_everyone_unassigned():
    s = solve(np.array([2, 3]), np.zeros((2, 0)), np.array([10.0, 20.0]), np.zeros(0))
    assert s.cm_index.tolist() == [UNASSIGNED, UNASSIGNED]


instances = st.integers(1, 5).flatmap(
    lambda n: st.integers(1, 3).flatmap(
        lambda m: st.tuples(
            st.lists(st.sampled_from([2, 3]), min_size=n, max_size=n),
            st.lists(st.lists(st.integers(0, 8), min_size=m, max_size=m), min_size=n, max_size=n),
            st.lists(st.integers(0, 60), min_size=n, max_size=n),
            st.lists(st.integers(0, 8), min_size=m, max_size=m),
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(instances)
def test_capacity_never_exceeded_and_optimal(instance):
    pts, cost, risk, cap = instance
    points, capacity = np.array(pts), np.array(cap)
    cost = np.array(cost, dtype=float)
    penalty = points * (20.0 + np.array(risk))
    s = solve(points, cost, penalty, capacity)
    assert (used_points(s.cm_index, points, capacity.size) <= capacity).all()
    assert objective(s.cm_index, cost, penalty) == brute_force(points, cost, penalty, capacity)


@pytest.mark.parametrize("capacity", [0, 1, 2, 5, 7, 8, 11, 13, 30, 61])
def test_hull_facets_cut_no_integer_point_and_leave_integral_vertices(capacity):
    points = [(a, b) for a in range(capacity // 2 + 1) for b in range(capacity // 3 + 1)]
    feasible = np.array([(a, b) for a, b in points if 2 * a + 3 * b <= capacity], dtype=float)
    facets = upper_hull(capacity, 2, 3)
    for ca, cb, rhs in facets:
        assert (feasible @ np.array([ca, cb]) <= rhs + 1e-9).all()
    # with the solver's bounds (places of each size up to capacity // size), maximising any
    # direction over the cut polytope lands on an integer point
    rng = np.random.default_rng(capacity)
    a_ub = np.array([[2.0, 3.0]] + [[ca, cb] for ca, cb, _ in facets])
    b_ub = np.array([capacity] + [rhs for *_, rhs in facets], dtype=float)
    box = [(0, capacity // 2), (0, capacity // 3)]
    for w in rng.normal(size=(20, 2)):
        lp = linprog(-w, A_ub=a_ub, b_ub=b_ub, bounds=box, method="highs")
        assert -lp.fun == pytest.approx((feasible @ w).max(), abs=1e-7)


def test_rounded_places_fill_each_capacity_exactly_near_the_lp():
    capacity = np.array([2.0, 7, 8, 9, 10, 11, 61, 120])
    z_large = np.array([0.0, 2.3, 0.4, 3.0, 1.5, 3.6, 19.7, 10.2])
    z_small = (capacity - 3 * z_large) / 2
    places = round_places(np.column_stack([z_small, z_large]), capacity, np.array([2.0, 3.0]))
    small, large = places.reshape(-1, 2).T
    assert (2 * small + 3 * large == capacity).all()
    assert (np.abs(large - z_large) <= 1.5).all()


def patient_level_optimum(points, cost, penalty, capacity) -> float:
    """The same problem as a plain patient x case-manager binary MILP (independent check)."""
    n, m = cost.shape
    c = np.concatenate([cost.ravel(), penalty])
    one = sp.hstack([sp.kron(sp.eye(n), np.ones((1, m))), sp.eye(n)])
    cap = sp.hstack([sp.kron(points[None, :], sp.eye(m)), sp.csr_array((m, n))])
    res = milp(
        c,
        integrality=np.ones(c.size),
        bounds=Bounds(0, 1),
        constraints=[LinearConstraint(one, 1, 1), LinearConstraint(cap, 0, capacity)],
    )
    return float(np.rint(res.fun))  # integral costs: an integral optimum


def test_matches_a_patient_level_milp_on_medium_cases():
    rng = np.random.default_rng(3)
    for _ in range(3):
        n, m = 120, 6
        points = rng.choice([2, 3], n)
        rows = rng.integers(0, 17, (12, m)).astype(float)
        row_of = rng.integers(0, 12, n)
        penalty = points * (100 + rng.integers(0, 60, n)).astype(float)
        capacity = rng.integers(5, 60, m).astype(float)
        s = solve(points, rows, penalty, capacity, row_of=row_of)
        assert s.optimal
        assert (used_points(s.cm_index, points, m) <= capacity).all()
        assert objective(s.cm_index, rows[row_of], penalty) == s.objective
        assert s.objective == patient_level_optimum(points, rows[row_of], penalty, capacity)


def dive_case(seed: int, n: int = 150, m: int = 6):
    rng = np.random.default_rng(seed)
    points = rng.choice([2, 3], n)
    rows = rng.integers(0, 17, (10, m)).astype(float)
    row_of = rng.integers(0, 10, n)
    penalty = points * (100 + rng.integers(0, 60, n)).astype(float)
    capacity = rng.integers(20, 80, m).astype(float)
    return points, rows, row_of, penalty, capacity


def test_without_time_to_branch_the_dive_is_feasible_and_the_bound_is_valid(monkeypatch):
    monkeypatch.setattr(Search, "restricted", lambda self, *a, **k: None)  # no MILP at all
    points, rows, row_of, penalty, capacity = dive_case(11)
    s = solve(points, rows, penalty, capacity, row_of=row_of)
    assert (used_points(s.cm_index, points, capacity.size) <= capacity).all()
    assert objective(s.cm_index, rows[row_of], penalty) == s.objective
    best = patient_level_optimum(points, rows[row_of], penalty, capacity)
    assert s.bound <= best <= s.objective
    assert s.optimal == (s.objective - s.bound < 1)


def test_without_time_for_the_lp_the_greedy_assignment_is_feasible_and_the_bound_valid():
    # a limit of 0 s runs out before the first LP: the time limit bounds the LPs too
    points, rows, row_of, penalty, capacity = dive_case(11)
    s = solve(points, rows, penalty, capacity, row_of=row_of, time_limit=0.0)
    assert (used_points(s.cm_index, points, capacity.size) <= capacity).all()
    assert objective(s.cm_index, rows[row_of], penalty) == s.objective
    best = patient_level_optimum(points, rows[row_of], penalty, capacity)
    assert s.bound <= best <= s.objective
    assert (s.cm_index != UNASSIGNED).any()
    assert not s.optimal


def test_the_lp_stops_at_its_deadline():
    points, cost, row_of, penalty, capacity = random_case(np.random.default_rng(5), 200, 8, 20)
    model = _model(group_classes(points, cost, row_of), penalty, capacity)
    with pytest.raises(TimeUp):
        Lp(model.m, _first_columns(model), deadline=time.perf_counter() - 1).solve()
    _, value = Lp(model.m, _first_columns(model), deadline=time.perf_counter() + 600).solve()
    assert value < penalty.sum()
    lp = Lp(model.m, _first_columns(model), deadline=time.perf_counter() + 600)
    lp.solve()
    lp.highs.setOptionValue("time_limit", 1e-9)  # as a run that ended at its deadline leaves it
    lp.fix(_z_cols(model, np.arange(capacity.size)), np.zeros(2 * capacity.size))
    # to the end (as to place patients into places found): no limit is left over
    assert lp.solve(grace=None)[1] == pytest.approx(penalty.sum())  # nobody placed


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([2, 3, 5]))
def test_greedy_fits_capacity_and_bounds_hold(seed, m):
    rng = np.random.default_rng(seed)
    points, cost, row_of, penalty, capacity = random_case(rng, n=12, m=m)
    capacity = np.minimum(capacity, 14)
    cl = group_classes(points, cost, row_of)
    model = _model(cl, penalty, capacity)
    x = _greedy(model)
    counts = np.zeros(cl.cost.shape, dtype=np.int64)
    counts[model.xk, model.xm] = x[: model.nx].astype(np.int64)
    a = hand_out(cl.of_patient, penalty, counts)
    assert (used_points(a, points, m) <= capacity).all()
    assert objective(a, cost[row_of], penalty) == pytest.approx(model.m.c @ x)
    m_ = model.m
    assert (m_.a @ x <= m_.row_hi + 1e-9).all() and (m_.a @ x >= m_.row_lo - 1e-9).all()
    assert (x <= m_.ub).all() and (x >= 0).all()
    best = patient_level_optimum(points, cost[row_of], penalty, capacity)
    assert _cheapest_bound(model) <= best <= model.m.c @ x


def random_places(rng, capacity, sizes):
    """Places of each size per case manager (as the z columns) that fit each capacity."""
    small = np.floor(rng.random(capacity.size) * (capacity // sizes[0] + 1))
    large = np.floor(rng.random(capacity.size) * ((capacity - sizes[0] * small) // sizes[1] + 1))
    return np.column_stack([small, large]).ravel()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([2, 3, 5]))
def test_greedy_into_fixed_places_fills_only_those_places(seed, m):
    rng = np.random.default_rng(seed)
    points, cost, row_of, penalty, capacity = random_case(rng, n=30, m=m)
    cl = group_classes(points, cost, row_of)
    model = _model(cl, penalty, capacity)
    places = random_places(rng, capacity, model.sizes)
    x = _greedy(model, places)
    assert (model.used_places(x) <= places).all()
    m_ = model.m
    assert (m_.a @ x <= m_.row_hi + 1e-9).all() and (m_.a @ x >= m_.row_lo - 1e-9).all()
    assert (x <= m_.ub).all() and (x >= 0).all() and (x == np.rint(x)).all()
    counts = np.zeros(cl.cost.shape, dtype=np.int64)
    counts[model.xk, model.xm] = x[: model.nx].astype(np.int64)
    a = hand_out(cl.of_patient, penalty, counts)
    assert (used_points(a, points, m) <= capacity).all()
    assert objective(a, cost[row_of], penalty) == pytest.approx(m_.c @ x)
    # the transportation LP over the same places is optimal there: never worse than greedy
    exact, value = _fix_places(model, Lp(model.m, _first_columns(model)), places)
    assert value <= m_.c @ x + 1e-6
    assert (model.used_places(exact) <= places + 1e-9).all()
    # from a start near other places (the LP's, rounded down, trimmed to these), kept and filled
    relaxed, _ = Lp(model.m, _first_columns(model)).solve()
    start = _within(model, np.floor(relaxed[: model.nx] + 1e-9), places)
    assert (model.used_places(start) <= places).all()
    filled = _greedy(model, places, start)
    assert (filled[: model.nx] >= start).all()
    assert (model.used_places(filled) <= places).all()
    assert (m_.a @ filled <= m_.row_hi + 1e-9).all() and (m_.a @ filled >= m_.row_lo - 1e-9).all()
    assert (filled <= m_.ub).all() and (filled >= 0).all()


def test_placement_lp_out_of_time_places_greedily_and_the_solve_stays_valid(monkeypatch):
    points, rows, row_of, penalty, capacity = dive_case(11)
    model = _model(group_classes(points, rows, row_of), penalty, capacity)
    places = random_places(np.random.default_rng(3), capacity, model.sizes)
    late = Lp(model.m, _first_columns(model), deadline=time.perf_counter() - PLACE_GRACE - 1)
    x, value = _fix_places(model, late, places)  # past the deadline and its grace
    assert value == pytest.approx(model.m.c @ _greedy(model, places))
    assert value == pytest.approx(model.m.c @ x)
    near, _ = Lp(model.m, _first_columns(model)).solve()
    late = Lp(model.m, _first_columns(model), deadline=time.perf_counter() - PLACE_GRACE - 1)
    x, value = _fix_places(model, late, places, near)  # kept what the LP placed, trimmed
    start = _within(model, np.floor(near[: model.nx] + 1e-9), places)
    assert start.sum() > 0 and (x[: model.nx] >= start).all()
    assert (model.used_places(x) <= places).all() and value == pytest.approx(model.m.c @ x)
    # the whole solve with no grace at all: every placement falls back, the answer stays valid
    monkeypatch.setattr(assign_solver, "PLACE_GRACE", -1e9)
    monkeypatch.setattr(Search, "restricted", lambda self, *a, **k: None)  # no MILP
    s = solve(points, rows, penalty, capacity, row_of=row_of, time_limit=600)
    assert (used_points(s.cm_index, points, capacity.size) <= capacity).all()
    assert objective(s.cm_index, rows[row_of], penalty) == s.objective
    best = patient_level_optimum(points, rows[row_of], penalty, capacity)
    assert s.bound <= best <= s.objective


medium = st.integers(0, 10_000).map(lambda seed: np.random.default_rng(seed))


def random_case(rng, n=40, m=4, rows=6):
    """A class-level case with odd and even capacities near the demand."""
    points = rng.choice([2, 3], n)
    cost = rng.integers(0, 17, (rows, m)).astype(float)
    row_of = rng.integers(0, rows, n)
    penalty = points * (100 + rng.integers(0, 30, n)).astype(float)
    capacity = rng.integers(3, 2 * n // m + 4, m).astype(float)
    return points, cost, row_of, penalty, capacity


@settings(max_examples=25, deadline=None)
@given(medium)
def test_class_level_cases_match_the_patient_level_milp(rng):
    points, cost, row_of, penalty, capacity = random_case(rng)
    s = solve(points, cost, penalty, capacity, row_of=row_of)
    assert s.optimal
    assert (used_points(s.cm_index, points, capacity.size) <= capacity).all()
    assert objective(s.cm_index, cost[row_of], penalty) == s.objective
    assert s.objective == patient_level_optimum(points, cost[row_of], penalty, capacity)


@settings(max_examples=15, deadline=None)
@given(medium, st.sampled_from([0.0, 0.5, 1.0, 2.0]))
def test_reduced_cost_restriction_never_bounds_above_the_optimum(rng, delta):
    points, cost, row_of, penalty, capacity = random_case(rng, n=30, m=3)
    cl = group_classes(points, cost, row_of)
    model = _model(cl, penalty, capacity)
    lp = Lp(model.m, _first_columns(model))
    x, value = lp.solve()
    search = Search(model.m, integral=True)
    search.start(value, lp.reduced_costs(), _at_bound(model.m, x))
    search.restricted(delta, None)
    best = patient_level_optimum(points, cost[row_of], penalty, capacity)
    assert value - 1e-6 <= search.bound <= best


@pytest.mark.parametrize("large_round", [None, 0])
def test_column_generation_reaches_the_full_lp_value(monkeypatch, large_round):
    if large_round is not None:  # every round counts as large: the cheapest per class only
        monkeypatch.setattr(assign_highs, "LARGE_ROUND", large_round)
        monkeypatch.setattr(assign_highs, "PRICE_PER_ROW", 1)
    rng = np.random.default_rng(5)
    points, cost, row_of, penalty, capacity = random_case(rng, n=200, m=8, rows=20)
    model = _model(group_classes(points, cost, row_of), penalty, capacity)
    few = np.ones(model.m.c.size, dtype=bool)
    few[: model.nx] = False  # no placement column at first: every one must be priced in
    _, generated = Lp(model.m, few).solve()
    _, full = Lp(model.m, np.ones(model.m.c.size, dtype=bool)).solve()
    assert generated == pytest.approx(full, abs=1e-6)
    assert generated < penalty.sum()  # placements were added


def test_a_search_stopped_before_any_bound_keeps_the_bound_it_had():
    # HiGHS stopped by a short time limit reports no dual bound (-inf here); at a million
    # persons that once crashed the assign stage while rounding it up
    points, cost, row_of, penalty, capacity = random_case(np.random.default_rng(3), n=10, m=2)
    model = _model(group_classes(points, cost, row_of), penalty, capacity).m
    search = Search(model, integral=True)
    search.start(10.0, np.zeros(model.c.size), np.zeros(model.c.size))
    search.raise_bound(-np.inf)
    search.raise_bound(np.inf)
    assert search.bound == 10.0
