"""The two rule engines: every row rule compiles both to a DuckDB predicate and to Great
Expectations expectations, and on the same fixtures both flag exactly the same rows."""

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data_contracts import TABLES, load_contract
from pipelines.ingest.checks import applicable_rules, check_source
from pipelines.ingest.discovery import LandingFile
from pipelines.ingest.predicates import row_predicate
from pipelines.ingest.source import open_flat
from pipelines.ingest.steps import prepare
from tests.conftest import require_shared
from tests.data_contracts.extracts import EXTRACT_DATE, drop_file, valid_row

DAY = date.fromisoformat(EXTRACT_DATE)


def _claims() -> list[dict]:
    """Medical claim lines breaking every kind of row rule, one or two at a time."""
    good = [valid_row("medical_claim", claim_id=f"C{i}") for i in range(6)]
    broken = [
        {"person_id": ""},
        {"claim_line_number": "x", "paid_amount": "abc", "claim_start_date": "2024-13-01"},
        {"claim_type": "dental"},
        {"diagnosis_code_2": "XYZ", "procedure_code_1": "ABC", "diagnosis_code_3": " I509"},
        {"diagnosis_code_4": "I50.9\n", "diagnosis_code_5": "i50.9"},
        {"rendering_npi": "1234567890", "facility_npi": "12345", "billing_npi": "1467498014"},
        {"admission_date": "2026-01-01", "discharge_date": "2026-01-05"},
        {"admission_date": "2024-06-10", "discharge_date": "2024-06-01"},
        {"claim_start_date": "2024-06-10", "claim_end_date": "2024-06-01"},
        {"diagnosis_code_type": "icd-10-pcs"},
        {"diagnosis_code_type": "icd-10-cm", "diagnosis_code_1": "0DTJ4ZZ"},
        {"diagnosis_code_type": "icd-10-pcs", "diagnosis_code_1": "0DTJ4ZZ"},
        {"diagnosis_code_type": "icd-9-cm", "diagnosis_code_1": "250.00"},
        {"admission_date": "", "discharge_date": "", "paid_amount": ""},
    ]
    rows = [valid_row("medical_claim", claim_id=f"B{i}", **b) for i, b in enumerate(broken)]
    return good + rows


def _others() -> dict[str, list[dict]]:
    return {
        "pharmacy_claim": [
            valid_row("pharmacy_claim", claim_id="F1"),
            valid_row("pharmacy_claim", claim_id="F2", days_supply="400"),
            valid_row("pharmacy_claim", claim_id="F3", days_supply="-1", ndc_code="123"),
            valid_row("pharmacy_claim", claim_id="F4", days_supply="30.5"),
        ],
        "condition": [
            valid_row("condition", condition_id="K1"),
            valid_row("condition", condition_id="K2", source_code="XYZ"),
            valid_row(
                "condition", condition_id="K3", source_code_type="snomed-ct", source_code="1"
            ),
            valid_row("condition", condition_id="K4", recorded_date="2025-02-01"),
        ],
        "lab_result": [
            valid_row("lab_result", lab_result_id="L1"),
            valid_row("lab_result", lab_result_id="L2", result_datetime="2025-01-03 00:00:00"),
            valid_row("lab_result", lab_result_id="L3", normalized_component_code="2345"),
        ],
        "case_managers": [
            valid_row("case_managers", cm_id="M1"),
            valid_row("case_managers", cm_id="M2", role="nurse", capacity_points="2000"),
            valid_row("case_managers", cm_id="M3", active="maybe"),
        ],
    }


# Claim columns the parity test keeps: every row-rule kind, without the ~60 optional columns
# whose rules repeat the same kinds (GX spends ~50 ms per expectation, so tests stay small).
CLAIM_COLUMNS = [
    "claim_id",
    "claim_line_number",
    "claim_type",
    "person_id",
    "claim_start_date",
    "claim_end_date",
    "admission_date",
    "discharge_date",
    "paid_date",
    "paid_amount",
    "allowed_amount",
    "diagnosis_code_type",
    "diagnosis_code_1",
    "diagnosis_code_2",
    "diagnosis_code_3",
    "diagnosis_code_4",
    "diagnosis_code_5",
    "procedure_code_1",
    "rendering_npi",
    "facility_npi",
    "billing_npi",
]


