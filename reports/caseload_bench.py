"""Time the caseload solver on a generated population (for `readmit bench`; no patient data)."""

from __future__ import annotations

import time

import numpy as np
import polars as pl

from reports.caseload import DEFAULT_TIME_LIMIT, assign_caseloads

LANGUAGES = ["english", "spanish", "vietnamese", "chinese", "russian", "arabic"]
LANGUAGE_SHARE = [0.75, 0.15, 0.04, 0.03, 0.02, 0.01]


def generate(
    n_patients: int, n_cms: int, seed: int = 1, capacity_scale: float = 1.0
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(people, roster): tier 1-2 candidates over 3-digit ZIP areas, a roster in area teams."""
    rng = np.random.default_rng(seed)
    areas = np.array([f"{700 + a}" for a in range(max(3, n_cms // 10))])
    tier = rng.choice([1, 2], n_patients, p=[1 / 3, 2 / 3])
    people = pl.DataFrame({
        "person_id": np.char.add("p", np.arange(n_patients).astype(str)),
        "tier": tier,
        "probability": np.clip(rng.beta(2, 5, n_patients) + 0.2 * (tier == 1), 0, 1),
        "social_need": rng.random(n_patients) < 0.35,
        "clinical_need": rng.random(n_patients) < 0.45,
        "language": rng.choice(LANGUAGES, n_patients, p=LANGUAGE_SHARE),
        "zip3": rng.choice(np.append(areas, "999"), n_patients),
        "county": pl.repeat(None, n_patients, dtype=pl.String, eager=True),
        "deceased": np.zeros(n_patients, dtype=bool),
        "disenrolled": np.zeros(n_patients, dtype=bool),
    })  # fmt: skip
    role = rng.choice(["RN", "SW", "CHW"], n_cms, p=[0.4, 0.3, 0.3])
    capacity = np.where(role == "RN", rng.integers(60, 121, n_cms), rng.integers(160, 241, n_cms))
    spanish = rng.random(n_cms) < 0.3
    home = rng.choice(areas, n_cms)
    roster = pl.DataFrame({
        "cm_id": np.char.add("cm", np.arange(n_cms).astype(str)),
        "role": role,
        "capacity_points": (capacity * capacity_scale).astype(int),
        "languages": [["English", "Spanish"] if s else ["English"] for s in spanish],
        "regions": [[a] for a in home],
        "active": np.ones(n_cms, dtype=bool),
    })  # fmt: skip
    return people, roster


def bench_caseload(
    n_patients: int = 50_000,
    n_cms: int = 200,
    seed: int = 1,
    capacity_scale: float = 1.0,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> dict:
    """Seconds, counts and whether HiGHS proved the assignment optimal."""
    people, roster = generate(n_patients, n_cms, seed, capacity_scale)
    empty = pl.DataFrame(schema={"person_id": pl.String, "cm_id": pl.String})
    started = time.perf_counter()
    result = assign_caseloads(people, roster, empty, time_limit=time_limit)
    seconds = time.perf_counter() - started
    status = result.assignments["status"].value_counts()
    used = (
        result.assignments.filter(pl.col("status") == "new")
        .group_by("cm_id")
        .agg(pl.col("points").sum())
        .join(roster, on="cm_id")
    )
    return {
        "patients": n_patients,
        "case_managers": n_cms,
        "capacity_points": int(roster["capacity_points"].sum()),
        "demand_points": int((3 - (people["tier"] == 2).cast(pl.Int64)).sum()),
        "seconds": round(seconds, 2),
        "proven_optimal": result.optimal,
        "gap": round(result.gap, 1),
        "over_capacity": int((used["points"] > used["capacity_points"]).sum()),
        **dict(zip(status["status"], status["count"].cast(int), strict=True)),
    }


if __name__ == "__main__":
    import json
    import sys

    # python -m reports.caseload_bench [patients case_managers capacity_scale [seed]]
    args = [float(a) for a in sys.argv[1:]]
    n, m, scale = (int(args[0]), int(args[1]), args[2]) if len(args) >= 3 else (50_000, 200, 1.0)
    seed = int(args[3]) if len(args) >= 4 else 1
    print(json.dumps({"seed": seed, **bench_caseload(n, m, seed, capacity_scale=scale)}))
