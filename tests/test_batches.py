"""Stages work in batches, so a partition's texts are never all in memory: the batches hold at
most batch_size inputs, and together they give exactly what one pass gives."""

from __future__ import annotations

import pandas as pd
import pytest

import pipeline.stages.common as stages
from assets.runner import run_pipeline
from pipeline.parallel import MIN_POOL_ITEMS
from pipeline.sources_file import parse_sources
from pipeline.stages import PartitionCleaner, PartitionExtractor, clean_partition, discover_raw
from tests.conftest import write_corpus


def _raw(tmp_path) -> pd.DataFrame:
    write_corpus(tmp_path / "corpus")
    spec, = parse_sources({"sources": [{"name": "wire", "kind": "folder", "path": str(tmp_path / "corpus")}]}, tmp_path)
    return discover_raw(spec)


def _rows(frame: pd.DataFrame, drop: str) -> list:
    return sorted(map(repr, frame.drop(columns=[drop]).astype(str).itertuples(index=False)))


def test_cleaning_batches_are_bounded_and_add_up_to_one_pass(tmp_path):
    raw = _raw(tmp_path)
    whole = clean_partition(raw)
    batches = list(PartitionCleaner(raw, batch_size=2).batches())
    assert len(batches) == (len(raw) + 1) // 2
    assert all(len(b.articles) + len(b.rejected) + len(b.kept) <= 2 for b in batches)
    articles = pd.concat([b.articles for b in batches], ignore_index=True)
    rejected = pd.concat([b.rejected for b in batches], ignore_index=True)
    assert _rows(articles, "cleaned_at") == _rows(whole.articles, "cleaned_at")
    assert _rows(rejected, "rejected_at") == _rows(whole.rejected, "rejected_at")


def test_extraction_reads_articles_one_batch_at_a_time_with_one_pool(tmp_path):
    # Enough distinct articles for the pool to start, spread over several batches.
    found = clean_partition(_raw(tmp_path)).articles
    copies = []
    for i in range(MIN_POOL_ITEMS // len(found) + 1):
        copy = found.copy()
        copy["article_id"] = copy["article_id"] + f"-{i}"
        copy["text"] = copy["text"] + f"\n\nThis is copy {i}."
        copy["text_hash"] = copy["text_hash"] + f"-{i}"
        copies.append(copy)
    articles = pd.concat(copies, ignore_index=True)
    assert len(articles) >= MIN_POOL_ITEMS
    keys = articles[["article_id", "source", "text_hash"]]
    loads: list[int] = []

    def load(ids):
        loads.append(len(ids))
        return articles[articles["article_id"].isin(ids)]

    pooled = list(PartitionExtractor(keys, load, workers=2, batch_size=10).batches())
    alone = list(PartitionExtractor(keys, load, workers=1, batch_size=len(keys)).batches())
    assert loads[:-1] == [10] * (len(keys) // 10) + ([len(keys) % 10] if len(keys) % 10 else [])
    assert loads[-1] == len(keys)
    mentions = pd.concat([b.mentions for b in pooled], ignore_index=True)
    assert not mentions.empty
    assert _rows(mentions, "source") == _rows(alone[0].mentions, "source")
    log = pd.concat([b.log for b in pooled], ignore_index=True)
    assert sorted(log["article_id"]) == sorted(keys["article_id"])


PER_SOURCE = {"raw_articles": "discovered_at", "articles": "cleaned_at", "rejected": "rejected_at",
              "mentions": None, "extractions": "extracted_at", "incidents": None}


def _tables(db) -> dict:
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * EXCLUDE ({s}) FROM {t}" if s else f"SELECT * FROM {t}")  # noqa: S608
                              .fetchall())) for t, s in PER_SOURCE.items()}
    finally:
        con.close()


@pytest.mark.parametrize("store", ["duckdb", "parquet"])
def test_a_source_written_in_many_batches_gives_the_same_tables(tmp_path, sources_file, corpus, instance, monkeypatch, store):
    reference = tmp_path / "one_batch.duckdb"
    run_pipeline(sources_file, reference, instance=instance, log=lambda _: None, store=store)
    monkeypatch.setattr(stages, "BATCH_SIZE", 2)
    db = tmp_path / "batches.duckdb"
    run_pipeline(sources_file, db, instance=instance, log=lambda _: None, store=store)
    assert _tables(db) == _tables(reference) and _tables(db)["incidents"]
    # A re-run keeps the rows of unchanged inputs and rewrites the changed one, batch by batch.
    page = corpus / "moscow_condemns.txt"
    page.write_text(page.read_text() + "\nThe ministry repeated its protest on Friday.\n")
    run_pipeline(sources_file, db, instance=instance, log=lambda _: None, store=store)
    monkeypatch.setattr(stages, "BATCH_SIZE", 1000)
    fresh = tmp_path / "fresh.duckdb"
    run_pipeline(sources_file, fresh, instance=instance, log=lambda _: None, store=store)
    assert _tables(db) == _tables(fresh)
