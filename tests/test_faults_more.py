"""More servers that drop connections (see tests/test_faults.py): a TCP reset instead of a
clean hang-up, a server that accepts and then says nothing, one that answers with garbage
instead of HTTP. Fetch retries must survive each, and a server that never recovers must
end in a logged outcome, not a crash. The whole-run case is in tests/test_bad_inputs_more.py
(test_a_server_that_hangs_up_once_still_gives_the_article)."""

from __future__ import annotations

import socket
import struct
import time

import pytest

from tests.conftest import server_factory
from tests.test_faults import PAGE, RawServer, _client


class MoreRawServer(RawServer):
    """RawServer with three more ways to fail the first `failures` page requests:
    'reset' (RST: SO_LINGER 0, then close), 'stall' (read the request, send nothing until the
    client gives up) and 'garbage' (bytes that are not an HTTP response)."""

    def _fail(self, conn: socket.socket) -> None:
        if self.mode not in ("reset", "stall", "garbage"):
            super()._fail(conn)
            return
        if self.mode == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif self.mode == "stall":
            conn.settimeout(0.2)
            while not self.stopped.is_set():
                try:
                    if not conn.recv(1):
                        return  # the client gave up
                except TimeoutError:
                    continue
                except OSError:
                    return
        else:
            conn.sendall(b"\x00\x01garbage, not HTTP\r\n\r\n")


@pytest.fixture
def more_raw_server():
    yield from server_factory(MoreRawServer)


@pytest.mark.parametrize("mode", ["reset", "stall", "garbage"])
def test_fetch_retries_survive_resets_silence_and_garbage(more_raw_server, mode):
    server = more_raw_server(mode, failures=2)
    with _client(timeout_s=0.3) as http:
        result = http.fetch_page(server.url("/story"))
    assert (result.outcome, result.attempts, result.body) == ("fetched", 3, PAGE)
    assert server.page_requests == 3


@pytest.mark.parametrize(("mode", "outcome", "error"), [
    ("reset", "connection_error", "Connection reset by peer"),
    ("stall", "timeout", "no answer within 0.3s"),
    ("garbage", "connection_error", "BadStatusLine"),
])
def test_a_server_that_never_recovers_gives_a_logged_failure(more_raw_server, mode, outcome, error):
    server = more_raw_server(mode, failures=100)
    started = time.monotonic()
    with _client(timeout_s=0.3, retries=2) as http:
        result = http.fetch_page(server.url("/story"))
    assert (result.outcome, result.attempts, result.body) == (outcome, 3, None)
    assert error in result.error, result.error
    assert time.monotonic() - started < 10  # three attempts of at most a 0.3 s wait each, no hanging
