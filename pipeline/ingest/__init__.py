"""Listing and reading a source's raw documents: folders in place (documents.py), web
sources through the fetcher and the blob store (web.py)."""

from pipeline.ingest.documents import RawDocument, list_documents, read_bytes
from pipeline.ingest.web import WebInputs, list_web_documents

__all__ = ["RawDocument", "WebInputs", "list_documents", "list_web_documents", "read_bytes"]
