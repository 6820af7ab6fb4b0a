"""TreeSHAP contributions computed once per distinct path pattern of each tree.

LightGBM's TreeSHAP for one row and one tree depends only on the side the row takes at each
split of that tree. Rows that fall in the same interval between a feature's thresholds (NaN and
zero kept apart) take the same sides, so each tree is explained once per distinct pattern among
the rows and the result is copied to the rest. The risk lists hold many similar patients, so this
is far cheaper than explaining every row. Values equal LightGBM's `pred_contrib` up to the order
in which the per-tree parts are added (last-bit differences).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import lightgbm as lgb
import numpy as np

ZERO = 1e-35  # LightGBM's kZeroThreshold: |x| at or below it counts as zero for missing-as-zero
WORTH_IT = 0.5  # dedupe only when the distinct patterns are fewer than this share of the rows


@dataclass(frozen=True)
class _Tree:
    """The numeric splits of one tree: feature positions and each feature's sorted thresholds."""

    features: np.ndarray
    thresholds: tuple[np.ndarray, ...]


@cache
def _trees(model_text: str) -> tuple[tuple[_Tree, ...], bool]:
    """Per tree, its split features and thresholds; False when a split is categorical."""
    dumped = lgb.Booster(model_str=model_text).dump_model()
    out = []
    for info in dumped["tree_info"]:
        found: dict[int, set[float]] = {}
        stack = [info["tree_structure"]]
        while stack:  # the nodes of one tree (a few dozen), not rows
            node = stack.pop()
            if "split_feature" not in node:
                continue
            if node["decision_type"] != "<=":  # a categorical split: no intervals to compare
                return (), False
            found.setdefault(node["split_feature"], set()).add(float(node["threshold"]))
            stack += [node["left_child"], node["right_child"]]
        keys = sorted(found)
        out.append(_Tree(np.array(keys, int), tuple(np.array(sorted(found[k])) for k in keys)))
    return tuple(out), True


def _pattern_codes(x: np.ndarray, tree: _Tree) -> np.ndarray:
    """One integer per row that is equal for rows taking the same side at every split."""
    key = np.zeros(len(x), dtype=np.int64)
    for j, cuts in zip(tree.features, tree.thresholds, strict=True):  # a tree's few features
        v = x[:, j]
        code = np.searchsorted(cuts, v, side="left") + 2  # count of thresholds below v
        code = np.where(np.abs(v) <= ZERO, 1, code)
        code = np.where(np.isnan(v), 0, code)
        key = key * (len(cuts) + 3) + code
    return key


def _fits_int64(trees: tuple[_Tree, ...]) -> bool:
    widths = [sum(np.log2(len(c) + 3) for c in t.thresholds) for t in trees]
    return max(widths, default=0) < 62


def contributions(booster: lgb.Booster, x: np.ndarray, threads: int = 2) -> np.ndarray:
    """`booster.predict(x, pred_contrib=True)`, computed once per distinct pattern per tree."""
    if not isinstance(booster, lgb.Booster) or len(x) == 0:
        return booster.predict(x, pred_contrib=True, num_threads=threads)
    trees, numeric = _trees(booster.model_to_string())
    if not numeric or not _fits_int64(trees):
        return booster.predict(x, pred_contrib=True, num_threads=threads)
    codes = [np.unique(_pattern_codes(x, t), return_index=True, return_inverse=True) for t in trees]
    if sum(len(c[0]) for c in codes) > WORTH_IT * len(x) * len(trees):
        return booster.predict(x, pred_contrib=True, num_threads=threads)
    out = np.zeros((len(x), x.shape[1] + 1))
    for i, (_, first, inverse) in enumerate(codes):  # one LightGBM call per tree
        part = booster.predict(
            x[first], pred_contrib=True, start_iteration=i, num_iteration=1, num_threads=threads
        )
        out += part[inverse.reshape(-1)]
    return out
