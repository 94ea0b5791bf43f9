"""Extraction: articles -> protest mentions (and near misses, the sentences an analyst should
check for missed incidents), in batches, keeping those of articles whose text and extractor
are unchanged."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd

from pipeline.extraction import Extraction, extract_with_near_misses
from pipeline.extraction.parser import load_parser
from pipeline.parallel import WorkerPool
from pipeline.progress import Progress
from pipeline.reuse import as_date, reusable_extractions
from pipeline.stages import common
from pipeline.stages.common import EXTRACTION_COLUMNS, MENTION_COLUMNS, NEAR_MISS_COLUMNS, stable_id, utc_now
from pipeline.versions import extractor_version

# Marks an article the extractor failed on, among its mention rows (never stored as a mention).
_FAILED = "__extraction_failed__"


# Articles per task: the parser is called once for all their candidate sentences (a call
# costs more than a sentence), and each worker still gets many tasks per batch (16 of a batch
# of 1,000 with two workers). 32 rather than 16: the stage alone on the 2,742 benchmark
# articles took 4.30 s against 4.47 s (means of six alternating runs), with the same mentions.
ARTICLES_PER_TASK = 32


# Per article: (mention rows, near-miss rows).
ArticleRows = tuple[list[dict], list[dict]]


def _extract_chunk(articles: list[tuple]) -> list[ArticleRows]:
    """Several articles, possibly in a worker process -> each one's rows."""
    try:
        found = extract_with_near_misses([(text, published, title, year_hint)
                                          for _, _, text, published, title, year_hint in articles])
    except Exception:  # one hostile article must not fail the others: find it alone
        return [_extract_task(article) for article in articles]
    return [_rows(article[0], article[1], extraction) for article, extraction in zip(articles, found)]


def _extract_task(article: tuple) -> ArticleRows:
    """One article -> its rows."""
    article_id, source, text, published, title, year_hint = article
    try:
        extraction = extract_with_near_misses([(text, published, title, year_hint)])[0]
    except Exception as exc:  # one hostile article must not fail its whole source's run
        return [{"mention_id": _FAILED, "article_id": article_id, "sentence": f"{type(exc).__name__}: {exc}"[:500]}], []
    return _rows(article_id, source, extraction)


def _rows(article_id: str, source: str, extraction: Extraction) -> ArticleRows:
    near_misses = [{
        "near_miss_id": stable_id(article_id, "near_miss", str(n.char_start)), "article_id": article_id,
        "source": source, "sentence": n.sentence, "char_start": n.char_start, "char_end": n.char_end,
        "rule": n.rule, "reason": n.reason, "states": list(n.states),
    } for n in extraction.near_misses]
    rows = []
    for index, m in enumerate(extraction.mentions):
        rows.append({
            "mention_id": stable_id(article_id, str(index), m.actor, m.target),
            "article_id": article_id, "source": source, "event_type": m.event_type,
            "types": list(m.types), "actor": m.actor, "target": m.target,
            "event_date": m.date.first_day if m.date else None,
            "date_precision": m.date.precision if m.date else None,
            "reported_only": m.reported_only, "diplomat": m.diplomat, "cause": m.cause,
            "sentence": m.sentence, "char_start": m.char_start, "char_end": m.char_end,
            "rule": m.rule, "confidence": m.confidence,
        })
    return rows, near_misses


def _extraction_input(art) -> tuple:
    year_hint = None if pd.isna(art.year_hint) else int(art.year_hint)
    return (art.article_id, art.source, art.text, as_date(art.published),
            art.title if isinstance(art.title, str) else None, year_hint)


