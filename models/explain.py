"""Per-patient reasons: LightGBM TreeSHAP contributions, grouped by registry feature, turned into
the top plain-language reasons filled with the patient's own values.

A case manager acts on concrete items (a condition, ED visits, a low sodium, missed refills), not
on composite scores. So the comorbidity scores (Charlson, Elixhauser readmission index, CMS-HCC,
chronic condition count) are shown together with the condition flags they summarise, as one
reason naming the patient's conditions, and the social-needs count with the needs themselves;
a group's contribution is the sum of its members' (so contributions still add up to the raw
score). Rule scores (LACE, HOSPITAL), and a group with no concrete item to name, rank below every
concrete reason. Only a positive contribution is ever a reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import lightgbm as lgb
import numpy as np
import polars as pl
import pyarrow as pa

from models.contrib import contributions as pattern_contributions

TOP_REASONS = 3
CONDITIONS = "conditions"
SOCIAL = "social needs"
CONDITION_SCORES = ("elix_readmission_index", "charlson_index", "hcc_risk_score")
CONDITION_COUNT = "chronic_condition_count"
SOCIAL_SCORES = ("social_needs_count",)
SOCIAL_PREFIXES = ("sdoh_dx_", "screen_", "lives_alone")
# a social need coded as a diagnosis and reported on a screening is named once, by its domain
SOCIAL_LABELS = {
    "housing": "housing",
    "food": "food insecurity",
    "transport": "transportation",
    "financial": "financial strain",
    "isolation": "social isolation",
    "lives_alone": "lives alone",
}
RULE_SCORES = ("lace_score", "hospital_score")
SUMMARY_RANK = 1e6  # how far below the concrete reasons a summary score ranks
NAMED_ITEMS = 3


class ReasonSource(Protocol):
    """What explanations need from a registry feature (`features.registry.Feature` fits)."""

    name: str
    dtype: str
    direction: str
    reason_limit: float | None

    def reason_text(self, value: object) -> str | None: ...


def contributions(booster: lgb.Booster, x: np.ndarray, threads: int = 2) -> np.ndarray:
    """Per-row contributions to the raw score (log-odds); the last column is the bias term."""
    return pattern_contributions(booster, x, threads)  # LightGBM TreeSHAP, once per pattern


def group_contributions(
    contrib: np.ndarray, columns: Sequence[str], feature_of: Mapping[str, str] | None = None
) -> tuple[list[str], np.ndarray]:
    """Sum the contributions of columns that belong to the same registry feature (bias dropped).

    `feature_of` maps a model column to its registry feature (one-hot or derived columns); a
    column it does not name is its own feature.
    """
    feature_of = feature_of or {}
    owners = [feature_of.get(c, c) for c in columns]
    names = list(dict.fromkeys(owners))
    index = {name: i for i, name in enumerate(names)}
    member = np.zeros((len(columns), len(names)))
    member[np.arange(len(columns)), [index[o] for o in owners]] = 1.0
    return names, contrib[:, : len(columns)] @ member


def _reasonable(values: np.ndarray, sources: Sequence[ReasonSource]) -> np.ndarray:
    """Where a value can be stated as a reason: known, true for a flag, and within the source's
    `reason_limit` on its risky side."""
    is_flag = np.array([s.dtype == "bool" for s in sources])
    ok = np.isfinite(values) & ~(is_flag[None, :] & (values == 0))
    for j, source in enumerate(sources):
        limit = source.reason_limit
        if limit is not None:  # NaN compares false: unknown stays unstatable
            inside = values[:, j] <= limit if source.direction == "lower" else values[:, j] >= limit
            ok[:, j] &= inside
    return ok


def top_features(
    grouped: np.ndarray,
    values: np.ndarray,
    sources: Sequence[ReasonSource],
    k: int = TOP_REASONS,
    statable: np.ndarray | None = None,
    concrete: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Column positions of each row's `k` largest positive, statable contributions and a mask of
    which of those slots hold one (a row may have fewer than `k`).

    `statable` overrides which cells can be stated; where `concrete` is false a cell ranks below
    every concrete one (summary scores).
    """
    ok = _reasonable(values, sources) if statable is None else statable
    score = grouped if concrete is None else grouped - SUMMARY_RANK * ~concrete
    candidate = np.where((grouped > 0) & ok, score, -np.inf)
    k = min(k, candidate.shape[1])
    part = np.argpartition(-candidate, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(candidate, part, axis=1), axis=1, kind="stable")
    top = np.take_along_axis(part, order, axis=1)
    return top, np.isfinite(np.take_along_axis(candidate, top, axis=1))


