"""Gold evidence: which sentences of an article state each gold incident, as character spans
of the article's text file (docs/gold_format.md, "Evidence"), and whether a matched
incident was found in one of them.

A match found elsewhere (the right pair and date, read from a sentence that does not state
it) is right by luck: `demarche evaluate --evidence` counts such matches apart.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

KINDS = ("stated", "split", "inferred")  # one sentence says it all / spread over adjacent ones / none says it
SAME_SENTENCE_SHARE = 0.6  # of the shorter sentence's words, found in the other: the same sentence cut differently
_WORD = re.compile(r"\w+")


class EvidenceFileError(ValueError):
    pass


@dataclass(frozen=True)
class Evidence:
    article_id: str
    key: str  # the gold incident's key ("AZE>RUS 2019-11-06")
    spans: tuple[tuple[int, int], ...]
    kind: str


def parse_evidence(record) -> Evidence:
    """One evidence line, checked; an EvidenceFileError says what is wrong with it."""
    if not isinstance(record, dict):
        raise EvidenceFileError(f"expected a JSON object, got {type(record).__name__}")
    for name in ("id", "key"):
        if not isinstance(record.get(name), str) or not record[name].strip():
            raise EvidenceFileError(f"{name!r} must be a non-empty string")
    kind, spans = record.get("kind"), record.get("evidence")
    if kind not in KINDS:
        raise EvidenceFileError(f"'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    if not isinstance(spans, list) or not all(
            isinstance(s, list) and len(s) == 2 and all(isinstance(n, int) and not isinstance(n, bool) for n in s)
            and 0 <= s[0] < s[1] for s in spans):
        raise EvidenceFileError(f"'evidence' must be a list of [start, end] with 0 <= start < end, got {spans!r}")
    if (kind == "inferred") != (not spans):
        raise EvidenceFileError("an 'inferred' incident has no spans, a 'stated' or 'split' one has some")
    return Evidence(record["id"], record["key"], tuple((s, e) for s, e in spans), kind)


def load_evidence(path: Path) -> tuple[list[Evidence], list[str]]:
    """The evidence lines of a file, and one message per line that could not be used."""
    found, problems = [], []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvidenceFileError(f"cannot read evidence file {str(path)!r}: {exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            found.append(parse_evidence(json.loads(line)))
        except (ValueError, RecursionError) as exc:  # EvidenceFileError and JSONDecodeError are ValueErrors
            problems.append(f"line {number}: {exc}")
    return found, problems


def evidence_sentences(evidence: list[Evidence], articles_dir: Path) -> tuple[dict[tuple[str, str], list[str]], list[str]]:
    """(article id, key) -> the texts of its evidence spans, read from the article's file in
    articles_dir (by file stem); and a message for each span outside its file."""
    files = {path.name.split(".")[0]: path for path in Path(articles_dir).iterdir() if path.is_file()}
    texts: dict[str, str] = {}
    found: dict[tuple[str, str], list[str]] = {}
    problems = []
    for item in evidence:
        path = files.get(item.article_id)
        if path is None or not item.spans:
            continue
        if item.article_id not in texts:
            texts[item.article_id] = path.read_bytes().decode("utf-8", errors="replace")
        text = texts[item.article_id]
        if any(end > len(text) for _, end in item.spans):
            problems.append(f"{item.article_id} {item.key}: a span ends past the text ({len(text)} characters)")
            continue
        found[(item.article_id, item.key)] = [text[start:end] for start, end in item.spans]
    return found, problems


def same_sentence(a: str, b: str) -> bool:
    """Whether two sentences are the same one, cut or cleaned differently: most words of the
    shorter are in the other."""
    words_a, words_b = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    shorter = min(len(words_a), len(words_b))
    return shorter > 0 and len(words_a & words_b) >= SAME_SENTENCE_SHARE * shorter
