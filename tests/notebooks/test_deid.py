"""The de-identified export: keyed pseudonyms, Safe Harbor ages, zips and dates, and no identifier
from the extracts anywhere in the output."""

from __future__ import annotations

import hashlib
import hmac
import json
import stat
from datetime import date

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from pipelines import api, deid
from pipelines.cli import app
from pipelines.errors import ReadmitError
from tests.notebooks.conftest import DEID_KEY

KEY = b"a-secret-key-of-some-length"
IDENTIFIER_COLUMNS = {
    "eligibility": [
        "person_id", "member_id", "subscriber_id", "first_name", "last_name",
        "social_security_number", "address", "phone", "email", "birth_date", "zip_code",
    ],
    "patient": [
        "person_id", "patient_id", "first_name", "last_name", "social_security_number",
        "address", "phone", "email", "birth_date", "zip_code", "county",
    ],
    "encounter": ["encounter_id", "patient_id"],
    "medical_claim": ["claim_id"],
    "pharmacy_claim": ["claim_id"],
}  # fmt: skip
FORBIDDEN_COLUMNS = {c for cols in IDENTIFIER_COLUMNS.values() for c in cols} | {
    "death_date", "discharge_date", "admission_date", "as_of_date", "stay_id", "reasons",
}  # fmt: skip


@pytest.fixture
def memory():
    con = duckdb.connect()
    deid.prepare(con, KEY, "month")
    yield con
    con.close()


def test_sql_pseudonym_is_hmac_sha256_of_kind_and_id(memory):
    ids = ["P00000001", "P00000002", "ü-ß-12"]
    got = memory.execute(
        "select deid_pseudonym('person', x) from unnest(?::varchar[]) as t(x)", [ids]
    ).fetchall()
    expected = [hmac.new(KEY, f"person:{i}".encode(), hashlib.sha256).hexdigest()[:32] for i in ids]
    assert [g[0] for g in got] == expected
    stay = memory.execute("select deid_pseudonym('stay', 'P00000001')").fetchone()[0]
    assert stay != expected[0]  # kinds are separate domains
    assert memory.execute("select deid_pseudonym('person', null)").fetchone()[0] is None


def test_long_keys_are_hashed_first_as_rfc_2104_says(memory):
    long_key = b"k" * 100
    deid.prepare(memory, long_key, "day")
    got = memory.execute("select deid_pseudonym('row', 'abc')").fetchone()[0]
    assert got == hmac.new(long_key, b"row:abc", hashlib.sha256).hexdigest()[:32]


@pytest.mark.parametrize(
    ("zip_code", "zip3"),
    [
        ("44589", "445"),
        ("44589-1234", "445"),
        (" 43215", "432"),
        ("03601", "000"),
        ("69201", "000"),
        ("89301", "000"),
        ("4458", None),
        ("ABCDE", None),
        (None, None),
    ],
)
def test_zip3_keeps_three_digits_and_zeroes_low_population_areas(memory, zip_code, zip3):
    assert memory.execute("select deid_zip3(?)", [zip_code]).fetchone()[0] == zip3


def test_ages_top_code_at_90_and_dates_follow_the_precision(memory):
    assert memory.execute("select deid_age(89), deid_age(90), deid_age(104)").fetchone() == (
        89,
        90,
        90,
    )
    day = date(2024, 7, 19)
    assert memory.execute("select deid_date(?)", [day]).fetchone()[0] == date(2024, 7, 1)
    deid.prepare(memory, KEY, "year")
    assert memory.execute("select deid_date(?)", [day]).fetchone()[0] == date(2024, 1, 1)


def test_keys_must_be_given_and_long_enough_and_precision_known(memory):
    with pytest.raises(ReadmitError, match="READMIT_DEID_KEY"):
        deid.check_key(None)
    with pytest.raises(ReadmitError, match="too short"):
        deid.check_key("short")
    with pytest.raises(ReadmitError, match="precision"):
        deid.prepare(memory, KEY, "week")


def _identifiers(landing) -> set[str]:
    """Every identifying value in the extracts (as text), empty values left out."""
    values: set[str] = set()
    for table, columns in IDENTIFIER_COLUMNS.items():
        frame = pl.read_csv(landing / f"{table}.csv", infer_schema=False, columns=columns)
        for column in columns:
            values |= set(frame[column].drop_nulls().str.strip_chars().to_list())
    return values - {""}


