"""The cost table of caseload assignment: role fit, language, region and leaving a patient out.

All costs are in one unit: one percentage point of predicted risk per acuity point. Leaving a
patient unassigned costs `points * (unassigned_base + 100 * probability)`, so when capacity is
short the solver covers the highest risk per point first, and trades a point of risk for a better
fit only when the fit saves more than that point. `unassigned_base` (100) is far above any fit
cost (at most 6 + 8 + 3 = 17), so nobody is left out while a place that fits their points is free.

| need of the patient          | RN | SW | CHW |
|------------------------------|----|----|-----|
| clinical (complex, no social)|  0 |  6 |  6  |
| social (social needs only)   |  6 |  0 |  1  |
| both                         |  2 |  2 |  3  |
| general (neither)            |  0 |  3 |  2  |

plus 8 when the patient's preferred language is known and the case manager does not list it,
and 3 when neither the patient's 3-digit ZIP nor county is among the case manager's regions
(no charge when the patient's language or region is unknown).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

ROLES: tuple[str, ...] = ("RN", "SW", "CHW")
NEEDS: tuple[str, ...] = ("clinical", "social", "both", "general")

DEFAULT_ROLE_FIT: dict[str, dict[str, int]] = {
    "clinical": {"RN": 0, "SW": 6, "CHW": 6},
    "social": {"RN": 6, "SW": 0, "CHW": 1},
    "both": {"RN": 2, "SW": 2, "CHW": 3},
    "general": {"RN": 0, "SW": 3, "CHW": 2},
}


@dataclass(frozen=True)
class CostTable:
    """Costs of one placement (role fit, language, region) and of leaving a patient out."""

    role_fit: dict[str, dict[str, int]] = field(default_factory=lambda: DEFAULT_ROLE_FIT)
    language_mismatch: int = 8
    region_mismatch: int = 3
    unassigned_base: int = 100

    def role_matrix(self) -> np.ndarray:
        """Role-fit cost as a (need x role) array in `NEEDS` x `ROLES` order."""
        return np.array([[self.role_fit[n][r] for r in ROLES] for n in NEEDS], dtype=np.float64)

    def penalty(self, points: np.ndarray, probability: np.ndarray) -> np.ndarray:
        """Cost of leaving each patient unassigned (integral, so HiGHS can prove optimality)."""
        risk = np.rint(100.0 * np.nan_to_num(probability, nan=0.0))
        return points * (self.unassigned_base + risk)


def need_type(social: pl.Expr, clinical: pl.Expr) -> pl.Expr:
    """'both', 'social', 'clinical' or 'general' from two boolean columns."""
    return (
        pl.when(social & clinical)
        .then(pl.lit("both"))
        .when(social)
        .then(pl.lit("social"))
        .when(clinical)
        .then(pl.lit("clinical"))
        .otherwise(pl.lit("general"))
    )


def normal_token(expr: pl.Expr) -> pl.Expr:
    """Lower-case, trimmed, without a trailing ' county': how languages and regions compare."""
    return expr.str.strip_chars().str.to_lowercase().str.replace(r"\s+county$", "")


def _member_matrix(values: pl.Series, roster_lists: pl.Series) -> np.ndarray:
    """Boolean (distinct value x case manager): the case manager's list holds the value."""
    exploded = (
        pl.DataFrame({"cm": np.arange(roster_lists.len()), "token": roster_lists})
        .explode("token")
        .with_columns(normal_token(pl.col("token")))
        .filter(pl.col("token") != "")
        .join(pl.DataFrame({"token": values, "row": np.arange(values.len())}), on="token")
    )
    member = np.zeros((values.len(), roster_lists.len()), dtype=bool)
    member[exploded["row"].to_numpy(), exploded["cm"].to_numpy()] = True
    return member


def cost_rows(combos: pl.DataFrame, roster: pl.DataFrame, table: CostTable) -> np.ndarray:
    """Cost of each attribute combination (need, language, zip3, county) with each case manager.

    `roster` has columns role, languages (list) and regions (list), one row per case manager.
    """
    need = combos["need"].replace_strict(NEEDS, list(range(len(NEEDS)))).to_numpy()
    role = roster["role"].replace_strict(ROLES, list(range(len(ROLES)))).to_numpy()
    cost = table.role_matrix()[need][:, role]
    lang = combos.select(normal_token(pl.col("language")))["language"]
    speaks = _member_matrix(lang.fill_null(""), roster["languages"])
    cost += table.language_mismatch * (~speaks & lang.is_not_null().to_numpy()[:, None])
    zip3 = combos["zip3"].fill_null("")
    county = combos.select(normal_token(pl.col("county")))["county"].fill_null("")
    covered = _member_matrix(zip3, roster["regions"]) | _member_matrix(county, roster["regions"])
    known = (combos["zip3"].is_not_null() | combos["county"].is_not_null()).to_numpy()
    cost += table.region_mismatch * (~covered & known[:, None])
    return cost
