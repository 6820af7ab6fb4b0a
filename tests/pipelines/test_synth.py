"""`readmit synth`: files, columns, codes, volumes, messiness knobs, determinism and the command."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from data_contracts.contract import TABLES, load_contract
from pipelines.commands.synth import synth as synth_command
from pipelines.ingest import validate_landing
from pipelines.synth import generate
from pipelines.synth.codes import MEDICATIONS

START, END = date(2022, 1, 1), date(2024, 12, 31)
PERSONS = 1500
SEED = 11
ICD10CM = re.compile(r"^[A-TV-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$")
NDC = re.compile(r"^[0-9]{11}$")
LOINC = re.compile(r"^([0-9]{1,7})-([0-9])$")
SSN = re.compile(r"^9[0-9]{2}-[0-9]{2}-[0-9]{4}$")
NPI_COLUMNS = {
    "medical_claim": ("rendering_npi", "billing_npi", "facility_npi"),
    "pharmacy_claim": ("prescribing_provider_npi", "dispensing_provider_npi"),
    "encounter": ("facility_npi",),
}


def _drop(tmp_path_factory: pytest.TempPathFactory, name: str, messiness: float):
    root = tmp_path_factory.mktemp(name)
    summary = generate(
        PERSONS,
        SEED,
        START,
        END,
        root / "landing" / "2025-01-01",
        root / "truth.parquet",
        messiness=messiness,
    )
    return summary


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """A drop without messiness."""
    return _drop(tmp_path_factory, "clean", 0.0)


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """The same people and events with the default messiness."""
    return _drop(tmp_path_factory, "messy", 1.0)


_CACHE: dict[Path, pl.DataFrame] = {}


def read(summary, table: str) -> pl.DataFrame:
    """A table of a drop, every column as text (empty fields are null); read once per module."""
    path = summary.files[table]
    if path not in _CACHE:
        _CACHE[path] = pl.read_csv(path, infer_schema=False)
    return _CACHE[path]


def luhn_ok(digits: str, prefix_sum: int = 0) -> bool:
    """Luhn check over `digits` (check digit last) plus a constant for an implied prefix."""
    total = prefix_sum
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d // 10 + d % 10
    return total % 10 == 0


def test_every_contract_table_is_written_with_its_columns_in_order(clean):
    for table in TABLES:
        path = clean.out_dir / f"{table}.csv"
        assert path.exists(), table
        header = path.open().readline().strip().replace('"', "").split(",")
        assert header == load_contract(table).column_names, table
        assert clean.rows[table] > 0, table


def test_same_seed_gives_identical_bytes_for_any_number_of_workers(tmp_path):
    runs = {}
    for name, persons, workers, seed in (("a", 300, 1, 5), ("b", 300, 2, 5), ("c", 300, 1, 6)):
        runs[name] = generate(
            persons,
            seed,
            START,
            END,
            tmp_path / name,
            tmp_path / f"{name}.parquet",
            chunk_size=150,
            workers=workers,
        )
    for table, path in runs["a"].files.items():
        assert path.read_bytes() == runs["b"].files[table].read_bytes(), table
    claims = runs["a"].files["medical_claim"].read_bytes()
    assert claims != runs["c"].files["medical_claim"].read_bytes()


def test_identifiers_and_phi_are_well_formed(clean):
    elig = read(clean, "eligibility")
    assert (elig["member_id"] != elig["person_id"]).all()
    assert elig["social_security_number"].str.contains(SSN.pattern).all()
    assert elig["zip_code"].str.contains(r"^[0-9]{5}$").all()
    assert (
        elig.select(pl.col("first_name", "last_name", "address", "phone", "email").null_count())
        .sum_horizontal()
        .item()
        == 0
    )
    zips = set(read(clean, "area_deprivation")["zip_code"])
    assert set(elig["zip_code"]) <= zips
    patient = read(clean, "patient")
    assert patient["preferred_language"].value_counts().sort("count")["preferred_language"][-1] == (
        "English"
    )
    assert {"Spanish", "English"} <= set(patient["preferred_language"])


def test_npis_carry_a_valid_luhn_check_digit(clean):
    for table, columns in NPI_COLUMNS.items():
        frame = read(clean, table)
        for column in columns:
            npis = frame[column].drop_nulls().unique().to_list()
            assert npis, (table, column)
            bad = [n for n in npis if len(n) != 10 or not luhn_ok(n, prefix_sum=24)]
            assert not bad, (table, column, bad[:3])


def test_codes_are_well_formed_without_messiness(clean):
    claims = read(clean, "medical_claim")
    dx_columns = [c for c in claims.columns if c.startswith("diagnosis_code_") and c[-1].isdigit()]
    codes = pl.concat([claims[c] for c in dx_columns]).drop_nulls().unique().to_list()
    codes += read(clean, "condition")["source_code"].unique().to_list()
    assert codes and [c for c in codes if not ICD10CM.match(c)] == []
    ndcs = set(read(clean, "pharmacy_claim")["ndc_code"])
    ndcs |= set(read(clean, "medication")["ndc_code"])
    assert all(NDC.match(n) for n in ndcs) and ndcs <= {m[2] for m in MEDICATIONS}
    loincs = set(read(clean, "lab_result")["normalized_component_code"])
    loincs |= set(read(clean, "observation")["normalized_code"])
    for code in loincs:
        body, check = LOINC.match(code).groups()
        assert luhn_ok(body + check), code
    assert {"718-7", "2951-2", "2160-0", "4548-4", "71802-3", "88122-7", "93030-5"} <= loincs


def test_social_need_codes_exist_only_from_their_first_valid_date(clean):
    claims = read(clean, "medical_claim")
    dx = [c for c in claims.columns if c.startswith("diagnosis_code_") and c[-1].isdigit()]
    social = claims.filter(pl.any_horizontal(pl.col(dx).str.starts_with("Z59")))
    assert social.height > 0
    newer = social.filter(pl.any_horizontal(pl.col(dx).is_in(["Z5982", "Z5986"])))
    assert newer.height > 0
    assert (newer["claim_start_date"] >= "2022-10-01").all()
    conditions = read(clean, "condition").filter(pl.col("source_code").is_in(["Z5982", "Z5986"]))
    assert (conditions["recorded_date"] >= "2022-10-01").all()


def _member_years(summary) -> pl.DataFrame:
    """Member-years in the period per person, with age 65+ at the start."""
    elig = read(summary, "eligibility").with_columns(
        pl.col("enrollment_start_date", "enrollment_end_date", "birth_date").str.to_date()
    )
    return elig.group_by("person_id").agg(
        (
            (
                pl.min_horizontal("enrollment_end_date", pl.lit(END))
                - pl.max_horizontal("enrollment_start_date", pl.lit(START))
            )
            .dt.total_days()
            .clip(0)
            + 1
        )
        .sum()
        .truediv(365.25)
        .alias("years"),
        ((pl.lit(START) - pl.col("birth_date").first()).dt.total_days() / 365.25 >= 65).alias(
            "senior"
        ),
        ((pl.lit(START) - pl.col("birth_date").first()).dt.total_days() / 365.25 < 18).alias(
            "child"
        ),
    )


def test_volumes_are_medicare_like(clean):
    years = _member_years(clean)
    member_years = years["years"].sum()
    claims = read(clean, "medical_claim")
    assert 30 <= claims.height / member_years <= 50
    assert 10 <= clean.rows["pharmacy_claim"] / member_years <= 20
    ed = claims.filter(pl.col("bill_type_code") == "131")["claim_id"].n_unique()
    assert 400 <= 1000 * ed / member_years <= 700
    stays = claims.filter(
        (pl.col("bill_type_code") == "111") & (pl.col("discharge_disposition_code") != "02")
    ).unique("claim_id")
    seniors = years.filter(pl.col("senior"))
    senior_stays = stays.filter(pl.col("person_id").is_in(seniors["person_id"].implode())).height
    assert 200 <= 1000 * senior_stays / seniors["years"].sum() <= 350
    assert years["child"].sum() > 0 and years["senior"].mean() > 0.5
    assert set(read(clean, "eligibility")["payer_type"]) == {
        "medicare",
        "medicaid",
        "commercial",
        "dual",
    }


def test_every_stay_of_an_ehr_patient_is_an_acute_encounter(clean):
    patients = read(clean, "patient")["person_id"].implode()
    cols = ["person_id", "admission_date", "discharge_date"]
    stays = (
        read(clean, "medical_claim")
        .filter((pl.col("bill_type_code") == "111") & pl.col("person_id").is_in(patients))
        .select(cols)
        .unique()
    )
    encounters = read(clean, "encounter").filter(pl.col("encounter_type") == "acute inpatient")
    matched = stays.join(
        encounters.select(
            "person_id",
            pl.col("encounter_start_date").alias("admission_date"),
            pl.col("encounter_end_date").alias("discharge_date"),
        ),
        on=cols,
    )
    assert stays.height > 0 and matched.height == stays.height
    ids = encounters["encounter_id"].implode()
    ranks = read(clean, "condition").filter(pl.col("encounter_id").is_in(ids))
    assert set(ranks.filter(pl.col("condition_rank") == "1")["encounter_id"]) == set(
        encounters["encounter_id"]
    )


def test_labs_depend_on_conditions(clean):
    labs = read(clean, "lab_result").with_columns(pl.col("result").cast(float))
    diabetic = read(clean, "condition").filter(pl.col("source_code").str.starts_with("E11"))
    a1c = labs.filter(pl.col("normalized_component_code") == "4548-4").with_columns(
        pl.col("person_id").is_in(diabetic["person_id"].implode()).alias("dm")
    )
    means = dict(a1c.group_by("dm").agg(pl.col("result").mean()).iter_rows())
    assert means[True] > means[False] + 1.0
    hb = labs.filter(pl.col("normalized_component_code") == "718-7")["result"]
    assert hb.is_between(4, 20).all() and (hb < 10).sum() > 0


def test_people_are_split_between_claims_and_ehr(clean):
    members = set(read(clean, "eligibility")["person_id"])
    patients = set(read(clean, "patient")["person_id"])
    both = len(members & patients)
    assert both > 0.6 * PERSONS
    assert len(members - patients) > 0.1 * PERSONS and len(patients - members) > 0.05 * PERSONS


def test_enrollment_has_gaps_disenrolment_and_deaths(clean):
    elig = read(clean, "eligibility")
    spans = elig.group_by("person_id").len()
    assert (spans["len"] > 1).sum() > 0
    assert (elig["enrollment_end_date"] < END.isoformat()).sum() > 0
    dead = elig.filter(pl.col("death_date").is_not_null())
    assert dead.height > 0
    assert (dead["enrollment_end_date"].str.slice(0, 7) <= dead["death_date"].str.slice(0, 7)).all()


def test_every_transfer_is_a_02_discharge_then_an_admission_elsewhere(clean):
    ip = (
        read(clean, "medical_claim")
        .filter(pl.col("bill_type_code") == "111")
        .unique(["claim_id"])
        .sort("person_id", "admission_date")
    )
    nxt = ip.with_columns(
        pl.col("admission_date", "facility_npi").shift(-1).over("person_id").name.suffix("_next")
    )
    transfers = nxt.filter(pl.col("discharge_disposition_code") == "02")
    assert transfers.height > 0
    gap = (
        transfers["admission_date_next"].str.to_date() - transfers["discharge_date"].str.to_date()
    ).dt.total_days()
    assert gap.is_between(0, 1).all()
    assert (transfers["facility_npi"] != transfers["facility_npi_next"]).all()


def test_roster_is_sized_for_the_population(clean):
    roster = read(clean, "case_managers")
    assert roster.height == PERSONS // 250
    assert set(roster["role"]) == {"RN", "SW", "CHW"}
    rn = roster.filter(pl.col("role") == "RN")["capacity_points"].cast(int)
    assert rn.is_between(60, 120).all()
    prefixes = {z[:3] for z in read(clean, "eligibility")["zip_code"]}
    covered = {p for regions in roster["regions"] for p in regions.split("|")}
    assert prefixes <= covered
    assert roster["languages"].str.contains("English").all()
    adi = read(clean, "area_deprivation")["adi_national_percentile"].cast(int)
    assert adi.is_between(1, 100).all()


def test_messiness_zero_touches_nothing(clean):
    assert clean.messiness and not any(clean.messiness.values())
    claims = read(clean, "medical_claim")
    assert claims.select("claim_id", "claim_line_number").is_duplicated().sum() == 0
    assert (claims["paid_amount"].cast(float) >= 0).all()
    ip = claims.filter(pl.col("admission_date").is_not_null())
    assert (ip["discharge_date"] >= ip["admission_date"]).all()
    enc = read(clean, "encounter")
    assert (enc["encounter_end_date"] >= enc["encounter_start_date"]).all()
    assert (claims["paid_date"] <= END.isoformat()).all()


def test_default_messiness_knobs_do_what_they_say(clean, messy):
    touched = messy.messiness
    knobs = (
        "missing_values",
        "duplicate_lines",
        "adjusted_claims",
        "reversed_claims",
        "late_claims",
        "invalid_codes",
        "impossible_dates",
        "ehr_date_shift",
    )
    assert {k: touched[k] for k in knobs if touched[k] == 0} == {}
    claims = read(messy, "medical_claim")
    rx = read(messy, "pharmacy_claim")
    assert (
        claims.is_duplicated().sum() // 2 + rx.is_duplicated().sum() // 2
        == touched["duplicate_lines"]
    )
    ip = claims.filter(pl.col("admission_date").is_not_null()).unique()  # without exact copies
    enc = read(messy, "encounter")
    impossible = (ip["discharge_date"] < ip["admission_date"]).sum() + (
        enc["encounter_end_date"] < enc["encounter_start_date"]
    ).sum()
    assert impossible == touched["impossible_dates"]
    assert (~claims["diagnosis_code_2"].drop_nulls().str.contains(ICD10CM.pattern)).sum() > 0
    assert (~rx["ndc_code"].str.contains(NDC.pattern)).sum() > 0


def test_reversals_void_an_earlier_version_and_are_rebilled(messy):
    claims = read(messy, "medical_claim").with_columns(pl.col("paid_amount").cast(float))
    negative = claims.filter(pl.col("paid_amount") < 0)
    assert negative.height > 0
    key = ["claim_id", "claim_line_number"]
    earlier = negative.join(claims.filter(pl.col("paid_amount") > 0), on=key, suffix="_orig")
    assert (earlier["paid_date_orig"] < earlier["paid_date"]).all()
    assert set(negative["claim_id"]) <= set(earlier["claim_id"])
    rebilled = set(claims["claim_id"].filter(claims["claim_id"].str.ends_with("R")))
    assert {c + "R" for c in negative["claim_id"]} <= rebilled


def test_late_claims_are_missing_only_near_the_extract_date(clean, messy):
    def lines_by_period(summary):
        claims = read(summary, "medical_claim").filter(~pl.col("claim_id").str.ends_with("R"))
        claims = claims.unique(["claim_id", "claim_line_number"])
        recent = claims["claim_end_date"] >= "2024-11-01"
        return int(recent.sum()), int((~recent).sum())

    clean_recent, clean_old = lines_by_period(clean)
    messy_recent, messy_old = lines_by_period(messy)
    assert messy_old == clean_old
    assert 0.5 * clean_recent < messy_recent < 0.9 * clean_recent


def test_missing_values_and_shifted_ehr_dates_are_counted(clean, messy):
    phones = read(messy, "eligibility")["phone"].null_count()
    assert phones > 0 and read(clean, "eligibility")["phone"].null_count() == 0
    cols = ["encounter_id", "encounter_type", "encounter_start_date", "encounter_end_date"]
    both = (
        read(clean, "encounter")
        .select(cols)
        .join(
            read(messy, "encounter").select(cols),
            on=["encounter_id", "encounter_type"],
            suffix="_m",
        )
    )
    moved = both.filter(
        (pl.col("encounter_start_date") != pl.col("encounter_start_date_m"))
        | (pl.col("encounter_end_date") != pl.col("encounter_end_date_m"))
    )
    shifted = messy.messiness["ehr_date_shift"]
    assert shifted <= moved.height <= shifted + messy.messiness["impossible_dates"]
    assert set(moved["encounter_type"]) == {"acute inpatient"}
    plausible = moved.filter(pl.col("encounter_end_date_m") >= pl.col("encounter_start_date_m"))
    for col in ("encounter_start_date", "encounter_end_date"):
        diff = (plausible[col + "_m"].str.to_date() - plausible[col].str.to_date()).dt.total_days()
        assert diff.abs().max() <= 1


def test_command_writes_a_drop_and_prints_a_summary(tmp_path):
    app = typer.Typer()
    app.command()(synth_command)
    out = tmp_path / "landing" / "2025-01-01"
    result = CliRunner().invoke(
        app,
        [
            "--persons",
            "300",
            "--seed",
            "3",
            "--out",
            str(out),
            "--truth-out",
            str(tmp_path / "truth.parquet"),
            "--format",
            "csv.gz",
            "--messiness",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "medical_claim.csv.gz" in result.output
    claims = pl.read_csv(out / "medical_claim.csv.gz", infer_schema=False)
    assert claims.columns == load_contract("medical_claim").column_names and claims.height > 0
    truth = pl.read_parquet(tmp_path / "truth.parquet")
    assert truth.columns == ["task", "person_id", "as_of_date", "true_probability", "outcome"]
    assert Path(tmp_path / "truth_episodes.parquet").exists()


def test_contract_errors_are_exactly_the_injected_impossible_dates(tmp_path):
    drop = generate(300, 8, START, END, tmp_path / "landing" / "2025-01-01", None, messiness=3.0)
    con = duckdb.connect(str(tmp_path / "scratch.duckdb"))
    verdicts = {v.table: v for v in validate_landing(con, tmp_path / "landing", engine="duckdb")}
    assert set(verdicts) == set(TABLES) and not any(v.stops_run for v in verdicts.values())
    errors = {t: v.error_rows for t, v in verdicts.items() if v.error_rows}
    assert set(errors) <= {"medical_claim", "encounter"}
    assert sum(errors.values()) == drop.messiness["impossible_dates"] > 0
    assert verdicts["pharmacy_claim"].warning_rows > 0  # malformed NDCs are warnings
