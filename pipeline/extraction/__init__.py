"""Clean article text -> protest event mentions."""

from pipeline.extraction.extractor import extract_many, extract_mentions
from pipeline.extraction.model import EVENT_TYPES, Mention

__all__ = ["EVENT_TYPES", "EXTRACTOR_VERSION", "Mention", "extract_many", "extract_mentions"]

# Bump to invalidate stored mentions after a change the code and gazetteer hashes cannot see
# (pipeline.versions.extractor_version() combines it with those hashes).
EXTRACTOR_VERSION = "2"  # 2: roles from the dependency parse
