"""Caseload assignment: costs, continuity, releases, capacity and the shortfall."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from reports.assign_costs import CostTable, cost_rows
from reports.caseload import assign_caseloads


def people(rows: list[tuple]) -> pl.DataFrame:
    """Rows of (person, tier, probability, social, clinical, language, zip3, county) and
    optionally (deceased, disenrolled)."""
    full = [r + (False, False) if len(r) == 8 else r for r in rows]
    cols = ["person_id", "tier", "probability", "social_need", "clinical_need", "language",
            "zip3", "county", "deceased", "disenrolled"]  # fmt: skip
    return pl.DataFrame(full, schema=cols, orient="row")


def roster(rows: list[tuple]) -> pl.DataFrame:
    """(cm_id, role, capacity, languages, regions[, active])."""
    full = [r + (True,) if len(r) == 5 else r for r in rows]
    cols = ["cm_id", "role", "capacity_points", "languages", "regions", "active"]
    return pl.DataFrame(full, schema=cols, orient="row")


NO_PREVIOUS = pl.DataFrame(schema={"person_id": pl.String, "cm_id": pl.String})


def placed(result) -> dict[str, str | None]:
    rows = result.assignments.filter(pl.col("status").is_in(["new", "continued", "unassigned"]))
    return dict(zip(rows["person_id"], rows["cm_id"], strict=True))


def test_cost_table_role_language_region():
    combos = pl.DataFrame({
        "need": ["clinical", "social", "general"], "language": ["spanish", None, "English"],
        "zip3": ["787", None, None], "county": [None, "Dallas", None],
    })  # fmt: skip
    cms = roster(
        [("rn", "RN", 9, ["English"], ["787"]), ("sw", "SW", 9, ["Spanish"], ["Dallas County"])]
    )
    cost = cost_rows(combos, cms, CostTable())
    # clinical Spanish speaker in 787: RN fits role and region, not language (8); SW: 6 + 3
    assert cost[0].tolist() == [8.0, 9.0]
    # social need, language unknown (no charge), Dallas: RN 6 + region 3; SW 0
    assert cost[1].tolist() == [9.0, 0.0]
    # general, English, region unknown: RN 0; SW 3 + language 8
    assert cost[2].tolist() == [0.0, 11.0]


def test_roles_languages_and_regions_steer_new_patients():
    ps = people([
        ("social", 2, 0.3, True, False, "english", "787", None),
        ("clinic", 2, 0.3, False, True, "english", "787", None),
        ("spanish", 2, 0.3, False, False, "spanish", "787", None),
    ])  # fmt: skip
    cms = roster([
        ("rn_en", "RN", 2, ["English"], ["787"]),
        ("rn_es", "RN", 2, ["Spanish", "English"], ["787"]),
        ("sw", "SW", 2, ["English"], ["787"]),
    ])  # fmt: skip
    result = assign_caseloads(ps, cms, NO_PREVIOUS)
    assert placed(result) == {"social": "sw", "clinic": "rn_en", "spanish": "rn_es"}
    assert result.optimal


def test_highest_risk_covered_when_capacity_is_short():
    ps = people(
        [
            (f"p{i}", 2, p, False, False, None, None, None)
            for i, p in enumerate([0.2, 0.5, 0.3, 0.4])
        ]
    )
    result = assign_caseloads(ps, roster([("rn", "RN", 4, ["English"], [])]), NO_PREVIOUS)
    got = placed(result)
    assert {p for p, cm in got.items() if cm} == {"p1", "p3"}
    short = result.shortfall.filter(pl.col("role_group") == "RN").row(0, named=True)
    assert (short["patients"], short["points_short"], short["case_managers_needed"]) == (2, 4, 1)


def test_continuity_keeps_case_manager_even_when_another_fits_better():
    ps = people([("a", 2, 0.3, True, False, "english", "787", None)])
    cms = roster([("rn", "RN", 4, ["English"], ["787"]), ("sw", "SW", 4, ["English"], ["787"])])
    previous = pl.DataFrame({"person_id": ["a"], "cm_id": ["rn"]})
    result = assign_caseloads(ps, cms, previous)
    row = result.assignments.row(0, named=True)
    assert (row["cm_id"], row["status"]) == ("rn", "continued")


def test_released_when_died_disenrolled_left_tiers_or_case_manager_inactive():
    ps = people([
        ("dead", 1, 0.7, False, False, None, None, None, True, False),
        ("gone", 1, 0.6, False, False, None, None, None, False, True),
        ("well", 3, 0.1, False, False, None, None, None, False, False),
        ("moved", 2, 0.3, False, False, None, None, None, False, False),
    ])  # fmt: skip
    cms = roster([("rn", "RN", 9, [], []), ("old", "RN", 9, [], [], False)])
    previous = pl.DataFrame({"person_id": ["dead", "gone", "well", "moved"],
                             "cm_id": ["rn", "rn", "rn", "old"]})  # fmt: skip
    rows = assign_caseloads(ps, cms, previous).assignments
    released = rows.filter(pl.col("status") == "released")
    reasons = dict(zip(released["person_id"], released["reason"], strict=True))
    assert reasons == {"dead": "died", "gone": "disenrolled", "well": "left tiers 1-2",
                       "moved": "case manager inactive"}  # fmt: skip
    assert rows.filter((pl.col("person_id") == "moved") & (pl.col("status") == "new"))[
        "cm_id"
    ].to_list() == ["rn"]


def test_capacity_drop_releases_the_lowest_risk_patient():
    ps = people(
        [
            ("hi", 2, 0.5, False, False, None, None, None),
            ("lo", 2, 0.2, False, False, None, None, None),
        ]
    )
    cms = roster([("rn", "RN", 2, [], []), ("rn2", "RN", 2, [], [])])
    previous = pl.DataFrame({"person_id": ["hi", "lo"], "cm_id": ["rn", "rn"]})
    rows = assign_caseloads(ps, cms, previous).assignments
    got = {(r["person_id"], r["status"]): (r["cm_id"], r["reason"]) for r in rows.to_dicts()}
    assert got[("hi", "continued")] == ("rn", None)
    assert got[("lo", "released")] == ("rn", "case manager capacity reduced")
    assert got[("lo", "new")] == ("rn2", None)


def test_capacity_never_exceeded_on_a_random_population():
    rng = np.random.default_rng(3)
    n = 300
    ps = pl.DataFrame({
        "person_id": [f"p{i}" for i in range(n)], "tier": rng.choice([1, 2, 3], n).tolist(),
        "probability": rng.random(n).round(3).tolist(), "social_need": rng.random(n) < 0.3,
        "clinical_need": rng.random(n) < 0.4, "language": rng.choice(["english", "spanish"], n),
        "zip3": rng.choice(["787", "786", "750"], n), "county": [None] * n,
        "deceased": [False] * n, "disenrolled": [False] * n,
    })  # fmt: skip
    cms = roster([(f"c{i}", ["RN", "SW", "CHW"][i % 3], int(rng.integers(5, 40)), ["English"],
                   [["787", "786", "750"][i % 3]]) for i in range(8)])  # fmt: skip
    result = assign_caseloads(ps, cms, NO_PREVIOUS, time_limit=60)
    used = (
        result.assignments.filter(pl.col("status") == "new")
        .group_by("cm_id").agg(pl.col("points").sum())
        .join(cms, on="cm_id")
    )  # fmt: skip
    assert (used["points"] <= used["capacity_points"]).all()
    assert result.assignments.filter(pl.col("status") == "unassigned").height > 0
    assert date.today()  # the run needs no clock


def test_tier_2_patient_continues_when_every_new_candidate_is_tier_1():
    ps = people([("a", 1, 0.6, False, False, None, None, None),
                 ("b", 2, 0.3, False, False, None, None, None)])  # fmt: skip
    previous = pl.DataFrame({"person_id": ["b"], "cm_id": ["rn"]})
    rows = assign_caseloads(ps, roster([("rn", "RN", 5, [], [])]), previous).assignments
    assert dict(zip(rows["person_id"], rows["status"], strict=True)) == {
        "a": "new",
        "b": "continued",
    }
