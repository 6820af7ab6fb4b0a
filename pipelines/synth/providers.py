"""Provider pools (valid NPIs), the same for every chunk of a run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.synth.ids import make_npis
from pipelines.synth.names import HOSPITALS

POOL_SIZES = {
    "hospitalist": 80,
    "surgeon": 25,
    "ed_physician": 50,
    "pcp": 300,
    "specialist": 120,
    "clinic": 30,
    "pharmacy": 40,
    "snf": 12,
    "home_health": 8,
}


@dataclass(frozen=True)
class Providers:
    """NPIs by role; hospitals are organisations (first digit 1), individuals too."""

    hospital: pl.Series
    pools: dict[str, pl.Series]

    def pick(self, role: str, key: np.ndarray | int) -> pl.Series:
        """A provider of `role` chosen deterministically from integer keys."""
        pool = self.pools[role]
        key = np.atleast_1d(np.asarray(key, dtype=np.int64))
        return pool.gather((key * 2654435761) % len(pool))

    def hospital_npi(self, idx: np.ndarray) -> pl.Series:
        """NPIs of hospitals by index."""
        return self.hospital.gather(np.asarray(idx, dtype=np.int64))


def make_providers(seed: int) -> Providers:
    """All provider NPIs for a seed."""
    rng = np.random.default_rng([seed, 11])
    total = len(HOSPITALS) + sum(POOL_SIZES.values())
    npis = make_npis(rng, total)
    hospital, rest = npis[: len(HOSPITALS)], npis[len(HOSPITALS) :]
    pools, start = {}, 0
    for role, size in POOL_SIZES.items():
        pools[role] = pl.Series(rest[start : start + size].tolist(), dtype=pl.String)
        start += size
    return Providers(hospital=pl.Series(hospital.tolist(), dtype=pl.String), pools=pools)
