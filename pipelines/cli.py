"""The `readmit` command line: one sub-command per pipeline step, each with `--workspace`."""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any

import typer

from data_contracts.errors import ContractError

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# A busy machine can take long to start the local ephemeral API; wait rather than fail.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

app = typer.Typer(
    name="readmit",
    help=(
        "Readmission risk stratification and caseload pipeline.\n\n"
        "Start with `readmit demo` (generates synthetic extracts and runs every step), "
        "or `readmit synth --help` to generate extracts of your own."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# (module under pipelines.commands, function, command name), in the order `--help` lists them.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("synth", "synth", "synth"),
    ("validate", "validate", "validate"),
    ("ingest", "ingest", "ingest"),
    ("build", "build", "build"),
    ("train", "train", "train"),
    ("score", "score", "score"),
    ("nightly", "nightly", "nightly"),
    ("serve", "serve", "serve"),
    ("backfill", "backfill", "backfill"),
    ("demo", "demo", "demo"),
    ("export", "export", "export"),
    ("bench", "bench", "bench"),
)

DEBUG_ENV = "READMIT_DEBUG"


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """One-paragraph message and exit code (2 contract, 1 other); `--debug` keeps tracebacks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.BadParameter):
            raise  # a usage error (bad option value) keeps click's message and exit code 2
        except ContractError as exc:
            _report(exc, "Contract error")
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - every failure becomes a clear message
            _report(exc, "Error")
            raise typer.Exit(1) from None

    return wrapper


def _report(exc: BaseException, title: str) -> None:
    if os.environ.get(DEBUG_ENV):
        traceback.print_exception(exc, file=sys.stderr)
    typer.echo(f"{title}: {exc}", err=True)
    if not os.environ.get(DEBUG_ENV):
        typer.echo("(run with --debug for the full traceback)", err=True)


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on failure."),
) -> None:
    """Readmission risk stratification and caseload pipeline."""
    if debug:
        os.environ[DEBUG_ENV] = "1"


for _module, _func, _name in COMMANDS:
    _fn = getattr(importlib.import_module(f"pipelines.commands.{_module}"), _func)
    app.command(name=_name)(friendly(_fn))
