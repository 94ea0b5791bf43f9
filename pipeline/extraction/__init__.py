"""Clean article text -> protest event mentions."""

from pipeline.extraction.extractor import extract_many, extract_mentions, extract_with_near_misses
from pipeline.extraction.model import EVENT_TYPES, Extraction, Mention, NearMiss

__all__ = ["EVENT_TYPES", "EXTRACTOR_VERSION", "Extraction", "Mention", "NearMiss", "extract_many", "extract_mentions",
           "extract_with_near_misses"]

# Bump to invalidate stored mentions after a change the code and gazetteer hashes cannot see
# (pipeline.versions.extractor_version() combines it with those hashes).
EXTRACTOR_VERSION = "3"  # 2: roles from the dependency parse; 3: near misses stored beside mentions
