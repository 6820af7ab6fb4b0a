"""`readmit serve` against a real Prefect server: a run triggered through the API completes.

Starts `prefect server start` on loopback (its own PREFECT_HOME, SQLite, a free port, analytics
off), runs `readmit serve` in a subprocess, triggers the nightly deployment with
`run_deployment`, waits for it to complete, then stops both processes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import httpx
import pytest

from pipelines.synth import generate

BIN = Path(sys.executable).parent
NIGHTLY_CRON = "15 1 * * *"
RETRAIN_CRON = "45 4 2 * *"
ZONE = "America/New_York"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(home: Path, api_url: str, workspace: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_API_URL=api_url,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        PREFECT_LOGGING_LEVEL="WARNING",
        READMIT_WORKSPACE=str(workspace),
        READMIT_NIGHTLY_CRON=NIGHTLY_CRON,
        READMIT_RETRAIN_CRON=RETRAIN_CRON,
        READMIT_SCHEDULE_TIMEZONE=ZONE,
        READMIT_DUCKDB_THREADS="1",
    )
    return env


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    out = log.open("wb")
    return subprocess.Popen(
        args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(proc: subprocess.Popen, sig: int = signal.SIGINT, wait: float = 30) -> None:
    """Signal the process group we started, then kill it if it does not end in time."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, sig)
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 150) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"prefect server exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    pytest.fail(f"prefect server not healthy after {timeout} s:\n{log.read_text()[-3000:]}")


async def _wait_deployment(name: str, proc: subprocess.Popen, log: Path, timeout: float = 120):
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + timeout
    async with get_client() as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"readmit serve exited early:\n{log.read_text()[-3000:]}")
            try:
                return await client.read_deployment_by_name(name)
            except ObjectNotFound:
                await asyncio.sleep(1)
    pytest.fail(f"deployment {name} never appeared:\n{log.read_text()[-3000:]}")


async def _trigger_and_wait(api_url: str, serve: subprocess.Popen, log: Path) -> dict:
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        nightly = await _wait_deployment("readmit-nightly/nightly", serve, log)
        retrain = await _wait_deployment("readmit-train/retrain", serve, log)
        run = await run_deployment("readmit-nightly/nightly", timeout=400, poll_interval=2)
    return {"nightly": nightly, "retrain": retrain, "run": run}


@pytest.mark.slow
def test_serve_runs_the_nightly_deployment_triggered_through_the_api(tmp_path):
    import asyncio

    landing, workspace, home = tmp_path / "landing", tmp_path / "ws", tmp_path / "prefect"
    generate(600, 5, date(2022, 1, 1), date(2024, 12, 31), landing / "2025-01-01", None)
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = _env(home, api_url, workspace)
    server_log, serve_log = tmp_path / "server.log", tmp_path / "serve.log"
    server = _start(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env,
        server_log,
    )
    serve = None
    try:
        _wait_healthy(api_url, server, server_log)
        serve = _start([str(BIN / "readmit"), "serve", "--landing", str(landing)], env, serve_log)
        got = asyncio.run(_trigger_and_wait(api_url, serve, serve_log))
    finally:
        if serve is not None:
            _stop(serve, signal.SIGINT)
        _stop(server, signal.SIGTERM)
    run = got["run"]
    assert run.state is not None and run.state.is_completed(), (
        f"{run.state}\n{serve_log.read_text()[-4000:]}"
    )
    # both deployments carry the schedules and time zone from settings
    schedules = {
        name: [(s.schedule.cron, s.schedule.timezone) for s in got[name].schedules]
        for name in ("nightly", "retrain")
    }
    assert schedules == {"nightly": [(NIGHTLY_CRON, ZONE)], "retrain": [(RETRAIN_CRON, ZONE)]}
    assert got["nightly"].parameters["landing"] == str(landing.resolve())
    # the served run did the whole night: trained (no champion yet), scored, published
    latest = workspace / "latest"
    assert (latest / "risk_assessments.ndjson").stat().st_size > 0
    with duckdb.connect(str(workspace / "warehouse.duckdb"), read_only=True) as con:
        stages = con.execute(
            "select stage, status from run_log where file is null order by started_at"
        ).fetchall()
        scored = con.execute("select count(*) from ml_scores").fetchone()[0]
    assert [s for s, _ in stages] == ["ingest", "build", "models", "score", "assign", "publish"]
    assert {status for _, status in stages} == {"success"}
    assert scored > 0
    assert serve.returncode is not None and server.returncode is not None


def test_deployments_carry_the_schedules_parameters_and_entrypoints(tmp_path):
    from pipelines.flows import deployments
    from pipelines.settings import load_settings

    settings = load_settings(
        workspace=tmp_path / "ws", nightly_cron="0 1 * * *", schedule_timezone="Europe/Paris"
    )
    nightly, retrain = deployments(settings, tmp_path / "landing")
    assert (nightly.name, retrain.name) == ("nightly", "retrain")
    assert nightly.entrypoint == "pipelines.flows.nightly"
    assert retrain.entrypoint == "pipelines.flows.train"
    assert [(s.schedule.cron, s.schedule.timezone) for s in nightly.schedules] == [
        ("0 1 * * *", "Europe/Paris")
    ]
    assert [s.schedule.cron for s in retrain.schedules] == ["0 3 1 * *"]  # monthly default
    assert nightly.parameters == {
        "landing": str((tmp_path / "landing").resolve()),
        "workspace": str((tmp_path / "ws").resolve()),
    }
    assert retrain.parameters == {"workspace": str((tmp_path / "ws").resolve())}


def test_serve_without_a_prefect_server_says_how_to_set_one_up(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from pipelines.cli import app

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    result = CliRunner().invoke(app, ["serve", "--landing", str(tmp_path)])
    assert result.exit_code == 1
    assert "PREFECT_API_URL" in result.output and "prefect server start" in result.output
