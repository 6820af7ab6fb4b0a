"""The Great Expectations engine: each row rule as GX expectations, run on Arrow-backed chunks."""

from __future__ import annotations

import logging
import warnings
from datetime import date
from functools import cache
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from data_contracts.rules import Rule, load_formats
from pipelines.ingest.predicates import checked_type
from sql.ingest import fragment, ident, render

log = logging.getLogger("readmit.ingest")
GX_RESULT_FORMAT = {"result_format": "COMPLETE"}


@cache
def _batch_definition():
    """An ephemeral GX context with a pandas datasource (built once: GX is slow to load)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        import pipelines.ingest.gx_npi  # noqa: F401  (registers the NPI expectation)

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(
            globally=False, metric_calculations=False
        )
        source = context.data_sources.add_pandas("readmit_ingest")
        return source.add_dataframe_asset("chunk").add_batch_definition_whole_dataframe("whole")


def python_pattern(pattern: str) -> str:
    """The pattern for Python `re`: a final `$` becomes `\\Z` (no trailing newline, as in RE2)."""
    return (
        pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith(r"\$") else pattern
    )


def _typed(col: str) -> str:
    return f"{col}__typed"


def _dated(col: str) -> str:
    return f"{col}__date"


def _expectations(rule: Rule, future_after: date) -> list[Any]:
    """The GX expectations whose union of unexpected rows is the rows breaking `rule`."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column as Col

    from pipelines.ingest.gx_npi import ExpectColumnValuesToBeValidNpi

    p, col = rule.params, rule.columns[0]
    cond = (
        Col(p["when"]["column"]).is_in([str(v) for v in p["when"]["in"]]) if "when" in p else None
    )
    kind = rule.kind
    if kind == "not_null":
        return [gxe.ExpectColumnValuesToNotBeNull(column=col)]
    if kind == "castable":
        return [
            gxe.ExpectColumnValuesToNotBeNull(
                column=_typed(col), row_condition=Col(col).is_not_null()
            )
        ]
    if kind == "in_set":
        values = [str(v) for v in p["values"]]
        return [gxe.ExpectColumnValuesToBeInSet(column=col, value_set=values, row_condition=cond)]
    if kind == "regex":
        return [
            gxe.ExpectColumnValuesToMatchRegex(
                column=col, regex=python_pattern(p["pattern"]), row_condition=cond
            )
        ]
    if kind == "npi":
        return [ExpectColumnValuesToBeValidNpi(column=col, row_condition=cond)]
    if kind == "range":
        low, high = p.get("min"), p.get("max")
        return [
            gxe.ExpectColumnValuesToBeBetween(column=_typed(col), min_value=low, max_value=high)
        ]
    if kind == "date_not_future":
        return [gxe.ExpectColumnValuesToBeBetween(column=_dated(col), max_value=future_after)]
    if kind == "date_order":
        a, b = (_typed(c) for c in rule.columns)
        return [
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=b, column_B=a, or_equal=True, ignore_row_if="either_value_is_missing"
            )
        ]
    if kind == "code_system_agrees":
        return _code_system_expectations(rule)
    raise ValueError(f"rule kind {kind!r} has no GX form")


def _code_system_expectations(rule: Rule) -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column as Col

    declared, code = rule.columns
    formats, out, earlier = load_formats(), [], []
    for system, fmt in rule.params["systems"].items():
        when = Col(declared) == system
        pattern = python_pattern(formats[fmt]["pattern"])
        out.append(
            gxe.ExpectColumnValuesToMatchRegex(column=code, regex=pattern, row_condition=when)
        )
        out += [
            gxe.ExpectColumnValuesToNotMatchRegex(column=code, regex=prior, row_condition=when)
            for prior in earlier
        ]
        earlier.append(pattern)
    return out


def _frame_columns(rule: Rule) -> dict[str, str]:
    """The chunk columns one rule's expectations read: alias -> select item."""
    items: dict[str, str] = {}
    types = rule.params.get("types") or [rule.params.get("type")] * len(rule.columns)
    for col, typ in zip(rule.columns, types, strict=False):
        items[col] = ident(col)
        if rule.kind in ("castable", "range", "date_order"):
            items[_typed(col)] = _fragment("cast_as", col, typ, _typed(col))
        if rule.kind == "date_not_future":
            items[_dated(col)] = _fragment("date_as", col, typ, _dated(col))
    when = rule.params.get("when")
    if when:
        items[when["column"]] = ident(when["column"])
    return items


def batch_select(row_rules: list[tuple[int, Rule]]) -> str:
    """The query feeding GX chunks: row ids, the text columns and typed copies the rules read."""
    items: dict[str, str] = {}
    for _, rule in row_rules:
        items.update(_frame_columns(rule))
    return render("gx_batch", columns=",\n    ".join(items.values()))


def _fragment(template: str, col: str, typ: str, alias: str) -> str:
    return fragment(template, col=ident(col), type=checked_type(typ), alias=ident(alias))


def _suites(row_rules: list[tuple[int, Rule]], future_after: date) -> list[tuple[list[str], Any]]:
    """One suite per set of columns: GX copies its whole frame per metric, so frames stay narrow."""
    import great_expectations as gx

    _batch_definition()  # the context must exist before a suite is built
    groups: dict[tuple[str, ...], list[Any]] = {}
    for rule_id, rule in row_rules:
        columns = tuple(sorted(_frame_columns(rule)))
        for expectation in _expectations(rule, future_after):
            expectation.meta = {"rule_id": rule_id}
            groups.setdefault(columns, []).append(expectation)
    return [
        (list(cols), gx.ExpectationSuite(name=f"readmit_{n}", expectations=exps))
        for n, (cols, exps) in enumerate(groups.items())
    ]


def gx_failures(
    con: duckdb.DuckDBPyConnection,
    row_rules: list[tuple[int, Rule]],
    future_after: date,
    chunk_rows: int = 100_000,
) -> pa.Table:
    """(__row, rule_id) for every row a rule's expectations flag, reading `__src` chunk by chunk."""
    suites = _suites(row_rules, future_after)
    rows: list[int] = []
    rule_ids: list[int] = []
    reader = con.execute(batch_select(row_rules)).fetch_record_batch(chunk_rows)
    for batch in reader:
        frame = (
            pa.Table.from_batches([batch]).to_pandas(types_mapper=pd.ArrowDtype).set_index("__row")
        )
        for columns, suite in suites:
            for rule_id, found in _validate(frame[columns], suite):
                rows += found
                rule_ids += [rule_id] * len(found)
    return pa.table(
        {"__row": pa.array(rows, pa.int64()), "rule_id": pa.array(rule_ids, pa.int32())}
    )


def _validate(frame: pd.DataFrame, suite: Any) -> list[tuple[int, list[int]]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(suite, result_format=GX_RESULT_FORMAT)
    out = []
    for r in result.results:
        if r.exception_info and r.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"Great Expectations failed on {r.expectation_config.type}: "
                f"{r.exception_info.get('exception_message')}"
            )
        found = r.result.get("unexpected_index_list") or []
        rows = [int(i["__row"]) if isinstance(i, dict) else int(i) for i in found]
        out.append((int(r.expectation_config.meta["rule_id"]), rows))
    return out
