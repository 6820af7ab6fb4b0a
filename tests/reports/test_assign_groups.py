"""Case managers that cost the same are merged for the exact search, and split back exactly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from reports import assign_solver
from reports.assign_groups import cm_groups, group_hull_block, split_places
from reports.assign_solver import _model, group_classes, solve
from tests.reports.test_assign_solver import objective, patient_level_optimum, used_points

SIZES = np.array([2.0, 3.0])


def patterns(capacity: float) -> set[tuple[int, int]]:
    """Every (small, large) pattern that fits one case manager."""
    return {
        (a, b)
        for a in range(int(capacity // 2) + 1)
        for b in range(int(capacity // 3) + 1)
        if 2 * a + 3 * b <= capacity
    }


def sums(capacities) -> set[tuple[int, int]]:
    """Every total of one pattern per member."""
    total = {(0, 0)}
    for cap in capacities:
        total = {(a + c, b + d) for a, b in total for c, d in patterns(cap)}
    return total


def test_equal_cost_columns_share_a_group_numbered_by_first_member():
    cost = np.array([[1.0, 5.0, 1.0, 2.0], [0.0, 3.0, 0.0, 3.0]])
    assert cm_groups(cost, SIZES).tolist() == [0, 1, 0, 2]
    assert cm_groups(cost, np.array([1.0, 2.0, 3.0])).tolist() == [0, 1, 2, 3]


def test_split_by_hand():
    # two case managers of 3 points: two large places need one each; a small one each
    caps, group_of = np.array([3.0, 3.0]), np.array([0, 0])
    assert split_places(np.array([0, 2]), caps, group_of, SIZES).tolist() == [0, 1, 0, 1]
    assert split_places(np.array([2, 0]), caps, group_of, SIZES).tolist() == [1, 0, 1, 0]
    split = split_places(np.array([1, 1]), caps, group_of, SIZES).reshape(2, 2)
    assert sorted(map(tuple, split)) == [(0, 1), (1, 0)]
    # 6 points hold three small places only if one manager takes two: 2 + 2 > 3
    assert split_places(np.array([3, 0]), caps, group_of, SIZES) is None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 14), min_size=1, max_size=4))
def test_group_hull_holds_exactly_the_sums_of_member_patterns(caps):
    capacity = np.array(caps, dtype=float)
    group_of = np.zeros(capacity.size, dtype=np.int64)
    a, rhs = group_hull_block(capacity, group_of, SIZES, 2, 0)
    a = a.toarray()
    top = np.floor(capacity.sum() / SIZES).astype(int)
    box = {(x, y) for x in range(top[0] + 1) for y in range(top[1] + 1)}
    ub = np.floor(capacity[:, None] / SIZES[None, :]).sum(axis=0)
    inside = {
        p for p in box if (a @ np.array(p) <= rhs + 1e-9).all() and p[1] <= ub[1] and p[0] <= ub[0]
    }
    inside = {p for p in inside if 2 * p[0] + 3 * p[1] <= capacity.sum()}
    assert inside == sums(caps)
    for p in inside:  # and each splits back into patterns that fit
        split = split_places(np.array(p), capacity, group_of, SIZES).reshape(-1, 2)
        assert (split.sum(axis=0) >= p).all()
        assert (split @ SIZES <= capacity).all()


def test_identity_groups_build_the_per_case_manager_model():
    rng = np.random.default_rng(2)
    points = rng.choice([2, 3], 30)
    cost = rng.integers(0, 9, (5, 4)).astype(float)
    row_of = rng.integers(0, 5, 30)
    cl = group_classes(points, cost, row_of)
    capacity = rng.integers(3, 20, 4).astype(float)
    penalty = points * 100.0
    plain, same = _model(cl, penalty, capacity), _model(cl, penalty, capacity, np.arange(4))
    assert (plain.m.a != same.m.a).nnz == 0
    assert np.array_equal(plain.m.c, same.m.c) and np.array_equal(plain.m.ub, same.m.ub)
    assert np.array_equal(plain.m.row_hi, same.m.row_hi)


def grouped_case(rng, n=40, m=6, distinct=2, rows=5):
    """A case whose case managers share `distinct` cost columns, with unequal capacities."""
    points = rng.choice([2, 3], n)
    columns = rng.integers(0, 17, (rows, distinct)).astype(float)
    cost = columns[:, rng.integers(0, distinct, m)]
    row_of = rng.integers(0, rows, n)
    penalty = points * (100 + rng.integers(0, 30, n)).astype(float)
    capacity = rng.integers(3, 2 * n // m + 4, m).astype(float)
    return points, cost, row_of, penalty, capacity


def milp_optimum(model) -> float:
    """The MILP of a model solved whole by scipy (HiGHS)."""
    m = model.m
    res = milp(
        m.c,
        integrality=m.integer.astype(int),
        bounds=Bounds(m.lb, m.ub),
        constraints=[LinearConstraint(m.a, m.row_lo, m.row_hi)],
    )
    return float(np.rint(res.fun))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000).map(np.random.default_rng))
def test_the_grouped_milp_has_the_patient_level_optimum(rng):
    points, cost, row_of, penalty, capacity = grouped_case(rng)
    cl = group_classes(points, cost, row_of)
    group_of = cm_groups(cl.cost, np.unique(points).astype(float))
    grouped = _model(cl, penalty, capacity, group_of)
    assert grouped.capacity.size < capacity.size or capacity.size <= 2
    assert milp_optimum(grouped) == patient_level_optimum(points, cost[row_of], penalty, capacity)


@pytest.mark.usefixtures("through_the_grouped_search")
@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000).map(np.random.default_rng))
def test_solve_through_the_grouped_search_is_optimal_and_fits(rng):
    points, cost, row_of, penalty, capacity = grouped_case(rng, n=60, m=8, distinct=3)
    s = solve(points, cost, penalty, capacity, row_of=row_of)
    assert s.optimal
    assert (used_points(s.cm_index, points, capacity.size) <= capacity).all()
    assert objective(s.cm_index, cost[row_of], penalty) == s.objective
    assert s.objective == patient_level_optimum(points, cost[row_of], penalty, capacity)


@pytest.fixture(scope="module")
def through_the_grouped_search():
    """Skip the dive's and repair's shortcuts so every solve goes through the grouped search."""
    mp = pytest.MonkeyPatch()
    mp.setattr(assign_solver, "DIVE_ROUNDS", 0)
    mp.setattr(assign_solver, "HEURISTIC_DELTA", 0.0)
    yield mp
    mp.undo()


@pytest.mark.usefixtures("through_the_grouped_search")
def test_places_that_do_not_split_leave_the_incumbent_and_a_valid_bound(monkeypatch, caplog):
    monkeypatch.setattr(assign_solver, "split_places", lambda *args: None)
    for seed in range(6):
        points, cost, row_of, penalty, capacity = grouped_case(
            np.random.default_rng(seed), 60, 8, 3
        )
        s = solve(points, cost, penalty, capacity, row_of=row_of)
        best = patient_level_optimum(points, cost[row_of], penalty, capacity)
        assert (used_points(s.cm_index, points, capacity.size) <= capacity).all()
        assert objective(s.cm_index, cost[row_of], penalty) == s.objective
        assert s.bound <= best <= s.objective
    assert "did not split" in caplog.text
