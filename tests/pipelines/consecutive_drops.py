"""Test helper: split one generated drop into two consecutive nightly drops, with late claims.

Drop 1 (extract date `cutoff + 1`) holds every event dated on or before `cutoff`, except the
late claims: medical claims dated within `late_days` before the cutoff, one in `late_every` by
claim id, which arrive only in drop 2. Drop 2 (extract date `end + 1`) holds every event after
the cutoff, the late claims and a fresh eligibility snapshot. Active enrollment spans and deaths
in drop 1 end at the cutoff, as a real extract cut that day would show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

# table -> the date an event becomes known (read from text columns, unparseable dates -> drop 1)
EVENT_DATES: dict[str, str] = {
    "pharmacy_claim": "try_cast(dispensing_date as date)",
    "encounter": "try_cast(coalesce(encounter_end_date, encounter_start_date) as date)",
    "condition": "try_cast(recorded_date as date)",
    "procedure": "try_cast(procedure_date as date)",
    "lab_result": "cast(try_cast(result_datetime as timestamp) as date)",
    "observation": "try_cast(observation_date as date)",
    "medication": "try_cast(coalesce(dispensing_date, prescribing_date) as date)",
}
CLAIM_DATE = (
    "max(greatest(try_cast(claim_end_date as date), try_cast(discharge_date as date), "
    "try_cast(claim_line_end_date as date), try_cast(claim_start_date as date))) "
    "over (partition by claim_id)"
)
FIRST_DROP_ONLY = ("patient", "case_managers", "area_deprivation")


@dataclass(frozen=True)
class Drops:
    """Where the two drops are and what the split moved."""

    first: Path
    second: Path
    cutoff: date
    late_claim_lines: int
    late_claims: int


def _copy(con: duckdb.DuckDBPyConnection, select: str, out: Path, params: list) -> int:
    """Write a query's rows as CSV with a header; the number of rows written."""
    con.execute(f"create or replace temp table _part as {select}", params)
    con.execute(f"copy _part to '{out}' (header, delimiter ',')")
    return con.execute("select count(*) from _part").fetchone()[0]


def _read(source: Path, table: str) -> str:
    return f"read_csv('{source / (table + '.csv')}', all_varchar = true, header = true)"


def _split_events(con, source: Path, first: Path, second: Path, cutoff: date) -> None:
    for table, known in EVENT_DATES.items():
        rows = f"select *, {known} as _known from {_read(source, table)}"
        keep = "* exclude (_known)"
        _copy(
            con,
            f"select {keep} from ({rows}) where coalesce(_known <= ?, true)",
            first / f"{table}.csv",
            [cutoff],
        )
        _copy(
            con, f"select {keep} from ({rows}) where _known > ?", second / f"{table}.csv", [cutoff]
        )


def _split_claims(
    con, source: Path, first: Path, second: Path, cutoff: date, late_days: int, late_every: int
) -> tuple[int, int]:
    rows = f"select *, {CLAIM_DATE} as _known from {_read(source, 'medical_claim')}"
    late = "(_known > ? and _known <= ? and hash(claim_id) % ? = 0)"
    keep = "* exclude (_known)"
    params = [cutoff - timedelta(days=late_days), cutoff, late_every]
    early = (
        f"select {keep} from ({rows}) "
        f"where coalesce(_known <= ?, true) and not coalesce({late}, false)"
    )
    _copy(con, early, first / "medical_claim.csv", [cutoff, *params])
    later = f"select {keep} from ({rows}) where _known > ? or coalesce({late}, false)"
    _copy(con, later, second / "medical_claim.csv", [cutoff, *params])
    moved = con.execute(
        f"select count(*), count(distinct claim_id) from ({rows}) where {late}", params
    ).fetchone()
    return moved[0], moved[1]


def _first_snapshot(con, source: Path, first: Path, cutoff: date) -> None:
    """Eligibility and patients as an extract cut at the cutoff shows them."""
    end = "case when try_cast({c} as date) > ? then ? else {c} end"
    span_end = end.format(c="enrollment_end_date")
    death = "case when try_cast(death_date as date) > ? then null else death_date end"
    elig = (
        f"select * replace ({span_end} as enrollment_end_date, {death} as death_date) "
        f"from {_read(source, 'eligibility')} where try_cast(enrollment_start_date as date) <= ?"
    )
    _copy(con, elig, first / "eligibility.csv", [cutoff, str(cutoff), cutoff, cutoff])
    patients = f"select * replace ({death} as death_date) from {_read(source, 'patient')}"
    _copy(con, patients, first / "patient.csv", [cutoff])
    for table in FIRST_DROP_ONLY[1:]:
        (first / f"{table}.csv").write_bytes((source / f"{table}.csv").read_bytes())


def split_drop(
    source: Path,
    landing: Path,
    cutoff: date,
    end: date,
    late_days: int = 61,
    late_every: int = 3,
) -> Drops:
    """Write `landing/<cutoff+1>/` and `landing/<end+1>/` from the generated drop `source`."""
    first = landing / (cutoff + timedelta(days=1)).isoformat()
    second = landing / (end + timedelta(days=1)).isoformat()
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute("set threads = 1")
        _split_events(con, source, first, second, cutoff)
        lines, claims = _split_claims(con, source, first, second, cutoff, late_days, late_every)
        _first_snapshot(con, source, first, cutoff)
        (second / "eligibility.csv").write_bytes((source / "eligibility.csv").read_bytes())
    return Drops(first, second, cutoff, lines, claims)
