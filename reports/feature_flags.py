"""Per-person social needs and clinical-complexity inputs from the `ml_features_<task>` tables.

The social-needs columns are the boolean features of the registry's 'social' group (plus any
column whose name starts with `sdoh_`); each true flag names a domain ('housing', 'food', ...).
The SQL is built here because the feature tables' names and columns vary by task; every
identifier comes from our own registry or the table's own schema.
"""

from __future__ import annotations

import re

from features.registry import TASKS, registry

MEDICATION_FEATURE = "active_medications_90d"
COMORBIDITY_FEATURE = "charlson_index"
FLAG_COLUMNS = (
    "task",
    "person_id",
    "as_of_date",
    "social_needs",
    "medication_count",
    "charlson_index",
)
EMPTY = (
    "select null::varchar as task, null::varchar as person_id, null::date as as_of_date, "
    "[]::varchar[] as social_needs, null::double as medication_count, "
    "null::double as charlson_index where false"
)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def social_label(column: str) -> str:
    """The plain domain a social-needs flag column stands for ('screen_food' -> 'food')."""
    return re.sub(r"^(sdoh_dx_|sdoh_|screen_)", "", column).replace("_", " ")


def social_columns(columns: set[str]) -> list[str]:
    """The social-needs flag columns among `columns`, in a stable order."""
    registered = {f.name for f in registry().values() if f.group == "social" and f.dtype == "bool"}
    return sorted(c for c in columns if c in registered or c.startswith("sdoh_"))


def _task_select(task: str, columns: set[str]) -> str:
    """One task's rows: keys, list of social-need domains, medication count and Charlson index."""
    flags = [
        f"case when try_cast({_q(c)} as boolean) then {_lit(social_label(c))} end"
        for c in social_columns(columns)
    ]
    needs = f"list_distinct(list_filter([{', '.join(flags)}], x -> x is not null))"
    needs = needs if flags else "[]::varchar[]"

    def number(name: str) -> str:
        return f"try_cast({_q(name)} as double)" if name in columns else "null::double"

    return (
        f"select {_lit(task)} as task, person_id, as_of_date, {needs} as social_needs, "
        f"{number(MEDICATION_FEATURE)} as medication_count, "
        f"{number(COMORBIDITY_FEATURE)} as charlson_index from {_q('ml_features_' + task)}"
    )


def feature_flags_sql(present: dict[str, set[str]]) -> str:
    """The select of `rpt_feature_flags` over the feature tables that exist (empty if none)."""
    parts = [
        _task_select(task, present[f"ml_features_{task}"])
        for task in TASKS
        if {"person_id", "as_of_date"} <= present.get(f"ml_features_{task}", set())
    ]
    return " union all by name ".join(parts) if parts else EMPTY