def _stacked(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The frames one under another, with exactly these columns (an empty frame of them if none)."""
    return pd.concat([f for f in frames if not f.empty] or [pd.DataFrame(columns=columns)], ignore_index=True)[columns]


def _mentions_frame(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frame = _stacked(frames, MENTION_COLUMNS)
    frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.date
    return frame


def _submit(pool: WorkerPool, articles: pd.DataFrame) -> Iterator[list[ArticleRows]]:
    """Hand the articles to the pool; the results come in order from the iterator returned."""
    inputs = [_extraction_input(a) for a in articles.itertuples(index=False)]
    chunks = [inputs[i:i + ARTICLES_PER_TASK] for i in range(0, len(inputs), ARTICLES_PER_TASK)]
    return pool.imap(_extract_chunk, chunks, chunksize=1)


@dataclass
class _Collected:
    mentions: pd.DataFrame
    near_misses: pd.DataFrame
    errors: dict[str, str]  # article_id -> why extraction failed


def _collect(results: Iterator[list[ArticleRows]], progress: Progress | None) -> _Collected:
    rows, near, errors = [], [], {}
    for found_per_article in results:
        for mention_rows, near_rows in found_per_article:
            for row in mention_rows:
                if row["mention_id"] == _FAILED:
                    errors[row["article_id"]] = row["sentence"]
                else:
                    rows.append(row)
            near.extend(near_rows)
            if progress:
                progress.step()
    return _Collected(_mentions_frame([pd.DataFrame(rows, columns=MENTION_COLUMNS)]),
                      pd.DataFrame(near, columns=NEAR_MISS_COLUMNS), errors)


def extract_articles(articles: pd.DataFrame, workers: int = 1, progress: Progress | None = None) -> pd.DataFrame:
    """Articles -> one row per protest mention (failures in frame.attrs['errors'], near
    misses in frame.attrs['near_misses'])."""
    if progress:
        progress.start(len(articles))
    with WorkerPool(workers, len(articles), warm_up=load_parser) as pool:
        collected = _collect(_submit(pool, articles), progress)
    frame = collected.mentions
    frame.attrs.update(errors=collected.errors, near_misses=collected.near_misses)
    return frame


@dataclass
class ExtractBatch:
    mentions: pd.DataFrame  # of the articles extracted in this batch
    near_misses: pd.DataFrame  # theirs
    log: pd.DataFrame  # their extraction log rows


class PartitionExtractor:
    """`keys`: the partition's articles (article_id, source, text_hash). Articles whose text and
    extractor are unchanged keep their earlier mentions (`kept_ids`); the others are read in
    batches through `load_articles(ids)` and extracted in `workers` processes."""

    def __init__(self, keys: pd.DataFrame, load_articles: Callable[[list[str]], pd.DataFrame],
                 previous_log: pd.DataFrame | None = None, workers: int = 1, progress: Progress | None = None,
                 batch_size: int | None = None):
        self.version = extractor_version()
        self.kept_log = reusable_extractions(keys, previous_log, self.version)
        self.kept_ids = list(self.kept_log["article_id"])
        kept = set(self.kept_ids)
        self.todo = keys[~keys["article_id"].isin(kept)][["source", "article_id", "text_hash"]]
        self.load_articles, self.workers, self.progress = load_articles, workers, progress
        self.batch_size = batch_size or common.BATCH_SIZE
        self.extracted, self.reused = len(self.todo), len(kept)

    def batches(self) -> Iterator[ExtractBatch]:
        if self.progress:
            self.progress.start(len(self.todo))
        # Each worker loads the parser as it starts, while this process reads the first batch.
        with WorkerPool(self.workers, len(self.todo), warm_up=load_parser) as pool:
            # The next batch is read and handed to the pool before this one's results are
            # collected and stored: the workers go on from one batch to the next instead of
            # waiting while the parent reads articles and stages rows (two batches in memory).
            pending = None
            for start in range(0, len(self.todo), self.batch_size):
                keys = self.todo.iloc[start:start + self.batch_size]
                submitted = keys, _submit(pool, self.load_articles(list(keys["article_id"])))
                if pending is not None:
                    yield self._finish(*pending)
                pending = submitted
            if pending is not None:
                yield self._finish(*pending)

    def _finish(self, keys: pd.DataFrame, results: Iterator[list[ArticleRows]]) -> ExtractBatch:
        collected = _collect(results, self.progress)
        log = keys.assign(extractor_version=self.version, extracted_at=utc_now())
        log["n_mentions"] = log["article_id"].map(collected.mentions["article_id"].value_counts()).fillna(0).astype(int)
        log["error"] = log["article_id"].map(collected.errors)
        return ExtractBatch(collected.mentions, collected.near_misses, log[EXTRACTION_COLUMNS])


@dataclass
class ExtractResult:
    mentions: pd.DataFrame
    near_misses: pd.DataFrame  # of the articles extracted in this call (kept ones keep their stored rows)
    log: pd.DataFrame  # one row per article: which text, which extractor, how many mentions
    extracted: int  # articles run through the extractor in this call
    reused: int  # articles whose earlier mentions were kept (same text, same extractor)


def extract_partition(keys: pd.DataFrame, load_articles: Callable[[list[str]], pd.DataFrame],
                      previous_log: pd.DataFrame | None = None, previous_mentions: pd.DataFrame | None = None,
                      workers: int = 1, progress: Progress | None = None) -> ExtractResult:
    """PartitionExtractor's batches in memory, with the kept mentions taken from
    `previous_mentions` (tests and small callers; the assets stream batches to storage)."""
    extractor = PartitionExtractor(keys, load_articles, previous_log, workers, progress)
    batches = list(extractor.batches())
    kept = extractor.kept_ids
    mentions = [b.mentions for b in batches]
    if previous_mentions is not None and kept:
        mentions.append(previous_mentions[previous_mentions["article_id"].isin(kept)])
    logs = [extractor.kept_log[EXTRACTION_COLUMNS]] if kept else []
    logs += [b.log for b in batches]
    log = pd.concat(logs, ignore_index=True) if logs else pd.DataFrame(columns=EXTRACTION_COLUMNS)
    return ExtractResult(_mentions_frame(mentions), _stacked([b.near_misses for b in batches], NEAR_MISS_COLUMNS), log,
                         extracted=extractor.extracted, reused=extractor.reused)
