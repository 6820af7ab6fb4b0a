"""Run the `readmit` command line with every log record of every logger copied to one file.

`python -m tests.reliability.logged_cli CAPTURE_FILE demo --persons ...`: Prefect's loggers, ours
and third-party ones all pass through `logging.Logger.handle`, which is wrapped here to write each
record (at DEBUG and up) to CAPTURE_FILE before the usual handlers see it.
"""

from __future__ import annotations

import logging
import sys


def capture_all(path: str) -> None:
    """Copy every record any logger handles to `path`, and let every logger emit DEBUG."""
    sink = logging.FileHandler(path, encoding="utf-8")
    sink.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    original = logging.Logger.handle

    def handle(self: logging.Logger, record: logging.LogRecord) -> None:
        sink.handle(record)
        original(self, record)

    logging.Logger.handle = handle  # type: ignore[method-assign]
    logging.getLogger().setLevel(logging.DEBUG)
    for name in ("readmit", "prefect", "pipelines", "models", "reports", "features", "sql"):
        logging.getLogger(name).setLevel(logging.DEBUG)


def main(argv: list[str]) -> None:
    """Import Prefect first (it configures logging on import), then capture and run the CLI."""
    import prefect  # noqa: F401

    from pipelines.cli import app

    capture_all(argv[0])
    app(argv[1:], prog_name="readmit")


if __name__ == "__main__":
    main(sys.argv[1:])
