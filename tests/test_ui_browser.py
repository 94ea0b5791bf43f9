"""The Dagster UI in a real browser: start the webserver on the project's workspace.yaml,
load the asset catalog, the marts' lineage graph and the automation page in headless
Chromium, and check that the project's assets, schedule and sensors are there and the
code location loaded without error. Screenshots go to artifacts/ (git-ignored).

`dagster-webserver` rather than `dagster dev`: the same UI and code location, but no daemon,
so the sensors cannot tick and launch runs against real files while the test looks.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assets.definitions import ALL_ASSETS

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
SERVER_START_TIMEOUT_S = 90
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  # Simulated time lets the React app fetch and render before the dump, without sleeping.
                  "--virtual-time-budget=15000"]
ERROR_MARKERS = ["code location error", "error loading", "failed to load", "pythonerror", "something went wrong"]
ASSET_NAMES = sorted(key.to_user_string() for a in ALL_ASSETS for key in a.keys)
MART_NAMES = sorted(k.to_user_string() for a in ALL_ASSETS for k in a.keys if a.group_names_by_key[k] == "marts")

WORKSPACE_QUERY = """
{ workspaceOrError { __typename ... on Workspace { locationEntries { name
    locationOrLoadError { __typename ... on PythonError { message }
      ... on RepositoryLocation { repositories { name schedules { name } sensors { name }
                                                 assetNodes { assetKey { path } } } } } } } } }
"""

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="headless browser check needs /usr/bin/chromium "
                                "(Debian: apt-get install chromium); .ci/run installs it")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagster_home")
    # The project's instance settings as shipped (they turn off the first-visit "join the
    # community" dialog, which would otherwise cover the page: tests/test_first_hour.py).
    (home / "dagster.yaml").write_text((REPO / "dagster_home" / "dagster.yaml").read_text())
    env = {**os.environ, "DAGSTER_HOME": str(home),
           # Never point a test at the real warehouse or sources file.
           "DEMARCHE_DB": str(home / "warehouse.duckdb"), "DEMARCHE_SOURCES": str(home / "sources.yaml")}
    port = _free_port()
    log = (home / "webserver.log").open("w")
    webserver_bin = Path(sys.executable).with_name("dagster-webserver")
    # Its own process group, so that the code server it spawns dies with it.
    proc = subprocess.Popen([str(webserver_bin), "-w", str(REPO / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"dagster-webserver exited with {proc.returncode}:\n{(home / 'webserver.log').read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"{base}/server_info", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"dagster-webserver did not answer within {SERVER_START_TIMEOUT_S}s")
                time.sleep(0.5)
        yield base
    finally:
        _kill_group(proc)
        log.close()


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def _chromium(tmp_path: Path, url: str, *flags: str, size: str = "1600,1000") -> str:
    profile = tmp_path / f"profile-{time.monotonic_ns()}"  # a fresh profile: no state between pages
    done = subprocess.run([str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size}",
                           *flags, url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _visible_text(dom: str) -> str:
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))


def test_code_location_loads_with_assets_schedule_and_sensors(webserver):
    request = urllib.request.Request(f"{webserver}/graphql", data=json.dumps({"query": WORKSPACE_QUERY}).encode(),
                                     headers={"Content-Type": "application/json"})
    answer = json.load(urllib.request.urlopen(request, timeout=30))["data"]["workspaceOrError"]
    (entry,) = answer["locationEntries"]
    location = entry["locationOrLoadError"]
    assert location["__typename"] == "RepositoryLocation", location.get("message")
    (repo,) = location["repositories"]
    assert sorted("/".join(n["assetKey"]["path"]) for n in repo["assetNodes"]) == ASSET_NAMES
    assert [s["name"] for s in repo["schedules"]] == ["daily_schedule"]
    assert sorted(s["name"] for s in repo["sensors"]) == ["corrections_sensor", "marts_after_ingest_sensor", "sources_sensor"]


def test_asset_catalog_lists_every_asset(webserver, tmp_path):
    # A tall window: the catalog renders only the rows that fit on screen.
    text = _visible_text(_chromium(tmp_path, f"{webserver}/assets", "--dump-dom", size="1600,3000"))
    missing = [name for name in ASSET_NAMES if name not in text]
    assert not missing, f"not in the asset catalog: {missing}\n{text[:2000]}"
    assert not [m for m in ERROR_MARKERS if m in text.lower()], text[:2000]


def test_marts_lineage_graph_renders(webserver, tmp_path):
    url = f"{webserver}/locations/demarche/asset-groups/marts"
    text = _visible_text(_chromium(tmp_path, url, "--dump-dom", size="1600,3000"))
    assert "incidents" in text and "published_warehouse" in text
    # Long names are shortened in the middle on the graph's nodes ("cochair_protes…_per_counterpart").
    missing = [name for name in MART_NAMES if name[:14] not in text or name[-14:] not in text]
    assert not missing, f"not in the marts graph: {missing}"
    assert not [m for m in ERROR_MARKERS if m in text.lower()], text[:2000]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "ui_marts_lineage.png"
    shot.unlink(missing_ok=True)
    _chromium(tmp_path, url, f"--screenshot={shot}", size="1600,2200")
    assert shot.exists() and shot.stat().st_size > 20_000


def test_automation_page_shows_schedule_and_sensors(webserver, tmp_path):
    url = f"{webserver}/automation"
    text = _visible_text(_chromium(tmp_path, url, "--dump-dom"))
    for name in ["daily_schedule", "sources_sensor", "marts_after_ingest_sensor", "corrections_sensor"]:
        assert name in text, f"{name} not on the automation page:\n{text[:2000]}"
    assert not [m for m in ERROR_MARKERS if m in text.lower()], text[:2000]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "ui_automation.png"
    _chromium(tmp_path, url, f"--screenshot={shot}")
    assert shot.exists()

