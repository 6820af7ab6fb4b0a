"""EHR results: social-needs screening answers (observation) and lab results."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.synth.claims_common import ChunkContext, serial_ids
from pipelines.synth.codes import LABS, SCREENING, SOCIAL_DOMAINS
from pipelines.synth.ehr import Encounters
from pipelines.synth.population import People
from pipelines.synth.simulate import History
from pipelines.synth.strings import cat, select
from pipelines.synth.visits import LAB_KEYS, Visits

SCREEN_SENSITIVITY = 0.85
SCREEN_FALSE_POSITIVE = 0.03


def screening(
    rng: np.random.Generator, ctx: ChunkContext, people: People, v: Visits, enc: Encounters
) -> pl.DataFrame:
    """Social-needs screening answers (AHC HRSN / PRAPARE items) at screened office visits."""
    office = enc.frame.filter(pl.col("encounter_type") == "office visit")
    visit = office["_visit"].to_numpy()
    sel = np.flatnonzero(v.screened[visit])
    person = v.person[visit[sel]]
    items = list(SCREENING)
    domain = [
        SOCIAL_DOMAINS.index("food") if k == "food_ran_out" else SOCIAL_DOMAINS.index(k)
        for k in items
    ]
    row = np.repeat(sel, len(items))
    item = np.tile(np.arange(len(items)), sel.size)
    need = people.social[np.repeat(person, len(items)), np.array(domain)[item]]
    positive = np.where(
        need,
        rng.random(row.size) < SCREEN_SENSITIVITY,
        rng.random(row.size) < SCREEN_FALSE_POSITIVE,
    )
    vocab = [a for k in items for a in SCREENING[k][3] + SCREENING[k][4]]
    answer = np.zeros(row.size, dtype=np.int64)
    for j, key in enumerate(items):  # six screening items
        _, _, _, pos, neg = SCREENING[key]
        here = item == j
        first = vocab.index(pos[0])
        pick = np.where(
            positive[here],
            rng.integers(0, len(pos), here.sum()),
            len(pos) + rng.integers(0, len(neg), here.sum()),
        )
        answer[here] = first + pick
    code = cat([SCREENING[k][0] for k in items], item)
    n = row.size
    return pl.DataFrame(
        {
            "observation_id": serial_ids("OB", ctx.chunk, n),
            "person_id": office["person_id"].gather(row),
            "patient_id": office["patient_id"].gather(row),
            "encounter_id": office["encounter_id"].gather(row),
            "panel_id": cat([SCREENING[k][2] for k in items], item),
            "observation_date": office["encounter_start_date"].gather(row),
            "observation_type": pl.repeat("social needs screening", n, eager=True),
            "source_code_type": pl.repeat("loinc", n, eager=True),
            "source_code": code,
            "source_description": cat([SCREENING[k][1] for k in items], item),
            "normalized_code_type": pl.repeat("loinc", n, eager=True),
            "normalized_code": code,
            "normalized_description": cat([SCREENING[k][1] for k in items], item),
            "result": cat(vocab, answer),
            "data_source": pl.repeat("synthetic ehr", n, eager=True),
            "file_name": pl.repeat("observation", n, eager=True),
            "_person": office["_person"].gather(row),
        }
    )


def lab_results(
    rng: np.random.Generator, ctx: ChunkContext, h: History, v: Visits, enc: Encounters
) -> pl.DataFrame:
    """Labs drawn at office visits and on the admission and discharge days of stays."""
    f = enc.frame
    s = h.stays
    office = f.filter(pl.col("encounter_type") == "office visit")
    visit = office["_visit"].to_numpy()
    orow, okey = np.nonzero(v.labs[visit])
    values = [v.lab_values[visit[orow], okey]]
    rows = [office["encounter_id"].gather(orow)]
    persons, days, keys = [office["_person"].to_numpy()[orow]], [v.day[visit[orow]]], [okey]
    inp = f.filter(pl.col("encounter_type") == "acute inpatient")
    stay = inp["_stay"].to_numpy()
    start = ctx.tl.dates(s["adm"][stay]) == inp["encounter_start_date"].to_numpy()
    end = ctx.tl.dates(s["dis"][stay]) == inp["encounter_end_date"].to_numpy()
    for flag, day_key, lab_keys in (
        (start, "adm", ("hb_adm", "na_adm", "cr_adm")),
        (end, "dis", ("hb_dis", "na_dis")),
    ):
        idx = np.flatnonzero(flag)
        for j, name in enumerate(lab_keys):  # at most three labs per draw
            rows.append(inp["encounter_id"].gather(idx))
            values.append(s[name][stay[idx]])
            persons.append(inp["_person"].to_numpy()[idx])
            days.append(s[day_key][stay[idx]])
            keys.append(np.full(idx.size, j))
    return _lab_frame(
        rng,
        ctx,
        rows,
        np.concatenate(values),
        np.concatenate(persons),
        np.concatenate(days),
        np.concatenate(keys),
    )


def _lab_frame(
    rng: np.random.Generator,
    ctx: ChunkContext,
    enc_ids: list[pl.Series],
    value: np.ndarray,
    person: np.ndarray,
    day: np.ndarray,
    key: np.ndarray,
) -> pl.DataFrame:
    spec = [LABS[k] for k in LAB_KEYS]
    low, high = np.array([x[3] for x in spec])[key], np.array([x[4] for x in spec])[key]
    digits = np.array([1, 0, 2, 1])[key]
    text = pl.Series(np.round(value, 2)).round(0).cast(pl.Int64).cast(pl.String)
    text = pl.select(
        pl.when(pl.lit(pl.Series(digits == 1)))
        .then(pl.lit(pl.Series(np.round(value, 1))).cast(pl.String))
        .when(pl.lit(pl.Series(digits == 2)))
        .then(pl.lit(pl.Series(np.round(value, 2))).cast(pl.String))
        .otherwise(pl.lit(text))
    ).to_series()
    when = ctx.tl.dates(day).astype("datetime64[m]") + (360 + rng.integers(0, 600, day.size))
    loinc = cat([x[0] for x in spec], key)
    units = cat([x[2] for x in spec], key)
    n = value.size
    return pl.DataFrame(
        {
            "lab_result_id": serial_ids("LB", ctx.chunk, n),
            "person_id": ctx.person_id.gather(person),
            "patient_id": ctx.patient_id.gather(person),
            "encounter_id": pl.concat(enc_ids),
            "source_component_type": pl.repeat("loinc", n, eager=True),
            "source_component_code": loinc,
            "normalized_component_type": pl.repeat("loinc", n, eager=True),
            "normalized_component_code": loinc,
            "normalized_component_description": cat([x[1] for x in spec], key),
            "status": pl.repeat("final", n, eager=True),
            "result": text,
            "result_datetime": when.astype("datetime64[us]"),
            "collection_datetime": when.astype("datetime64[us]"),
            "source_units": units,
            "normalized_units": units,
            "normalized_reference_range_low": cat([str(x[3]) for x in spec], key),
            "normalized_reference_range_high": cat([str(x[4]) for x in spec], key),
            "normalized_abnormal_flag": select(
                [value < low, value > high], ["low", "high"], "normal"
            ),
            "specimen": pl.repeat("blood", n, eager=True),
            "data_source": pl.repeat("synthetic ehr", n, eager=True),
            "file_name": pl.repeat("lab_result", n, eager=True),
            "_person": person,
            "_end_day": day,
        }
    )
