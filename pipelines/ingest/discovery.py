"""Find the drops in a landing folder, name their files, and fingerprint each file (sha256)."""

from __future__ import annotations

import codecs
import hashlib
import re
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from data_contracts import TABLES
from data_contracts.errors import ContractError
from pipelines.errors import ReadmitError

FLAT_SUFFIXES = {".csv": ("csv", False), ".csv.gz": ("csv", True), ".parquet": ("parquet", False)}
FHIR_SUFFIXES = {".ndjson": False, ".ndjson.gz": True}
FHIR_RESOURCES = (
    "Patient",
    "Coverage",
    "Encounter",
    "Condition",
    "Procedure",
    "MedicationRequest",
    "MedicationDispense",
    "Observation",
    "ExplanationOfBenefit",
)
RESOURCE_NAME = re.compile(r"^([A-Z][A-Za-z]+)")
CHUNK = 1 << 20
SHOWN_NAMES = 5  # names quoted when a landing folder holds no drop
REDELIVER = "Ask the sender to re-deliver the file; rows loaded earlier stay as they are."


@dataclass(frozen=True)
class LandingFile:
    """One delivered file: where it is, which drop it belongs to, and what it holds."""

    path: Path
    label: str
    extract_date: date
    fmt: str
    compressed: bool
    table: str | None = None
    resource: str | None = None

    @property
    def slot(self) -> str:
        """What a re-delivery replaces: the table (flat files) or the file name (FHIR)."""
        return self.table if self.table else f"fhir/{self.path.name}"


@dataclass(frozen=True)
class Drop:
    """One extract date's folder: its known files in load order and the names it ignored."""

    extract_date: date
    path: Path
    files: tuple[LandingFile, ...]
    unknown: tuple[str, ...]


def _suffix(name: str, table: dict) -> str | None:
    return next((s for s in sorted(table, key=len, reverse=True) if name.endswith(s)), None)


def _parse_date(name: str) -> date | None:
    try:
        return date.fromisoformat(name) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", name) else None
    except ValueError:
        return None


def _flat_file(path: Path, label: str, day: date) -> LandingFile | None:
    suffix = _suffix(path.name, FLAT_SUFFIXES)
    table = path.name[: -len(suffix)] if suffix else None
    if table not in TABLES:
        return None
    fmt, compressed = FLAT_SUFFIXES[suffix]
    return LandingFile(path, label, day, fmt, compressed, table=table)


def _fhir_file(path: Path, label: str, day: date) -> LandingFile | None:
    suffix = _suffix(path.name, FHIR_SUFFIXES)
    match = RESOURCE_NAME.match(path.name)
    if not suffix or not match or match.group(1) not in FHIR_RESOURCES:
        return None
    return LandingFile(path, label, day, "ndjson", FHIR_SUFFIXES[suffix], resource=match.group(1))


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _drop(root: Path, folder: Path, day: date) -> Drop:
    files: list[LandingFile] = []
    unknown: list[str] = []
    for path in _visible(folder):
        label = path.relative_to(root).as_posix()
        if path.is_dir() and path.name == "fhir":
            for sub in _visible(path):
                found = _fhir_file(sub, sub.relative_to(root).as_posix(), day)
                files.append(found) if found else unknown.append(sub.relative_to(root).as_posix())
            continue
        found = _flat_file(path, label, day) if path.is_file() else None
        files.append(found) if found else unknown.append(label)
    _one_file_per_table(files)
    order = {name: i for i, name in enumerate(TABLES + FHIR_RESOURCES)}
    files.sort(key=lambda f: (order[f.table or f.resource], f.label))
    return Drop(day, folder, tuple(files), tuple(unknown))


def _one_file_per_table(files: list[LandingFile]) -> None:
    seen: dict[str, str] = {}
    for f in files:
        if f.table and f.table in seen:
            raise ContractError(
                f.label,
                "one_file_per_table",
                f"the drop holds two files for table {f.table} ({seen[f.table]} and {f.label})",
                action="Remove one of them so the drop holds a single file per table.",
            )
        if f.table:
            seen[f.table] = f.label


