"""Diagnosis lists of events as integer matrices over one code vocabulary (cheap to carry)."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from pipelines.synth import codes
from pipelines.synth.population import People
from pipelines.synth.timeline import Timeline


def _all_codes() -> list[str]:
    found: list[str] = []
    for cond_codes, _ in codes.CONDITION_CODES.values():
        found += cond_codes
    for grp in codes.ADMIT_GROUPS:
        found += [d for d in grp["dx"] if d != "CANCER"]
    for options in codes.SOCIAL_Z_CODES.values():
        found += [c for c, _ in options]
    found += list(codes.ED_REASONS) + list(codes.OFFICE_ACUTE) + list(codes.INVALID_DX)
    found += [
        codes.CHEMO["dx"],
        codes.ELECTIVE_PCI["dx"],
        codes.ANEMIA_CODE,
        codes.WELLNESS_CODE,
        codes.HYPONATREMIA_CODE,
        codes.ANTICOAGULANT_CODE,
        codes.INSULIN_CODE,
    ]
    return list(dict.fromkeys(found))


VOCAB: list[str] = _all_codes()
INDEX: dict[str, int] = {c: i for i, c in enumerate(VOCAB)}
VOCAB_NULLABLE = pl.Series("code", [*VOCAB, None], dtype=pl.String)


def lookup(values: np.ndarray) -> np.ndarray:
    """Vocabulary indices of code strings."""
    uniq, inv = np.unique(values, return_inverse=True)
    return np.array([INDEX[u] for u in uniq], dtype=np.int16)[inv]


def condition_codes(people: People) -> np.ndarray:
    """(persons, conditions) vocabulary index of each person's code for each condition."""
    table = np.full((len(codes.CONDITIONS), 4), -1, dtype=np.int16)
    for i, c in enumerate(codes.CONDITIONS):
        cc = codes.CONDITION_CODES[c][0]
        table[i, : len(cc)] = [INDEX[x] for x in cc]
    return table[np.arange(len(codes.CONDITIONS))[None, :], people.cond_code]


def chronic_matrix(
    people: People, cond_idx: np.ndarray, person: np.ndarray, day: np.ndarray
) -> np.ndarray:
    """(events, conditions) codes of conditions active on each event day, -1 where absent."""
    active = people.onset[person] <= day[:, None]
    return np.where(active, cond_idx[person], -1).astype(np.int16)


def social_matrix(
    rng: np.random.Generator,
    people: People,
    tl: Timeline,
    person: np.ndarray,
    day: np.ndarray,
    p_coded: float,
) -> np.ndarray:
    """(events, 5) Z codes of social needs documented at each event, -1 where not coded."""
    out = np.full((len(person), len(codes.SOCIAL_DOMAINS)), -1, dtype=np.int16)
    dates = tl.dates(day)
    for j, dom in enumerate(codes.SOCIAL_DOMAINS):  # five domains
        options = codes.SOCIAL_Z_CODES[dom]
        valid = np.stack(
            [dates >= np.datetime64(since or date(1900, 1, 1)) for _, since in options], 1
        )
        pick = np.argmax(valid * rng.random((len(person), len(options))), axis=1)
        code = np.array([INDEX[c] for c, _ in options], dtype=np.int16)[pick]
        coded = people.social[person, j] & (rng.random(len(person)) < p_coded) & valid.any(1)
        out[coded, j] = code[coded]
    return out


def pack(*parts: np.ndarray, width: int) -> np.ndarray:
    """Concatenate code matrices, drop -1 gaps, keep the first `width` codes of each row.

    Later codes equal to the first one (a principal diagnosis that is also a chronic condition)
    are dropped; the other parts never share codes (one code per condition or domain).
    """
    m = np.concatenate([p if p.ndim == 2 else p[:, None] for p in parts], axis=1).astype(np.int16)
    repeat = m == m[:, :1]
    repeat[:, 0] = False
    valid = (m >= 0) & ~repeat
    pos = np.cumsum(valid, axis=1) - 1
    row, col = np.nonzero(valid & (pos < width))
    out = np.full((m.shape[0], width), -1, dtype=np.int16)
    out[row, pos[row, col]] = m[row, col]
    return out


def to_strings(idx: np.ndarray) -> pl.Series:
    """Code strings (null where -1) for a vector of vocabulary indices."""
    return VOCAB_NULLABLE.gather(np.where(idx < 0, len(VOCAB), idx).astype(np.int64))
