"""FHIR RiskAssessment export: one resource per scored patient and task."""

import json
import stat

import duckdb

from reports.risk_assessment import write_risk_assessments


def _scores(con):
    con.execute(
        "create table ml_scores (run_id varchar, task varchar, person_id varchar, as_of_date date,"
        " probability double, tier integer, reasons varchar)"
    )
    con.execute(
        """insert into ml_scores values
        ('r1', 'readmission_30d', 'p1', '2024-12-30', 0.4123456, 1,
         '["4 ED visits in the last 6 months", "Sodium 131 mmol/L at discharge"]'),
        ('r1', 'admission_90d', 'p2', '2025-01-01', 0.05, 4, '[]'),
        ('r0', 'readmission_30d', 'p1', '2024-12-29', 0.3, 2, '[]')"""
    )


def test_one_resource_per_scored_patient_of_the_run(tmp_path):
    con = duckdb.connect()
    _scores(con)
    out = tmp_path / "latest" / "risk_assessments.ndjson"
    assert write_risk_assessments(con, "r1", out) == 2
    lines = out.read_text().splitlines()
    assert len(lines) == 2
    resources = [json.loads(line) for line in lines]
    assert {r["resourceType"] for r in resources} == {"RiskAssessment"}
    first = next(r for r in resources if r["subject"]["reference"] == "Patient/p1")
    prediction = first["prediction"][0]
    assert prediction["probabilityDecimal"] == 0.4123
    assert prediction["qualitativeRisk"]["coding"][0]["code"] == "high"
    assert prediction["qualitativeRisk"]["text"] == "Tier 1"
    assert "4 ED visits in the last 6 months" in prediction["rationale"]
    assert first["occurrenceDateTime"] == "2024-12-30"
    low = next(r for r in resources if r["subject"]["reference"] == "Patient/p2")
    assert low["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == "low"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
