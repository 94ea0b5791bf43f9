"""Fetching web sources politely and safely (no Dagster here): the HTTP client, robots.txt,
feed and sitemap discovery, the content-addressed blob store and fetch_log records."""

from pipeline.fetch.blobs import BlobStore, default_blob_dir
from pipeline.fetch.client import FetchResult, HttpClient
from pipeline.fetch.history import FETCH_LOG_COLUMNS, HISTORY_SQL, FetchHistory, FetchRecord, records_frame
from pipeline.fetch.options import USER_AGENT, FetchOptions

__all__ = ["BlobStore", "FETCH_LOG_COLUMNS", "FetchHistory", "FetchOptions", "FetchRecord", "FetchResult",
           "HISTORY_SQL", "HttpClient", "USER_AGENT", "default_blob_dir", "records_frame"]
