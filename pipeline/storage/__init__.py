"""The DuckDB warehouse."""

from pipeline.storage.warehouse import Warehouse, WarehouseError

__all__ = ["Warehouse", "WarehouseError"]
