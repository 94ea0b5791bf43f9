"""Faults, with real processes and real files: a run killed with SIGKILL in the middle of a
partition write, a read-only warehouse, a full disk, and web servers that drop connections
or drip their answer. Each must end in a consistent warehouse and a clear error, never a
half-written partition."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dagster import instance_for_test

from assets.runner import run_pipeline
from pipeline.fetch import FetchOptions, HttpClient
from pipeline.storage import Warehouse
from pipeline.storage.warehouse import FAULT_MARKER_ENV, FAULT_PAUSE_ENV
from tests.conftest import REPO, server_factory, write_corpus, write_sources
from tests.test_dagster import _snapshot

START_TIMEOUT_S = 120  # generous: a cold Dagster import on a busy CI machine


def _python(code: str, *args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=REPO,
                            env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kwargs)


# -- kill -9 in the middle of a partition write ------------------------------------------------

RUN = """
    import sys
    from pathlib import Path
    from assets.runner import run_pipeline
    run_pipeline(Path(sys.argv[1]), Path(sys.argv[2]), log=lambda _: None)
"""


def _articles_of(db: Path, source: str) -> tuple[int, int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t} WHERE source = ?", [source]).fetchone()[0]  # noqa: S608
                     for t in ("raw_articles", "articles", "rejected"))
    finally:
        con.close()


@pytest.fixture(scope="module")
def undisturbed_run(tmp_path_factory):
    """(sources file, warehouse of an undisturbed run, its snapshot): built once for both cases,
    which only read it (the corpus path is in the URIs, so both cases use this same corpus)."""
    tmp = tmp_path_factory.mktemp("undisturbed")
    write_corpus(tmp / "corpus")
    sources_file = write_sources(tmp / "sources.yaml", [{"name": "wire", "kind": "folder", "path": str(tmp / "corpus")}])
    reference = tmp / "reference.duckdb"
    with instance_for_test() as instance:
        run_pipeline(sources_file, reference, instance=instance, log=lambda _: None)
    return sources_file, reference, _snapshot(reference)


@pytest.mark.parametrize("existing", [False, True], ids=["first run", "re-run over a complete partition"])
def test_kill_9_in_the_middle_of_a_partition_write(tmp_path, undisturbed_run, instance, existing):
    sources_file, reference, undisturbed = undisturbed_run
    db = tmp_path / "wh.duckdb"
    if existing:
        shutil.copy(reference, db)

    marker = tmp_path / "paused"
    proc = _python(RUN, str(sources_file), str(db), env={
        "DAGSTER_HOME": str(tmp_path / "dagster_home"), FAULT_PAUSE_ENV: "articles", FAULT_MARKER_ENV: str(marker)})
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not marker.exists():
            assert proc.poll() is None, f"the run ended before the write: {proc.communicate()}"
            assert time.monotonic() < deadline, "the run never reached the partition write"
            time.sleep(0.05)
        # The articles of the partition are deleted inside the open transaction, the new ones
        # not yet written: kill the process there.
        assert marker.read_text() == str(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    # The warehouse opens (read-write, as the next run will), and the partition is whole:
    # the old rows on a re-run, none at all on a first run (its inputs, articles and rejections
    # are one commit: not even raw_articles landed); never the deleted half.
    Warehouse(db, lock_timeout_s=10).ensure_schema()
    if existing:
        assert _snapshot(db) == undisturbed
    else:
        assert _articles_of(db, "wire") == (0, 0, 0)

    run_pipeline(sources_file, db, instance=instance, log=lambda _: None)
    assert _snapshot(db) == undisturbed
    assert undisturbed["articles"] and undisturbed["incidents"]


# -- read-only warehouse and full disk -----------------------------------------------------------

@dataclass
class Outcome:
    error: str | None
    rows_after: dict


# Writes the warehouse in a few ways and prints, as JSON, the first error and what a fresh
# connection sees afterwards. argv: warehouse path, 'rlimit' to cap the file size first.
WRITER = """
    import json, resource, signal, sys
    from pathlib import Path
    import pandas as pd
    from pipeline.storage import Warehouse, WarehouseError

    db, mode = Path(sys.argv[1]), sys.argv[2]
    store = Warehouse(db, lock_timeout_s=5)
    error = None
    try:
        store.replace_tables({"cochairs": pd.DataFrame({"code": ["FRA", "RUS", "USA"]})})
        if mode == "rlimit":
            size = db.stat().st_size + (db.with_name(db.name + ".wal").stat().st_size
                                        if db.with_name(db.name + ".wal").exists() else 0)
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a killed process
            soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (size + 256 * 1024, hard))
        n = 40_000
        big = pd.DataFrame({"source": ["big"] * n, "uri": [f"file:///x/{i}/" + "y" * 200 for i in range(n)],
                            "content_hash": ["h" * 64] * n, "n_bytes": [1] * n,
                            "discovered_at": [pd.Timestamp("2024-01-01")] * n})
        store.replace_source_rows("big", {"raw_articles": big})
    except WarehouseError as exc:
        error = str(exc)
    if mode == "rlimit":
        resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    rows = None
    if mode != "readonly":
        rows = store.query_df("SELECT (SELECT count(*) FROM cochairs) AS cochairs, "
                              "(SELECT count(*) FROM raw_articles) AS raw", read_only=True).iloc[0].to_dict()
        rows = {k: int(v) for k, v in rows.items()}
    print(json.dumps({"error": error, "rows_after": rows}))
