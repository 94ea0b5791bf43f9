"""The pipeline's stages as plain functions and classes over DataFrames: the Dagster assets are
thin wrappers around these, and tests and the CLI can call them directly.

discover -> clean -> extract; each works in batches (common.BATCH_SIZE) so that a source's
texts are never all in memory, and reuses what an earlier run computed from the same input."""

from pipeline.stages.clean import CleanBatch, CleanResult, PartitionCleaner, clean_partition, clean_raw
from pipeline.stages.common import (ARTICLE_COLUMNS, EXTRACTION_COLUMNS, MENTION_COLUMNS, RAW_COLUMNS,
                                    REJECTED_COLUMNS, stable_id)
from pipeline.stages.discover import discover_raw, discover_web, fetch_history
from pipeline.stages.extract import (ExtractBatch, ExtractResult, PartitionExtractor, extract_articles,
                                     extract_partition)

__all__ = ["ARTICLE_COLUMNS", "EXTRACTION_COLUMNS", "MENTION_COLUMNS", "RAW_COLUMNS", "REJECTED_COLUMNS",
           "CleanBatch", "CleanResult", "ExtractBatch", "ExtractResult", "PartitionCleaner", "PartitionExtractor",
           "clean_partition", "clean_raw", "discover_raw", "discover_web", "extract_articles", "extract_partition",
           "fetch_history", "stable_id"]
