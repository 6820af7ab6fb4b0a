"""`readmit demo`'s closing summary shows every output path whole on an 80-column terminal."""

from __future__ import annotations

from rich.console import Console

from pipelines.commands import demo as demo_command
from pipelines.demo import DemoResult, DemoStep


def test_long_paths_print_whole_at_80_columns(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    deep = tmp_path / "a-rather-long-workspace-folder-name" / "runs" / "20250101T000000Z-abcdef"
    steps = [
        DemoStep("ingest", "12 files, 1,234,567 rows loaded, 12 quarantined", deep / "dq.html"),
        DemoStep("publish", "worklists for 14 case managers", deep / "latest" / "worklists"),
    ]
    console = Console(record=True)
    monkeypatch.setattr(demo_command, "console", console)
    demo_command._summary(DemoResult(steps))
    text = console.export_text()
    assert console.width == 80
    assert max(len(line) for line in text.splitlines()) > 80  # the paths did not fit in 80
    for step in steps:
        assert str(step.where) in text  # whole: not cut with an ellipsis nor broken by a newline
        assert step.detail in " ".join(text.split())
    assert "…" not in text
