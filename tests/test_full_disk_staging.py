"""A full disk while a source's articles are staged (issue 13, item 6), with a real file size
limit (RLIMIT_FSIZE) on a real run in its own process: the run ends in a WarehouseError naming
the staged file, and the source is left exactly as the previous run left it (its new inputs do
not land without their articles)."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import textwrap

from tests.conftest import REPO, query_rows, write_corpus, write_sources

# argv: sources file, warehouse, the file size limit in bytes (0: none). Prints the error, if any.
RUN_WITH_A_SIZE_LIMIT = """
    import json, resource, signal, sys
    from pathlib import Path
    from dagster import instance_for_test
    from assets.runner import RunFailed, run_pipeline

    sources, db, limit = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    with instance_for_test() as instance:
        if limit:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a killed process
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        error = None
        try:
            run_pipeline(sources, db, instance=instance, log=lambda _: None)
        except RunFailed as exc:
            error = str(exc)
    print(json.dumps({"error": error}))
"""


def _run(sources, db, limit: int = 0) -> dict:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(RUN_WITH_A_SIZE_LIMIT), str(sources), str(db),
                           str(limit)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _state(db) -> dict:
    return {table: query_rows(db, f"SELECT uri FROM {table} WHERE source = 'wire' ORDER BY uri")  # noqa: S608
            for table in ("raw_articles", "articles", "rejected")}


def test_a_full_disk_while_staging_articles_is_a_clear_error_and_leaves_the_source_as_it_was(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    sources = write_sources(tmp_path / "sources.yaml", [{"name": "wire", "kind": "folder", "path": str(corpus)}])
    db = tmp_path / "wh.duckdb"
    assert _run(sources, db) == {"error": None}
    before = _state(db)
    # New inputs whose texts (12 MB of words that do not compress) cannot be staged under the limit.
    words = random.Random(13)
    for n in range(6):
        text = " ".join("".join(words.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7)) for _ in range(250_000))
        (corpus / f"long_{n}.txt").write_text(f"Story {n}.\n\n{text}\n", encoding="utf-8")
    limit = max(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".txt") + 4 * 1024 * 1024
    error = _run(sources, db, limit)["error"]  # one line, as `demarche run` prints it
    assert error is not None and "\n" not in error, error
    assert re.fullmatch(r"source 'wire': ingest run \S+ failed: step ingest_source: WarehouseError: cannot stage "
                        r"rows of 'articles' in \S+/\.staging/staged-\w+/partition\.duckdb: .*File too large", error), error
    assert _state(db) == before  # not the 6 new inputs without their articles
