"""Incremental re-runs: inputs whose bytes (cleaning) or text (extraction) and code did not
change are not cleaned or extracted again, and the tables come out as a fresh run makes them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from dagster import AssetKey

import pipeline.stages.extract as stages
from assets.runner import run_pipeline
from pipeline.reuse import CleaningMemo
from pipeline.stages import clean_partition, discover_raw, extract_partition
from pipeline.sources_file import parse_sources
from tests.conftest import write_corpus

STAMPS = ["cleaned_at", "rejected_at", "extracted_at"]


def _metadata(instance, asset: str) -> dict:
    event = instance.get_latest_materialization_event(AssetKey(asset))
    return {k: v.value for k, v in event.asset_materialization.metadata.items()}


def _comparable(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    frame = frame.drop(columns=[c for c in STAMPS if c in frame.columns])
    return frame.sort_values(key).reset_index(drop=True).astype(str)


def _spec(folder: Path, tmp_path: Path):
    spec, = parse_sources({"sources": [{"name": "wire", "kind": "folder", "path": str(folder)}]}, tmp_path)
    return spec


def _clean(folder: Path, tmp_path: Path, previous=None):
    return clean_partition(discover_raw(_spec(folder, tmp_path)), previous=previous)


def test_a_rerun_with_nothing_new_cleans_and_extracts_nothing(tmp_path, sources_file, instance):
    db = tmp_path / "wh.duckdb"
    run_pipeline(sources_file, db, instance=instance, log=lambda _: None)
    first = _metadata(instance, "articles"), _metadata(instance, "event_mentions")
    assert (first[0]["cleaned"], first[0]["reused"]) == (4, 0)
    assert (first[1]["extracted"], first[1]["reused"]) == (3, 0)
    run_pipeline(sources_file, db, instance=instance, log=lambda _: None)
    again = _metadata(instance, "articles"), _metadata(instance, "event_mentions")
    assert (again[0]["cleaned"], again[0]["reused"]) == (0, 4)
    assert (again[1]["extracted"], again[1]["reused"]) == (0, 3)


def test_a_changed_file_is_cleaned_again_and_only_it(tmp_path, sources_file, corpus, instance):
    db = tmp_path / "wh.duckdb"
    run_pipeline(sources_file, db, instance=instance, log=lambda _: None)
    page = corpus / "moscow_condemns.txt"
    page.write_text(page.read_text() + "\nThe Russian ambassador in Kyiv was not available for comment.\n")
    run_pipeline(sources_file, db, instance=instance, log=lambda _: None)
    assert (_metadata(instance, "articles")["cleaned"], _metadata(instance, "articles")["reused"]) == (1, 3)
    assert (_metadata(instance, "event_mentions")["extracted"], _metadata(instance, "event_mentions")["reused"]) == (1, 2)


def test_reused_results_give_the_tables_of_a_fresh_run(tmp_path):
    folder = tmp_path / "corpus"
    files = write_corpus(folder)
    before = _clean(folder, tmp_path)
    # The gzipped copy becomes the original text's only holder; a new file duplicates another.
    files["html"].unlink()
    (folder / "again.txt").write_text(files["text"].read_text() + "\n")
    memo = CleaningMemo(before.articles, before.rejected)
    incremental, fresh = _clean(folder, tmp_path, memo), _clean(folder, tmp_path)
    # Cleaned again: the new file, and the copy whose original is gone (the memo holds no texts).
    assert incremental.cleaned == 2 and incremental.reused == 2 and fresh.cleaned == 4
    assert _comparable(incremental.articles, "uri").equals(_comparable(fresh.articles, "uri"))
    assert _comparable(incremental.rejected, "uri").equals(_comparable(fresh.rejected, "uri"))
    assert set(incremental.rejected["reason"]) == {"duplicate"}


def test_a_duplicate_is_not_cleaned_again_until_the_text_it_repeats_is_gone(tmp_path, corpus):
    (corpus / "zz_same_text.txt").write_text((corpus / "moscow_condemns.txt").read_text() + "\n\n")
    before = _clean(corpus, tmp_path)
    assert "zz_same_text.txt" in " ".join(before.rejected["uri"])
    assert _clean(corpus, tmp_path, CleaningMemo(before.articles, before.rejected)).cleaned == 0
    (corpus / "moscow_condemns.txt").unlink()
    after = _clean(corpus, tmp_path, CleaningMemo(before.articles, before.rejected))
    assert (after.cleaned, after.reused) == (1, 3)
    assert _comparable(after.articles, "uri").equals(_comparable(_clean(corpus, tmp_path).articles, "uri"))


def test_another_cleaner_version_cleans_everything_again(tmp_path, corpus):
    before = _clean(corpus, tmp_path)
    stale = CleaningMemo(before.articles, before.rejected, version="an older cleaner")
    assert _clean(corpus, tmp_path, stale).cleaned == 4
    assert _clean(corpus, tmp_path, CleaningMemo(before.articles, before.rejected)).cleaned == 0


def _extract(articles: pd.DataFrame, log=None, mentions=None):
    keys = articles[["article_id", "source", "text_hash"]]
    loaded: list[str] = []

    def load(ids):
        loaded.extend(ids)
        return articles[articles["article_id"].isin(ids)]

    return extract_partition(keys, load, log, mentions), loaded


def test_extraction_reuses_mentions_only_for_the_same_text_and_extractor(tmp_path, corpus, monkeypatch):
    articles = _clean(corpus, tmp_path).articles
    first, _ = _extract(articles)
    assert first.extracted == 3 and len(first.mentions) >= 2
    again, loaded = _extract(articles, first.log, first.mentions)
    assert (again.extracted, again.reused, loaded) == (0, 3, [])
    assert _comparable(again.mentions, "mention_id").equals(_comparable(first.mentions, "mention_id"))
    assert _comparable(again.log, "article_id").equals(_comparable(first.log, "article_id"))
    # A changed text is extracted again, alone.
    changed = articles.copy()
    changed.loc[0, "text_hash"] = "another text"
    partial, loaded = _extract(changed, first.log, first.mentions)
    assert (partial.extracted, partial.reused, loaded) == (1, 2, [changed.loc[0, "article_id"]])
    # Another extractor version (a bumped EXTRACTOR_VERSION, a changed gazetteer) redoes all.
    monkeypatch.setattr(stages, "extractor_version", lambda: "a newer extractor")
    redone, _ = _extract(articles, first.log, first.mentions)
    assert redone.extracted == 3 and redone.reused == 0
    assert _comparable(redone.mentions, "mention_id").equals(_comparable(first.mentions, "mention_id"))


def test_the_extractor_version_follows_the_gazetteer(tmp_path, monkeypatch):
    import pipeline.versions as versions

    gazetteer = tmp_path / "gazetteer"
    gazetteer.mkdir()
    (gazetteer / "extra.tsv").write_text("code\tkind\tsurface\nAZE\tname\tAzerbaijan\n")
    monkeypatch.setattr(versions, "GAZETTEER_DIR", gazetteer)
    versions.extractor_version.cache_clear()
    try:
        first = versions.extractor_version()
        (gazetteer / "extra.tsv").write_text("code\tkind\tsurface\nAZE\tname\tAzerbaijan Republic\n")
        versions.extractor_version.cache_clear()
        assert versions.extractor_version() != first
    finally:
        versions.extractor_version.cache_clear()


def test_the_extractor_version_follows_the_extraction_subpackages():
    """extraction/roles/ is a subpackage: its rules are part of the extractor's version."""
    from pipeline import extraction
    from pipeline.versions import _package_files

    names = {part.split(b"\0")[0].decode() for part in _package_files(extraction)}
    assert {"extractor.py", "roles/__init__.py", "roles/summons.py", "roles/speakers.py"} <= names


