"""Tiers from calibrated probabilities (DESIGN section 8): top 5%, next 10%, next 15% or rising."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

INTENSIVE, HIGH, RISING, LOW = 1, 2, 3, 4


@dataclass(frozen=True)
class TierThresholds:
    """Shares of the scored population per tier and the rise that lifts a patient to tier 3."""

    tier1_share: float = 0.05
    tier2_share: float = 0.10
    tier3_share: float = 0.15
    rise_points: float = 0.10

    def __post_init__(self) -> None:
        shares = (self.tier1_share, self.tier2_share, self.tier3_share)
        if min(shares) < 0 or sum(shares) > 1:
            raise ValueError(f"tier shares {shares} must be non-negative and sum to at most 1")
        if not 0 < self.rise_points <= 1:
            raise ValueError(f"rise_points {self.rise_points} must be within (0, 1]")


def top_count(rows: int, share: float) -> int:
    """How many of `rows` make the top `share` (rounded up, after rounding away float noise)."""
    return min(rows, math.ceil(round(share * rows, 9)))


def _cut(sorted_desc: np.ndarray, share: float) -> float:
    """The probability a row needs to be within the top `share` (inf when the share is empty)."""
    k = top_count(len(sorted_desc), share)
    return float(sorted_desc[k - 1]) if k > 0 else math.inf


def assign_tiers(
    probabilities: np.ndarray,
    previous_probabilities: np.ndarray | None = None,
    thresholds: TierThresholds | None = None,
) -> np.ndarray:
    """Tier 1-4 per row. Cuts are probabilities, so tied patients share the higher tier; a rise of
    at least `rise_points` since the previous run (NaN = not scored then) lifts tier 4 to tier 3."""
    t = thresholds or TierThresholds()
    p = np.asarray(probabilities, dtype=np.float64)
    ranked = np.sort(p)[::-1]
    cut1 = _cut(ranked, t.tier1_share)
    cut2 = _cut(ranked, t.tier1_share + t.tier2_share)
    cut3 = _cut(ranked, t.tier1_share + t.tier2_share + t.tier3_share)
    tiers = np.select([p >= cut1, p >= cut2, p >= cut3], [INTENSIVE, HIGH, RISING], LOW)
    if previous_probabilities is not None:
        previous = np.asarray(previous_probabilities, dtype=np.float64)
        if previous.shape != p.shape:
            raise ValueError("previous_probabilities must line up with probabilities")
        rising = (p - previous) >= t.rise_points - 1e-12
        tiers = np.where(rising & (tiers == LOW), RISING, tiers)
    return tiers.astype(np.int8)
