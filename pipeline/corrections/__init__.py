"""Analysts' corrections to the extracted record, kept as data (data/corrections.yaml).

No Dagster imports: model.py (what a correction is), parse.py (YAML text -> validated
corrections, errors naming the entry), anchors.py (finding the mention a correction is about,
by article URI and evidence text, never by an id a new extractor may change), apply.py
(mentions -> the corrected record), corrections_file.py (reading with a last-good fallback,
appending atomically) and gold.py (the reviewed articles as gold lines)."""

from pipeline.corrections.apply import CorrectedRecord, correct_and_merge
from pipeline.corrections.model import ACTIONS, Anchor, Changes, Correction, CorrectionsError
from pipeline.corrections.parse import parse_corrections

__all__ = ["ACTIONS", "Anchor", "Changes", "CorrectedRecord", "Correction", "CorrectionsError",
           "correct_and_merge", "parse_corrections"]