def test_an_article_that_breaks_the_extractor_is_recorded_not_fatal():
    import pandas as pd

    from pipeline.stages import extract_partition

    articles = pd.DataFrame([
        {"article_id": "ok", "source": "s", "text": "Azerbaijan summoned the French ambassador on 3 March 2021.",
         "published": None, "title": None, "year_hint": None, "text_hash": "h1"},
        {"article_id": "broken", "source": "s", "text": None,  # not text: extract_mentions raises
         "published": None, "title": None, "year_hint": None, "text_hash": "h2"},
    ])
    keys = articles[["article_id", "source", "text_hash"]]
    result = extract_partition(keys, lambda ids: articles[articles["article_id"].isin(ids)])
    assert list(result.mentions["article_id"].unique()) == ["ok"]
    errors = dict(zip(result.log["article_id"], result.log["error"]))
    assert pd.isna(errors["ok"]) and errors["broken"].startswith(("TypeError", "AttributeError"))
    # The failed article is tried again on the next run; the good one is reused.
    again = extract_partition(keys, lambda ids: articles[articles["article_id"].isin(ids)], previous_log=result.log,
                              previous_mentions=result.mentions)
    assert (again.extracted, again.reused) == (1, 1)


def test_discovery_rehashes_only_files_whose_size_or_time_changed(tmp_path, corpus, monkeypatch):
    import pipeline.ingest.documents as documents
    spec = _spec(corpus, tmp_path)
    before = discover_raw(spec)
    read: list[str] = []
    real_read = documents.read_file_bytes
    monkeypatch.setattr(documents, "read_file_bytes", lambda path: read.append(path.name) or real_read(path))
    assert discover_raw(spec, before)[["uri", "content_hash"]].equals(before[["uri", "content_hash"]])
    assert read == []
    # Same size, new bytes, new modification time: read and hashed again.
    page = corpus / "moscow_condemns.txt"
    text = page.read_text()
    page.write_text(text.replace("Thursday", "Thursdax"))
    after = discover_raw(spec, before)
    assert read == ["moscow_condemns.txt"]
    changed = after.set_index("uri")["content_hash"] != before.set_index("uri")["content_hash"]
    assert list(changed[changed].index) == [page.resolve().as_uri()]
