"""Messiness knobs: the ways real extracts go wrong, each a named rate scaled by `messiness`.

Claim versions (the convention every loader must follow): a claim line may arrive again with the
same `claim_id` and `claim_line_number` and a later `paid_date`; the latest version supersedes
the earlier ones. A version with negative `paid_amount` and `allowed_amount` is a reversal that
voids the line; the service is then re-billed under a new claim id (the voided id with suffix
`R`), so no service is lost. Late claims (service near the extract date, paid after the extract
date) are simply absent from the drop.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import polars as pl

from pipelines.synth.codes import INVALID_DX, INVALID_NDC

# Optional (not required by the contract) columns where values go missing.
MISSING_COLUMNS: dict[str, tuple[str, ...]] = {
    "eligibility": ("phone", "email", "address"),
    "patient": ("preferred_language", "phone", "email"),
    "medical_claim": ("admit_source_code", "billing_npi", "charge_amount"),
    "pharmacy_claim": ("prescribing_provider_npi", "refills", "allowed_amount"),
    "encounter": ("facility_name", "attending_provider_id"),
    "lab_result": ("source_units", "normalized_reference_range_low"),
    "condition": ("normalized_code",),
    "observation": ("panel_id",),
}


@dataclass(frozen=True)
class MessinessConfig:
    """Rates at messiness 1.0 (the default); `scaled(0)` turns every knob off."""

    missing_values: float = 0.02  # share of values blanked in MISSING_COLUMNS
    duplicate_lines: float = 0.005  # share of claim lines sent twice, identical
    adjusted_claims: float = 0.01  # share of claims re-sent later with changed amounts
    reversed_claims: float = 0.003  # share of claims voided by a reversal and re-billed
    late_claims: float = 0.35  # share of claims in the last 60 days paid after the extract date
    invalid_codes: float = 0.001  # share of diagnosis codes / NDCs that are malformed
    impossible_dates: float = 0.003  # share of inpatient claims / encounters ending before start
    ehr_date_shift: float = 0.05  # share of EHR inpatient encounters off by a day from claims

    def scaled(self, factor: float) -> MessinessConfig:
        """All rates multiplied by `factor` (capped at 1)."""
        if factor < 0:
            raise ValueError(f"messiness must be >= 0, got {factor}")
        return replace(
            self, **{f.name: min(1.0, getattr(self, f.name) * factor) for f in fields(self)}
        )


def _claim_index(frame: pl.DataFrame) -> np.ndarray:
    """Claim number of each line (lines of a claim are contiguous)."""
    if "_claim" in frame.columns:
        return frame["_claim"].to_numpy()
    return frame["claim_id"].rle_id().to_numpy()


def versions(
    rng: np.random.Generator,
    frame: pl.DataFrame,
    adjusted: float,
    reversed_: float,
    last_day: np.datetime64,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Adjustments (later paid date, new amounts) and reversals with re-billed copies."""
    claim = _claim_index(frame)
    n = claim.max() + 1 if claim.size else 0
    u = rng.random(n)
    later = rng.integers(14, 60, n)[claim].astype("timedelta64[D]")
    factor = rng.uniform(0.85, 1.1, n)[claim]
    new_paid = frame["paid_date"].to_numpy() + later
    fits = new_paid <= last_day
    adj = np.flatnonzero((u < adjusted)[claim] & fits)
    rev = np.flatnonzero(((u >= adjusted) & (u < adjusted + reversed_))[claim] & fits)
    money = ["paid_amount", "allowed_amount"]
    adjust = frame[adj].with_columns(
        pl.Series("paid_date", new_paid[adj]),
        *[(pl.col(c) * pl.Series(factor[adj])).round(2).alias(c) for c in money],
    )
    voided = frame[rev].with_columns(pl.Series("paid_date", new_paid[rev]))
    reversal = voided.with_columns(*[(-pl.col(c)).alias(c) for c in money])
    rebill = voided.with_columns((pl.col("claim_id") + "R").alias("claim_id"))
    return adjust, pl.concat([reversal, rebill], how="vertical_relaxed")


