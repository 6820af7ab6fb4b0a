"""The care-management roster, sized for the population (about one case manager per 250 people)."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.synth import names
from pipelines.synth.geography import Geography

PEOPLE_PER_CASE_MANAGER = 250
MIN_CASE_MANAGERS = 5
ROLE_SHARES = (("RN", 0.5), ("SW", 0.25), ("CHW", 0.25))
CAPACITY = {"RN": (60, 120), "SW": (60, 120), "CHW": (180, 300)}  # acuity points


def case_managers(seed: int, persons: int, geo: Geography) -> pl.DataFrame:
    """cm_id, name, role, capacity_points, languages, regions (zip prefixes), active."""
    rng = np.random.default_rng([seed, 13])
    n = max(MIN_CASE_MANAGERS, round(persons / PEOPLE_PER_CASE_MANAGER))
    counts = [max(1, round(n * share)) for _, share in ROLE_SHARES]
    counts[0] = n - sum(counts[1:])
    role = np.repeat([r for r, _ in ROLE_SHARES], counts)
    lo = np.array([CAPACITY[r][0] for r in role])
    hi = np.array([CAPACITY[r][1] for r in role])
    capacity = (lo + rng.random(n) * (hi - lo)) // 10 * 10
    spanish = rng.random(n) < 0.2
    other = np.where(
        rng.random(n) < 0.06, "|" + rng.choice(["Vietnamese", "Chinese", "Arabic"], n), ""
    )
    languages = np.char.add(np.where(spanish, "English|Spanish", "English"), other)
    prefixes = np.array(geo.prefixes())
    regions = _regions(rng, n, prefixes)
    first = rng.choice(names.FEMALE_FIRST + names.MALE_FIRST, n)
    last = rng.choice(names.LAST, n)
    return pl.DataFrame(
        {
            "cm_id": [f"CM{i + 1:04d}" for i in range(n)],
            "name": np.char.add(np.char.add(first, " "), last),
            "role": role,
            "capacity_points": capacity.astype(np.int32),
            "languages": languages,
            "regions": regions,
            "active": rng.random(n) >= 0.05,
        }
    )


def _regions(rng: np.random.Generator, n: int, prefixes: np.ndarray) -> list[str]:
    """Each case manager covers 2-6 prefixes; together they cover every prefix."""
    size = rng.integers(2, 7, n)
    cover = [
        np.sort(rng.choice(prefixes, size=min(s, prefixes.size), replace=False)) for s in size
    ]  # one small sample per case manager (a few hundred at most)
    for j, pre in enumerate(prefixes):  # make sure every prefix has somebody
        i = j % n
        if pre not in cover[i]:
            cover[i] = np.sort(np.append(cover[i], pre))
    return ["|".join(c) for c in cover]