def _as_python(value: float, dtype: str) -> object:
    if dtype == "int":
        return int(value)
    if dtype == "bool":
        return bool(value)
    return float(value)


def reason_texts(
    top: np.ndarray,
    valid: np.ndarray,
    values: np.ndarray,
    sources: Sequence[ReasonSource],
    skip: set[int] | frozenset[int] = frozenset(),
) -> np.ndarray:
    """An (rows, k) object array of reason sentences (None where a slot is empty).

    Each feature's template is filled once per distinct value among the rows that cite it.
    """
    out = np.full(top.shape, None, dtype=object)
    for j, source in enumerate(sources):
        hit = (top == j) & valid
        if j in skip or not hit.any():
            continue
        rows, slots = np.nonzero(hit)
        distinct, inverse = np.unique(values[rows, j], return_inverse=True)
        texts = np.array(
            [source.reason_text(_as_python(v, source.dtype)) for v in distinct], dtype=object
        )
        out[rows, slots] = texts[inverse]
    return out


def reasons_column(texts: np.ndarray) -> pa.ListArray:
    """The (rows, k) reason array as an Arrow list<string> column, empty slots dropped."""
    present = np.not_equal(texts, None).astype(bool).reshape(texts.shape)
    offsets = np.concatenate([[0], np.cumsum(present.sum(axis=1))]).astype(np.int32)
    flat = pa.array(texts[present].tolist(), type=pa.string())
    return pa.ListArray.from_arrays(pa.array(offsets), flat)


def reason_group_of(columns: Sequence[str]) -> dict[str, str]:
    """Model column -> the grouped reason it is shown under (columns not named stand alone)."""
    out: dict[str, str] = {}
    for c in columns:  # a few dozen column names, not rows
        if c in CONDITION_SCORES or c == CONDITION_COUNT or c.startswith("elix_"):
            out[c] = CONDITIONS
        elif c in SOCIAL_SCORES or c.startswith(SOCIAL_PREFIXES):
            out[c] = SOCIAL
    return out


def _item_label(group: str, source: ReasonSource) -> str:
    """How a flag is named in its group's list ('has heart failure' -> 'heart failure'; social
    needs by domain, so a coded and a screened need are one item)."""
    if group == SOCIAL:
        domain = source.name.removeprefix("sdoh_dx_").removeprefix("screen_")
        if domain in SOCIAL_LABELS:
            return SOCIAL_LABELS[domain]
    return (source.reason_text(True) or source.name).removeprefix("has ")


def _listed(present: np.ndarray, contrib: np.ndarray, names: np.ndarray, sep: str) -> pl.Series:
    """Per row, the present items by contribution, at most `NAMED_ITEMS`, joined by `sep`."""
    if names.size == 0:
        return pl.Series(values=[None] * present.shape[0], dtype=pl.String)
    order = np.argsort(-np.where(present, contrib, -np.inf), axis=1, kind="stable")
    order = order[:, :NAMED_ITEMS]
    shown = np.take_along_axis(present, order, axis=1)
    cols = {
        f"i{j}": np.where(shown[:, j], names[order[:, j]], None).tolist()
        for j in range(order.shape[1])
    }
    frame = pl.DataFrame(cols, schema={c: pl.String for c in cols})
    return frame.select(pl.concat_str(pl.all(), separator=sep, ignore_nulls=True)).to_series()


@dataclass(frozen=True)
class _Group:
    """One grouped reason over some model columns, with the cells it can state."""

    name: str
    members: np.ndarray  # column positions
    items: np.ndarray  # positions of the flags it names
    count: int | None  # position of the count it states, if any


def _groups(columns: Sequence[str], sources: Mapping[str, ReasonSource]) -> list[_Group]:
    """The conditions and social-needs groups present among `columns`."""
    of = reason_group_of(columns)
    out = []
    for name in (CONDITIONS, SOCIAL):
        members = np.array([i for i, c in enumerate(columns) if of.get(c) == name], dtype=int)
        if members.size == 0:
            continue
        items = np.array([i for i in members if sources[columns[i]].dtype == "bool"], dtype=int)
        count = [i for i in members if columns[i] == CONDITION_COUNT]
        out.append(_Group(name, members, items, count[0] if count else None))
    return out


