"""The feature registry: one entry per feature column, its group, unit and plain-language reason."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

TASKS: tuple[str, ...] = ("readmission_30d", "admission_90d")
GROUPS: tuple[str, ...] = (
    "demographics",
    "utilization",
    "comorbidity",
    "clinical",
    "social",
    "rule_scores",
)
DTYPES: tuple[str, ...] = ("int", "float", "bool")
DIRECTIONS: tuple[str, ...] = ("higher", "lower", "true")
KEY_COLUMNS: tuple[str, ...] = ("person_id", "as_of_date")


@dataclass(frozen=True)
class Feature:
    """One feature column: what it means, how it is shown to a case manager, where it applies.

    `reason` is a template for worklists: `{value}` is the formatted value and `{s}` is "s" unless
    the value is 1. `direction` says which values raise risk: "higher", "lower", or "true" (a flag).
    `max_missing_share` bounds the share of spine rows where the value may be null; a count is 0,
    never null, when there are no events. `reason_limit`, when set, is the last value stated as a
    reason on the risky side: beyond it (above for "lower", below for "higher") the value is
    too weak a reason to show a case manager, whatever the model's contribution.
    """

    name: str
    group: str
    unit: str
    dtype: str
    description: str
    reason: str
    direction: str = "higher"
    tasks: tuple[str, ...] = TASKS
    max_missing_share: float = 0.0
    reason_limit: float | None = None

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"feature {self.name}: group {self.group!r} not in {GROUPS}")
        if self.dtype not in DTYPES:
            raise ValueError(f"feature {self.name}: dtype {self.dtype!r} not in {DTYPES}")
        if self.direction not in DIRECTIONS:
            raise ValueError(
                f"feature {self.name}: direction {self.direction!r} not in {DIRECTIONS}"
            )
        if not set(self.tasks) <= set(TASKS) or not self.tasks:
            raise ValueError(f"feature {self.name}: tasks {self.tasks} must be a subset of {TASKS}")
        if not 0.0 <= self.max_missing_share <= 1.0:
            raise ValueError(f"feature {self.name}: max_missing_share must be within [0, 1]")

    def format_value(self, value: object) -> str:
        """The value as a case manager reads it (rounded, with thousands or a percent sign)."""
        if self.unit == "USD":
            return f"{float(value):,.0f}"
        if self.unit == "share of days":
            return f"{float(value):.0%}"
        if self.unit == "percentile":
            return f"{float(value):.0f}"
        if self.dtype == "float":
            return f"{float(value):.1f}" if self.unit != "RAF" else f"{float(value):.2f}"
        return str(value)

    def reason_text(self, value: object) -> str | None:
        """The reason sentence for `value`, or None when it carries none (null, false)."""
        if value is None or (self.dtype == "bool" and not value):
            return None
        if self.dtype == "bool":
            return self.reason
        plural = "" if value == 1 else "s"
        return self.reason.format(value=self.format_value(value), s=plural)


@cache
def registry() -> dict[str, Feature]:
    """Every registered feature by name, in matrix column order."""
    from features.definitions import FEATURES

    names = [f.name for f in FEATURES]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"features registered twice: {', '.join(duplicates)}")
    clash = set(names) & set(KEY_COLUMNS)
    if clash:
        raise ValueError(f"feature names may not reuse key columns: {sorted(clash)}")
    return {f.name: f for f in FEATURES}


def get_feature(name: str) -> Feature:
    """The registered feature called `name`."""
    try:
        return registry()[name]
    except KeyError:
        raise KeyError(f"no registered feature {name!r}") from None


def features_for(task: str, group: str | None = None) -> list[Feature]:
    """The features that apply to `task` (optionally one group), in matrix column order."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; known tasks: {', '.join(TASKS)}")
    return [
        f for f in registry().values() if task in f.tasks and (group is None or f.group == group)
    ]


def feature_names(task: str) -> list[str]:
    """Column names of the feature matrix of `task`, after the key columns."""
    return [f.name for f in features_for(task)]