def _cells(frame: pl.DataFrame) -> set[str]:
    """Every cell of the frame as text (lists flattened)."""
    out: set[str] = set()
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pl.List):
            series = series.explode()
        out |= set(series.drop_nulls().cast(pl.String).to_list())
    return out


@pytest.fixture(scope="module")
def exported(analyst_workspace, tmp_path_factory):
    """One export with the year precision (the default), through the API."""
    out = tmp_path_factory.mktemp("deid")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("READMIT_DEID_KEY", DEID_KEY)
        result = api.export_deidentified(out, analyst_workspace)
    return result


@pytest.mark.slow
def test_export_holds_no_identifier_from_the_extracts(exported, analyst_workspace):
    identifiers = _identifiers(analyst_workspace / "landing" / "2025-01-01")
    assert len(identifiers) > 1000
    person_ids = sorted(i for i in identifiers if i.startswith("P0"))
    files = sorted(exported.out_dir.glob("*.parquet"))
    assert {f.stem for f in files} >= {"persons", "stays", "scores", "features_readmission_30d"}
    for path in files:
        frame = pl.read_parquet(path)
        assert not set(frame.columns) & FORBIDDEN_COLUMNS, path.name
        cells = _cells(frame)
        assert not cells & identifiers, (path.name, sorted(cells & identifiers)[:5])
        text = pl.Series(sorted(cells))
        assert not text.str.contains_any(person_ids).any(), path.name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    manifest = (exported.out_dir / "manifest.json").read_text()
    assert DEID_KEY not in manifest and json.loads(manifest)["rows"] == exported.rows


@pytest.mark.slow
def test_export_ages_zips_dates_and_pseudonyms(exported, analyst_workspace):
    persons = pl.read_parquet(exported.out_dir / "persons.parquet")
    assert persons["age_years"].max() == 90  # the generated population has people over 89
    assert persons["zip3"].drop_nulls().str.len_chars().eq(3).all()
    first = pl.read_csv(
        analyst_workspace / "landing" / "2025-01-01" / "patient.csv", infer_schema=False
    )["person_id"][0]
    key = hmac.new(DEID_KEY.encode(), f"person:{first}".encode(), hashlib.sha256).hexdigest()[:32]
    assert key in persons["person_key"].to_list()
    assert persons["person_key"].is_unique().all()
    for path in exported.out_dir.glob("*.parquet"):
        frame = pl.read_parquet(path)
        for column in [c for c, t in frame.schema.items() if t == pl.Date]:
            days = frame[column].drop_nulls()
            assert (days.dt.month() == 1).all() and (days.dt.day() == 1).all(), column
    features = pl.read_parquet(exported.out_dir / "features_admission_90d.parquet")
    scores = pl.read_parquet(exported.out_dir / "scores.parquet")
    assert features["age_years"].max() <= 90
    assert (
        scores.join(features, on="row_key").height
        == scores.filter(pl.col("task") == "admission_90d").height
    )


@pytest.mark.slow
def test_cli_export_is_stable_for_a_key_and_changes_with_it(exported, analyst_workspace, tmp_path):
    runner = CliRunner()
    base = ["export", "--deidentified", "--workspace", str(analyst_workspace)]
    same = runner.invoke(
        app, [*base, "--out", str(tmp_path / "a")], env={"READMIT_DEID_KEY": DEID_KEY}
    )
    assert same.exit_code == 0, same.output
    other_key = {"READMIT_DEID_KEY": "another-key-0123456789"}
    other = runner.invoke(
        app, [*base, "--out", str(tmp_path / "b"), "--dates", "day"], env=other_key
    )
    assert other.exit_code == 0, other.output
    keys = {
        name: set(pl.read_parquet(folder / "persons.parquet")["person_key"])
        for name, folder in (
            ("first", exported.out_dir),
            ("same", tmp_path / "a"),
            ("other", tmp_path / "b"),
        )
    }
    assert keys["first"] == keys["same"]
    assert not keys["first"] & keys["other"]
    refused = runner.invoke(
        app, ["export", "--out", str(tmp_path / "c"), "--workspace", str(analyst_workspace)]
    )
    assert refused.exit_code == 1 and "--deidentified" in refused.output
    no_key = runner.invoke(app, [*base, "--out", str(tmp_path / "d")], env={"READMIT_DEID_KEY": ""})
    assert no_key.exit_code == 1 and "READMIT_DEID_KEY" in no_key.output
