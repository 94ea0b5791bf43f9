# Sourced by the scripts: creates .venv on first use and installs the project into it
# (editable, so sql/ and data/ are found beside the code). Re-running is cheap.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
stamp=.venv/.demarche-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
  touch "$stamp"
fi
# DAGSTER_HOME is left as it is: `demarche run` picks the instance (assets/instance.py).
