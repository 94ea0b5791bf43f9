"""$DEMARCHE_EXECUTOR picks the executor of the jobs' steps (assets/executors.py)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest
from dagster import DagsterInstance

from assets.definitions import build_definitions
from assets.executors import EXECUTOR_ENV, ExecutorConfigError
from assets.partitions import sources_partitions
from tests.conftest import REPO


def _executor_name(monkeypatch, value: str) -> str:
    monkeypatch.setenv(EXECUTOR_ENV, value)
    return build_definitions().resolve_job_def("ingest_job").executor_def.name


def test_the_named_built_in_executor_is_used(monkeypatch):
    assert _executor_name(monkeypatch, "multiprocess") == "multiprocess"
    assert _executor_name(monkeypatch, "in_process") == "in_process"


def test_an_unknown_executor_is_a_clear_error(monkeypatch):
    with pytest.raises(ExecutorConfigError, match="expected one of in_process, multiprocess, celery, k8s"):
        _executor_name(monkeypatch, "spark")


@pytest.mark.parametrize("name, module, executor", [("celery", "dagster_celery", "celery"),
                                                    ("k8s", "dagster_k8s", "k8s")])
def test_cluster_executors_need_their_package(monkeypatch, name, module, executor):
    if importlib.util.find_spec(module) is None:  # the default install: a clear message
        with pytest.raises(ExecutorConfigError, match=r'needs the dagster-\w+ package: pip install -e ".\[cluster\]"'):
            _executor_name(monkeypatch, name)
    else:  # installed with the [cluster] extra: the jobs get that executor
        assert _executor_name(monkeypatch, name) == executor


def test_a_run_launched_by_the_dagster_cli_uses_the_executor_the_environment_names(tmp_path, corpus, sources_file):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry: {enabled: false}\n")
    env = {**os.environ, "DAGSTER_HOME": str(home), "DEMARCHE_DB": str(tmp_path / "wh.duckdb"),
           "DEMARCHE_SOURCES": str(sources_file), EXECUTOR_ENV: "in_process"}
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        with DagsterInstance.get() as instance:
            instance.add_dynamic_partitions(sources_partitions.name, ["wire"])
    finally:
        del os.environ["DAGSTER_HOME"]
    done = subprocess.run([sys.executable, "-m", "dagster", "job", "execute", "-m", "assets.definitions",
                           "-j", "ingest_job", "--tags", '{"dagster/partition": "wire"}'],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    assert "Executing steps in process" in log and "RUN_SUCCESS" in log
    assert "multiprocess executor" not in log