"""


def _unshare_available() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || "
                            "mount -t tmpfs -o size=64k tmpfs /tmp"], capture_output=True)
    return probe.returncode == 0


UNSHARE = _unshare_available()
needs_unshare = pytest.mark.skipif(not UNSHARE, reason="needs `unshare -rm` (user and mount namespaces) to mount a "
                                   "tmpfs or a read-only bind mount without touching the machine")


def _run_writer(db: Path, mode: str, shell_prefix: str | None = None) -> Outcome:
    command = [sys.executable, "-c", textwrap.dedent(WRITER), str(db), mode]
    if shell_prefix:  # mount commands, then the writer, in private user + mount namespaces
        quoted = " ".join("'" + part.replace("'", "'\\''") + "'" for part in command)
        command = ["unshare", "-rm", "sh", "-ec", f"{shell_prefix}; exec {quoted}"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return Outcome(**json.loads(done.stdout.strip().splitlines()[-1]))


@needs_unshare
@pytest.mark.parametrize("existing", [True, False], ids=["existing file", "new file"])
def test_a_read_only_warehouse_is_a_clear_error(tmp_path, existing):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "wh.duckdb"
    if existing:
        Warehouse(db).ensure_schema()
    outcome = _run_writer(db, "readonly", f"mount --bind {folder} {folder}; mount -o remount,bind,ro {folder}")
    assert outcome.error == f'cannot open warehouse {db}: IO Error: Cannot open file "{db}": Read-only file system'


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions (the read-only mount case covers root)")
def test_a_warehouse_file_without_write_permission_is_a_clear_error(tmp_path):
    db = tmp_path / "wh.duckdb"
    Warehouse(db).ensure_schema()
    db.chmod(0o444)
    with pytest.raises(Exception, match=f"cannot open warehouse {db}: .*Permission denied"):
        Warehouse(db, lock_timeout_s=1).replace_tables({})


def _assert_disk_full(outcome: Outcome, db: Path, cause: str) -> None:
    # The write fails where the disk fills: staging the partition's rows beside the
    # warehouse (db.parent/.staging), or writing the warehouse file itself.
    assert outcome.error is not None, outcome
    assert (outcome.error.startswith(f"cannot write warehouse {db}: ")
            or outcome.error.startswith("cannot stage rows") and f"{db.parent}/.staging/" in outcome.error), outcome.error
    assert cause in outcome.error, outcome.error
    # The failed write left nothing behind, and what was committed before is intact.
    assert outcome.rows_after == {"cochairs": 3, "raw": 0}


def test_a_file_size_limit_is_a_clear_error_and_loses_nothing(tmp_path):
    db = tmp_path / "wh.duckdb"
    _assert_disk_full(_run_writer(db, "rlimit"), db, "File too large")


@needs_unshare
def test_a_full_disk_is_a_clear_error_and_loses_nothing(tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    db = folder / "wh.duckdb"
    # A 2 MiB tmpfs: room for the schema and a small table, not for the 10 MB write.
    _assert_disk_full(_run_writer(db, "plain", f"mount -t tmpfs -o size=2m tmpfs {folder}"), db,
                      "No space left on device")


# -- web servers that drop connections or drip -----------------------------------------------------

PAGE = b"<html><body><p>Baku handed a note of protest to the envoy.</p></body></html>"


OK_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"


class RawServer:
    """A minimal HTTP server on 127.0.0.1 that misbehaves on purpose: the first `failures`
    page requests are answered with `mode` ('close': hang up without a word; 'midbody':
    promise 5000 bytes, send 100, hang up; 'drip': one byte every 0.1 s), the rest with PAGE."""

    def __init__(self, mode: str, failures: int):
        self.mode, self.failures, self.page_requests = mode, failures, 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            path = request.split(b" ", 2)[1]
            if path == b"/robots.txt":
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            self.page_requests += 1
            if self.page_requests > self.failures:
                conn.sendall(OK_HEAD + b"Content-Length: %d\r\n\r\n" % len(PAGE) + PAGE)
            else:
                self._fail(conn)

    def _fail(self, conn: socket.socket) -> None:
        """Misbehave on one page request, as `mode` says."""
        if self.mode == "midbody":
            conn.sendall(OK_HEAD + b"Content-Length: 5000\r\n\r\n" + PAGE[:100])
        elif self.mode == "drip":
            conn.sendall(OK_HEAD + b"Content-Length: 100000\r\n\r\n")
            try:
                while not self.stopped.is_set():
                    conn.sendall(b"x")
                    time.sleep(0.1)
            except OSError:
                return  # the client gave up
        # 'close': hang up without answering

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def raw_server():
    yield from server_factory(RawServer)


def _client(**options) -> HttpClient:
    base = dict(allow_private=True, delay_s=0, timeout_s=2, retries=3, backoff_s=0.01)
    return HttpClient(FetchOptions(**{**base, **options}), sleep=lambda _s: None)


@pytest.mark.parametrize("mode", ["close", "midbody"])
def test_fetch_retries_survive_dropped_connections(raw_server, mode):
    server = raw_server(mode, failures=2)
    with _client() as http:
        result = http.fetch_page(server.url("/story"))
    assert (result.outcome, result.attempts, result.body) == ("fetched", 3, PAGE)


def test_a_server_that_always_drops_gives_a_logged_failure_not_a_crash(raw_server):
    server = raw_server("close", failures=100)
    with _client(retries=2) as http:
        result = http.fetch_page(server.url("/story"))
    assert (result.outcome, result.attempts, result.body) == ("connection_error", 3, None)
    assert "RemoteDisconnected" in result.error or "ConnectionError" in result.error


class _QuickOptions(FetchOptions):
    @property
    def total_timeout_s(self) -> float:  # the default is at least 5 s; keep the test short
        return 0.5


def test_a_server_that_drips_its_answer_hits_the_total_time_cap(raw_server):
    server = raw_server("drip", failures=100)
    started = time.monotonic()
    with HttpClient(_QuickOptions(allow_private=True, delay_s=0, timeout_s=2, retries=0)) as http:
        result = http.fetch_page(server.url("/story"))
    # Every byte arrives well within the per-read timeout; the whole body never does.
    assert result.outcome == "timeout" and "not complete within 0.5s" in result.error
    assert time.monotonic() - started < 30  # generous: it stops, rather than reading for ~3 hours


def test_a_gzip_encoded_page_is_decoded_and_a_gzip_bomb_is_capped(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/page").respond_with_data(gzip.compress(PAGE), content_type="text/html",
                                                         headers={"Content-Encoding": "gzip"})
    bomb = gzip.compress(b" " * (20 * 1024 * 1024))  # 20 KiB on the wire, 20 MiB decoded
    httpserver.expect_request("/bomb").respond_with_data(bomb, content_type="text/html", headers={"Content-Encoding": "gzip"})
    with _client(max_bytes=1024 * 1024) as http:
        page, exploded = http.fetch_page(httpserver.url_for("/page")), http.fetch_page(httpserver.url_for("/bomb"))
    assert (page.outcome, page.body) == ("fetched", PAGE)
    assert exploded.outcome == "too_large" and "body exceeds 1048576 bytes" in exploded.error
