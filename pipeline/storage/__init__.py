"""Storage: the DuckDB warehouse, and the per-partition Parquet store for many writers."""

from pipeline.storage.errors import UnknownTableError, WarehouseError
from pipeline.storage.parquet_store import ParquetStore
from pipeline.storage.partitions import PARTITIONED_TABLES, PartitionStore
from pipeline.storage.warehouse import Warehouse

__all__ = ["PARTITIONED_TABLES", "ParquetStore", "PartitionStore", "UnknownTableError", "Warehouse", "WarehouseError"]
