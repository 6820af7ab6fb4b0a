"""Write tables chunk by chunk as CSV, gzip CSV or Parquet, columns in contract order."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from data_contracts.contract import load_contract

FORMATS = ("csv", "csv.gz", "parquet")
BATCH_ROWS = 100_000
POLARS_TYPES = {
    "varchar": pl.String,
    "integer": pl.Int32,
    "double": pl.Float64,
    "date": pl.Date,
    "timestamp": pl.Datetime("us"),
    "boolean": pl.Boolean,
}


def contract_schema(table: str) -> dict[str, pl.DataType]:
    """Column name -> polars type, in contract order."""
    return {c.name: POLARS_TYPES[c.type] for c in load_contract(table).columns}


def conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Exactly the contract's columns, in order, cast to the contract types (missing ones null)."""
    exprs = [
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    ]
    return frame.select(exprs)


class TableWriter:
    """Appends chunks of one table to `<dir>/<name>.<fmt>` (CSV, gzip CSV or Parquet)."""

    def __init__(
        self,
        directory: Path,
        name: str,
        fmt: str,
        schema: dict[str, pl.DataType],
        header: bool = True,
    ):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        self.path = directory / f"{name}.{fmt}"
        self.fmt = fmt
        self.schema = schema
        self.rows = 0
        self.header = header
        self._started = False
        self._stream: pa.NativeFile | None = None
        self._parquet: pq.ParquetWriter | None = None

    def write(self, frame: pl.DataFrame) -> None:
        """Append a frame, in batches so wide all-null columns never exist at full length."""
        for offset in range(0, max(frame.height, 1), BATCH_ROWS):
            batch = frame.slice(offset, BATCH_ROWS)
            if self.fmt == "parquet":
                self._write_parquet(conform(batch, self.schema))
            else:
                self._write_csv(batch)
            self.rows += batch.height

    def _write_parquet(self, frame: pl.DataFrame) -> None:
        table = frame.to_arrow()
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.path, table.schema, compression="zstd")
        self._parquet.write_table(table.cast(self._parquet.schema))

    def _write_csv(self, frame: pl.DataFrame) -> None:
        """Contract columns in order; absent ones as untyped nulls (written as empty fields)."""
        if self._stream is None:
            self._stream = (
                pa.CompressedOutputStream(str(self.path), "gzip")
                if self.fmt == "csv.gz"
                else pa.output_stream(str(self.path))
            )
        columns = [pl.col(c) if c in frame.columns else pl.lit(None).alias(c) for c in self.schema]
        frame.select(columns).write_csv(
            self._stream,
            include_header=self.header and not self._started,
            datetime_format="%Y-%m-%d %H:%M:%S",
            date_format="%Y-%m-%d",
        )
        self._started = True

    def close(self) -> None:
        """Finish the file (an empty table still gets its header)."""
        if self._stream is None and self._parquet is None:
            self.write(pl.DataFrame(schema=self.schema))
        if self._parquet is not None:
            self._parquet.close()
        if self._stream is not None:
            self._stream.close()
