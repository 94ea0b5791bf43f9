"""A benchmark corpus of N distinct pages, written as gzipped files into one folder.

Nine pages in ten are variants of the 181 real news pages of
../shared/bench/article-extraction-benchmark: each variant gets its own title and a sentence
of its own inside the article body (located from the benchmark's expected text), so no two files (nor, usually, two clean
texts) are identical. The tenth is a variant of one of the project's sample articles
(data/samples), so that extraction finds protests to record."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "bench" / "article-extraction-benchmark"
SAMPLES = REPO / "data" / "samples"

_WORDS = ("archive", "ledger", "bulletin", "digest", "record", "summary", "dossier", "register")
_TITLE = re.compile(r"(<title[^>]*>)(.*?)(</title>)", re.I | re.S)
_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p\s*>", re.I | re.S)


def benchmark_pages() -> list[Path]:
    return sorted((BENCH / "html").glob("*.html.gz"))


def sample_pages() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in (".html", ".txt"))


def _note(k: int) -> str:
    """A sentence of its own for variant k: words and a number no other variant has."""
    return (f"Editor's {_WORDS[k % len(_WORDS)]} entry {k}: this copy carries reference number {k * 7919 + 13} "
            f"and was filed in batch {k // 100} of the benchmark corpus.")


def _in_text_node(markup: str, at: int) -> bool:
    """Whether position `at` is in visible text: not in a tag's attributes, a script or a style."""
    lt, gt = markup.rfind("<", 0, at), markup.rfind(">", 0, at)
    return gt > lt >= 0 and not markup[lt:lt + 7].lower().startswith(("<script", "<style", "<title"))


def body_anchor(markup: str, body: str) -> int | None:
    """Where the text node holding an early line of the expected article body ends, if found."""
    for line in body.splitlines():
        line = line.strip()
        if len(line) < 40:
            continue
        at = markup.find(line[:30])
        while at >= 0 and not _in_text_node(markup, at):
            at = markup.find(line[:30], at + 1)
        end = markup.find("<", at) if at >= 0 else -1
        if end > 0:
            return end
    return None


def html_variant(markup: str, k: int, body: str = "") -> str:
    markup = _TITLE.sub(lambda m: f"{m.group(1)}{m.group(2).strip()} ({k}){m.group(3)}", markup, count=1)
    anchor = body_anchor(markup, body) if body else None
    if anchor is not None:  # inside the article body's text: every variant's clean text differs
        return f"{markup[:anchor]} {_note(k)}{markup[anchor:]}"
    paragraphs = list(_PARAGRAPH.finditer(markup))
    if paragraphs:  # appended to the longest paragraph, which is nearly always article body
        at = max(paragraphs, key=lambda m: len(m.group(1))).end(1)
        return f"{markup[:at]} {_note(k)}{markup[at:]}"
    return markup.replace("</body>", f"<p>{_note(k)}</p></body>", 1)


def text_variant(text: str, k: int) -> str:
    return f"{text.rstrip()}\n\n{_note(k)}\n"


def build_corpus(folder: Path, n_pages: int) -> list[Path]:
    """Write n_pages files into folder (page_000001.html.gz, ...); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    real = [(gzip.decompress(p.read_bytes()).decode("utf-8", "replace"),
             truth.get(p.name.removesuffix(".html.gz"), {}).get("articleBody", "")) for p in benchmark_pages()]
    samples = [(p.suffix, p.read_text(encoding="utf-8", errors="replace")) for p in sample_pages()]
    paths = []
    for k in range(n_pages):
        if k % 10 == 9:
            suffix, text = samples[(k // 10) % len(samples)]
            body = html_variant(text, k) if suffix == ".html" else text_variant(text, k)
        else:
            markup, expected = real[(k - k // 10) % len(real)]
            suffix, body = ".html", html_variant(markup, k, expected)
        path = folder / f"page_{k:06}{suffix}.gz"
        path.write_bytes(gzip.compress(body.encode("utf-8"), compresslevel=1, mtime=0))
        paths.append(path)
    return paths
