"""A Great Expectations expectation for NPIs: 10 digits and a valid Luhn check digit."""

from __future__ import annotations

import numpy as np
import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

NPI_PREFIX_SUM = 24  # the doubled-digit sum the 80840 prefix adds (CMS NPI check-digit standard)


def npi_ok(values: pd.Series) -> pd.Series:
    """True where a value is 10 digits whose check digit is valid (vectorised over the column)."""
    text = values.astype(str)
    shaped = text.str.fullmatch(r"[0-9]{10}").fillna(False).astype(bool)
    safe = text.where(shaped, "0000000000")
    digits = np.stack([safe.str[i].astype(int).to_numpy() for i in range(10)])
    doubled = digits[0:9:2] * 2
    total = NPI_PREFIX_SUM + (doubled // 10 + doubled % 10).sum(axis=0) + digits[1:9:2].sum(axis=0)
    valid = (total + digits[9]) % 10 == 0
    return pd.Series(shaped.to_numpy() & valid, index=values.index)


class ColumnValuesValidNpi(ColumnMapMetricProvider):
    """Map metric: the value is a valid NPI."""

    condition_metric_name = "column_values.valid_npi"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):
        return npi_ok(column)


class ExpectColumnValuesToBeValidNpi(ColumnMapExpectation):
    """Expect column values to be NPIs: 10 digits with a valid Luhn check digit (prefix 80840)."""

    map_metric = "column_values.valid_npi"
    success_keys = ("mostly",)
