"""Which Dagster executor runs the jobs' steps, chosen by $DEMARCHE_EXECUTOR where the code
location loads (docs/scaling.md):

- unset: Dagster's default (the multiprocess executor; `demarche run` and tests execute in process);
- `in_process` or `multiprocess`: Dagster's own;
- `celery`: each step is a Celery task on the workers of a broker (`pip install -e ".[cluster]"`);
- `k8s`: each step is a Kubernetes Job (`pip install -e ".[cluster]"`, a cluster, an image).

Partitions fan out as separate runs whatever the executor; this only decides where the steps
of one run go.
"""

from __future__ import annotations

import importlib
import os

from dagster import ExecutorDefinition, in_process_executor, multiprocess_executor

EXECUTOR_ENV = "DEMARCHE_EXECUTOR"
# name -> (module, attribute, the package that provides it)
_PLUGINS = {
    "celery": ("dagster_celery", "celery_executor", "dagster-celery"),
    "k8s": ("dagster_k8s", "k8s_job_executor", "dagster-k8s"),
}
_BUILT_IN = {"in_process": in_process_executor, "multiprocess": multiprocess_executor}
CHOICES = (*_BUILT_IN, *_PLUGINS)


class ExecutorConfigError(ValueError):
    pass


def executor_from_env() -> ExecutorDefinition | None:
    """The executor $DEMARCHE_EXECUTOR names; None leaves Dagster's default."""
    name = os.environ.get(EXECUTOR_ENV, "").strip().lower()
    if not name:
        return None
    if name in _BUILT_IN:
        return _BUILT_IN[name]
    if name not in _PLUGINS:
        raise ExecutorConfigError(f"{EXECUTOR_ENV}={name!r}: expected one of {', '.join(CHOICES)}")
    module, attribute, package = _PLUGINS[name]
    try:
        return getattr(importlib.import_module(module), attribute)
    except ImportError as exc:
        raise ExecutorConfigError(
            f"{EXECUTOR_ENV}={name} needs the {package} package: pip install -e \".[cluster]\" ({exc})") from exc
