"""Champion or challenger: a new model replaces the champion only if it is no worse on the same
test rows (the champion is re-scored on the new model's test window)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from models import data
from models.evaluate import auroc, calibration
from models.registry import champion_dir, read_champion
from models.score import load_model, predict

AUROC_TOLERANCE = 0.005  # "no worse": AUROC may be lower by at most this on the same rows
SLOPE_RANGE = (0.8, 1.2)  # and the new model's calibration slope must stay within this


@dataclass(frozen=True)
class ChampionCheck:
    """The current champion re-scored on the new test rows (or why it could not be)."""

    version: str
    auroc: float | None = None
    calibration_slope: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class Decision:
    """Whether the new model is promoted, and why, in words a reader of the card understands."""

    status: str
    reason: str
    champion_version: str | None = None
    champion_auroc: float | None = None
    champion_calibration_slope: float | None = None

    @property
    def promoted(self) -> bool:
        """True when the new model becomes the champion."""
        return self.status == "champion"

    def to_dict(self) -> dict:
        """JSON-ready record for metrics.json."""
        return asdict(self)


def _slope_ok(slope: float) -> bool:
    return SLOPE_RANGE[0] <= slope <= SLOPE_RANGE[1]


def decide(new_auroc: float, new_slope: float, champion: ChampionCheck | None) -> Decision:
    """Apply the promotion rules to the new model's test metrics and the re-scored champion."""
    limits = f"{SLOPE_RANGE[0]}-{SLOPE_RANGE[1]}"
    if champion is None:
        reason = "first model for this task"
        if not _slope_ok(new_slope):
            reason += f" (calibration slope {new_slope:.3f} is outside {limits}: review before use)"
        return Decision("champion", reason)
    base = (champion.version, champion.auroc, champion.calibration_slope)
    if champion.error is not None:
        # A champion that cannot score today's feature matrix cannot serve the nightly run either.
        reason = f"the champion {champion.version} cannot score the current feature matrix "
        return Decision(
            "champion", reason + f"({champion.error}); the new model replaces it", *base
        )
    problems = []
    if new_auroc < champion.auroc - AUROC_TOLERANCE:
        problems.append(
            f"AUROC {new_auroc:.3f} is more than {AUROC_TOLERANCE} below the champion's "
            f"{champion.auroc:.3f} on the same test rows"
        )
    if not _slope_ok(new_slope):
        problems.append(f"calibration slope {new_slope:.3f} is outside {limits}")
    if problems:
        return Decision("challenger", "; ".join(problems), *base)
    reason = (
        f"AUROC {new_auroc:.3f} vs the champion's {champion.auroc:.3f} on the same test rows "
        f"(tolerance {AUROC_TOLERANCE}) and calibration slope {new_slope:.3f} within {limits}"
    )
    return Decision("champion", reason, *base)


def check_champion(
    con: duckdb.DuckDBPyConnection,
    models_root: Path,
    task: str,
    test_keys: pa.Table,
    y_test: np.ndarray,
    threads: int = 2,
) -> ChampionCheck | None:
    """Re-score the task's champion on the new model's test rows; None when there is none."""
    record = read_champion(models_root, task)
    if record is None:
        return None
    try:
        model = load_model(champion_dir(models_root, task))
        table = data.feature_rows(con, task, test_keys, model.columns)
        _, p = predict(model, data.to_matrix(table, model.columns), threads)
    except (LookupError, FileNotFoundError, ValueError) as exc:
        return ChampionCheck(record["version"], error=str(exc))
    return ChampionCheck(
        record["version"], auroc(y_test, p), calibration(y_test, p)["calibration_slope"]
    )
