"""What every stage shares: the tables' column lists, row ids, time stamps, the batch size."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

# Inputs per batch handed to storage: a partition's texts never sit in memory all at once.
BATCH_SIZE = 1000

RAW_COLUMNS = ["source", "uri", "content_hash", "n_bytes", "read_error", "fetch_outcome", "charset",
               "file_size", "file_mtime_ns", "discovered_at"]
ARTICLE_COLUMNS = ["article_id", "source", "uri", "title", "published", "text", "content_hash",
                   "text_hash", "format", "year_hint", "n_words", "cleaner_version", "cleaned_at"]
REJECTED_COLUMNS = ["source", "uri", "content_hash", "stage", "reason", "detail", "text_hash", "cleaner_version",
                    "rejected_at"]
MENTION_COLUMNS = ["mention_id", "article_id", "source", "event_type", "types", "actor", "target",
                   "event_date", "date_precision", "reported_only", "diplomat", "cause", "sentence",
                   "char_start", "char_end", "rule", "confidence"]
# A sentence naming a state where a trigger fired and no mention came of it (extraction.model.NearMiss).
NEAR_MISS_COLUMNS = ["near_miss_id", "article_id", "source", "sentence", "char_start", "char_end", "rule", "reason",
                     "states"]
EXTRACTION_COLUMNS = ["source", "article_id", "text_hash", "extractor_version", "n_mentions", "extracted_at", "error"]


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def stable_id(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


