"""Feature values of the hand-made persons (fixture_data.hand_persons), worked out by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from features.matrix import feature_matrix

# h1, readmission_30d as of 2018-03-06 (stay 03-01 to 03-06, admit type 1, ED visit 02-28).
H1_INDEX = {
    "age_years": 76,  # born 1941-06-15
    "is_female": True,
    "payer_medicare": True,
    "dual_eligible": False,
    "ip_stays_12m": 1,  # 2017-12-01 stay; the index stay itself is not prior use
    "ed_visits_6m": 1,  # 01-15; the 02-28 visit led to the index admission
    "outpatient_visits_12m": 1,  # office visit 02-10
    "index_los_days": 5,
    "days_since_last_discharge": 87,  # 2017-12-04 to 2018-03-01
    # Charlson: CHF I5023 1 + diabetes with complications E1122 2 + renal N1831 2 + COPD J441 1
    "charlson_index": 6,
    "elix_chf": True,
    "elix_dmcx": True,
    "elix_dm": False,
    "elix_renlfail": True,
    "hemoglobin_at_discharge": 11.5,
    "sodium_at_discharge": 133.0,
    "oncology_discharge": False,
    "procedure_during_stay": True,  # ICD-10-PCS 5A09357
    "urgent_admission": True,
    "active_medications_90d": 2,  # atorvastatin, lisinopril
    # statins: 30-day fills 12-15, 01-20, 02-25 -> 30 + 30 + 10 days covered of 82 from 12-15
    "pdc_statins": round(70 / 82, 4),
    # lisinopril: 90-day fills 01-05 and 02-20 -> the refill starts 04-05, so 01-05..03-06 covered
    "pdc_ras_antagonists": 1.0,
    "pdc_diabetes_oral": None,
    "sdoh_dx_food": True,  # Z5941 at the 02-10 visit
    "sdoh_dx_isolation": True,  # Z602 on the index stay
    "lives_alone": True,
    "sdoh_dx_housing": False,
    "screen_food": True,  # "Often true"
    "screen_housing": False,  # "I have a steady place to live"
    "screen_transport": False,
    "screen_financial": True,  # "Very hard"
    "screen_isolation": True,  # "Less than once a week"
    "social_needs_count": 3,  # food, isolation, financial
    "adi_national_percentile": 87.0,
    # LACE: L 5 days 4 + A 3 + C 6 -> 5 + E 1 = 13; HOSPITAL: Hb 1 + Na 1 + procedure 1 +
    # urgent 1 + LOS >= 5 2 (one admission in the previous year scores 0) = 6
    "lace_score": 13,
    "hospital_score": 6,
}
# h2, readmission_30d as of 2018-05-09: elective pneumonia stay with lung cancer and metastases.
H2_INDEX = {
    "is_female": False,
    "payer_medicare": True,
    "payer_medicaid": True,
    "dual_eligible": True,
    "oncology_discharge": True,
    "urgent_admission": False,
    "procedure_during_stay": False,
    "hemoglobin_at_discharge": 12.5,  # 125 g/L
    "sodium_at_discharge": None,
    "elix_mets": True,
    "elix_tumor": False,  # metastases supersede the tumour
    "charlson_index": 6,  # metastatic 6 supersedes malignancy 2
    "pdc_diabetes_oral": round(60 / 98, 4),  # 30-day fills 02-01, 04-01; 02-01..05-09 is 98 days
    "sdoh_dx_transport": True,
    "screen_food": None,  # never screened
    "adi_national_percentile": None,  # ZIP not in the area file
    "hospital_score": 2 + 2,  # oncology 2 + LOS 7 days 2
}
# h1, admission_90d as of 2018-04-01 (cutoff 03-31): no index stay, every stay counts.
H1_MONTH = {
    "ip_stays_6m": 2,
    "ed_visits_6m": 2,
    "days_since_last_discharge": 26,  # 03-06 to 04-01
    "hemoglobin_last_12m": 11.5,
    "sodium_last_12m": 133.0,
    "screen_food": True,
}


def _row(con: duckdb.DuckDBPyConnection, task: str, person: str, as_of: str) -> dict:
    frame = feature_matrix(con, task, as_of=as_of).filter(person_id=person)
    assert frame.height == 1
    return frame.to_dicts()[0]


@pytest.mark.parametrize(
    ("task", "person", "as_of", "expected"),
    [
        ("readmission_30d", "h1", "2018-03-06", H1_INDEX),
        ("readmission_30d", "h2", "2018-05-09", H2_INDEX),
        ("admission_90d", "h1", "2018-04-01", H1_MONTH),
    ],
    ids=["h1-index", "h2-index", "h1-month"],
)
def test_hand_worked_values(built, task: str, person: str, as_of: str, expected: dict) -> None:
    row = _row(built, task, person, as_of)
    got = {name: row[name] for name in expected}
    assert got == pytest.approx(expected)


def test_feature_matrix_reads_a_warehouse_file(built, tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    copy = duckdb.connect(str(path))
    copy.register("frame", built.execute("select * from ml_features_admission_90d").arrow())
    copy.execute("create table ml_features_admission_90d as select * from frame")
    copy.close()
    everything = feature_matrix(path, "admission_90d")
    one_month = feature_matrix(str(path), "admission_90d", as_of=date(2018, 6, 1))
    assert everything.height > one_month.height > 0
    assert set(one_month["as_of_date"].to_list()) == {date(2018, 6, 1)}
    with pytest.raises(LookupError, match="readmit build"):
        feature_matrix(path, "readmission_30d")
    with pytest.raises(ValueError, match="unknown task"):
        feature_matrix(path, "admission_30d")
