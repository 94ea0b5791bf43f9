"""A real `dagster dev` (webserver + daemon + code server) on the project's workspace, for the
tests of unattended operation and the latency benchmark: a temporary DAGSTER_HOME holding
the shipped dagster_home/dagster.yaml, a temporary warehouse and sources file, a free port.

`dagster dev` runs in its own session (process group), so that stopping it also stops the
code server and the run workers it started; SIGINT is reset to its default there (a shell
without job control starts background jobs with SIGINT ignored, and `dagster dev` stops on
SIGTERM by raising the SIGINT handler's KeyboardInterrupt).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dagster import DagsterInstance

REPO = Path(__file__).resolve().parents[1]
LOCATION = {"repositoryLocationName": "demarche", "repositoryName": "__repository__"}
START_TIMEOUT_S = 180  # a cold start on a busy 2-core machine
WAIT_TIMEOUT_S = 600  # guard against a hang; not a speed requirement

_SCHEDULE_DRY_RUN = """
mutation($selector: ScheduleSelector!, $timestamp: Float) {
  scheduleDryRun(selectorData: $selector, timestamp: $timestamp) {
    __typename
    ... on DryRunInstigationTick { evaluationResult {
      skipReason error { message } runRequests { runKey jobName runConfigYaml tags { key value } } } }
    ... on PythonError { message }
  }
}"""
_SCHEDULE_JOB = """
query($selector: ScheduleSelector!) { scheduleOrError(scheduleSelector: $selector) { __typename ... on Schedule { pipelineName } } }"""
_LAUNCH_RUNS = """
mutation($params: [ExecutionParams!]!) {
  launchMultipleRuns(executionParamsList: $params) {
    __typename
    ... on LaunchMultipleRunsResult { launchMultipleRunsResult { __typename ... on LaunchRunSuccess { run { runId } }
                                                                 ... on PythonError { message } } }
    ... on PythonError { message }
  }
}"""
_SENSOR_TICKS = """
query($selector: SensorSelector!) {
  sensorOrError(sensorSelector: $selector) {
    __typename ... on Sensor { sensorState { ticks(limit: 1000) { id status timestamp skipReason runIds error { message } } } }
  }
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class DagsterDev:
    def __init__(self, home: Path, env: dict[str, str]):
        self.home = home
        self.env = {**os.environ, "DAGSTER_HOME": str(home), **env}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "dagster_dev.log"
        self.proc: subprocess.Popen | None = None
        self._instance: DagsterInstance | None = None

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> DagsterDev:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "dagster.yaml").write_text((REPO / "dagster_home" / "dagster.yaml").read_text())
        dagster = Path(sys.executable).with_name("dagster")
        with self.log_path.open("a") as log:
            self.proc = subprocess.Popen(
                [str(dagster), "dev", "-w", str(REPO / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(self.port)],
                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=_default_sigint)
        self.wait_for(self._location_loaded, "the code location to load in the webserver", START_TIMEOUT_S)
        return self

    def _location_loaded(self) -> bool:
        try:
            answer = self.graphql("{ workspaceOrError { ... on Workspace { locationEntries { loadStatus "
                                  "locationOrLoadError { __typename ... on PythonError { message } } } } } }")
        except OSError:
            return False
        entries = answer["workspaceOrError"].get("locationEntries") or []
        for entry in entries:
            error = entry["locationOrLoadError"]
            if error and error["__typename"] == "PythonError":
                raise AssertionError(f"code location failed to load: {error['message']}")
        return bool(entries) and all(e["loadStatus"] == "LOADED" and e["locationOrLoadError"] for e in entries)

    def stop(self) -> None:
        """Stop `dagster dev` as Ctrl-C would (SIGTERM to its group), then make sure."""
        if self.proc is None:
            return
        if self._instance is not None:
            self._instance.dispose()
            self._instance = None
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # what is left of the group (run workers)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)

    def kill(self) -> None:
        """SIGKILL to `dagster dev` and every process of its group, as a power cut would."""
        if self._instance is not None:
            self._instance.dispose()
            self._instance = None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    # -- reading and acting ---------------------------------------------------------------------
    @property
    def instance(self) -> DagsterInstance:
        """The same instance the daemon uses (its SQLite files under DAGSTER_HOME)."""
        if self._instance is None:
            self._instance = DagsterInstance.from_config(str(self.home))
        return self._instance

    def graphql(self, query: str, variables: dict | None = None) -> dict[str, Any]:
        request = urllib.request.Request(f"{self.url}/graphql", data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            answer = json.load(urllib.request.urlopen(request, timeout=60))
        except urllib.error.HTTPError as exc:  # a malformed query: the body says why
            raise AssertionError(f"GraphQL {exc.code}: {exc.read().decode(errors='replace')[:2000]}") from exc
        if answer.get("errors"):
            raise AssertionError(f"GraphQL errors: {answer['errors']}")
        return answer["data"]

    def wait_for(self, condition: Callable[[], Any], what: str, timeout_s: float = WAIT_TIMEOUT_S) -> Any:
        """Poll `condition` until it returns something truthy (returned). Fails with the log's
        tail if `dagster dev` exits or `timeout_s` passes: a hang guard, not a speed check."""
        deadline = time.monotonic() + timeout_s
        while True:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"dagster dev exited ({self.proc.returncode}) while waiting for {what}:\n{self.log_tail()}")
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} after {timeout_s:.0f}s:\n{self.log_tail()}")
            time.sleep(0.5)

    def trigger_schedule(self, name: str) -> list[str]:
        """One tick of the schedule, as the UI's "Test schedule" then "Launch all runs" does: the
        code server evaluates the schedule now, and its run requests are submitted to the
        instance's queue, from which the daemon launches them. Returns the run ids."""
        selector = {**LOCATION, "scheduleName": name}
        job = self.graphql(_SCHEDULE_JOB, {"selector": selector})["scheduleOrError"]["pipelineName"]
        answer = self.graphql(_SCHEDULE_DRY_RUN, {"selector": selector, "timestamp": time.time()})["scheduleDryRun"]
        assert answer["__typename"] == "DryRunInstigationTick", answer
        tick = answer["evaluationResult"]
        assert not tick["error"], tick["error"]
        assert tick["runRequests"], f"the schedule requested no run: {tick['skipReason']}"
        params = [{"selector": {**LOCATION, "jobName": request["jobName"] or job},
                   "runConfigData": request["runConfigYaml"],
                   "executionMetadata": {"tags": request["tags"]}} for request in tick["runRequests"]]
        launched = self.graphql(_LAUNCH_RUNS, {"params": params})["launchMultipleRuns"]
        results = launched.get("launchMultipleRunsResult") or []
        assert results and all(r["__typename"] == "LaunchRunSuccess" for r in results), launched
        return [r["run"]["runId"] for r in results]

    def sensor_ticks(self, name: str) -> list[dict]:
        """The sensor's ticks, newest first."""
        answer = self.graphql(_SENSOR_TICKS, {"selector": {**LOCATION, "sensorName": name}})["sensorOrError"]
        assert answer["__typename"] == "Sensor", answer
        return answer["sensorState"]["ticks"]
