"""Build every table of one chunk of people (deterministic for seed and chunk number)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.synth import members, phi
from pipelines.synth.claims_common import ChunkContext
from pipelines.synth.enrollment import enrolled_on, make_enrollment
from pipelines.synth.geography import Geography
from pipelines.synth.messiness import MessinessConfig
from pipelines.synth.population import People, make_people
from pipelines.synth.providers import Providers
from pipelines.synth.simulate import History, simulate
from pipelines.synth.strings import from_array
from pipelines.synth.tables import render
from pipelines.synth.timeline import Timeline
from pipelines.synth.truth import admission_truth, readmission_truth
from pipelines.synth.untidy import make_untidy


@dataclass
class Chunk:
    """Frames to write per table (after messiness), truth, and rows touched per knob."""

    tables: dict[str, list[pl.DataFrame]]
    truth: pl.DataFrame
    episodes: pl.DataFrame
    touched: Counter


def _streams(seed: int, chunk: int) -> Callable[[int], np.random.Generator]:
    def rng(stream: int) -> np.random.Generator:
        return np.random.default_rng([seed, chunk, stream])

    return rng


def simulate_chunk(
    seed: int, chunk: int, first: int, n: int, tl: Timeline, geo: Geography
) -> tuple[People, History, dict]:
    """People first..first+n-1, their history and their enrollment spans."""
    rng = _streams(seed, chunk)
    people = make_people(rng(1), n, first, tl, geo)
    h = simulate(rng(2), people, tl)
    return people, h, make_enrollment(rng(3), people, tl, h.death)


def build_chunk(
    seed: int,
    chunk: int,
    first: int,
    n: int,
    tl: Timeline,
    geo: Geography,
    prov: Providers,
    cfg: MessinessConfig,
) -> Chunk:
    """People first..first+n-1: simulate, render every extract, then make it messy."""
    rng = _streams(seed, chunk)
    people, h, spans = simulate_chunk(seed, chunk, first, n, tl, geo)
    payer_name, plan_name = members.payer_labels(people.payer)
    ctx = ChunkContext(
        tl=tl,
        chunk=chunk,
        first=first,
        person_id=phi.person_ids(first, n),
        member_id=phi.member_ids(first, n),
        patient_id=phi.patient_ids(first, n),
        payer=people.payer,
        payer_name=payer_name,
        plan_name=plan_name,
        spans=spans,
        pay_rng=rng(18),
        late_rate=cfg.late_claims,
    )
    tables, touched = make_untidy(rng(19), render(rng, ctx, people, h, geo, prov), cfg, tl)
    touched["late_claims"] += ctx.late_lines
    truth, episodes = truth_frames(ctx.person_id, tl, people, h, spans)
    return Chunk(tables, truth, episodes, touched)


def truth_frames(
    person_id: pl.Series, tl: Timeline, people: People, h: History, spans: dict
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The truth rows of both tasks and the episode record of a chunk."""
    months = tl.as_of_months(90)
    dates = tl.dates(tl.month_start[months])
    enrolled = np.zeros((people.n, len(months)), dtype=bool)
    for j, d in enumerate(dates):  # one column per as-of month
        enrolled[:, j] = enrolled_on(spans, people.n, d)
    r = readmission_truth(h, tl)
    a = admission_truth(h, tl, enrolled)
    frames = [
        pl.DataFrame(
            {
                "task": task,
                "person_id": person_id.gather(t["person"]),
                "as_of_date": tl.dates(t["day"]),
                "true_probability": t["prob"],
                "outcome": t["outcome"].astype(np.int8),
            }
        )
        for task, t in (("readmission_30d", r), ("admission_90d", a))
    ]
    return pl.concat(frames), _episodes(person_id, tl, h, r)


def _episodes(person_id: pl.Series, tl: Timeline, h: History, r: dict) -> pl.DataFrame:
    s = h.stays
    n = len(s["adm"])
    label = np.full(n, -1, dtype=np.int8)
    label[r["stay"]] = r["outcome"]
    prob = np.full(n, np.nan)
    prob[r["stay"]] = r["prob"]
    censored = s["index"] & (s["dis"] + 30 > tl.n_days - 1)
    return pl.DataFrame(
        {
            "person_id": person_id.gather(s["person"]),
            "admission_date": tl.dates(s["adm"]),
            "discharge_date": tl.dates(s["dis"]),
            "planned": s["kind"] != 0,
            "is_index": s["index"],
            "unplanned_readmit_30": pl.Series(label).replace(-1, None).cast(pl.Boolean),
            "censored": censored,
            "readmit_probability": pl.Series(prob).fill_nan(None),
            "principal_diagnosis_code": from_array(s["dx"]),
            "discharge_disposition_code": from_array(s["dispo"]),
            "drg_code": from_array(s["drg"]),
            "transfer": s["transfer"],
            "procedure_code_1": from_array(s["pcs1"]).replace("", None),
        }
    )
