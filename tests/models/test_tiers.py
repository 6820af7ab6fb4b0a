"""Tiers (DESIGN section 8): top 5% / next 10% / next 15% or a rise of 10 points / rest."""

from __future__ import annotations

import numpy as np
import pytest

from models.tiers import TierThresholds, assign_tiers


def test_default_shares_on_distinct_probabilities():
    p = np.random.default_rng(0).permutation(np.linspace(0.01, 0.9, 1000))
    tiers = assign_tiers(p)
    assert [int((tiers == t).sum()) for t in (1, 2, 3, 4)] == [50, 100, 150, 700]
    assert p[tiers == 1].min() > p[tiers == 2].max() > p[tiers == 3].max() > p[tiers == 4].max()


def test_tied_probabilities_share_the_higher_tier():
    p = np.array([0.9] * 3 + [0.1] * 17)  # top 5% of 20 is 1 row, three tie at the top
    assert (assign_tiers(p)[:3] == 1).all()


def test_a_rise_of_ten_points_lifts_tier_4_to_tier_3_only():
    p = np.linspace(0.01, 0.5, 100)
    previous = p.copy()
    previous[0] = p[0] - 0.10  # rose exactly 10 points: lifted
    previous[1] = p[1] - 0.099  # rose 9.9 points: not lifted
    previous[99] = p[99] - 0.2  # already tier 1: stays tier 1
    previous[2] = np.nan  # not scored last run: no rise
    tiers = assign_tiers(p, previous)
    assert tiers[0] == 3 and tiers[1] == 4 and tiers[2] == 4 and tiers[99] == 1


def test_custom_thresholds_and_validation():
    p = np.linspace(0, 1, 10)
    tiers = assign_tiers(p, thresholds=TierThresholds(0.1, 0.1, 0.1, 0.5))
    assert [int((tiers == t).sum()) for t in (1, 2, 3, 4)] == [1, 1, 1, 7]
    with pytest.raises(ValueError):
        TierThresholds(0.5, 0.4, 0.2)
    with pytest.raises(ValueError, match="line up"):
        assign_tiers(p, np.zeros(3))
