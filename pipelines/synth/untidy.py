"""Apply the messiness knobs to one chunk's tables and count the rows each knob touched.

Late claims are left out when claims are assembled (`ChunkContext.payment`); everything else
happens here, frame by frame (claims come as one frame per claim family). Extra rows (duplicates,
adjustments, reversals) are separate frames appended after the chunk's rows, so large frames are
never copied.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import polars as pl

from pipelines.synth import messiness as mx
from pipelines.synth.timeline import Timeline

Frames = dict[str, list[pl.DataFrame]]


def make_untidy(
    rng: np.random.Generator, tables: Frames, cfg: mx.MessinessConfig, tl: Timeline
) -> tuple[Frames, Counter]:
    """Per table, the frames to write (rows, then appended extra versions and copies)."""
    touched: Counter = Counter()
    out: Frames = {}
    for name, frames in tables.items():  # a dozen tables, a few frames each
        out[name] = []
        extra: list[pl.DataFrame] = []
        for frame in frames:
            frame, more = _one(rng, name, frame, cfg, tl, touched)
            out[name].append(frame)
            extra += more
        out[name] += extra
    return out, touched


def _one(
    rng: np.random.Generator,
    name: str,
    frame: pl.DataFrame,
    cfg: mx.MessinessConfig,
    tl: Timeline,
    touched: Counter,
) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    extra: list[pl.DataFrame] = []
    if name == "medical_claim":
        adjust, reverse = mx.versions(
            rng, frame, cfg.adjusted_claims, cfg.reversed_claims, np.datetime64(tl.end, "D")
        )
        touched["adjusted_claims"] += adjust.height
        touched["reversed_claims"] += reverse.height
        extra += [adjust, reverse]
        frame = _count(
            touched, "impossible_dates", mx.impossible_inpatient(rng, frame, cfg.impossible_dates)
        )
    code_column = {
        "medical_claim": "diagnosis_code_2",
        "pharmacy_claim": "ndc_code",
        "condition": "source_code",
    }.get(name)
    if code_column:
        frame = _count(
            touched,
            "invalid_codes",
            mx.corrupt_codes(
                rng, frame, code_column, cfg.invalid_codes, ndc=name == "pharmacy_claim"
            ),
        )
    if name == "encounter":
        frame, shifted, broken = mx.shift_encounters(
            rng, frame, cfg.ehr_date_shift, cfg.impossible_dates
        )
        touched["ehr_date_shift"] += shifted
        touched["impossible_dates"] += broken
    if name in mx.MISSING_COLUMNS:
        frame = _count(
            touched,
            "missing_values",
            mx.blank_values(rng, frame, mx.MISSING_COLUMNS[name], cfg.missing_values),
        )
    if name in ("medical_claim", "pharmacy_claim"):
        dup = mx.duplicate_rows(rng, frame, cfg.duplicate_lines)
        touched["duplicate_lines"] += dup.height
        extra.insert(0, dup)
    return frame, extra


def _count(touched: Counter, knob: str, result: tuple[pl.DataFrame, int]) -> pl.DataFrame:
    touched[knob] += result[1]
    return result[0]
