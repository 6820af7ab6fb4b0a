"""Every contract: sound rules, formats that mean the same in DuckDB and Python, and for each
extract a valid fixture that loads whole and an invalid one whose bad row goes to quarantine."""

import re

import duckdb
import pytest

from data_contracts import TABLES, load_contract
from data_contracts.rules import KINDS, SEVERITIES, check_rules, load_formats
from pipelines.ingest.load import ensure_ingest_tables
from pipelines.warehouse import LINEAGE_COLUMNS
from tests.data_contracts.extracts import count, drop_file, run_ingest, valid_row

FORMAT_CASES = {
    "icd10cm": (
        ["I50.9", "I509", "E11.65", "U07.1", "C4A.0", "z87891", "S72001A"],
        ["250.00", "I5", "XYZ", "I50.9.1", "1234567", "I50.99999", " I509"],
    ),
    "icd10pcs": (["0DTJ4ZZ", "BW03ZZZ", "02703dz"], ["0DTJ4Z", "0DTJ4ZI", "O123456", "0DTJ4ZZZ"]),
    "ndc": (
        ["00071015523", "0071-0155-23", "00071-155-23", "00071-0155-3"],
        ["0071015523", "12345", "00071-0155-234"],
    ),
    "loinc": (["2345-7", "718-7"], ["2345", "2345-77", "LP1234-5"]),
    "npi": (["1234567893", "1467498014"], ["123456789", "12345678901", "ABCDEFGHIJ"]),
    "zip": (["02139", "02139-1234", "021391234"], ["2139", "ABCDE", "02139-12"]),
}


@pytest.mark.parametrize("table", TABLES)
def test_contract_rules_are_sound(table):
    contract = load_contract(table)
    assert check_rules(contract) == []
    assert contract.key, "every extract declares its key"
    assert set(contract.key) <= set(contract.column_names)
    for rule in contract.checks:
        assert rule.kind in KINDS and rule.severity in SEVERITIES
        assert set(rule.columns) <= set(contract.column_names), rule


def test_claim_contracts_key_versions_by_paid_date_and_allow_reversals():
    for table in ("medical_claim", "pharmacy_claim"):
        contract = load_contract(table)
        assert contract.key == ("claim_id", "claim_line_number", "paid_date")
        reversal = [r for r in contract.checks if r.kind == "not_negative_unless_reversal"]
        assert {r.column for r in reversal} == {"paid_amount", "allowed_amount"}
        assert all(r.severity == "warn" for r in reversal)


def test_a_broken_rule_is_reported():
    contract = load_contract("encounter")
    broken = type(contract)(
        table="encounter",
        grain="",
        description="",
        key=("encounter_id",),
        columns=contract.columns,
        rules=(
            {"name": "x", "kind": "no_such_kind", "columns": ["encounter_id"]},
            {"name": "y", "kind": "date_order", "columns": ["nope", "encounter_end_date"]},
        ),
    )
    problems = check_rules(broken)
    assert any("unknown kind" in p for p in problems)
    assert any("no column 'nope'" in p for p in problems)


@pytest.mark.parametrize("fmt", sorted(FORMAT_CASES))
def test_formats_mean_the_same_in_duckdb_and_python(fmt):
    valid, invalid = FORMAT_CASES[fmt]
    pattern = load_formats()[fmt]["pattern"]
    con = duckdb.connect()
    for value, expected in [(v, True) for v in valid] + [(v, False) for v in invalid]:
        in_python = re.search(pattern, value) is not None
        in_duckdb = con.execute("select regexp_full_match(?, ?)", [value, pattern]).fetchone()[0]
        if fmt != "npi":
            assert in_python == in_duckdb == expected, (fmt, value)
        else:
            assert in_python == in_duckdb, value  # the NPI check digit is a separate step


def test_raw_tables_take_their_types_from_the_contracts():
    con = duckdb.connect()
    ensure_ingest_tables(con)
    for table in TABLES:
        query = f"select column_name, column_type from (describe raw_{table})"
        described = dict(con.execute(query).fetchall())
        for col in load_contract(table).columns:
            assert described[col.name] == col.duckdb_type, (table, col.name)
        for name, typ in LINEAGE_COLUMNS:
            assert described[name] == typ


def _invalid_row(table: str) -> tuple[dict, set[tuple[str, str]]]:
    """A row breaking a not_null rule and, where the table has a typed column, a type rule."""
    contract = load_contract(table)
    required = next(c for c in contract.columns if c.not_null)
    changes = {contract.key[0]: "bad", required.name: ""}  # its own key: no clash with others
    expected = {("not_null", required.name)}
    typed = next(
        (c for c in contract.columns if c.type in ("date", "integer") and c.name != required.name),
        None,
    )
    if typed:
        changes[typed.name] = "not-a-" + typed.type
        expected.add((f"type_{typed.type}", typed.name))
    return valid_row(table, **changes), expected


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """One drop with every table: a valid row, an invalid row, a second valid row."""
    landing = tmp_path_factory.mktemp("landing")
    expected = {}
    for table in TABLES:
        bad, expected[table] = _invalid_row(table)
        key_col = load_contract(table).column(load_contract(table).key[0])
        second = valid_row(table, **{key_col.name: "02138" if key_col.format else "second"})
        drop_file(landing, table, [valid_row(table), bad, second])
    con = duckdb.connect()
    result = run_ingest(con, landing, max_bad_share=1.0)
    return con, result, expected


@pytest.mark.parametrize("table", TABLES)
def test_valid_rows_load_and_the_invalid_row_goes_to_quarantine(loaded, table):
    con, result, expected = loaded
    (file,) = [f for f in result.files if f.table == table]
    assert (file.rows_in, file.rows_loaded, file.rows_quarantined) == (3, 2, 1)
    assert count(con, f"raw_{table}") == 2
    assert count(con, f"raw_{table}", "_row_number = 2") == 0  # the bad row is not loaded
    found = set(
        con.execute(
            'select rule, "column" from quarantine where table_name = ? and row_number = 2',
            [table],
        ).fetchall()
    )
    assert found == expected[table]
    warnings = con.execute(
        "select rule, \"column\" from dq_findings where table_name = ? and severity = 'warn'",
        [table],
    ).fetchall()
    assert warnings == [], "the valid rows break no warn rule either"
