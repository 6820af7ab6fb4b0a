"""Encryption at rest: with READMIT_WAREHOUSE_KEY set the warehouse file is AES-encrypted."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from pipelines import nightly as steps
from pipelines.settings import load_settings
from pipelines.warehouse import KEY_ENV, WarehouseKeyError, connect, httpfs_extension
from tests.reliability.nightly_driver import duckdb_engine

KEY = "correct horse battery staple"
MARKER = "MARKER-7f3a-not-in-the-file"


@pytest.fixture
def encrypted(tmp_path, monkeypatch):
    """A warehouse written with the key in the environment, holding one marker row."""
    monkeypatch.setenv(KEY_ENV, KEY)
    path = tmp_path / "warehouse.duckdb"
    with connect(path) as con:
        con.execute("create table notes as select ? as note from range(2000)", [MARKER])
    return path


def test_the_extension_comes_from_the_installed_package():
    path = httpfs_extension()
    assert path.name == "httpfs.duckdb_extension" and path.stat().st_size > 0
    assert f"v{duckdb.__version__}" in str(path)


def test_the_file_is_unreadable_without_the_key(encrypted, monkeypatch):
    data = encrypted.read_bytes()
    assert MARKER.encode() not in data and b"notes" not in data
    with pytest.raises(duckdb.Error, match="encrypted"):
        duckdb.connect(str(encrypted))
    monkeypatch.delenv(KEY_ENV)
    with pytest.raises(WarehouseKeyError, match=KEY_ENV):
        connect(encrypted)
    monkeypatch.setenv(KEY_ENV, "a wrong key")
    with pytest.raises(WarehouseKeyError) as caught:
        connect(encrypted, read_only=True)
    assert "a wrong key" not in str(caught.value) and "Wrong encryption key" in str(caught.value)


def test_the_file_is_readable_with_the_key(encrypted):
    with connect(encrypted, read_only=True) as con:
        rows = con.sql("select note, count(*) from notes group by 1").fetchall()
    assert rows == [(MARKER, 2000)]


@pytest.mark.slow
def test_ingest_and_build_run_on_an_encrypted_warehouse(tmp_path, monkeypatch):
    from pipelines.synth import generate

    monkeypatch.setenv(KEY_ENV, KEY)
    landing = tmp_path / "landing"
    generate(120, 3, date(2023, 1, 1), date(2024, 12, 31), landing / "2025-01-01", None)
    settings = load_settings(workspace=tmp_path / "ws", duckdb_threads=1)
    with duckdb_engine():
        ingested = steps.step_ingest(settings, landing, "r-enc")
    steps.step_build(settings, "r-enc")
    assert ingested["rows_loaded"] > 0
    with pytest.raises(duckdb.Error, match="encrypted"):
        duckdb.connect(str(settings.warehouse), read_only=True)
    with connect(settings.warehouse, read_only=True) as con:
        persons = con.sql("select count(*) from int_person_demographics").fetchall()[0][0]
        stages = con.sql("select stage, status from run_log where run_id = 'r-enc'").fetchall()
    assert persons > 0
    assert ("build", "success") in stages
