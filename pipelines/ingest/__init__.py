"""Ingest: find drops, check every row against its contract, load raw tables with lineage."""

from pipelines.ingest.driver import FileResult, IngestResult, ingest_landing
from pipelines.ingest.validation import Verdict, validate_landing

__all__ = ["FileResult", "IngestResult", "Verdict", "ingest_landing", "validate_landing"]