def duplicate_rows(rng: np.random.Generator, frame: pl.DataFrame, rate: float) -> pl.DataFrame:
    """Exact copies of a share of rows (to append)."""
    return frame[np.flatnonzero(rng.random(frame.height) < rate)]


def _scatter(series: pl.Series, rows: np.ndarray, values: pl.Series | None) -> pl.Series:
    """`series` with `rows` replaced by `values` (null when None)."""
    if not rows.size:
        return series
    if values is None:
        values = pl.Series([None] * rows.size, dtype=series.dtype)
    return series.clone().scatter(rows, values)


def blank_values(
    rng: np.random.Generator, frame: pl.DataFrame, columns: tuple[str, ...], rate: float
) -> tuple[pl.DataFrame, int]:
    """Set a share of values of optional columns to null."""
    touched = 0
    new = []
    for c in columns:  # a few optional columns per table
        if c not in frame.columns:
            continue
        rows = np.flatnonzero(rng.random(frame.height) < rate)
        touched += int(frame[c].gather(rows).is_not_null().sum())
        new.append(_scatter(frame[c], rows, None))
    return (frame.with_columns(new) if new else frame), touched


def corrupt_codes(
    rng: np.random.Generator, frame: pl.DataFrame, column: str, rate: float, ndc: bool = False
) -> tuple[pl.DataFrame, int]:
    """Replace a share of non-null codes with malformed ones."""
    bad = INVALID_NDC if ndc else INVALID_DX
    rows = np.flatnonzero(rng.random(frame.height) < rate)
    rows = rows[frame[column].gather(rows).is_not_null().to_numpy()]
    values = pl.Series([bad[i] for i in rng.integers(0, len(bad), rows.size)], dtype=pl.String)
    return frame.with_columns(_scatter(frame[column], rows, values)), int(rows.size)


def impossible_inpatient(
    rng: np.random.Generator, frame: pl.DataFrame, rate: float
) -> tuple[pl.DataFrame, int]:
    """Make discharge_date precede admission_date on a share of acute inpatient claims."""
    if "admission_date" not in frame.columns or frame.height == 0:
        return frame, 0
    claim = _claim_index(frame)
    n = claim.max() + 1 if claim.size else 0
    inpatient = (frame["bill_type_code"] == "111").fill_null(False).to_numpy()
    hit = (rng.random(n) < rate)[claim] & inpatient
    back = pl.Series(rng.integers(1, 4, frame.height))
    out = frame.with_columns(
        pl.when(pl.Series(hit))
        .then(pl.col("admission_date") - pl.duration(days=back))
        .otherwise(pl.col("discharge_date"))
        .alias("discharge_date")
    )
    return out, int(hit.sum())


def shift_encounters(
    rng: np.random.Generator, frame: pl.DataFrame, shift: float, impossible: float
) -> tuple[pl.DataFrame, int, int]:
    """Move inpatient encounter dates by a day (vs claims) and make a few end before they start."""
    inp = (frame["encounter_type"] == "acute inpatient").to_numpy()
    u = rng.random(frame.height)
    move_start = inp & (u < shift / 2)
    move_end = inp & (u >= shift / 2) & (u < shift)
    broken = inp & (rng.random(frame.height) < impossible)
    one = np.timedelta64(1, "D")
    start = frame["encounter_start_date"].to_numpy()
    end = frame["encounter_end_date"].to_numpy()
    start = np.where(move_start, start + one, start)
    end = np.where(move_end, end + one, end)
    end = np.where(broken, start - 2 * one, np.maximum(end, start))
    out = frame.with_columns(
        pl.Series("encounter_start_date", start), pl.Series("encounter_end_date", end)
    )
    return out, int((move_start | move_end).sum()), int(broken.sum())
