"""Every notebook runs top to bottom (nbclient) on the generated workspace; notebooks are stored
without outputs and hold no pipeline logic (they call `pipelines.api` only)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
ALLOWED_IMPORTS = {"plotly.express", "polars", "pipelines"}
FORBIDDEN = ("duckdb", ".sql(", ".execute(", "import models", "from models", "from features")


def _code(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def test_the_four_notebooks_exist_with_step_topic_names():
    names = [p.stem for p in NOTEBOOKS]
    assert names == [
        "01-cohort-exploration",
        "02-model-evaluation",
        "03-capacity-planning",
        "04-data-quality-over-runs",
    ]
    assert all(re.fullmatch(r"\d{2}-[a-z-]+", n) for n in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_only_the_public_api(path):
    source = "\n".join(_code(path))
    imported = set(re.findall(r"^(?:from|import)\s+([\w.]+)", source, flags=re.M))
    assert imported <= ALLOWED_IMPORTS, imported - ALLOWED_IMPORTS
    assert "from pipelines import api" in source
    assert "api.open_warehouse()" in source  # the workspace comes from READMIT_WORKSPACE
    for word in FORBIDDEN:
        assert word not in source, f"{path.name} holds pipeline logic: {word!r}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_top_to_bottom(path, workspace_env, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError on any failing cell
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    # every chart cell rendered a figure, every table cell a result
    assert sum(o.get("output_type") in ("display_data", "execute_result") for o in outputs) >= 4
