"""Materialization metadata shared by the assets: row counts, a markdown preview, a chart."""


import base64

import pandas as pd
from dagster import MaterializeResult, MetadataValue


def preview(frame: pd.DataFrame, rows: int = 10, max_chars: int = 80) -> MetadataValue:
    if frame.empty:
        return MetadataValue.md("_no rows_")
    shown = frame.head(rows).copy()
    for column in shown.columns:
        if shown[column].dtype == object:
            shown[column] = shown[column].map(
                lambda v: (str(v)[: max_chars - 1] + "…") if isinstance(v, str) and len(v) > max_chars else v
            )
    return MetadataValue.md(shown.to_markdown(index=False))


def chart(png: bytes, title: str) -> MetadataValue:
    """A PNG inlined as a data URI, so the Dagster UI shows it with no file server."""
    return MetadataValue.md(f"![{title}](data:image/png;base64,{base64.b64encode(png).decode('ascii')})")


def table_result(frame: pd.DataFrame, row_count: int | None = None, **extra) -> MaterializeResult:
    """The asset's data lives in the warehouse; Dagster keeps only this metadata. `frame` is
    shown (its first rows); `row_count` is the table's size when the frame is only a preview."""
    rows = len(frame) if row_count is None else row_count
    return MaterializeResult(metadata={"dagster/row_count": rows, "preview": preview(frame), **extra})
