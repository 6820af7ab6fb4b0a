"""Places of each point size per case manager: integer-hull cuts and rounding of LP places.

A case manager with capacity C takes a patients of the small size and b of the large one with
small * a + large * b <= C. The facets of that set's integer hull are valid cuts for the LP
relaxation, and `round_places` turns the LP's fractional places into an integral pattern.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def maximal_points(capacity: float, small: float, large: float) -> tuple[np.ndarray, np.ndarray]:
    """(small, large) places of each pattern of this capacity that no other pattern dominates:
    for each count of large places (at most capacity / large), the most small ones."""
    b = np.arange(int(capacity // large) + 1, dtype=np.float64)
    return (capacity - large * b) // small, b


def upper_hull(capacity: float, small: float, large: float) -> list[tuple[float, float, float]]:
    """Facets (coefficient of small places, of large places, right side) of the integer hull of
    {small * a + large * b <= capacity, a, b >= 0 integers}, between its maximal points."""
    chain: list[tuple[float, float]] = []
    for a, b in zip(*maximal_points(capacity, small, large), strict=True):
        point = (float(b), float(a))
        while len(chain) >= 2:
            (b1, a1), (b2, a2) = chain[-2], chain[-1]
            if (a2 - a1) * (point[0] - b1) <= (point[1] - a1) * (b2 - b1):
                chain.pop()
            else:
                break
        chain.append(point)
    return [
        (b2 - b1, a1 - a2, (b2 - b1) * a1 + (a1 - a2) * b1)
        for (b1, a1), (b2, a2) in zip(chain, chain[1:], strict=False)
    ]


def hull_block(capacity: np.ndarray, sizes: np.ndarray, n: int, z0: int):
    """Hull facets of every case manager as rows over the z columns (two point sizes only)."""
    if sizes.size != 2:
        return sp.csr_array((0, n)), np.zeros(0)
    facets = [(m, f) for m, cap in enumerate(capacity) for f in upper_hull(cap, *sizes)]
    if not facets:
        return sp.csr_array((0, n)), np.zeros(0)
    m = np.array([m for m, _ in facets])
    coef = np.array([f for _, f in facets])
    rows = np.repeat(np.arange(m.size), 2)
    cols = z0 + np.column_stack([m * 2, m * 2 + 1]).ravel()
    return sp.csr_array((coef[:, :2].ravel(), (rows, cols)), (m.size, n)), coef[:, 2]


def round_places(z: np.ndarray, capacity: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Integral places per (case manager, size) that lose the fewest of the LP's places.

    Places are upper bounds, so where the LP leaves room a pattern covering its places (rounded
    up) keeps their value; where the LP fills the capacity, the pattern nearest the LP's that
    wastes the fewest points is taken. The
    count of the largest size is tried around its LP value; the middle sizes take their LP share
    rounded up, the smallest fills what is left.
    """
    z = z.reshape(capacity.size, sizes.size)
    big = sizes[-1]
    tries = np.ceil(z[:, -1] - 1e-9)[:, None] + np.arange(-3, 3)[None, :]
    tries = np.clip(tries, 0, np.floor(capacity / big)[:, None])
    left = capacity[:, None] - big * tries
    counts = np.zeros((*tries.shape, sizes.size))
    counts[..., -1] = tries
    for q in range(sizes.size - 2, 0, -1):  # the middle sizes, when there are more than two
        want = np.ceil(z[:, q] - 1e-9)[:, None]
        counts[..., q] = np.minimum(want, np.floor(left / sizes[q]))
        left = left - sizes[q] * counts[..., q]
    if sizes.size > 1:
        counts[..., 0] = np.floor(left / sizes[0])
        left = left - sizes[0] * counts[..., 0]
    short = (np.maximum(z[:, None, :] - counts, 0.0) * sizes).sum(axis=2)
    scale = capacity.max(initial=0.0) + 1.0
    near = np.abs(tries - z[:, -1][:, None]) / (2 * scale)
    # a full case manager must waste no point; one with room must keep the LP's places
    full = (capacity - z @ sizes < sizes[0])[:, None]
    score = np.where(full, (left * scale + short) * scale, (short * scale + left) * scale) + near
    best = np.argmin(score, axis=1)
    return counts[np.arange(capacity.size), best].ravel()
