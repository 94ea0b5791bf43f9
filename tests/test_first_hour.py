"""A new user's first hour (issue 13, items 8-14): the README's paths each end in one clear
line or a working result. `demarche run` through the real CLI entry point, on a real folder,
a real DuckDB file and the real Dagster instance the CLI picks itself (no instance passed in)."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import DagsterInstance
from werkzeug import Response

from assets.cli import GOLD_FORMAT_DOC, build_parser, main
from assets.instance import DEFAULT_DAGSTER_HOME, dagster_home_for
from pipeline.paths import default_warehouse
from pipeline.sources_file import SourcesFileError, parse_sources
from tests.conftest import REPO, query_rows, write_corpus, write_sources


def _files(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """`demarche run --sources S --db D` on a corpus with a binary file, DAGSTER_HOME unset."""
    base = tmp_path_factory.mktemp("first-hour")
    corpus = base / "corpus"
    write_corpus(corpus)
    (corpus / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    sources = write_sources(base / "sources.yaml", [{"name": "wire", "kind": "folder", "path": str(corpus)}])
    db = base / "scratch.duckdb"
    checkout_home = _files(DEFAULT_DAGSTER_HOME)
    out, err = io.StringIO(), io.StringIO()  # (capsys is per test; this run is per module)
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        patch.delenv("DAGSTER_HOME", raising=False)
        code = main(["run", "--sources", str(sources), "--db", str(db)])
    return {"code": code, "out": out.getvalue(), "err": err.getvalue(), "db": db, "base": base,
            "checkout_home_before": checkout_home}


# -- item 8: the warehouse path is checked first ------------------------------------------------

def test_a_new_warehouse_is_announced(cli_run):
    assert cli_run["code"] == 0, cli_run["err"]
    assert cli_run["out"].splitlines()[0] == f"creating a new warehouse at {cli_run['db']}"


@pytest.mark.parametrize("case", ["missing folder", "a folder", "not a DuckDB file"])
def test_a_bad_db_path_is_one_clear_line_before_any_run(tmp_path, sources_file, capsys, case):
    db = {"missing folder": tmp_path / "no" / "such" / "wh.duckdb", "a folder": tmp_path,
          "not a DuckDB file": tmp_path / "notes.duckdb"}[case]
    if case == "not a DuckDB file":
        db.write_text("these are my notes, not a database\n" * 100)
    assert main(["run", "--sources", str(sources_file), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and err.startswith(f"error: warehouse {db}"), err
    expected = {"missing folder": f"the folder {db.parent} does not exist", "a folder": "is a folder, not a DuckDB file",
                "not a DuckDB file": "not a valid DuckDB database file"}[case]
    assert expected in err
    assert not (tmp_path / "no").exists()  # nothing created on the way


# -- item 9: a run on another warehouse leaves the checkout's instance alone ------------------------

def test_a_run_on_another_warehouse_records_beside_it_not_in_the_checkout(cli_run):
    assert _files(DEFAULT_DAGSTER_HOME) == cli_run["checkout_home_before"]
    home = cli_run["base"] / "scratch.dagster_home"
    assert (home / "dagster.yaml").read_text() == (DEFAULT_DAGSTER_HOME / "dagster.yaml").read_text()
    instance = DagsterInstance.from_config(str(home))
    assert instance.get_dynamic_partitions("sources") == ["wire"]
    assert len(instance.get_runs()) == 2  # the source's ingest run and the marts run


def test_which_instance_a_run_records_into(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert dagster_home_for(default_warehouse()) == DEFAULT_DAGSTER_HOME
    assert dagster_home_for(tmp_path / "w.duckdb") == tmp_path / "w.dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "mine"))
    assert dagster_home_for(tmp_path / "w.duckdb") == tmp_path / "mine"


# -- item 10: rejections in the summary line ----------------------------------------------------------

def test_the_summary_line_counts_rejections_per_reason(cli_run):
    (line,) = [ln for ln in cli_run["out"].splitlines() if ln.startswith("[1/1] source wire")]
    assert "rejected 2 (binary 1, duplicate 1: see the rejected table)" in line, line
    assert query_rows(cli_run["db"], "SELECT reason FROM rejected ORDER BY reason") == [("binary",), ("duplicate",)]


# -- item 11: unknown keys of a folder source -----------------------------------------------------

@pytest.mark.parametrize(("entry", "message"), [
    ({"path": ".", "sinse": "2020-01-01"}, "unknown key(s) 'sinse'; a folder source takes name, kind and path"),
    ({"paht": "."}, "unknown key(s) 'paht'; a folder source takes name, kind and path"),
    ({"path": ".", "url": "https://example.org/"}, "a folder source takes 'path', not 'url'"),
])
def test_an_unknown_key_of_a_folder_source_is_named(tmp_path, entry, message):
    with pytest.raises(SourcesFileError) as excinfo:
        parse_sources({"sources": [{"name": "mine", "kind": "folder", **entry}]}, tmp_path)
    assert str(excinfo.value) == f"source #1 ('mine'): {message}"


def test_a_web_source_given_a_path_says_it_takes_a_url(tmp_path):
    with pytest.raises(SourcesFileError, match="a feed source takes 'url', not 'path'"):
        parse_sources({"sources": [{"name": "f", "kind": "feed", "path": "https://example.org/rss"}]}, tmp_path)


# -- item 12: the UI's welcome dialog, and the README ------------------------------------------------

def test_the_shipped_instance_settings_turn_the_welcome_dialog_off(tmp_path):
    (tmp_path / "dagster.yaml").write_text((DEFAULT_DAGSTER_HOME / "dagster.yaml").read_text())
    assert DagsterInstance.from_config(str(tmp_path)).nux_enabled is False


def test_the_readme_says_how_to_stop_the_ui_what_the_browser_test_needs_and_what_shared_is():
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert "Ctrl-C" in readme and "stops the UI" in readme
    assert "`chromium` package" in readme
    assert "`../shared/`" in readme and "fresh clone has none" in readme


# -- item 13: the command line explains itself --------------------------------------------------------

def test_demarche_alone_prints_the_help(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: demarche") and all(command in out for command in ("run", "evaluate", "export"))


def test_demarche_version(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["--version"])
    assert excinfo.value.code == 0 and re.fullmatch(r"demarche \d+\.\d+\.\d+\n", capsys.readouterr().out)


def test_every_subcommand_has_a_one_line_description():
    (commands,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    described = {choice.dest: choice.help for choice in commands._choices_actions}
    assert set(described) == set(commands.choices) and all(h and "\n" not in h for h in described.values())


def test_evaluate_help_points_to_the_gold_format_in_the_repository(capsys):
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert GOLD_FORMAT_DOC in help_text and "DESIGN.md" not in help_text
    doc = (REPO / GOLD_FORMAT_DOC).read_text(encoding="utf-8")
    assert all(field in doc for field in ("`id`", "`relevant`", "`incidents`", "`actor`", "`date`", "`reported_only`"))


# -- item 14: counts are integers ---------------------------------------------------------------------

def test_mention_counts_are_bigint_and_print_as_integers(cli_run):
    hugeint = query_rows(cli_run["db"], "SELECT table_name, column_name FROM duckdb_columns() WHERE data_type = 'HUGEINT'")
    assert hugeint == []
    out = cli_run["out"]
    header, values = out[out.index("== incidents"):].splitlines()[1:3]
    assert header.split() == ["incidents", "mentions", "years"] and all(v.isdigit() for v in values.split()), values


# -- Ctrl-C while fetching: one line, and the next run resumes -----------------------------------

def _demarche(*args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    return subprocess.Popen([sys.executable, "-m", "assets.cli", *args], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_ctrl_c_while_fetching_is_one_line_and_the_next_run_resumes(httpserver, tmp_path):
    page = "<html><body><article><p>Baku handed a note of protest to the envoy number {n}.</p></article></body></html>"
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    for i in range(1, 6):
        httpserver.expect_request(f"/p{i}").respond_with_data(page.format(n=i), content_type="text/html")
    urls = [httpserver.url_for(f"/p{i}") for i in range(1, 6)]
    running: list[subprocess.Popen] = []

    def press_ctrl_c(_request):  # the 4th page: the user presses Ctrl-C while it is on its way
        running[0].send_signal(signal.SIGINT)
        return Response(page.format(n=4), content_type="text/html")

    httpserver.expect_oneshot_request("/p4").respond_with_handler(press_ctrl_c)
    sources = write_sources(tmp_path / "sources.yaml", [{"name": "site", "kind": "urls", "urls": urls,
                                                         "allow_private": True, "delay_s": 0, "retries": 0}])
    db = tmp_path / "wh.duckdb"
    running.append(_demarche("run", "--sources", str(sources), "--db", str(db)))
    out, err = running[0].communicate(timeout=600)
    assert running[0].returncode == 1, (out, err)
    assert "Traceback" not in out + err and "Stack Trace" not in out + err, (out, err)
    assert re.fullmatch(r"error: source 'site': ingest run \S+ failed: step ingest_source interrupted "
                        r"\(what was fetched is kept: the next run resumes\)\n", err), err
    assert query_rows(db, "SELECT url FROM fetch_log ORDER BY url") == [(url,) for url in urls[:3]]

    again = _demarche("run", "--sources", str(sources), "--db", str(db))
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert [sum(1 for r, _ in httpserver.log if r.path == f"/p{i}") for i in range(1, 6)] == [1, 1, 1, 2, 1]
    assert query_rows(db, "SELECT count(*) FROM articles") == [(5,)]
