"""Scoring throughput of a registered model on an already built feature table (for `bench`)."""

from __future__ import annotations

import time

import pyarrow as pa

from models import data
from models.score import REASONS_SHARE, LoadedModel, explain_rows, predict_table, top_rows


def scoring_throughput(
    model: LoadedModel, table: pa.Table, threads: int = 2, reasons_share: float = REASONS_SHARE
) -> dict:
    """Rows per second of each scoring stage, as `models.score.score_table` runs them.

    Probability: LightGBM reads the Arrow columns directly. Reasons (top share only): the float64
    matrix of those rows, then TreeSHAP contributions turned into sentences.
    """
    n = table.num_rows
    started = time.perf_counter()
    _, probability = predict_table(model, table, threads)
    predicted = time.perf_counter()
    chosen = top_rows(probability, reasons_share)
    x = data.to_matrix(table.take(pa.array(chosen)), model.columns)
    matrix_done = time.perf_counter()
    explain_rows(model, x, threads)
    explained = time.perf_counter()

    def rate(rows: int, seconds: float) -> float:
        return rows / seconds if seconds > 0 else float("inf")

    k = len(chosen)
    return {
        "rows": n,
        "probability_rows_per_s": rate(n, predicted - started),
        "scoring_rows_per_s": rate(n, predicted - started),
        "reasons_rows": k,
        "matrix_rows_per_s": rate(k, matrix_done - predicted),
        "reasons_rows_per_s": rate(k, explained - predicted),
        "with_reasons_rows_per_s": rate(n, explained - started),
    }
