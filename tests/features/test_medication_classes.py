"""Chronic medication classes on real extracts: ATC codes, drug names and the NDC crosswalk."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sql.runner import build
from tests.sql.conftest import load_raw, rows


def classes(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(code type, code) -> {(class, ingredient)} from int_medication_class_codes."""
    found: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for r in rows(con, "select * from int_medication_class_codes"):
        found.setdefault((r["code_type"], r["code"]), set()).add((r["med_class"], r["ingredient"]))
    return found


@pytest.fixture
def synthea(warehouse: duckdb.DuckDBPyConnection, shared_dir: Path) -> duckdb.DuckDBPyConnection:
    """The shared Synthea sample's MedicationRequests (RxNorm code and name) as EHR medications."""
    path = shared_dir / "data" / "synthea_bulk_fhir_10" / "MedicationRequest.000.ndjson"
    if not path.is_file():
        pytest.skip("../shared/data/synthea_bulk_fhir_10 is not present on this machine")
    warehouse.execute(
        "insert into raw_medication (medication_id, person_id, prescribing_date, rxnorm_code, "
        "rxnorm_description) select id, subject.reference, cast(left(authoredOn, 10) as date), "
        "medicationCodeableConcept.coding[1].code, medicationCodeableConcept.coding[1].display "
        "from read_json_auto(?)",
        [str(path)],
    )
    build(warehouse, ["int_medication_class_codes"])
    return warehouse


def test_real_ehr_prescriptions_get_their_class(synthea: duckdb.DuckDBPyConnection) -> None:
    found = classes(synthea)
    by_name = {
        r["rxnorm_description"]: found.get(("rxnorm", r["rxnorm_code"]), set())
        for r in rows(
            synthea, "select distinct rxnorm_code, rxnorm_description from stg_medication"
        )
    }
    assert by_name["lisinopril 10 MG Oral Tablet"] == {("ras_antagonists", "lisinopril")}
    assert by_name["Simvastatin 10 MG Oral Tablet"] == {("statins", "simvastatin")}
    metformin = "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet"
    assert by_name[metformin] == {("diabetes_oral", "metformin")}
    # insulin is not in the diabetes all class; other chronic drugs are in no adherence class
    others = ("insulin", "Hydrochlorothiazide", "24 HR met")
    not_classed = [n for n in by_name if n.startswith(others)]
    assert len(not_classed) == 3 and all(by_name[n] == set() for n in not_classed)
    classed = {n for n, c in by_name.items() if c}
    assert classed == {"lisinopril 10 MG Oral Tablet", "Simvastatin 10 MG Oral Tablet",
                       "Simvastatin 20 MG Oral Tablet", metformin}  # fmt: skip


def test_tuva_fills_take_the_class_of_their_ndc_from_ehr_records(
    warehouse: duckdb.DuckDBPyConnection, tuva_dir: Path
) -> None:
    """Tuva pharmacy claims carry only an NDC; an EHR record of the same product lends its class.

    The ATC codes here are assigned by the test to two of the sample's NDCs (the mechanism, not a
    drug fact); the third record names sacubitril/valsartan, excluded from the RAS measure.
    """
    from tests.sql.test_tuva_claims import load_tuva_csv

    load_tuva_csv(warehouse, "pharmacy_claim", tuva_dir / "pharmacy_claim.csv")
    load_raw(warehouse, "medication", [
        {"medication_id": "m1", "person_id": "x", "dispensing_date": "2017-01-01",
         "ndc_code": "60505-0253-01", "atc_code": "c10aa05", "rxnorm_code": None},
        {"medication_id": "m2", "person_id": "x", "dispensing_date": "2017-01-01",
         "ndc_code": "43547039705", "atc_code": "C09DX04"},
        {"medication_id": "m3", "person_id": "x", "dispensing_date": "2017-01-01",
         "ndc_code": "28595012049", "rxnorm_description": "sacubitril 49 MG / valsartan 51 MG"},
    ])  # fmt: skip
    build(warehouse, ["int_medication_class_codes", "stg_pharmacy_claim"])
    found = classes(warehouse)
    assert found[("ndc", "605050253")] == {("statins", "atorvastatin")}
    assert ("ndc", "435470397") not in found and ("ndc", "285950120") not in found
    fills = rows(
        warehouse,
        "select c.med_class, count(*) as n from stg_pharmacy_claim as f "
        "join int_medication_class_codes as c "
        "on c.code_type = 'ndc' and left(f.ndc_code, 9) = c.code "
        "group by c.med_class",
    )
    assert fills == [{"med_class": "statins", "n": 39}]  # every sample fill of that NDC


def test_atc_takes_the_longest_prefix_and_names_match_whole_words(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    load_raw(warehouse, "medication", [
        {"medication_id": "a", "person_id": "x", "rxnorm_code": "r1", "atc_code": "A10BA02"},
        {"medication_id": "b", "person_id": "x", "rxnorm_code": "r2", "atc_code": "A10BF01"},
        {"medication_id": "c", "person_id": "x", "rxnorm_code": "r3",
         "rxnorm_description": "amlodipine 5 MG / atorvastatin 10 MG Oral Tablet"},
        {"medication_id": "d", "person_id": "x", "rxnorm_code": "r4",
         "source_description": "Metformin HCl 500 mg / sitagliptin 50 mg"},
        {"medication_id": "e", "person_id": "x", "rxnorm_code": "r5",
         "source_description": "prelisinoprilx (not a word match)"},
        {"medication_id": "f", "person_id": "x", "rxnorm_code": "r6", "atc_code": "C09AA03",
         "source_description": "an ATC code wins over the name: simvastatin"},
    ])  # fmt: skip
    build(warehouse, ["int_medication_class_codes"])
    found = classes(warehouse)
    assert found[("rxnorm", "r1")] == {("diabetes_oral", "metformin")}
    assert ("rxnorm", "r2") not in found  # acarbose: alpha-glucosidase, not in the PQA class
    assert found[("rxnorm", "r3")] == {("statins", "atorvastatin")}
    assert found[("rxnorm", "r4")] == {("diabetes_oral", "metformin")}
    assert ("rxnorm", "r5") not in found
    assert found[("rxnorm", "r6")] == {("ras_antagonists", "lisinopril")}