def discover(landing_dir: Path) -> tuple[list[Drop], list[str]]:
    """The drops under `landing_dir` by extract date, and the names that are not drops."""
    landing_dir = Path(landing_dir)
    if not landing_dir.is_dir():
        raise FileNotFoundError(f"landing folder {landing_dir} does not exist")
    own_date = _parse_date(landing_dir.name)
    if own_date:
        return [_drop(landing_dir.parent, landing_dir, own_date)], []
    drops, other = [], []
    for path in _visible(landing_dir):
        day = _parse_date(path.name) if path.is_dir() else None
        drops.append(_drop(landing_dir, path, day)) if day else other.append(path.name)
    return drops, other


class LandingLayoutError(ReadmitError):
    """The landing folder does not hold extract files in <extract_date>/ drop folders."""


def require_drops(landing_dir: Path, drops: list[Drop], other: list[str]) -> None:
    """Stop when `landing_dir` holds something but no <YYYY-MM-DD>/ drop folder (an empty folder
    passes: nothing has been delivered yet)."""
    if drops or not other:
        return
    shown = ", ".join(other[:SHOWN_NAMES]) + (", ..." if len(other) > SHOWN_NAMES else "")
    raise LandingLayoutError(
        f"landing folder {landing_dir} holds no drop folder named by extract date (found: "
        f"{shown}), so nothing would be loaded. Put each delivery in a folder named by its "
        f"extract date: {landing_dir}/<YYYY-MM-DD>/eligibility.csv, "
        f"{landing_dir}/<YYYY-MM-DD>/medical_claim.csv, ... (for example 2025-01-01/), or pass "
        "that one drop folder itself as the landing folder."
    )


def check_landing_layout(landing_dir: Path) -> None:
    """`require_drops` on what `discover` finds: for commands to stop before any other work."""
    require_drops(landing_dir, *discover(landing_dir))


def fingerprint(f: LandingFile) -> str:
    """The sha256 of the file's bytes; also proves a gzip file is whole and a file is not empty."""
    if f.path.stat().st_size == 0:
        raise ContractError(
            f.label,
            "non_empty_file",
            "the file is empty (0 bytes), usually a broken transfer",
            action=REDELIVER,
        )
    digest = hashlib.sha256()
    inflater = zlib.decompressobj(wbits=31) if f.compressed else None
    text = _Utf8Check(f) if f.fmt != "parquet" and not f.compressed else None
    with f.path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            if inflater is not None:
                inflater = _inflate(f, inflater, chunk)
            if text is not None:
                text.feed(chunk)
    if text is not None:
        text.feed(b"", final=True)
    if inflater is not None and not inflater.eof:
        raise ContractError(
            f.label, "complete_gzip", "the gzip file is truncated", action=REDELIVER
        )
    return digest.hexdigest()


class _Utf8Check:
    """Rejects a text file that is not UTF-8 (DuckDB can fail internally on such bytes)."""

    def __init__(self, f: LandingFile) -> None:
        self.f, self.offset = f, 0
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Check one chunk; ASCII chunks (the usual case) skip the decoder."""
        try:
            if final or not chunk.isascii() or self.decoder.getstate()[0]:
                self.decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            where = f"byte {self.offset + exc.start + 1}"
            raise ContractError(
                self.f.label,
                "utf8_encoding",
                f"the file is not UTF-8 text (first bad {where})",
                action="Ask the sender to re-deliver the file encoded as UTF-8.",
            ) from None
        self.offset += len(chunk)


def _inflate(f: LandingFile, inflater, data: bytes):
    """Feed `data` through the gzip check; a finished member followed by more bytes starts anew."""
    try:
        while data:
            if inflater.eof:
                inflater = zlib.decompressobj(wbits=31)
            inflater.decompress(data, CHUNK)
            while inflater.unconsumed_tail and not inflater.eof:
                inflater.decompress(inflater.unconsumed_tail, CHUNK)
            data = inflater.unused_data if inflater.eof else b""
    except zlib.error as exc:
        raise ContractError(
            f.label, "complete_gzip", f"the gzip file is corrupt ({exc})", action=REDELIVER
        ) from None
    return inflater
