"""Shared machinery for medical claims: header/line assembly, amounts, coverage, claim ids."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.synth import diagnoses
from pipelines.synth.strings import const, from_array, where
from pipelines.synth.timeline import Timeline

BASE_PAY_LAG = 10  # days from service end to payment, plus a gamma(2, 8) tail
LATE_WINDOW_DAYS = 60
PAYER_FACTOR = np.array([1.0, 1.0, 0.75, 1.6])  # allowed amounts by payer: medicare, dual, ...
PAID_SHARE = np.array([0.95, 0.98, 1.0, 0.85])


@dataclass
class ChunkContext:
    """Per-chunk things every table builder needs (person-level strings as polars Series)."""

    tl: Timeline
    chunk: int
    first: int  # global index of the chunk's first person
    person_id: pl.Series
    member_id: pl.Series
    patient_id: pl.Series
    payer: np.ndarray
    payer_name: pl.Series
    plan_name: pl.Series
    spans: dict[str, np.ndarray]
    pay_rng: np.random.Generator
    late_rate: float = 0.0  # messiness knob `late_claims`
    late_lines: int = 0  # claim lines left out because they are paid after the extract date

    def payment(self, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per claim: whether it is in the drop, and its paid day (never after the extract date).

        A claim is paid BASE_PAY_LAG + gamma(2, 8) days after its service ends; of the claims
        whose service ended in the last LATE_WINDOW_DAYS days, a share `late_rate` (more for the
        most recent) is paid after the extract date and so is not in the drop. A stay still in
        progress at the extract date has not been billed yet.
        """
        n_days = self.tl.n_days
        lag = BASE_PAY_LAG + self.pay_rng.gamma(2.0, 8.0, end.size).astype(np.int64)
        recent = np.clip(1 - (n_days - 1 - end) / LATE_WINDOW_DAYS, 0, 1)
        late = self.pay_rng.random(end.size) < self.late_rate * 2 * recent
        return ~late & (end <= n_days - 1), np.minimum(end + lag, n_days - 1)

    def covered(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Whether persons were enrolled on the given day offsets."""
        sp = self.spans
        epoch = np.datetime64("1900-01-01")
        key = sp["person"].astype(np.int64) * 10**6 + (sp["start"] - epoch).astype(np.int64)
        dates = self.tl.dates(day)
        probe = person.astype(np.int64) * 10**6 + (dates - epoch).astype(np.int64)
        pos = np.searchsorted(key, probe, side="right") - 1
        ok = pos >= 0
        pos = np.maximum(pos, 0)
        return ok & (sp["person"][pos] == person) & (sp["end"][pos] >= dates)


def serial_ids(prefix: str, chunk: int, n: int) -> pl.Series:
    """`n` ids unique within a run: prefix + 13 digits (1, chunk number, row number)."""
    serial = 10**12 + chunk * 10**9 + np.arange(n, dtype=np.int64)
    return (
        pl.DataFrame({"s": serial})
        .select(pl.concat_str([pl.lit(prefix), pl.col("s").cast(pl.String)]))
        .to_series()
    )


def claim_ids(ctx: ChunkContext, prefix: str, n: int) -> pl.Series:
    """Unique claim ids for `n` claims of one family in this chunk."""
    return serial_ids(prefix, ctx.chunk, n)


def dx_columns(dx: np.ndarray, prefix: str = "diagnosis_code_") -> dict[str, pl.Series]:
    """Columns diagnosis_code_1..k from a (rows, k) vocabulary-index matrix."""
    return {f"{prefix}{j + 1}": diagnoses.to_strings(dx[:, j]) for j in range(dx.shape[1])}


def _take(value: object, rows: np.ndarray) -> object:
    if isinstance(value, pl.Series):
        return value.gather(rows)
    return np.asarray(value)[rows]


def assemble(
    ctx: ChunkContext, header: dict, line_claim: np.ndarray, lines: dict, prefix: str
) -> pl.DataFrame:
    """Medical-claim rows: header fields repeated on every line, as the Tuva input layer has it.

    Header values are per claim, line values per line (numpy arrays or polars String series).
    `lines["allowed"]` is a Medicare-level allowed amount, scaled here by payer.
    """
    tl = ctx.tl
    in_drop, paid = ctx.payment(header["end"])
    kept = in_drop[line_claim]
    ctx.late_lines += int((~kept & (header["end"][line_claim] <= tl.n_days - 1)).sum())
    line_claim = line_claim[kept]
    lines = {
        k: (v.filter(pl.Series(kept)) if isinstance(v, pl.Series) else np.asarray(v)[kept])
        for k, v in lines.items()
    }
    person = header["person"][line_claim]
    n = line_claim.size
    cols: dict[str, object] = {
        "claim_id": claim_ids(ctx, prefix, len(header["person"])).gather(line_claim),
        "claim_line_number": _line_numbers(line_claim),
        "person_id": ctx.person_id.gather(person),
        "member_id": ctx.member_id.gather(person),
        "payer": ctx.payer_name.gather(person),
        "plan": ctx.plan_name.gather(person),
        "claim_start_date": tl.dates(header["start"][line_claim]),
        "claim_end_date": tl.dates(header["end"][line_claim]),
        "paid_date": tl.dates(paid[line_claim]),
        "diagnosis_code_type": const("icd-10-cm", n),
    }
    for key, value in header.items():
        if key not in ("person", "start", "end", "dx", "pcs", "pcs_day"):
            cols[key] = _take(value, line_claim)
    cols.update({k: v for k, v in lines.items() if k != "allowed"})
    cols.update(dx_columns(header["dx"][line_claim]))
    if "pcs" in header:
        _add_procedures(cols, header, line_claim, tl)
    payer = ctx.payer[person]
    allowed = lines["allowed"] * PAYER_FACTOR[payer]
    cols["allowed_amount"] = np.round(allowed, 2)
    cols["paid_amount"] = np.round(allowed * PAID_SHARE[payer], 2)
    cols["charge_amount"] = np.round(allowed * 2.8, 2)
    cols["_end_day"] = header["end"][line_claim]
    cols["_person"] = person
    cols["_claim"] = line_claim
    return pl.DataFrame(cols)


def _line_numbers(line_claim: np.ndarray) -> np.ndarray:
    starts = np.r_[0, np.flatnonzero(np.diff(line_claim)) + 1]
    counts = np.diff(np.r_[starts, line_claim.size])
    return (np.arange(line_claim.size) - np.repeat(starts, counts) + 1).astype(np.int32)


def _add_procedures(cols: dict, header: dict, line_claim: np.ndarray, tl: Timeline) -> None:
    """procedure_code_type/_k/date_k from a (claims, k) matrix of PCS codes ("" for none)."""
    pcs = header["pcs"][line_claim]
    cols["procedure_code_type"] = where((pcs != "").any(axis=1), "icd-10-pcs", None)
    day = pl.Series(tl.dates(header["pcs_day"][line_claim]))
    for j in range(pcs.shape[1]):
        has = pcs[:, j] != ""
        cols[f"procedure_code_{j + 1}"] = from_array(pcs[:, j]).replace("", None)
        cols[f"procedure_date_{j + 1}"] = pl.select(
            pl.when(pl.lit(pl.Series(has))).then(pl.lit(day))
        ).to_series()
