"""What the per-source assets need from storage, whichever backs it: read a partition's rows,
and replace them atomically. Two stores implement it: the DuckDB warehouse file (one writer
at a time, the default) and per-partition Parquet files (any number of writers at once)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from pipeline.storage.errors import UnknownTableError
from pipeline.storage.staging import StagedPartition, remove_orphaned_staging

# The tables a partition run replaces; every other table is rebuilt whole by the marts run.
PARTITIONED_TABLES = ("raw_articles", "fetch_log", "articles", "rejected", "mentions", "near_misses", "extractions")


class PartitionStore:
    scratch_dir: Path  # where staged partitions are written (same disk as the store)

    def commit(self, staged: StagedPartition) -> None:
        """Replace the staged tables' rows of staged.source, all at once."""
        raise NotImplementedError

    def query_df(self, sql: str, params: list | None = None, read_only: bool = False) -> pd.DataFrame:
        raise NotImplementedError

    @contextmanager
    def replacing(self, source: str, tables: Sequence[str]) -> Iterator[StagedPartition]:
        """Stage new rows of `tables` for `source`; they replace the old ones when the block
        ends without error. On an error nothing changes."""
        unknown = [t for t in tables if t not in PARTITIONED_TABLES]
        if unknown:
            raise UnknownTableError(f"unknown table(s) for a partition: {unknown!r}")
        remove_orphaned_staging(self.scratch_dir)  # what runs killed before their commit left
        staged = StagedPartition(source, tables, self.scratch_dir)
        try:
            yield staged
            self.commit(staged)
        finally:
            staged.discard()

    def replace_source_rows(self, source: str, frames: Mapping[str, pd.DataFrame]) -> None:
        """Replace every row of `source` in each table with the frame's rows, atomically:
        readers see the old partition or the new one, never a mix."""
        with self.replacing(source, list(frames)) as staged:
            for table, frame in frames.items():
                staged.append(table, frame)
