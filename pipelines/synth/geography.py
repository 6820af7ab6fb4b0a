"""The service area: 5-digit zip codes in 3-digit prefixes and counties, with deprivation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.synth import names


@dataclass(frozen=True)
class Geography:
    """Zip codes with their county, city, phone area code and area deprivation percentile."""

    zips: np.ndarray  # 5-digit strings
    prefix: np.ndarray  # 3-digit strings
    county: np.ndarray  # county index into names.COUNTIES
    adi: np.ndarray  # national percentile 1-100
    weights: np.ndarray  # share of the population living in each zip

    def table(self) -> pl.DataFrame:
        """The area deprivation file: zip_code, national percentile, state decile (as text)."""
        rank = np.argsort(np.argsort(self.adi, kind="stable"), kind="stable")
        decile = 1 + rank * 10 // len(self.adi)
        return pl.DataFrame(
            {
                "zip_code": self.zips,
                "adi_national_percentile": self.adi.astype(str),
                "adi_state_decile": decile.astype(str),
            }
        )

    def prefixes(self) -> list[str]:
        """All 3-digit prefixes of the area, sorted."""
        return sorted(set(self.prefix.tolist()))


def make_geography(seed: int) -> Geography:
    """Zip codes of the built-in service area, deterministic for a seed."""
    rng = np.random.default_rng([seed, 7])
    zips, prefix, county, adi = [], [], [], []
    for ci, (_, _, _, prefixes, mean_adi) in enumerate(names.COUNTIES):  # ten counties
        for pre in prefixes:
            tails = np.sort(rng.choice(100, size=names.ZIPS_PER_PREFIX, replace=False))
            zips += [f"{pre}{t:02d}" for t in tails]
            prefix += [pre] * len(tails)
            county += [ci] * len(tails)
            adi.append(np.clip(rng.normal(mean_adi, 18, len(tails)), 1, 100).round())
    weights = rng.gamma(2.0, 1.0, len(zips))
    return Geography(
        zips=np.array(zips),
        prefix=np.array(prefix),
        county=np.array(county),
        adi=np.concatenate(adi).astype(np.int64),
        weights=weights / weights.sum(),
    )
