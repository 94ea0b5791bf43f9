"""Folder sources cannot leak files (issue 13, items 1-4): a whole run over a folder of
symbolic links, second names, a link loop and a name that is not UTF-8, on real files, a real
DuckDB warehouse and a real Dagster instance; an unlistable subfolder in a process that
really cannot list it (as root: a user namespace without a mapping, where permissions apply)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assets.runner import run_pipeline
from pipeline.ingest.folder import list_folder
from tests.conftest import HTML_PAGE, PLAIN_TEXT, REPO, query_rows, write_sources

SECRET = "root:x:0:0:a secret line that must never become an article, however long it is"
# A name that is not UTF-8 (latin-1 "é"): the file system gives bytes, Python a surrogate.
NOT_UTF8 = os.fsdecode(b"caf\xe9_story.txt")


@pytest.fixture(scope="module")
def link_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("links")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("\n\n".join([SECRET] * 5), encoding="utf-8")
    folder = base / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "story.html").write_text(HTML_PAGE, encoding="utf-8")
    (folder / "sub" / "moscow.txt").write_text(PLAIN_TEXT, encoding="utf-8")
    (folder / NOT_UTF8).write_text(PLAIN_TEXT.replace("Ukraine's", "Georgia's"), encoding="utf-8")
    links = {
        "passwd.txt": outside / "secret.txt",  # a file outside the folder
        "everything": Path("/"),  # a folder outside
        "gone.html": folder / "missing.html",  # dangling
        "loop-a.html": folder / "loop-b.html",  # a loop
        "loop-b.html": folder / "loop-a.html",
        "same-story.html": folder / "story.html",  # a second name for a file inside
        "sub-again": folder / "sub",  # a second name for a folder inside
    }
    for name, target in links.items():
        (folder / name).symlink_to(target)
    db = base / "wh.duckdb"
    sources = write_sources(base / "sources.yaml", [{"name": "links", "kind": "folder", "path": str(folder)}])
    from dagster import instance_for_test

    with instance_for_test() as instance:
        run_pipeline(sources, db, instance=instance, log=lambda _: None)
    return db, folder


def _outcome(db: Path, name: str) -> tuple:
    uri = f"%/folder/{name}"
    articles = query_rows(db, "SELECT 'article' FROM articles WHERE uri LIKE ?", [uri])
    rejected = query_rows(db, "SELECT 'rejected', stage, reason, detail FROM rejected WHERE uri LIKE ?", [uri])
    assert len(articles) + len(rejected) == 1, (name, articles, rejected)
    return (articles or rejected)[0]


LINK_CASES = {
    "a link to a file outside the folder": ("passwd.txt", "outside_folder", "outside the source's folder"),
    "a link to a folder outside": ("everything", "outside_folder", "points to /,"),
    "a dangling link": ("gone.html", "dangling_link", "which does not exist"),
    "a link loop": ("loop-a.html", "link_loop", "loops"),
    "the other half of the loop": ("loop-b.html", "link_loop", "loops"),
    "a second name for a file": ("same-story.html", "duplicate", "a second name for file://"),
    "a second name for a folder": ("sub-again", "duplicate", "listed under its own name"),
}


@pytest.mark.parametrize("case", list(LINK_CASES))
def test_a_link_is_refused_with_a_reason(link_run, case):
    db, _ = link_run
    name, reason, detail = LINK_CASES[case]
    kind, stage, got_reason, got_detail = _outcome(db, name)
    assert (kind, stage, got_reason) == ("rejected", "read", reason)
    assert detail in got_detail


def test_nothing_outside_the_folder_is_read_or_published(link_run):
    db, _ = link_run
    assert not query_rows(db, "SELECT uri FROM articles WHERE uri NOT LIKE '%/folder/%' OR text LIKE '%secret line%'")
    published = db.with_name("wh.published.duckdb")
    assert published.exists()
    assert not query_rows(published, "SELECT uri FROM articles WHERE text LIKE '%secret line%'")


def test_every_input_is_an_article_or_a_rejection(link_run):
    db, _ = link_run
    inputs, articles, rejected = query_rows(db, """SELECT (SELECT count(*) FROM raw_articles),
        (SELECT count(*) FROM articles), (SELECT count(*) FROM rejected)""")[0]
    assert inputs == articles + rejected == 3 + len(LINK_CASES)
    assert articles == 3  # story.html, sub/moscow.txt and the name that is not UTF-8


def test_a_name_that_is_not_utf8_is_read_back_from_its_uri(link_run):
    db, folder = link_run
    (uri, text), = query_rows(db, "SELECT uri, text FROM articles WHERE uri LIKE '%caf%'")
    assert uri == (folder / NOT_UTF8).as_uri() and uri.endswith("/caf%E9_story.txt")
    assert "Georgia's parliament" in text


def test_proc_is_listed_without_a_crash():
    """/proc: folders that vanish or cannot be listed, links to everything; nothing is read."""
    listed = list_folder(Path("/proc"))
    assert all(item.reason in {"unlistable", "duplicate", "outside_folder", "dangling_link", "link_loop",
                               "unreadable", "not_a_file", None} for item in listed)
    assert not any(item.path is not None and not str(item.path).startswith("/proc/") for item in listed)


# -- a subfolder that cannot be listed --------------------------------------------------------

LISTING = """
    import json, sys
    from pathlib import Path
    from pipeline.sources_file import SourceSpec
    from pipeline.stages import clean_raw, discover_raw
    raw = discover_raw(SourceSpec("locked", "folder", path=Path(sys.argv[1])))
    articles, rejected = clean_raw(raw)
    print(json.dumps({"inputs": len(raw), "articles": sorted(articles["uri"]),
                      "rejected": rejected[["uri", "stage", "reason", "detail"]].values.tolist()}))
