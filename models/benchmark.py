"""Scoring throughput of a registered model on an already built feature table (for `bench`)."""

from __future__ import annotations

import math
import time

import numpy as np
import pyarrow as pa

from models import data
from models.score import REASONS_SHARE, LoadedModel, explain_rows, predict


def scoring_throughput(
    model: LoadedModel, table: pa.Table, threads: int = 2, reasons_share: float = REASONS_SHARE
) -> dict:
    """Rows per second of each scoring stage: Arrow to matrix, probability, reasons (top share)."""
    n = table.num_rows
    started = time.perf_counter()
    x = data.to_matrix(table, model.columns)
    matrix_done = time.perf_counter()
    _, probability = predict(model, x, threads)
    predicted = time.perf_counter()
    k = min(n, math.ceil(reasons_share * n))
    explain_rows(model, x[np.argsort(-probability, kind="stable")[:k]], threads)
    explained = time.perf_counter()

    def rate(rows: int, seconds: float) -> float:
        return rows / seconds if seconds > 0 else float("inf")

    return {
        "rows": n,
        "matrix_rows_per_s": rate(n, matrix_done - started),
        "probability_rows_per_s": rate(n, predicted - matrix_done),
        "scoring_rows_per_s": rate(n, predicted - started),
        "reasons_rows": k,
        "reasons_rows_per_s": rate(k, explained - predicted),
        "with_reasons_rows_per_s": rate(n, explained - started),
    }
