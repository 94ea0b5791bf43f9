from pathlib import Path

import pytest

from pipeline.sources_file import SourcesFileError, load_sources, parse_sources


def test_folder_source_resolves_relative_path(tmp_path: Path):
    (tmp_path / "articles").mkdir()
    specs = parse_sources({"sources": [{"name": "local-1", "kind": "folder", "path": "articles"}]}, tmp_path)
    assert [(s.name, s.kind, s.path) for s in specs] == [("local-1", "folder", (tmp_path / "articles").resolve())]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "x", "kind": "ftp", "path": "."}, "unknown kind 'ftp'"),
        ({"name": "../etc", "kind": "folder", "path": "."}, "not a safe slug"),
        ({"name": "a'; DROP TABLE articles; --", "kind": "folder", "path": "."}, "not a safe slug"),
        ({"name": "Upper", "kind": "folder", "path": "."}, "not a safe slug"),
        ({"name": "nopath", "kind": "folder"}, "needs a 'path'"),
        ({"name": "missing", "kind": "folder", "path": "does/not/exist"}, "not an existing folder"),
        ({"name": "feed1", "kind": "feed", "url": "ftp://example.org/rss"}, "http(s) 'url'"),
        ("just a string", "expected a mapping"),
    ],
)
def test_invalid_entries_name_the_entry(tmp_path: Path, entry, message):
    with pytest.raises(SourcesFileError) as excinfo:
        parse_sources({"sources": [entry]}, tmp_path)
    assert message in str(excinfo.value)
    assert "source #1" in str(excinfo.value)


def test_duplicate_names_are_refused(tmp_path: Path):
    entry = {"name": "dup", "kind": "folder", "path": "."}
    with pytest.raises(SourcesFileError, match="source #2 .*duplicate source name 'dup'"):
        parse_sources({"sources": [entry, dict(entry)]}, tmp_path)


def test_unreadable_files_give_clear_errors(tmp_path: Path):
    with pytest.raises(SourcesFileError, match="does not exist"):
        load_sources(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [unclosed")
    with pytest.raises(SourcesFileError, match="not valid YAML"):
        load_sources(bad)
    bad.write_text("- just a list")
    with pytest.raises(SourcesFileError, match="list under 'sources:'"):
        load_sources(bad)


def test_bundled_sources_file_is_valid():
    specs = load_sources(Path(__file__).resolve().parents[1] / "data" / "sources.yaml")
    assert specs and all(s.kind == "folder" and s.path.is_dir() for s in specs)
