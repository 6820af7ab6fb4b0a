"""Measuring one span of work: wall and CPU seconds, rows, peak RSS; and the bare-load floor."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psutil

from pipelines.ingest.discovery import discover

MB = 1024 * 1024


@dataclass
class StageTiming:
    """One measured stage: wall and CPU seconds, rows it handled and the peak RSS seen."""

    name: str
    seconds: float
    cpu_seconds: float
    rows: int
    peak_rss_mb: float

    @property
    def rows_per_s(self) -> float:
        """Rows handled per wall-clock second."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0


_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _high_water() -> int | None:
    """This process's peak RSS in bytes since start or the last `_clear_high_water` (Linux)."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _clear_high_water() -> None:
    """Reset the kernel's peak RSS to the current RSS (Linux: '5' to clear_refs); else nothing."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        pass


class RssSampler:
    """A daemon thread sampling this process's RSS; `window()` measures one span of work."""

    def __init__(self, interval: float = 0.05) -> None:
        self._process = psutil.Process()
        self._interval = interval
        self._peak = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.sample()

    def sample(self) -> int:
        """Take one sample now and return it (bytes)."""
        rss = self._process.memory_info().rss
        with self._lock:
            self._peak = max(self._peak, rss)
        return rss

    def reset(self) -> None:
        """Start a new window at the current RSS (and reset the kernel's high-water mark)."""
        _clear_high_water()
        rss = self._process.memory_info().rss
        with self._lock:
            self._peak = rss

    def peak_mb(self) -> float:
        """The highest RSS since the last reset, in MB: the kernel's high-water mark where Linux
        keeps one (exact, so a peak between two samples counts), else the highest sample."""
        self.sample()
        with self._lock:
            return max(self._peak, _high_water() or 0) / MB

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def timed(name: str, sampler: RssSampler, work: Callable[[], int]) -> StageTiming:
    """Run `work` (which returns its row count) and measure wall, CPU and peak RSS."""
    sampler.reset()
    wall, cpu = time.perf_counter(), time.process_time()
    rows = work()
    seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
    return StageTiming(name, seconds, cpu_seconds, int(rows), sampler.peak_mb())


def extract_files(landing: Path) -> list[Path]:
    """Every extract file of every drop under `landing` (what ingest would read)."""
    drops, _ = discover(landing)
    return [f.path for d in drops for f in d.files]


def warm_cache(files: list[Path], block: int = 8 * MB) -> int:
    """Read every file once so ingest and the bare load both start from the page cache."""
    total = 0
    for path in files:
        with path.open("rb") as handle:
            while chunk := handle.read(block):
                total += len(chunk)
    return total


def _reader(path: Path) -> str:
    """The DuckDB reader for one file. CSV columns load as text: type sniffing on a sample can
    fail later in a file (a code column that starts numeric), and text is what the loader reads."""
    name = path.name.lower()
    if name.endswith(".parquet"):
        return "read_parquet(?)"
    if name.endswith(".ndjson"):
        return "read_json_auto(?)"
    return "read_csv_auto(?, all_varchar = true)"


def bare_load(files: list[Path], database: Path, threads: int, memory_limit: str | None) -> int:
    """Read every column of every file into a DuckDB table once; the rows read."""
    config: dict[str, object] = {"threads": threads}
    if memory_limit:
        config["memory_limit"] = memory_limit
    rows = 0
    with duckdb.connect(str(database), config=config) as con:
        for n, path in enumerate(files):
            # the reader and table names are ours; the path goes in as a parameter
            con.execute(f"create table bare_{n} as select * from {_reader(path)}", [str(path)])
            rows += con.execute(f"select count(*) from bare_{n}").fetchone()[0]
    return rows
