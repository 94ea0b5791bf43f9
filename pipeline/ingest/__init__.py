"""Listing and reading the raw documents of one source."""

from pipeline.ingest.documents import RawDocument, list_documents, read_bytes

__all__ = ["RawDocument", "list_documents", "read_bytes"]
