"""Interchangeable case managers, merged for the exact search.

Case managers whose cost towards every class of patients is the same differ only in capacity, so
the search need not tell their places apart: branching on each member's places explores every
permutation of the same answer. The exact MILP is therefore solved over groups of them. A group's
places of each size (small a, large b) are the sums of its members' integral patterns, a set whose
convex hull is the Minkowski sum of the members' integer hulls. That sum has the members' facet
normals, and its right side for a normal is the sum of the members' right sides (support values).

`split_places` turns a group's places back into one pattern per member by a dynamic programme over
the members, so every place handed out is checked to fit a member's capacity.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from reports.assign_places import maximal_points, upper_hull


def cm_groups(cost: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Group index per case manager (columns of `cost`), numbered in order of first member.

    Equal cost columns share a group. With more than two point sizes the hull of a group is not
    built here, so each case manager stays alone.
    """
    n_cm = cost.shape[1]
    if sizes.size > 2 or n_cm == 0:
        return np.arange(n_cm)
    _, first, inverse = np.unique(cost.T, axis=0, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first)] = np.arange(first.size)
    return rank[inverse.reshape(-1)]


def group_hull_block(
    capacity: np.ndarray, group_of: np.ndarray, sizes: np.ndarray, n: int, z0: int
) -> tuple[sp.csr_array, np.ndarray]:
    """Facets of each group's place polygon as rows over its z columns (two point sizes only).

    The normals are the members' hull facet normals (and, for a group of several, the capacity
    direction); each right side is the sum over members of their largest value along it.
    """
    if sizes.size != 2:
        return sp.csr_array((0, n)), np.zeros(0)
    small, large = float(sizes[0]), float(sizes[1])
    n_groups = int(group_of.max(initial=-1)) + 1
    normals: list[set[tuple[int, int]]] = [set() for _ in range(n_groups)]
    members = np.bincount(group_of, minlength=n_groups)
    for m, cap in enumerate(capacity):
        for ca, cb, _ in upper_hull(cap, small, large):
            d = math.gcd(int(ca), int(cb)) or 1
            normals[group_of[m]].add((int(ca) // d, int(cb) // d))
    for g in np.nonzero(members > 1)[0]:
        normals[g].add((int(small), int(large)))
    rows = [(g, u) for g in range(n_groups) for u in sorted(normals[g])]
    if not rows:
        return sp.csr_array((0, n)), np.zeros(0)
    row_of = {row: i for i, row in enumerate(rows)}
    rhs = np.zeros(len(rows))
    for m, cap in enumerate(capacity):
        g = group_of[m]
        pa, pb = maximal_points(cap, small, large)
        for u in normals[g]:
            rhs[row_of[(g, u)]] += (u[0] * pa + u[1] * pb).max()
    g = np.array([g for g, _ in rows])
    coef = np.array([u for _, u in rows], dtype=np.float64)
    r = np.repeat(np.arange(len(rows)), 2)
    cols = z0 + np.column_stack([g * 2, g * 2 + 1]).ravel()
    return sp.csr_array((coef.ravel(), (r, cols)), (len(rows), n)), rhs


def split_places(
    used: np.ndarray, capacity: np.ndarray, group_of: np.ndarray, sizes: np.ndarray
) -> np.ndarray | None:
    """Places per (case manager, size) covering each group's used places (None if they do not
    fit the members' capacities, which a group's hull rows should rule out)."""
    q = sizes.size
    used = np.rint(used.reshape(-1, q)).astype(np.int64)
    places = np.zeros((capacity.size, q), dtype=np.int64)
    for g in range(used.shape[0]):
        members = np.nonzero(group_of == g)[0]
        split = _split_group(used[g], capacity[members], sizes)
        if split is None:
            return None
        places[members] = split
    return places.ravel().astype(np.float64)


def _split_group(need: np.ndarray, caps: np.ndarray, sizes: np.ndarray) -> np.ndarray | None:
    """One pattern per member whose sum covers `need` (places per size), or None."""
    if sizes.size == 1:
        room = np.floor(caps / sizes[0]).astype(np.int64)
        before = np.concatenate([[0], np.cumsum(room)[:-1]])
        take = np.clip(need[0] - before, 0, room)
        return take[:, None] if take.sum() == need[0] else None
    small, large = float(sizes[0]), float(sizes[1])
    need_a, need_b = int(need[0]), int(need[1])
    if caps.size == 1:  # a group of one: its places are its own
        return need[None, :] if small * need_a + large * need_b <= caps[0] else None
    # most[b]: the most small places the members so far hold with b large ones (capped at need_b)
    most = np.full(need_b + 1, -1, dtype=np.int64)
    most[0] = 0
    picks, sources = [], []
    for cap in caps:
        pa, pb = maximal_points(cap, small, large)
        best = np.full(need_b + 1, -1, dtype=np.int64)
        pick = np.zeros(need_b + 1, dtype=np.int64)
        source = np.zeros(need_b + 1, dtype=np.int64)
        for b, a in zip(pb.astype(np.int64), pa.astype(np.int64), strict=True):
            b = min(b, need_b)
            value = np.where(most >= 0, most + a, -1)
            target = np.minimum(np.arange(need_b + 1) + b, need_b)
            order = np.argsort(value, kind="stable")[::-1]  # largest first
            t, first = np.unique(target[order], return_index=True)
            s = order[first]  # the source of the largest value reaching each target
            better = value[s] > best[t]
            t, s = t[better], s[better]
            best[t], pick[t], source[t] = value[s], b, s
        most = best
        picks.append(pick)
        sources.append(source)
    if most[need_b] < need_a:
        return None
    out = np.zeros((caps.size, 2), dtype=np.int64)
    state = need_b
    for i in range(caps.size - 1, -1, -1):
        b = picks[i][state]
        out[i] = (int((caps[i] - large * b) // small), b)
        state = sources[i][state]
    return out
