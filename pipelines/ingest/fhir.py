"""The FHIR R4 Bulk Data adapter: flatten one NDJSON file into rows shaped like the raw tables.

Everything is DuckDB SQL over `read_ndjson_objects` (sql/ingest/fhir_*.sql); no per-resource
Python objects. Each staged table has `__row`, `__line` (the NDJSON line) and text columns named
as in the contracts, so the same rules, quarantine and loader apply as for flat files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.ingest.discovery import LandingFile
from sql.ingest import fragment, ident, render, run_script, set_variables

# Resource type -> (raw table, SQL file) for each table its rows feed.
FHIR_TARGETS: dict[str, tuple[tuple[str, str], ...]] = {
    "Patient": (("patient", "fhir_patient"),),
    "Coverage": (("eligibility", "fhir_coverage"),),
    "Encounter": (("encounter", "fhir_encounter"),),
    "Condition": (("condition", "fhir_condition"),),
    "Procedure": (("procedure", "fhir_procedure"),),
    "MedicationRequest": (("medication", "fhir_medication_request"),),
    "MedicationDispense": (("medication", "fhir_medication_dispense"),),
    "Observation": (
        ("lab_result", "fhir_observation_lab"),
        ("observation", "fhir_observation_other"),
    ),
    "ExplanationOfBenefit": (
        ("medical_claim", "fhir_eob_medical_claim"),
        ("pharmacy_claim", "fhir_eob_pharmacy_claim"),
    ),
}


@dataclass(frozen=True)
class StagedFhir:
    """One NDJSON file flattened: its line counts and a staged table per raw table it feeds."""

    lines: int
    resources: int
    tables: tuple[tuple[str, str], ...]

    @property
    def other_lines(self) -> int:
        """Lines holding another resource type than the file name announces (ignored)."""
        return self.lines - self.resources


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the FHIR SQL macros on this connection."""
    run_script(con, "fhir_macros")


def _prepare_claims(con: duckdb.DuckDBPyConnection) -> None:
    run_script(con, "fhir_eob_codes")
    has_codes = con.execute("select count(*) from __fhir_eob_codes").fetchone()[0]
    run_script(con, "fhir_eob_codes_wide" if has_codes else "fhir_eob_codes_none")
    run_script(con, "fhir_eob_claims")


def _prepare_patients(con: duckdb.DuckDBPyConnection, patient_files: list[Path]) -> None:
    if patient_files:
        set_variables(con, {"readmit_patient_files": [str(p) for p in patient_files]})
        run_script(con, "fhir_patient_lines")
    else:
        run_script(con, "fhir_no_patient_lines")


def stage_fhir(
    con: duckdb.DuckDBPyConnection, f: LandingFile, patient_files: list[Path]
) -> StagedFhir:
    """Read `f` and stage `__fhir_<table>` for every raw table its resource type feeds."""
    set_variables(con, {"readmit_file": str(f.path), "readmit_resource": f.resource})
    run_script(con, "fhir_lines")
    lines = con.execute("select count(*) from __fhir_all_lines").fetchone()[0]
    resources = con.execute("select count(*) from __fhir_lines").fetchone()[0]
    if f.resource == "ExplanationOfBenefit":
        _prepare_claims(con)
    if f.resource == "Coverage":
        _prepare_patients(con, patient_files)
    patients = fragment("fhir_patient", lines="__fhir_patient_lines")
    staged = []
    for table, sql_name in FHIR_TARGETS[f.resource]:
        name = f"__fhir_{table}"
        query = fragment(sql_name, lines="__fhir_lines", patient_query=patients)
        con.execute(render("fhir_stage", staged=ident(name), query=query))
        staged.append((table, name))
    return StagedFhir(lines, resources, tuple(staged))


def staged_columns(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """The contract columns a staged table carries (without its row ids)."""
    rows = con.execute(render("describe_table", table=ident(name))).fetchall()
    return [r[0] for r in rows if r[0] not in ("__row", "__line")]
