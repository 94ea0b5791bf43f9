"""Cleaning quality on the 181 pages of ../shared/bench/article-extraction-benchmark, scored
as that folder's README describes, with the project's own cleaning of HTML
(pipeline/cleaning: decode_bytes, then clean_html with EXTRACT_OPTIONS).

    .venv/bin/python benchmarks/cleaning_quality.py

Tokens are \\w+ matches, grouped into overlapping shingles of 4; per page, true positives,
false positives and false negatives are counted on shingles (as multisets) and scaled to
sum to 1; precision and recall are averaged over pages (a page with empty output is left
out of the precision average and counts as zero recall); F1 comes from the two averages.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.corpus import BENCH  # noqa: E402
from pipeline.cleaning.decode import decode_bytes  # noqa: E402
from pipeline.cleaning.html import EXTRACT_OPTIONS, clean_html  # noqa: E402

SHINGLE = 4


def shingles(text: str) -> Counter:
    tokens = re.findall(r"\w+", text)
    if 0 < len(tokens) < SHINGLE:  # shorter than one shingle: the whole text is one
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_scores(predicted: str, expected: str) -> tuple[float | None, float]:
    """(precision or None for an empty output, recall) of one page."""
    got, want = shingles(predicted), shingles(expected)
    if not got:
        return None, 0.0
    tp = sum((got & want).values())
    fp, fn = sum(got.values()) - tp, sum(want.values()) - tp
    total = tp + fp + fn  # scaling to sum 1 leaves the ratios below unchanged
    tp, fp, fn = tp / total, fp / total, fn / total
    return tp / (tp + fp), (tp / (tp + fn) if tp + fn else 0.0)


def score(pairs: list[tuple[str, str]]) -> dict:
    precisions, recalls = [], []
    for predicted, expected in pairs:
        precision, recall = page_scores(predicted, expected)
        if precision is not None:
            precisions.append(precision)
        recalls.append(recall)
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return {"pages": len(pairs), "empty": len(pairs) - len(precisions), "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0}


def project_text(path: Path) -> str:
    result = clean_html(decode_bytes(gzip.decompress(path.read_bytes())))
    return result.text if result else ""


def main() -> int:
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    paths = sorted((BENCH / "html").glob("*.html.gz"))
    started = time.perf_counter()
    pairs = [(project_text(p), truth[p.name.removesuffix(".html.gz")]["articleBody"]) for p in paths]
    seconds = time.perf_counter() - started
    result = score(pairs)
    print(f"EXTRACT_OPTIONS = {EXTRACT_OPTIONS}")
    print(f"{result['pages']} pages ({result['empty']} empty): precision {result['precision']:.3f}, "
          f"recall {result['recall']:.3f}, F1 {result['f1']:.3f}; {len(paths) / seconds:.0f} pages/s on one core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
