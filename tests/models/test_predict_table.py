"""Scoring straight from Arrow columns equals scoring the float64 matrix, nulls included."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from models import data
from models.register import register
from models.score import explained_share, load_model, predict, predict_table, top_rows
from models.tiers import TierThresholds, assign_tiers
from tests.models import synthetic

CODE = {"package": "test", "git_commit": None, "git_dirty": None}


@pytest.fixture(scope="module")
def model(warehouse, trained, tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    created = datetime(2025, 1, 1, tzinfo=UTC)
    fingerprint = data.fingerprint(warehouse, synthetic.TASK)
    return load_model(register(warehouse, trained, root, created, CODE, fingerprint, 1).path)


def _with_nulls(table: pa.Table, every: int) -> pa.Table:
    """Every `every`-th value of each feature column set to null (ints, bools and floats)."""
    mask = pa.array(np.arange(table.num_rows) % every == 0)
    out = table
    for name in table.column_names:
        if name not in data.KEYS:
            column = table.column(name)
            nulled = pc.if_else(mask, pa.scalar(None, column.type), column)
            out = out.set_column(out.column_names.index(name), name, nulled)
    return out


def test_arrow_scores_equal_matrix_scores_with_nulls_of_every_type(warehouse, model):
    table = warehouse.sql(f"select * from ml_features_{synthetic.TASK}").to_arrow_table()
    table = _with_nulls(table, 7)
    kinds = {str(table.schema.field(c).type) for c in model.columns}
    assert {"bool", "double"} <= kinds and any(k.startswith("int") for k in kinds)
    assert table.column(model.columns[0]).null_count > 0
    raw, p = predict_table(model, table, threads=1)
    raw_m, p_m = predict(model, data.to_matrix(table, model.columns), threads=1)
    np.testing.assert_array_equal(raw, raw_m)
    np.testing.assert_array_equal(p, p_m)


def test_other_column_types_are_read_as_float(warehouse, model):
    table = warehouse.sql(f"select * from ml_features_{synthetic.TASK} limit 500").to_arrow_table()
    name = next(c for c in model.columns if pa.types.is_integer(table.schema.field(c).type))
    as_decimal = table.set_column(
        table.column_names.index(name), name, pc.cast(table.column(name), pa.decimal128(25, 2))
    )
    np.testing.assert_array_equal(
        predict_table(model, as_decimal, 1)[0], predict_table(model, table, 1)[0]
    )


def test_top_rows_are_the_highest_probabilities_in_row_order():
    p = np.array([0.1, 0.9, 0.5, 0.9, 0.2])
    assert top_rows(p, 0.4).tolist() == [1, 3]
    assert top_rows(p, 0.0).tolist() == [] and top_rows(np.array([]), 0.5).tolist() == []


def test_top_rows_take_every_row_tied_at_the_cut_as_tiers_do():
    p = np.array([0.1, 0.7, 0.5, 0.9, 0.7, 0.2, 0.3, 0.4, 0.6, 0.05])
    assert top_rows(p, 0.2).tolist() == [1, 3, 4]  # two rows asked, the 0.7 tie brings a third
    tiers = assign_tiers(p, thresholds=TierThresholds(tier1_share=0.1, tier2_share=0.1))
    assert set(np.flatnonzero(tiers <= 2)) <= set(top_rows(p, 0.2))


def test_reasons_cover_every_tier_1_2_patient_however_the_tiers_are_set():
    wide = TierThresholds(tier1_share=0.1, tier2_share=0.25, tier3_share=0.1)
    assert explained_share(wide) == pytest.approx(0.35)
    assert explained_share(TierThresholds()) == pytest.approx(0.15)
    p = np.random.default_rng(3).random(1000)
    chosen = top_rows(p, explained_share(wide))
    assert set(np.flatnonzero(assign_tiers(p, thresholds=wide) <= 2)) == set(chosen)
