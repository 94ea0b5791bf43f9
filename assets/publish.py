"""The analysts' read-only copy of the warehouse, refreshed after every marts run."""


from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets.ingest import WAREHOUSE_POOL
from assets.marts import MART_ASSETS
from assets.metadata import preview
from assets.resources import WarehouseResource
from pipeline.storage import Warehouse

_TABLE_SIZES = """
SELECT table_name AS "table", estimated_size AS "rows (estimated)"
FROM duckdb_tables() ORDER BY table_name
"""


@asset(
    group_name="marts",
    pool=WAREHOUSE_POOL,
    deps=MART_ASSETS,
    kinds={"duckdb"},
    description="A consistent read-only copy of the whole warehouse (data/warehouse.published.duckdb), "
    "swapped in atomically after the marts, for analysts to open while runs write the warehouse.",
)
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    path = warehouse.get().publish_copy()
    context.log.info("published %s", path)
    tables = Warehouse(path).query_df(_TABLE_SIZES, read_only=True)
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(path)),
        "size_bytes": path.stat().st_size,
        "tables": preview(tables, rows=50),
        "open_with": MetadataValue.md(f"`duckdb -readonly {path}`"),
    })
