"""The `demarche` command line.

  demarche run [--sources FILE] [--db FILE]          run everything, print the marts
  demarche evaluate --gold FILE --articles DIR       score extraction against a gold file
  demarche export --format csv|parquet DIR [--db FILE]   write incidents, mentions and marts to files
"""

import argparse
import json
import logging
import sys
from pathlib import Path

import pandas as pd

from assets.evaluate import evaluate_folder
from assets.runner import RunFailed, run_pipeline
from pipeline.evaluation import GoldFileError
from pipeline.paths import default_sources_file, default_warehouse
from pipeline.progress import LOGGER as PROGRESS_LOGGER
from pipeline.sources_file import SourcesFileError
from pipeline.storage import Warehouse, WarehouseError
from pipeline.storage.sqlfiles import mart_names

# What `demarche export` writes besides every mart in sql/marts/.
EXPORTED_TABLES = ["incidents", "event_mentions"]


def _print_marts(store: Warehouse) -> None:
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        for title, sql in [
            ("incidents", "SELECT count(*) AS incidents, sum(n_mentions) AS mentions, count(DISTINCT year) AS years FROM incidents"),
            ("protests_per_year", "SELECT * FROM protests_per_year"),
            ("protests_per_cochair (incidents by year; columns: co-chair as actor / as target)",
             "PIVOT protests_per_cochair ON cochair || '_' || role USING sum(incidents)::INTEGER GROUP BY year ORDER BY year"),
        ]:
            print(f"\n== {title}")
            print(store.query_df(sql, read_only=True).to_string(index=False))


def _show_progress() -> None:
    """Live progress of long stages (count, rate, time left) on the terminal, every 10 s."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("    %(message)s"))
    PROGRESS_LOGGER.addHandler(handler)
    PROGRESS_LOGGER.setLevel(logging.INFO)
    PROGRESS_LOGGER.propagate = False
    sys.stdout.reconfigure(line_buffering=True)  # each line at once, also into a log file or a pipe


def cmd_run(args) -> int:
    _show_progress()
    store = run_pipeline(Path(args.sources), Path(args.db))
    _print_marts(store)
    return 0


def cmd_evaluate(args) -> int:
    articles_dir = Path(args.articles).resolve()
    if not articles_dir.is_dir():
        print(f"error: --articles {articles_dir} is not a folder", file=sys.stderr)
        return 2
    scores, problems = evaluate_folder(Path(args.gold), articles_dir)
    for problem in problems:
        print(f"gold file {args.gold}: skipped {problem}", file=sys.stderr)
    if args.verbose:
        for line in scores.errors:
            print(line)
    if args.json:
        print(json.dumps(scores.as_dict(), indent=2))
    else:
        for key, value in scores.as_dict().items():
            print(f"{key:>22}: {value}")
    return 0


def cmd_export(args) -> int:
    db = Path(args.db)
    if not db.exists():
        print(f"error: no warehouse at {db}; run `demarche run` first", file=sys.stderr)
        return 2
    tables = EXPORTED_TABLES + [name.removeprefix("marts/") for name in mart_names()]
    try:
        written = Warehouse(db).export(tables, Path(args.dir), args.format)
    except ValueError as exc:  # a table missing: the warehouse predates some mart
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for table, rows in written.items():
        print(f"{rows:>8} rows  {Path(args.dir) / f'{table}.{args.format}'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="demarche", description="Diplomatic protests from news articles.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run every source and the marts in-process, then print the marts")
    run.add_argument("--sources", default=str(default_sources_file()), help="sources file (default data/sources.yaml)")
    run.add_argument("--db", default=str(default_warehouse()), help="warehouse file (default data/warehouse.duckdb)")
    run.set_defaults(func=cmd_run)
    ev = sub.add_parser("evaluate", help="score extraction against a gold file")
    ev.add_argument("--gold", required=True, help="gold file (JSON lines, DESIGN.md format)")
    ev.add_argument("--articles", required=True, help="folder of the gold articles (matched by file stem)")
    ev.add_argument("--verbose", "-v", action="store_true", help="list every miss, spurious and mismatched incident")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.set_defaults(func=cmd_evaluate)
    ex = sub.add_parser("export", help="write incidents, event_mentions and every mart to DIR, one file per table")
    ex.add_argument("dir", metavar="DIR", help="output folder (created if missing; files are overwritten)")
    ex.add_argument("--format", choices=["csv", "parquet"], default="csv", help="file format (default csv)")
    ex.add_argument("--db", default=str(default_warehouse()),
                    help="warehouse file (default data/warehouse.duckdb; while the pipeline runs, "
                    "use the published copy data/warehouse.published.duckdb)")
    ex.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (SourcesFileError, WarehouseError, RunFailed, GoldFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C outside a Dagster step (a step's is a RunFailed above)
        print("error: stopped (Ctrl-C); what was committed is kept, the next run goes on from there", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