def _flagged(con, f: LandingFile, engine: str, columns: list[str] | None = None):
    present = open_flat(con, f).present
    if columns:
        con.execute("create or replace temp table __src_all as select * from __src")
        kept = ", ".join(columns)
        con.execute(
            f"create or replace temp view __src as select __row, __line, {kept} from __src_all"
        )
        present = columns
    check = check_source(con, f.label, f.table, present, extract_date=DAY, engine=engine)
    fails = set(con.execute("select __line, rule_id from __fails").fetchall())
    return fails, sorted(check.findings, key=lambda x: (x.rule, x.column)), check.rows_quarantined


@pytest.fixture(scope="module")
def landing(tmp_path_factory, shared_dir):
    tuva = require_shared(shared_dir / "data" / "tuva_ci_claims" / "medical_claim.csv")
    root = tmp_path_factory.mktemp("engines")
    drop_file(root, "medical_claim", _claims())
    for table, rows in _others().items():
        drop_file(root, table, rows)
    target = root / "2024-12-01" / "medical_claim.csv"
    target.parent.mkdir()
    target.write_bytes(tuva.read_bytes())
    return root


def _file(root: Path, table: str, day: str = EXTRACT_DATE) -> LandingFile:
    path = root / day / f"{table}.csv"
    return LandingFile(path, f"{day}/{table}.csv", date.fromisoformat(day), "csv", False, table)


@pytest.mark.parametrize(
    ("table", "day", "columns"),
    [
        ("medical_claim", EXTRACT_DATE, CLAIM_COLUMNS),
        ("pharmacy_claim", EXTRACT_DATE, None),
        ("condition", EXTRACT_DATE, None),
        ("lab_result", EXTRACT_DATE, None),
        ("case_managers", EXTRACT_DATE, None),
        ("medical_claim", "2024-12-01", CLAIM_COLUMNS),  # the Tuva Project's real-format lines
    ],
)
def test_duckdb_and_great_expectations_flag_the_same_rows(landing, table, day, columns):
    con = duckdb.connect()
    prepare(con)
    f = _file(landing, table, day)
    in_duckdb = _flagged(con, f, "duckdb", columns)
    in_gx = _flagged(con, f, "gx", columns)
    assert in_duckdb[0], "the fixture breaks rules"
    assert in_gx == in_duckdb


def test_the_claims_fixture_breaks_every_row_rule_kind(landing):
    con = duckdb.connect()
    prepare(con)
    fails, findings, _ = _flagged(con, _file(landing, "medical_claim"), "duckdb", CLAIM_COLUMNS)
    rules = applicable_rules("medical_claim", CLAIM_COLUMNS)
    kinds = {rules[rule_id].kind for _, rule_id in fails}
    assert kinds >= {
        "not_null",
        "castable",
        "in_set",
        "regex",
        "npi",
        "date_not_future",
        "date_order",
        "code_system_agrees",
    }
    disagree = {
        line for line, rid in fails if rules[rid].name == "diagnosis_code_type_matches_code"
    }
    assert disagree == {16, 17}  # pcs declared on a CM code; cm declared on a PCS-shaped code
    trailing_newline = {rid for line, rid in fails if line == 11}
    assert {rules[r].column for r in trailing_newline} == {"diagnosis_code_4"}


@pytest.mark.parametrize("table", TABLES)
def test_every_row_rule_compiles_to_sql_and_to_expectations(table):
    from pipelines.ingest.gx_engine import _expectations

    for rule_id, rule in enumerate(r for r in load_contract(table).checks if r.row_level):
        sql, _ = row_predicate(rule, rule_id)
        assert sql and "${" not in sql
        assert _expectations(rule, DAY), rule


def test_npi_check_digit_is_the_same_in_sql_and_python():
    from pipelines.ingest.gx_npi import npi_ok

    values = ["1234567893", "1234567890", "1467498014", "1003811290", "9999994996", "0000000000"]
    values += [f"12345678{d}{c}" for d in range(10) for c in range(10)]
    values += ["123456789", "12345678901", "ABCDEFGHIJ", "123456789O"]
    con = duckdb.connect()
    prepare(con)
    in_sql = [con.execute("select readmit_npi_ok(?)", [v]).fetchone()[0] for v in values]
    in_python = npi_ok(pd.Series(values, dtype="string[pyarrow]")).tolist()
    assert in_sql == in_python
    assert in_sql[:2] == [True, False] and sum(in_sql) > 10
