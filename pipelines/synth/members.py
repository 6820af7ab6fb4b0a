"""Eligibility (health-plan members, one row per enrollment span) and EHR patient rows."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.synth import names
from pipelines.synth.claims_common import ChunkContext
from pipelines.synth.population import People
from pipelines.synth.strings import select

DUAL_CODES = np.array(["02", "04", "08"])
IDENTITY = [
    "name_suffix",
    "first_name",
    "middle_name",
    "last_name",
    "social_security_number",
    "address",
    "city",
    "state",
    "zip_code",
    "phone",
    "email",
]


def eligibility(
    rng: np.random.Generator,
    ctx: ChunkContext,
    people: People,
    ident: pl.DataFrame,
    death: np.ndarray,
) -> pl.DataFrame:
    """One row per enrollment span with the member's demographics and contact details."""
    sp = ctx.spans
    p = sp["person"]
    n = p.size
    payer = people.payer[p]
    dual_code = DUAL_CODES[rng.integers(0, 3, people.n)][p]
    died = death[p] < ctx.tl.n_days
    aged = people.age0[p] >= 65
    rows = ident[p]
    return rows.select(
        pl.Series("person_id", ctx.person_id.gather(p)),
        pl.Series("member_id", ctx.member_id.gather(p)),
        pl.Series("subscriber_id", ctx.member_id.gather(p)),
        pl.col("sex").alias("gender"),
        pl.col("race"),
        pl.col("ethnicity"),
        pl.col("birth_date"),
        pl.Series(
            "death_date",
            np.where(died, ctx.tl.dates(np.minimum(death[p], 10**5)), np.datetime64("NaT")),
        ),
        pl.Series("death_flag", died.astype(np.int32)),
        pl.Series("enrollment_start_date", sp["start"]),
        pl.Series("enrollment_end_date", sp["end"]),
        pl.Series("payer", ctx.payer_name.gather(p)),
        pl.col("payer_type"),
        pl.Series("plan", ctx.plan_name.gather(p)),
        select([np.isin(payer, (0, 1)) & aged, np.isin(payer, (0, 1))], ["0", "1"], None).alias(
            "original_reason_entitlement_code"
        ),
        pl.Series("dual_status_code", np.select([payer == 1, payer == 2], [dual_code, "00"], "NA")),
        select([np.isin(payer, (0, 1)) & aged, np.isin(payer, (0, 1))], ["10", "20"], None).alias(
            "medicare_status_code"
        ),
        pl.Series("subscriber_relation", np.full(n, "self")),
        *[pl.col(c) for c in IDENTITY],
        pl.lit("synthetic health plan").alias("data_source"),
        pl.lit("eligibility").alias("file_name"),
        pl.lit(ctx.tl.end).alias("file_date"),
        pl.Series("_person", p),
    )


def patients(
    ctx: ChunkContext, people: People, ident: pl.DataFrame, death: np.ndarray, ehr: np.ndarray
) -> pl.DataFrame:
    """One row per EHR patient."""
    p = np.flatnonzero(ehr)
    died = death[p] < ctx.tl.n_days
    return ident[p].select(
        pl.Series("person_id", ctx.person_id.gather(p)),
        pl.Series("patient_id", ctx.patient_id.gather(p)),
        "name_suffix",
        "first_name",
        "middle_name",
        "last_name",
        "sex",
        "race",
        "ethnicity",
        "birth_date",
        pl.Series(
            "death_date",
            np.where(died, ctx.tl.dates(np.minimum(death[p], 10**5)), np.datetime64("NaT")),
        ),
        pl.Series("death_flag", died.astype(np.int32)),
        "social_security_number",
        "address",
        "city",
        "state",
        "zip_code",
        "county",
        "phone",
        "email",
        "preferred_language",
        pl.lit("synthetic ehr").alias("data_source"),
        pl.lit("patient").alias("file_name"),
        pl.Series("_person", p),
    )


def payer_labels(payer: np.ndarray) -> tuple[pl.Series, pl.Series]:
    """Payer and plan names per person."""
    keys = ("medicare", "dual", "medicaid", "commercial")
    payer_name = np.array([names.PAYERS[k][0] for k in keys])[payer]
    plan_name = np.array([names.PAYERS[k][1] for k in keys])[payer]
    return pl.Series(payer_name), pl.Series(plan_name)
