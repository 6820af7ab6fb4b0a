"""Open one flat file as the `__src` view (text columns, row numbers) after checking its header."""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass, replace

import duckdb

from data_contracts import load_contract
from data_contracts.errors import ContractError
from pipelines.ingest.discovery import REDELIVER, LandingFile
from sql.ingest import PLAIN_NAME, render, set_variables

HEADER_BYTES = 1 << 20
# CSV rows numbered by position (parallel scan and load, pipelines/ingest/positional.py); the
# Great Expectations engine and Parquet sources use the numbered `__src` view instead.
POSITIONAL_CSV = True
OTHER_DELIMITERS = (";", "\t", "|")
LINE_IN_ERROR = re.compile(r"[Ll]ine:? (\d+)")


@dataclass(frozen=True)
class Header:
    """The columns of a source: contract columns present, extra columns kept, names not loaded."""

    table: str
    columns: tuple[str, ...]
    extra: tuple[str, ...]
    unusable: tuple[str, ...]
    positional: bool = False  # a CSV source: rows numbered by position, read on every thread

    @property
    def present(self) -> list[str]:
        """Every loadable column of the source (contract columns first, then extras)."""
        return list(self.columns) + list(self.extra)


def _first_line(f: LandingFile) -> str:
    opener = gzip.open if f.compressed else open
    with opener(f.path, "rb") as handle:
        raw = handle.readline(HEADER_BYTES)
    try:
        return raw.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        raise ContractError(
            f.label,
            "utf8_encoding",
            "the header line is not UTF-8 text",
            action="Ask the sender to re-deliver the file encoded as UTF-8.",
        ) from None


def csv_header_names(f: LandingFile) -> list[str]:
    """The header names of a CSV file, trimmed and lower-cased, in file order."""
    line = _first_line(f)
    names = next(csv.reader([line])) if line.strip() else []
    if not names:
        raise ContractError(
            f.label,
            "header_row",
            "the first line is empty",
            action="The file must start with a header row.",
        )
    return [n.strip().lower() for n in names]


def classify(label: str, table: str, names: list[str], require: bool = True) -> Header:
    """Split header names into contract columns, extras to keep and names that cannot be loaded.

    Flat files must carry every required column; the FHIR adapter's rows (`require=False`) carry
    what the resources hold, and absent columns load as null.
    """
    contract = load_contract(table)
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ContractError(
            label, "unique_column_names", "the header repeats a column name", column=dupes[0]
        )
    missing = [c for c in contract.required if c not in names] if require else []
    if missing:
        raise ContractError(
            label, "required_column", _missing_text(missing, names), column=missing[0]
        )
    known = set(contract.column_names)
    columns = tuple(n for n in contract.column_names if n in names)
    extra = tuple(n for n in names if n not in known and PLAIN_NAME.match(n))
    unusable = tuple(n for n in names if n not in known and not PLAIN_NAME.match(n))
    return Header(table, columns, extra, unusable)


def _missing_text(missing: list[str], names: list[str]) -> str:
    text = f"{len(missing)} required column(s) missing: {', '.join(missing[:8])}"
    if len(names) == 1 and any(d in names[0] for d in OTHER_DELIMITERS):
        text += "; the header is one column, so the file is probably not comma-separated"
    return (
        text + ". Deliver every required column (values may be empty) with a comma-separated header"
    )


def open_flat(con: duckdb.DuckDBPyConnection, f: LandingFile) -> Header:
    """Check the header of a CSV or Parquet file and define `__src` over its rows."""
    if f.fmt == "parquet":
        names = [
            r[0].lower()
            for r in con.execute(
                "select name from parquet_schema(?) where num_children is null", [str(f.path)]
            ).fetchall()
        ]
        header = classify(f.label, f.table, names)
        set_variables(con, {"readmit_file": str(f.path)})
        con.execute(render("source_parquet"))
        return header
    names = csv_header_names(f)
    header = classify(f.label, f.table, names)
    columns = {
        n if PLAIN_NAME.match(n) else f"__unusable_{i}": "VARCHAR" for i, n in enumerate(names)
    }
    set_variables(con, {"readmit_file": str(f.path), "readmit_columns": columns})
    con.execute(render("source_csv"))
    return replace(header, positional=POSITIONAL_CSV)


def explain(label: str, exc: duckdb.Error) -> ContractError | None:
    """A ContractError for a read failure DuckDB reports (encoding, ragged rows, bad JSON)."""
    text = str(exc)
    line = LINE_IN_ERROR.search(text)
    where = f" at line {line.group(1)} of the file" if line else ""
    if "Invalid unicode" in text or "not utf-8" in text.lower():
        message = f"the file is not UTF-8 text{where}"
        return ContractError(
            label, "utf8_encoding", message, action="Ask the sender to re-deliver it as UTF-8."
        )
    if "Expected Number of Columns" in text or "CSV Error" in text or "CSV Parser" in text:
        found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
        detail = (
            f" ({found.group(2)} fields where the header has {found.group(1)})" if found else ""
        )
        message = f"a row does not fit the header{where}{detail}"
        return ContractError(label, "csv_structure", message, action=REDELIVER)
    if "JSON" in text and ("Malformed" in text or "parse" in text.lower()):
        message = f"a line is not valid JSON{where}"
        return ContractError(label, "ndjson_syntax", message, action=REDELIVER)
    return None
