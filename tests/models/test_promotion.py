"""Champion or challenger: first model, better model, worse model, unusable champion."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from models.pipeline import train_task
from models.promotion import ChampionCheck, decide
from models.register import register
from models.registry import ENTRY_FILES, read_champion, versions, write_entry
from models.tasks import get_task
from tests.models import synthetic
from tests.models.conftest import FAST

TASK = get_task("readmission_30d")
CODE = {"package": "test", "git_commit": None, "git_dirty": None}
FINGERPRINT = {"feature_rows": 1, "features_hash": "x", "labels_hash": "y"}
DESIGN_KEYS = (
    "auroc", "auroc_ci", "auprc", "brier", "calibration_slope", "calibration_intercept",
    "auroc_lace", "auroc_hospital",
)  # fmt: skip


def _register(con, result, root, second: int):
    created = datetime(2025, 1, 1, 2, 0, second, tzinfo=UTC)
    return register(con, result, root, created, CODE, FINGERPRINT, threads=1)


def test_rules():
    champ = ChampionCheck("v1", auroc=0.75, calibration_slope=1.0)
    assert decide(0.70, 1.0, None).promoted
    assert "outside" in decide(0.70, 1.5, None).reason  # first model: promoted, with a warning
    assert decide(0.747, 1.0, champ).promoted  # within the 0.005 tolerance
    worse = decide(0.74, 1.0, champ)
    assert not worse.promoted and "below the champion" in worse.reason
    miscal = decide(0.80, 1.3, champ)
    assert not miscal.promoted and miscal.reason.startswith("calibration slope 1.300")
    both = decide(0.60, 0.5, champ)
    assert "below the champion" in both.reason and "calibration slope" in both.reason
    gone = decide(0.70, 1.0, ChampionCheck("v1", error="no column x"))
    assert gone.promoted and "cannot score" in gone.reason


def test_first_better_and_worse_models(warehouse, trained, tmp_path):
    first = _register(warehouse, trained, tmp_path, 0)
    assert (
        first.decision.promoted and read_champion(tmp_path, TASK.name)["version"] == first.version
    )
    metrics = json.loads((first.path / "metrics.json").read_text())
    assert all(k in metrics for k in DESIGN_KEYS) and metrics["promotion"]["status"] == "champion"
    assert sorted(p.name for p in first.path.iterdir()) == sorted(ENTRY_FILES)

    weak_features = [f for f in synthetic.features() if f.name != "age_years"]
    weak = train_task(warehouse, TASK, weak_features, FAST)
    worse = _register(warehouse, weak, tmp_path, 1)
    assert not worse.decision.promoted and "below the champion" in worse.decision.reason
    assert worse.decision.champion_auroc == pytest.approx(trained.metrics["auroc"])
    assert (
        json.loads((worse.path / "metrics.json").read_text())["promotion"]["status"] == "challenger"
    )
    assert "below the champion" in (worse.path / "card.html").read_text()
    assert read_champion(tmp_path, TASK.name)["version"] == first.version

    same = _register(warehouse, trained, tmp_path, 2)  # no worse on the same rows
    assert same.decision.promoted and read_champion(tmp_path, TASK.name)["version"] == same.version
    assert versions(tmp_path, TASK.name) == sorted([first.version, worse.version, same.version])


def test_a_champion_that_cannot_score_the_matrix_is_replaced(warehouse, trained, tmp_path):
    first = _register(warehouse, trained, tmp_path, 0)
    features = json.loads((first.path / "features.json").read_text())
    features["columns"].append("no_such_feature")
    (first.path / "features.json").write_text(json.dumps(features))
    second = _register(warehouse, trained, tmp_path, 1)
    assert second.decision.promoted and "no_such_feature" in second.decision.reason


def test_entries_are_complete_and_never_overwritten(tmp_path):
    with pytest.raises(ValueError, match="lacks"):
        write_entry(tmp_path, TASK.name, "v1", {"model.txt": ""})
    files = dict.fromkeys(ENTRY_FILES, "")
    write_entry(tmp_path, TASK.name, "v1", files)
    with pytest.raises(FileExistsError):
        write_entry(tmp_path, TASK.name, "v1", files)
