"""Extraction throughput on one core: articles per second through extract_mentions.

    .venv/bin/python benchmarks/extraction_speed.py [--repeat 30] [FOLDER ...]

Cleans every article of the folders once (default: data/samples, plus ../shared/seeds
when present), then times extraction alone over the cleaned texts, repeated to get a
stable figure. Reports the relevant (protest) and the overall rates separately, since
articles without any trigger word are dismissed almost for free.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.cleaning import CleanArticle, clean_document  # noqa: E402
from pipeline.extraction import extract_mentions  # noqa: E402
from pipeline.ingest.documents import is_folder_input, read_file_bytes  # noqa: E402


def load_articles(folders: list[Path]) -> list[CleanArticle]:
    articles = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if is_folder_input(path):
                result = clean_document(read_file_bytes(path))
                if isinstance(result, CleanArticle):
                    articles.append(result)
    return articles


def time_pass(articles: list[CleanArticle]) -> tuple[float, int]:
    start = time.perf_counter()
    relevant = 0
    for article in articles:
        relevant += bool(extract_mentions(article.text, article.published, article.title, article.year_hint))
    return time.perf_counter() - start, relevant


def rate(articles: list[CleanArticle], repeat: int) -> tuple[float, float]:
    """(median, best) articles per second over repeated passes."""
    timings = [time_pass(articles)[0] for _ in range(repeat)]
    return len(articles) / statistics.median(timings), len(articles) / min(timings)


def mix_cpu(repeat: int) -> None:
    """The extract stage's own mix (benchmarks/corpus.py: nine pages in ten from the 181 real
    benchmark pages, one in ten a sample article with protests), in tasks of ARTICLES_PER_TASK articles as the
    stage sends them, timed in CPU seconds of this process: a figure that a loaded machine
    slows far less than wall time. Two workers on two free cores do about twice this rate."""
    from benchmarks.corpus import benchmark_pages, sample_pages
    from pipeline.extraction import extract_many
    from pipeline.stages.extract import ARTICLES_PER_TASK

    def cleaned(paths):
        return [r for p in paths if isinstance(r := clean_document(read_file_bytes(p)), CleanArticle)]
    bench, samples = cleaned(benchmark_pages()), cleaned(sample_pages())
    mix = []
    for i in range(9 * len(samples)):  # 9 bench pages per sample article
        mix.append(bench[i % len(bench)])
        if i % 9 == 8:
            mix.append(samples[i // 9])
    inputs = [(a.text, a.published, a.title, a.year_hint) for a in mix]
    extract_many(inputs[:ARTICLES_PER_TASK])  # warm-up: loads the parser
    timings = []
    for _ in range(repeat):
        start = time.process_time()
        for i in range(0, len(inputs), ARTICLES_PER_TASK):
            extract_many(inputs[i:i + ARTICLES_PER_TASK])
        timings.append(time.process_time() - start)
    per_article = statistics.median(timings) / len(inputs)
    print(f"pipeline mix ({len(mix)} articles, 1 in 10 a sample article), CPU time: {per_article * 1000:.2f} ms "
          f"per article = {1 / per_article:,.0f} articles/s per core (median of {repeat} passes)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--mix", action="store_true", help="the pipeline benchmark's mix, in CPU time")
    args = parser.parse_args()
    if args.mix:
        mix_cpu(args.repeat)
        return 0
    folders = args.folders or [REPO / "data" / "samples"] + ([REPO.parent / "shared" / "seeds"] if (REPO.parent / "shared" / "seeds").is_dir() else [])
    articles = load_articles(folders)
    if not articles:
        print("no articles found in", ", ".join(map(str, folders)))
        return 1
    time_pass(articles)  # warm-up: loads the gazetteer and compiles the patterns
    relevant = [a for a in articles if extract_mentions(a.text, a.published, a.title, a.year_hint)]
    chars = sum(len(a.text) for a in articles) / len(articles)
    print(f"articles: {len(articles)} (relevant: {len(relevant)}), mean {chars:.0f} characters of text")
    for label, subset in (("relevant articles", relevant), ("all articles", articles)):
        if subset:
            median, best = rate(subset, args.repeat)
            print(f"extraction, one core, {label}: {median:,.0f} articles/s "
                  f"(median of {args.repeat} passes; best {best:,.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
