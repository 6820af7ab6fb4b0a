"""EHR extracts of patients: encounters, conditions, procedures, labs, social-needs screening."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.synth import diagnoses, names
from pipelines.synth.claims_common import ChunkContext, serial_ids
from pipelines.synth.claims_facility import admit_type
from pipelines.synth.providers import Providers
from pipelines.synth.simulate import History
from pipelines.synth.strings import cat, const, from_array, where
from pipelines.synth.visits import Visits


@dataclass
class Encounters:
    """All EHR encounters of a chunk plus their diagnosis matrices (for the condition table)."""

    frame: pl.DataFrame
    person: np.ndarray
    start: np.ndarray
    dx: list[np.ndarray]  # one matrix per encounter family, rows aligned with `frame` slices
    inpatient: np.ndarray  # bool per encounter
    ids: pl.Series


def _family(
    ctx: ChunkContext,
    person: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    kind: str,
    dx: np.ndarray,
    **extra: object,
) -> pl.DataFrame:
    ongoing = end > ctx.tl.n_days - 1  # still in hospital on the extract date: no end yet
    cols = {
        "person_id": ctx.person_id.gather(person),
        "patient_id": ctx.patient_id.gather(person),
        "encounter_type": pl.repeat(kind, person.size, eager=True),
        "encounter_start_date": ctx.tl.dates(start),
        "encounter_end_date": np.where(ongoing, np.datetime64("NaT"), ctx.tl.dates(end)),
        "primary_diagnosis_code_type": pl.repeat("icd-10-cm", person.size, eager=True),
        "primary_diagnosis_code": diagnoses.to_strings(dx[:, 0]),
        "data_source": pl.repeat("synthetic ehr", person.size, eager=True),
        "file_name": pl.repeat("encounter", person.size, eager=True),
        "_person": person,
        "_start": start,
    }
    return pl.DataFrame(cols | extra)


def _inpatient(
    ctx: ChunkContext, h: History, legs: dict, stay_dx: np.ndarray, ehr: np.ndarray, prov: Providers
) -> tuple[pl.DataFrame, np.ndarray]:
    s = h.stays
    li = np.flatnonzero(ehr[s["person"][legs["stay"]]])
    stay, hosp = legs["stay"][li], legs["hospital"][li]
    adm, dis = legs["adm"][li], legs["dis"][li]
    frame = _family(
        ctx,
        s["person"][stay],
        adm,
        dis,
        "acute inpatient",
        stay_dx[stay],
        length_of_stay=pl.Series(np.where(dis <= ctx.tl.n_days - 1, dis - adm, -1))
        .replace(-1, None)
        .cast(pl.Int32),
        admit_source_code=from_array(legs["admit_source"][li]),
        admit_type_code=admit_type(s, stay),
        discharge_disposition_code=from_array(
            np.where(dis <= ctx.tl.n_days - 1, legs["dispo"][li], "")
        ).replace("", None),
        facility_npi=prov.hospital_npi(hosp),
        facility_name=cat(names.HOSPITALS, hosp),
        drg_code_type=const("ms-drg", li.size),
        drg_code=from_array(s["drg"][stay]),
        attending_provider_id=prov.pick("hospitalist", stay + s["person"][stay] * 31),
        _stay=stay,
    )
    return frame, stay_dx[stay]


def encounters(
    ctx: ChunkContext,
    h: History,
    legs: dict,
    stay_dx: np.ndarray,
    v: Visits,
    visit_dx: np.ndarray,
    ed: dict,
    ehr: np.ndarray,
    prov: Providers,
) -> Encounters:
    """Acute inpatient legs, treat-and-release ED visits and office visits of EHR patients."""
    inpatient, inpatient_dx = _inpatient(ctx, h, legs, stay_dx, ehr, prov)
    ei = np.flatnonzero(ehr[h.ed_person])
    ed_hosp = ed["hospital"][ei]
    emergency = _family(
        ctx,
        h.ed_person[ei],
        h.ed_day[ei],
        h.ed_day[ei],
        "emergency department",
        ed["dx"][ei],
        discharge_disposition_code=const("01", ei.size),
        facility_npi=prov.hospital_npi(ed_hosp),
        facility_name=cat(names.HOSPITALS, ed_hosp),
    )
    oi = np.flatnonzero(ehr[v.person])
    office = _family(
        ctx,
        v.person[oi],
        v.day[oi],
        v.day[oi],
        "office visit",
        visit_dx[oi],
        facility_npi=prov.pick("clinic", v.person[oi] % 11),
        attending_provider_id=prov.pick("pcp", ctx.first + v.person[oi]),
        _visit=oi,
    )
    frame = pl.concat([inpatient, emergency, office], how="diagonal_relaxed")
    ids = serial_ids("EN", ctx.chunk, frame.height)
    frame = frame.with_columns(ids.alias("encounter_id"))
    is_inpatient = np.arange(frame.height) < inpatient.height
    dx = [inpatient_dx, ed["dx"][ei], visit_dx[oi]]
    return Encounters(
        frame, frame["_person"].to_numpy(), frame["_start"].to_numpy(), dx, is_inpatient, ids
    )


def conditions(ctx: ChunkContext, enc: Encounters) -> pl.DataFrame:
    """One row per diagnosis of each encounter; rank 1 is the primary diagnosis."""
    dx = np.concatenate(
        [np.pad(m, ((0, 0), (0, 25 - m.shape[1])), constant_values=-1) for m in enc.dx]
    )
    row, col = np.nonzero(dx >= 0)
    n = row.size
    return pl.DataFrame(
        {
            "condition_id": serial_ids("CN", ctx.chunk, n),
            "person_id": ctx.person_id.gather(enc.person[row]),
            "patient_id": ctx.patient_id.gather(enc.person[row]),
            "encounter_id": enc.ids.gather(row),
            "recorded_date": ctx.tl.dates(enc.start[row]),
            "status": pl.repeat("active", n, eager=True),
            "condition_type": where(
                enc.inpatient[row], "discharge_diagnosis", "encounter_diagnosis"
            ),
            "source_code_type": pl.repeat("icd-10-cm", n, eager=True),
            "source_code": diagnoses.to_strings(dx[row, col]),
            "normalized_code_type": pl.repeat("icd-10-cm", n, eager=True),
            "normalized_code": diagnoses.to_strings(dx[row, col]),
            "condition_rank": (col + 1).astype(np.int32),
            "data_source": pl.repeat("synthetic ehr", n, eager=True),
            "file_name": pl.repeat("condition", n, eager=True),
            "_person": enc.person[row],
        }
    )


def procedures(ctx: ChunkContext, h: History, enc: Encounters) -> pl.DataFrame:
    """ICD-10-PCS procedures of inpatient encounters (on the leg that ends the episode)."""
    f = enc.frame.filter(pl.col("encounter_type") == "acute inpatient")
    s = h.stays
    stay = f["_stay"].to_numpy()
    last = f["encounter_end_date"].to_numpy() == ctx.tl.dates(s["dis"][stay])
    pcs = np.stack([s["pcs1"][stay], s["pcs2"][stay], s["pcs3"][stay]], 1)
    row, col = np.nonzero((pcs != "") & last[:, None])
    day = s["adm"][stay][row] + (s["dis"][stay][row] > s["adm"][stay][row])
    n = row.size
    return pl.DataFrame(
        {
            "procedure_id": serial_ids("PR", ctx.chunk, n),
            "person_id": f["person_id"].gather(row),
            "patient_id": f["patient_id"].gather(row),
            "encounter_id": f["encounter_id"].gather(row),
            "procedure_date": ctx.tl.dates(day),
            "source_code_type": pl.repeat("icd-10-pcs", n, eager=True),
            "source_code": from_array(pcs[row, col]),
            "normalized_code_type": pl.repeat("icd-10-pcs", n, eager=True),
            "normalized_code": from_array(pcs[row, col]),
            "practitioner_id": f["attending_provider_id"].gather(row),
            "data_source": pl.repeat("synthetic ehr", n, eager=True),
            "file_name": pl.repeat("procedure", n, eager=True),
            "_person": f["_person"].gather(row),
        }
    )
