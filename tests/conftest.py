"""Shared fixtures: small corpora written by the tests themselves, temporary warehouses
and Dagster instances (real DuckDB files, real instances, nothing mocked)."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb

import pytest
import yaml
from dagster import instance_for_test

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

HTML_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Baku summons French envoy over Senate vote | Caspian Wire</title>
<meta property="article:published_time" content="2020-11-26T09:30:00+04:00">
</head><body>
<header><nav><a href="/">Home</a> | <a href="/politics">Politics</a> | <a href="/economy">Economy</a> | <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Baku summons French envoy over Senate vote</h1>
<p>Azerbaijan's Foreign Ministry on Wednesday summoned French Ambassador Zacharie Gross and handed him a note of protest over a resolution adopted by the French Senate.</p>
<p>The ministry said the resolution, which calls for recognition of the separatist entity, was a provocation that damaged relations between the two countries.</p>
<p>Officials in Paris said the Senate vote was not binding on the French government, which does not recognise the entity.</p>
</article></main>
<aside><h3>Related articles</h3><ul><li><a href="/a">Markets close higher</a></li><li><a href="/b">Football results of the week</a></li></ul></aside>
<footer><p>Copyright 2020 Caspian Wire. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>
"""

PLAIN_TEXT = """ date 2019-11-08 By Staff Writer

Moscow condemned the decision of Ukraine's parliament on Thursday, the Russian Foreign Ministry said in a statement.

The ministry called the vote a hostile step and said it would weigh a response.

Kaynak/Source:
"""

NEGATIVE_TEXT = """22.03.2021

The new ambassador of Germany to Azerbaijan presented copies of his credentials to Foreign Minister Jeyhun Bayramov on Monday. The two sides discussed trade and energy projects and agreed to deepen cooperation in education.
"""


def write_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "html": folder / "french_envoy.html",
        "text": folder / "moscow_condemns.txt",
        "negative": folder / "credentials.txt",
        "gz": folder / "french_envoy_copy.html.gz",
    }
    files["html"].write_text(HTML_PAGE, encoding="utf-8")
    files["text"].write_text(PLAIN_TEXT, encoding="utf-8")
    files["negative"].write_text(NEGATIVE_TEXT, encoding="utf-8")
    # Same page again, gzipped under another name: a duplicate, not a second article.
    files["gz"].write_bytes(gzip.compress(HTML_PAGE.encode("utf-8")))
    return files


def write_sources(path: Path, sources: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_corpus(folder)
    return folder


@pytest.fixture
def sources_file(tmp_path: Path, corpus: Path) -> Path:
    return write_sources(tmp_path / "sources.yaml", [{"name": "wire", "kind": "folder", "path": str(corpus)}])


@pytest.fixture
def instance():
    """A real, persistent Dagster instance in a temporary DAGSTER_HOME."""
    with instance_for_test() as inst:
        yield inst


def query_rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of a query on a warehouse file, through a short read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def input_outcome(db: Path, uri_condition: str, value: str) -> tuple:
    """('article', text) or ('rejected', stage, reason, detail) of the one input whose URI meets
    `uri_condition` (SQL with one parameter, e.g. "uri = ?")."""
    articles = query_rows(db, f"SELECT text FROM articles WHERE {uri_condition}", [value])  # noqa: S608
    rejected = query_rows(db, f"SELECT stage, reason, detail FROM rejected WHERE {uri_condition}", [value])  # noqa: S608
    assert len(articles) + len(rejected) == 1, (value, articles, rejected)
    return ("article", articles[0][0]) if articles else ("rejected", *rejected[0])


def server_factory(make):
    """A fixture body: yields `make`'s servers on demand, closes them all afterwards."""
    servers = []

    def start(*args, **kwargs):
        servers.append(make(*args, **kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def analyst_desk(tmp_path: Path, instance, monkeypatch, corpus: Path) -> dict:
    """A folder source over `corpus`, a warehouse and a corrections file, with `run()` (the
    pipeline, in process, one worker) and `review(*args)` (the `demarche review` command line)."""
    from assets.cli import main
    from assets.runner import run_pipeline

    monkeypatch.setenv("DEMARCHE_WORKERS", "1")
    monkeypatch.setenv("DEMARCHE_REVIEWER", "tester")
    sources = write_sources(tmp_path / "sources.yaml", [{"name": "wire", "kind": "folder", "path": str(corpus)}])
    db, corrections = tmp_path / "wh.duckdb", tmp_path / "corrections.yaml"

    def run():
        run_pipeline(sources, db, instance=instance, log=lambda _: None, corrections_path=corrections)

    def review(*args: str) -> int:
        return main(["review", *args, "--db", str(db), "--corrections", str(corrections)])

    return {"corpus": corpus, "db": db, "corrections": corrections, "run": run, "review": review,
            "sources": sources, "tmp": tmp_path}