"""


def _without_privileges() -> list[str] | None:
    """A command prefix under which file permissions apply, or None."""
    if os.geteuid() != 0:
        return []
    if shutil.which("unshare") and subprocess.run(["unshare", "-U", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-U"]  # root outside, but no capabilities over unmapped owners inside
    return None


@pytest.mark.skipif(_without_privileges() is None, reason="as root, needs `unshare -U` for permissions to apply")
def test_a_subfolder_that_cannot_be_listed_is_rejected_and_the_rest_is_read(tmp_path):
    folder = tmp_path / "folder"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "hidden.txt").write_text(PLAIN_TEXT, encoding="utf-8")
    (folder / "story.html").write_text(HTML_PAGE, encoding="utf-8")
    (folder / "locked").chmod(0)
    try:
        done = subprocess.run([*_without_privileges(), sys.executable, "-c", textwrap.dedent(LISTING), str(folder)],
                              cwd=REPO, capture_output=True, text=True, timeout=300)
    finally:
        (folder / "locked").chmod(0o755)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["articles"] == [(folder / "story.html").as_uri()]
    assert result["rejected"] == [[(folder / "locked").as_uri(), "read", "unlistable",
                                   f"unlistable: cannot list the folder {folder / 'locked'}: "
                                   "PermissionError: Permission denied"]]
    assert result["inputs"] == 2


def test_a_folder_swapped_for_a_link_after_the_listing_is_not_read_through(tmp_path):
    """Listing and cleaning are apart in time: a subfolder replaced by a link to elsewhere in
    between must not make the cleaner read the other place's file under the old name."""
    from pipeline.sources_file import SourceSpec
    from pipeline.stages import clean_raw, discover_raw

    folder, outside = tmp_path / "folder", tmp_path / "outside"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "story.txt").write_text(PLAIN_TEXT, encoding="utf-8")
    outside.mkdir()
    (outside / "story.txt").write_text("\n\n".join([SECRET] * 5), encoding="utf-8")
    raw = discover_raw(SourceSpec("swap", "folder", path=folder))
    (folder / "sub").rename(tmp_path / "moved")
    (folder / "sub").symlink_to(outside)
    articles, rejected = clean_raw(raw)
    assert articles.empty
    assert rejected[["stage", "reason"]].values.tolist() == [["read", "unreadable"]]
    assert "now resolves to" in rejected["detail"][0] and "not read" in rejected["detail"][0]