def _group_text(group: _Group, x: np.ndarray, contrib: np.ndarray, columns, sources) -> pl.Series:
    """The reason sentence of `group` for each row of `x` (null when it has nothing to say)."""
    labels = [_item_label(group.name, sources[columns[i]]) for i in group.items]
    names, label_of = np.unique(np.array(labels, dtype=str), return_inverse=True)
    onehot = np.zeros((len(labels), names.size))
    onehot[np.arange(len(labels)), label_of.reshape(-1)] = 1.0
    present = (x[:, group.items] == 1).astype(float) @ onehot > 0
    listed = _listed(present, contrib[:, group.items] @ onehot, names.astype(object), ", ")
    count = x[:, group.count] if group.count is not None else np.full(x.shape[0], np.nan)
    frame = pl.DataFrame({"items": listed, "n": count}, nan_to_null=True).with_columns(
        pl.col("items").replace("", None), pl.col("n").cast(pl.Int64)
    )
    plural = pl.when(pl.col("n") == 1).then(pl.lit("")).otherwise(pl.lit("s"))
    counted = pl.format("{} chronic condition{}", pl.col("n"), plural)
    prefix = pl.lit("has ") if group.name == CONDITIONS else pl.lit("social needs: ")
    text = (
        pl.when((pl.col("n") > 0) & pl.col("items").is_not_null())
        .then(pl.format("{}, including {}", counted, pl.col("items")))
        .when(pl.col("n") > 0)
        .then(counted)
        .when(pl.col("items").is_not_null())
        .then(pl.concat_str(prefix, pl.col("items")))
    )
    return frame.select(text).to_series()


def _summary_text(group: _Group, x, contrib, columns, sources) -> np.ndarray:
    """Fallback sentence: the member score that raised the risk most, with its value."""
    scores = np.array([i for i in group.members if i not in set(group.items)], dtype=int)
    out = np.full(x.shape[0], None, dtype=object)
    if scores.size == 0:
        return out
    best = scores[np.argmax(np.where(np.isfinite(x[:, scores]), contrib[:, scores], -np.inf), 1)]
    for i in np.unique(best):  # a handful of score columns
        rows = np.nonzero(best == i)[0]
        src = sources[columns[i]]
        value = x[rows, i]
        ok = np.isfinite(value)
        distinct, inverse = np.unique(value[ok], return_inverse=True)
        texts = np.array([src.reason_text(_as_python(v, src.dtype)) for v in distinct], object)
        out[rows[ok]] = texts[inverse]
    return out


def explain(
    booster: lgb.Booster,
    x: np.ndarray,
    columns: Sequence[str],
    sources: Mapping[str, ReasonSource],
    threads: int = 2,
    k: int = TOP_REASONS,
) -> pa.ListArray:
    """The top `k` plain-language reasons of each row of `x`, with the row's own values."""
    contrib = contributions(booster, x, threads)[:, : len(columns)]
    names, grouped = group_contributions(contrib, columns, reason_group_of(columns))
    position = {c: i for i, c in enumerate(columns)}
    singles = [j for j, n in enumerate(names) if n in position]
    values = np.full(grouped.shape, np.nan)
    values[:, singles] = x[:, [position[names[j]] for j in singles]]
    ordered = [sources[n] if n in position else _GroupSource(n) for n in names]
    statable = _reasonable(values, ordered)
    concrete = np.broadcast_to(np.array([n not in RULE_SCORES for n in names]), grouped.shape)
    concrete = concrete.copy()
    texts: dict[int, np.ndarray] = {}
    for group in _groups(columns, sources):  # at most two groups
        j = names.index(group.name)
        said = _group_text(group, x, contrib, columns, sources).to_numpy()
        fallback = _summary_text(group, x, contrib, columns, sources)
        concrete[:, j] = np.not_equal(said, None)
        texts[j] = np.where(concrete[:, j], said, fallback)
        statable[:, j] = np.not_equal(texts[j], None)
    top, valid = top_features(grouped, values, ordered, k, statable, concrete)
    out = reason_texts(top, valid, values, ordered, skip=set(texts))
    for j, text in texts.items():
        hit = (top == j) & valid
        out[hit] = np.broadcast_to(text[:, None], top.shape)[hit]
    return reasons_column(out)


@dataclass(frozen=True)
class _GroupSource:
    """Stands in for a grouped reason among the registry sources (its text is built per row)."""

    name: str
    dtype: str = "group"
    direction: str = "higher"
    reason_limit: float | None = None

    def reason_text(self, value: object) -> str | None:
        return None


def mean_abs_contribution(
    booster: lgb.Booster, x: np.ndarray, columns: Sequence[str], threads: int = 2
) -> list[tuple[str, float]]:
    """Features by mean |contribution| to the raw score over the rows of `x`, largest first."""
    names, grouped = group_contributions(contributions(booster, x, threads), columns)
    size = np.abs(grouped).mean(axis=0)
    order = np.argsort(-size, kind="stable")
    return [(names[i], float(size[i])) for i in order]
