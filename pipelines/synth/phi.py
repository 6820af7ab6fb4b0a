"""Synthetic identities: names, address, phone, email, SSN and ids, combined vectorially.

SSNs use the never-issued area numbers 900-999 and phone numbers the fictional 555-01XX range,
so no real person's SSN or phone number is produced; e-mail addresses use reserved example domains.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.synth import names
from pipelines.synth.geography import Geography
from pipelines.synth.population import PAYER_TYPES, People, language_names
from pipelines.synth.strings import cat


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> pl.Series:
    return pl.Series(options, dtype=pl.String).gather(rng.integers(0, len(options), n))


def person_ids(first: int, n: int) -> pl.Series:
    """person_id strings P00000001... for global indices first..first+n-1."""
    nums = pl.Series(np.arange(first + 1, first + n + 1, dtype=np.int64))
    return pl.select(
        pl.concat_str([pl.lit("P"), pl.lit(nums).cast(pl.String).str.zfill(8)])
    ).to_series()


def _scrambled(prefix: str, first: int, n: int, mult: int, add: int, width: int) -> pl.Series:
    """Distinct, non-sequential ids from a bijection of the global person index."""
    idx = np.arange(first, first + n, dtype=np.int64)
    nums = pl.Series((idx * mult + add) % 10**width)
    return pl.select(
        pl.concat_str([pl.lit(prefix), pl.lit(nums).cast(pl.String).str.zfill(width)])
    ).to_series()


def member_ids(first: int, n: int) -> pl.Series:
    """Health-plan member ids, distinct from person ids."""
    return _scrambled("M", first, n, 7_368_787, 104_729_113, 9)


def patient_ids(first: int, n: int) -> pl.Series:
    """EHR medical record numbers."""
    return _scrambled("MRN", first, n, 3_571_429, 2_718_281, 8)


def _names(rng: np.random.Generator, people: People) -> pl.DataFrame:
    n = people.n
    nf, nm = len(names.FEMALE_FIRST), len(names.MALE_FIRST)
    first = np.where(people.sex == 0, rng.integers(0, nf, n), nf + rng.integers(0, nm, n))
    middle = np.where(rng.random(n) < 0.85, rng.integers(0, len(names.MIDDLE), n), -1)
    junior = (people.sex == 1) & (rng.random(n) < 0.04)
    suffix = np.where(junior, rng.integers(0, len(names.SUFFIXES), n), -1)
    return pl.DataFrame(
        [
            cat(names.FEMALE_FIRST + names.MALE_FIRST, first).alias("first_name"),
            cat(names.MIDDLE, middle).alias("middle_name"),
            _pick(rng, names.LAST, n).alias("last_name"),
            cat(names.SUFFIXES, suffix).alias("name_suffix"),
        ]
    )


def _digits(column: str, width: int) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.zfill(width)


def _contacts(rng: np.random.Generator, who: pl.DataFrame, area_code: np.ndarray) -> pl.DataFrame:
    """SSN, street address, phone and e-mail from random parts."""
    n = who.height
    parts = who.with_columns(
        pl.Series("num", rng.integers(10, 9999, n)),
        _pick(rng, names.STREETS, n).alias("street"),
        _pick(rng, names.STREET_TYPES, n).alias("type"),
        pl.Series("area", area_code),
        pl.Series("line", rng.integers(100, 200, n)),
        pl.Series("tag", rng.integers(1, 999, n)),
        _pick(rng, names.EMAIL_DOMAINS, n).alias("dom"),
        pl.Series("ssn_a", rng.integers(900, 1000, n)),
        pl.Series("ssn_g", rng.integers(1, 100, n)),
        pl.Series("ssn_s", rng.integers(1, 10000, n)),
    )
    first, last = pl.col("first_name").str.to_lowercase(), pl.col("last_name").str.to_lowercase()
    return parts.select(
        pl.concat_str(
            [_digits("ssn_a", 3), _digits("ssn_g", 2), _digits("ssn_s", 4)], separator="-"
        ).alias("social_security_number"),
        pl.concat_str([_digits("num", 1), "street", "type"], separator=" ").alias("address"),
        pl.concat_str([pl.lit("("), "area", pl.lit(") 555-0"), _digits("line", 3)]).alias("phone"),
        pl.concat_str([first, pl.lit("."), last, _digits("tag", 1), pl.lit("@"), "dom"]).alias(
            "email"
        ),
    )


def identity_frame(rng: np.random.Generator, people: People, geo: Geography) -> pl.DataFrame:
    """One row per person: demographics and PHI columns shared by eligibility and patient."""
    county = geo.county[people.zip_idx]
    counties = names.COUNTIES
    who = _names(rng, people)
    contacts = _contacts(rng, who, np.array([c[2] for c in counties])[county])
    return pl.concat([who, contacts], how="horizontal").with_columns(
        pl.Series("city", np.array([c[1] for c in counties])[county]),
        pl.Series("county", np.array([c[0] for c in counties])[county]),
        pl.lit(names.STATE).alias("state"),
        pl.Series("zip_code", geo.zips[people.zip_idx]),
        pl.Series("sex", np.array(["female", "male", "unknown"])[people.sex]),
        pl.Series("race", np.array(names.RACES)[people.race]),
        pl.Series("ethnicity", np.array(names.ETHNICITIES)[people.ethnicity]),
        pl.Series("birth_date", people.birth),
        pl.Series("payer_type", np.array(PAYER_TYPES)[people.payer]),
        pl.Series("preferred_language", language_names(people.language)),
    )
