"""Clean article text -> protest event mentions."""

from pipeline.extraction.extractor import extract_mentions
from pipeline.extraction.model import EVENT_TYPES, Mention

__all__ = ["EVENT_TYPES", "Mention", "extract_mentions"]
