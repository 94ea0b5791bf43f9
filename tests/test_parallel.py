"""The worker pool: same results whatever the worker count, really in other processes for
large batches, in-process for small ones, and configurable."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from assets.runner import run_pipeline
from pipeline.parallel import MIN_POOL_ITEMS, WorkerPool, ordered_map, worker_count
from pipeline.sources_file import parse_sources
from pipeline.stages import clean_partition, discover_raw, extract_articles
from tests.conftest import HTML_PAGE, PLAIN_TEXT, write_sources

N_FILES = MIN_POOL_ITEMS + 6
COPIES = len(range(9, N_FILES, 10))  # identical pages: one article, the rest duplicates
N_ARTICLES = N_FILES - COPIES + 1


def _pid(_: int) -> int:
    return os.getpid()


def _square(n: int) -> int:
    return n * n


def _write_many(folder: Path) -> Path:
    """Enough distinct inputs to start a pool: HTML pages, plain texts, a few exact copies."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(N_FILES):
        if i % 10 == 9:
            (folder / f"copy_{i:03}.html").write_text(HTML_PAGE)
        elif i % 2:
            (folder / f"page_{i:03}.html").write_text(HTML_PAGE.replace("Senate", f"Senate (session {i})"))
        else:
            (folder / f"note_{i:03}.txt").write_text(PLAIN_TEXT.replace("Thursday", f"Thursday, in its sitting number {i},"))
    return folder


def test_ordered_map_keeps_order_and_uses_other_processes_only_for_large_batches():
    n = MIN_POOL_ITEMS * 2
    assert list(ordered_map(_square, range(n), n, workers=2)) == [i * i for i in range(n)]
    assert os.getpid() not in set(ordered_map(_pid, range(n), n, workers=2))
    small = MIN_POOL_ITEMS - 1
    assert set(ordered_map(_pid, range(small), small, workers=2)) == {os.getpid()}
    assert set(ordered_map(_pid, range(n), n, workers=1)) == {os.getpid()}


_WARMED = "DEMARCHE_TEST_WARMED"


def _warm_up() -> None:
    os.environ[_WARMED] = str(os.getpid())  # in the worker's own environment


def _warmed(_: int) -> str | None:
    return os.environ.get(_WARMED)


def test_each_worker_warms_up_as_it_starts_before_its_first_task():
    with WorkerPool(2, MIN_POOL_ITEMS, warm_up=_warm_up) as pool:
        seen = set(pool.imap(_warmed, range(MIN_POOL_ITEMS), chunksize=1))
    assert None not in seen and str(os.getpid()) not in seen and _WARMED not in os.environ


def _failing_warm_up() -> None:
    raise RuntimeError("no model here")


def test_a_failing_warm_up_leaves_the_error_to_the_tasks_instead_of_hanging_the_pool():
    with WorkerPool(2, MIN_POOL_ITEMS, warm_up=_failing_warm_up) as pool:
        results = pool.imap(_square, range(MIN_POOL_ITEMS), chunksize=1)
        first = results.next(timeout=60)  # a hung pool fails the test instead of hanging it
        assert [first, *results] == [i * i for i in range(MIN_POOL_ITEMS)]


def test_worker_count_from_argument_environment_or_cpus(monkeypatch):
    monkeypatch.delenv("DEMARCHE_WORKERS", raising=False)
    assert worker_count() == (os.cpu_count() or 1)
    monkeypatch.setenv("DEMARCHE_WORKERS", "3")
    assert worker_count() == 3
    assert worker_count(1) == 1


@pytest.fixture
def many(tmp_path: Path) -> Path:
    return _write_many(tmp_path / "many")


def test_cleaning_and_extraction_give_the_same_rows_with_a_pool(tmp_path, many):
    spec, = parse_sources({"sources": [{"name": "many", "kind": "folder", "path": str(many)}]}, tmp_path)
    raw = discover_raw(spec)
    alone, pooled = clean_partition(raw, workers=1), clean_partition(raw, workers=2)
    stamps = ["cleaned_at", "rejected_at"]
    assert pooled.articles.drop(columns=stamps[:1]).equals(alone.articles.drop(columns=stamps[:1]))
    assert pooled.rejected.drop(columns=stamps[1:]).equals(alone.rejected.drop(columns=stamps[1:]))
    assert len(alone.articles) == N_ARTICLES and set(alone.rejected["reason"]) == {"duplicate"}
    mentions = extract_articles(alone.articles, workers=1)
    assert not mentions.empty and extract_articles(alone.articles, workers=2).equals(mentions)


def test_the_dagster_assets_run_with_a_pool(tmp_path, many, instance, monkeypatch):
    monkeypatch.setenv("DEMARCHE_WORKERS", "2")
    sources = write_sources(tmp_path / "s.yaml", [{"name": "many", "kind": "folder", "path": str(many)}])
    db = tmp_path / "wh.duckdb"
    run_pipeline(sources, db, instance=instance, log=lambda _: None)
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM rejected), "
                             "(SELECT count(DISTINCT article_id) FROM extractions)").fetchone()
    finally:
        con.close()
    assert counts == (N_ARTICLES, N_FILES - N_ARTICLES, N_ARTICLES)


def test_discovery_hashes_in_a_pool_and_gives_the_same_rows(tmp_path, many):
    spec, = parse_sources({"sources": [{"name": "many", "kind": "folder", "path": str(many)}]}, tmp_path)
    (many / "broken.txt.gz").write_bytes(b"not gzip at all")
    alone, pooled = discover_raw(spec, workers=1), discover_raw(spec, workers=2)
    assert len(alone) >= MIN_POOL_ITEMS
    assert pooled.drop(columns=["discovered_at"]).equals(alone.drop(columns=["discovered_at"]))
    assert alone.set_index("uri").loc[(many / "broken.txt.gz").resolve().as_uri(), "read_error"].startswith("BadGzipFile")


def test_progress_lines_go_to_the_run_log_and_the_terminal_logger(caplog):
    from pipeline.progress import LOGGER, Progress
    lines: list[str] = []
    progress = Progress("source s: cleaning", lines.append, every_s=0.0)
    progress.start(3)
    with caplog.at_level("INFO", logger=LOGGER.name):
        progress.step()
        progress.step()
        progress.step()  # the last step is not reported: the stage's summary line follows
    assert [line.split(" (")[0] for line in lines] == ["source s: cleaning: 1/3", "source s: cleaning: 2/3"]
    assert [r.getMessage() for r in caplog.records if r.name == LOGGER.name] == lines
