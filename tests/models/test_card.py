"""The model card: plots inline once, every section present, every text escaped."""

from __future__ import annotations

import copy

from models.card import metric_table, render_card
from models.register import headline

EVIL = "<script>alert(1)</script>"


def _card(trained, metrics: dict) -> str:
    training = {
        **trained.training,
        "version": "v1",
        "created_at": "2025-01-01T02:00:00+00:00",
        "fingerprint": {"feature_rows": 10, "features_hash": "abc", "labels_hash": "def"},
        "code_version": {"package": "0.1.0", "git_commit": None, "git_dirty": None},
    }
    return render_card(
        trained.task,
        "v1",
        metrics,
        training,
        trained.features,
        trained.y_test,
        trained.p_test,
        trained.baseline_scores,
    )


def _metrics(trained) -> dict:
    metrics = headline(copy.deepcopy(trained.metrics))
    metrics["promotion"] = {"status": "challenger", "reason": f"worse {EVIL}"}
    return metrics


def test_card_has_plots_sections_and_plotly_inline_once(trained):
    html = _card(trained, _metrics(trained))
    assert html.count('class="plotly-graph-div"') == 4
    assert html.count("window.PlotlyConfig") == 1  # plotly.js embedded once, works offline
    assert '<script src="https://cdn.plot.ly' not in html
    for section in ("Intended use", "Source of data", "Missing data", "Validation", "Limitations"):
        assert section in html
    for name in ("LACE", "HOSPITAL", "age_band", "race_ethnicity", "payer_type"):
        assert name in html
    assert "Status: challenger" in html


def test_card_escapes_text_from_data(trained):
    metrics = _metrics(trained)
    metrics["top_features"][0]["feature"] = EVIL
    metrics["subgroups"]["groups"]["sex"][0]["group"] = EVIL
    html = _card(trained, metrics)
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_oracle_column_only_with_a_truth_file(trained):
    metrics = _metrics(trained)
    header, rows = metric_table(metrics)
    assert header == ["metric", "model", "LACE", "HOSPITAL"]
    metrics["oracle_auroc"] = 0.81
    header, rows = metric_table(metrics)
    assert header[-1].startswith("oracle") and ["0.810"] == [r[-1] for r in rows if r[-1]]
