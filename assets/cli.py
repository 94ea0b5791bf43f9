"""The `demarche` command line.

  demarche run [--sources FILE] [--db FILE]          run everything, print the marts
  demarche evaluate --gold FILE --articles DIR       score extraction against a gold file
  demarche agreement --gold FILE --second FILE       how far a second annotator agrees with the gold
  demarche export --format csv|parquet DIR [--db FILE]   write incidents, mentions and marts to files
  demarche review list|accept|reject|fix|add|merge|split|export-gold ...   analysts' corrections
  demarche --version | demarche (no command: this help)
"""

import argparse
import json
import logging
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from assets.evaluate import agreement, evaluate_by_publication, evaluate_folder
from pipeline.error_classes import summary
from assets.runner import RunFailed, run_pipeline
from assets.review_cli import REVIEW_ERRORS, add_review_parser
from pipeline.evaluation import GoldFileError
from pipeline.paths import default_corrections_file, default_sources_file, default_warehouse
from pipeline.progress import LOGGER as PROGRESS_LOGGER
from pipeline.sources_file import SourcesFileError, load_sources
from pipeline.storage import Warehouse, WarehouseError
from pipeline.storage.preflight import check_warehouse_path
from pipeline.storage.sqlfiles import mart_names

# What `demarche export` writes besides every mart in sql/marts/.
EXPORTED_TABLES = ["incidents", "event_mentions"]


def _print_marts(store: Warehouse) -> None:
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        for title, sql in [
            ("incidents", "SELECT count(*) AS incidents, coalesce(sum(n_mentions), 0)::BIGINT AS mentions, count(DISTINCT year) AS years FROM incidents"),
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
    if hasattr(sys.stdout, "reconfigure"):  # a real stream, not a test's StringIO
        sys.stdout.reconfigure(line_buffering=True)  # each line at once, also into a log file or a pipe


def cmd_run(args) -> int:
    load_sources(Path(args.sources))  # a bad sources file or --db is one line, before any run starts
    note = check_warehouse_path(Path(args.db))
    if note:
        print(note)
    _show_progress()
    store = run_pipeline(Path(args.sources), Path(args.db), corrections_path=Path(args.corrections))
    _print_marts(store)
    return 0


def cmd_evaluate(args) -> int:
    articles_dir = Path(args.articles).resolve()
    if not articles_dir.is_dir():
        print(f"error: --articles {articles_dir} is not a folder", file=sys.stderr)
        return 2
    corrections = Path(args.corrections) if args.corrections else None
    evidence = Path(args.evidence) if args.evidence else None
    if evidence is not None and not evidence.is_file():
        print(f"error: --evidence {evidence} is not a file", file=sys.stderr)
        return 2
    if args.by_publication:
        return _evaluate_by_publication(args, articles_dir, corrections, evidence)
    scores, problems = evaluate_folder(Path(args.gold), articles_dir, corrections, evidence)
    for problem in problems:
        print(problem, file=sys.stderr)
    _print_scores(scores, args)
    return 0


def cmd_agreement(args) -> int:
    for name in ("gold", "second"):
        if not Path(getattr(args, name)).is_file():
            print(f"error: --{name} {getattr(args, name)} is not a file", file=sys.stderr)
            return 2
    scores, problems = agreement(Path(args.gold), Path(args.second))
    for problem in problems:
        print(f"skipped {problem}", file=sys.stderr)
    _print_scores(scores, args)
    return 0


def _print_scores(scores, args) -> None:
    if args.verbose:
        for error in scores.errors:
            print(error.line())
        print("errors per class:")
        print("\n".join(summary(scores.errors)))
        if scores.missed_fates:
            print("missed, by what became of the gold's evidence sentence:")
            print("\n".join(f"{fate:>28}: {count:4}" for fate, count in scores.missed_fates.most_common()))
    if args.json:
        print(json.dumps(scores.as_dict(), indent=2))
    else:
        for key, value in scores.as_dict().items():
            print(f"{key:>22}: {value}")


_SUBSET_COLUMNS = {"articles": "articles", "gold_incidents": "incidents", "incident_precision": "P",
                   "incident_recall": "R", "incident_f1": "F1", "exact_date_accuracy": "exact dates",
                   "relevance_f1": "relevance F1", "missed": "missed",
                   "missed_flagged_by_possible_miss": "flagged", "possible_miss_rows": "queue rows"}


def _evaluate_by_publication(args, articles_dir: Path, corrections: Path | None, evidence: Path | None) -> int:
    by_subset, problems = evaluate_by_publication(Path(args.gold), articles_dir, corrections, evidence)
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.json:
        print(json.dumps({name: scores.as_dict() for name, scores in by_subset.items()}, indent=2))
        return 0
    columns = dict(_SUBSET_COLUMNS) | ({"found_in_evidence": "in evidence"} if evidence is not None else {})
    print(f"{'subset':<8}" + "".join(f"{label:>13}" for label in columns.values()))
    for name, scores in by_subset.items():
        row = scores.as_dict()
        print(f"{name:<8}" + "".join(f"{row.get(column, '-'):>13}" for column in columns))
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


GOLD_FORMAT_DOC = "docs/gold_format.md"


def _version() -> str:
    try:
        return version("demarche")
    except PackageNotFoundError:  # run from a checkout that was not installed
        return "unknown"


def _command(sub, name: str, summary: str, **kwargs) -> argparse.ArgumentParser:
    """A subcommand with its one-line summary in the command list and atop its own --help."""
    return sub.add_parser(name, help=summary, description=kwargs.pop("description", summary), **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="demarche", description="Diplomatic protests from news articles: "
                                     "folders, feeds and sitemaps in, a DuckDB warehouse of incidents and marts out.")
    parser.add_argument("--version", action="version", version=f"demarche {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = _command(sub, "run", "run every source and the marts in-process, then print the marts")
    run.add_argument("--sources", default=str(default_sources_file()), help="sources file (default data/sources.yaml)")
    run.add_argument("--db", default=str(default_warehouse()), help="warehouse file (default data/warehouse.duckdb)")
    run.add_argument("--corrections", default=str(default_corrections_file()),
                     help="analysts' corrections file (default data/corrections.yaml, or $DEMARCHE_CORRECTIONS)")
    run.set_defaults(func=cmd_run)
    ev = _command(sub, "evaluate", "score extraction against a gold file",
                  description=f"Score extraction against a gold file (one JSON object a line; the format is "
                  f"described in {GOLD_FORMAT_DOC}).")
    ev.add_argument("--gold", required=True, help=f"gold file (JSON lines; format: {GOLD_FORMAT_DOC})")
    ev.add_argument("--articles", required=True, help="folder of the gold articles (matched by file stem)")
    ev.add_argument("--verbose", "-v", action="store_true", help="list every miss, spurious and mismatched incident")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.add_argument("--by-publication", action="store_true",
                    help="scores of all articles, of those with a publication date in the gold and of those without")
    ev.add_argument("--corrections", help="score the record corrected by this corrections file (default: the extractor alone)")
    ev.add_argument("--evidence", help="gold evidence spans (JSON lines, docs/gold_format.md): also count the matches "
                    "found in a sentence that tells the incident ('found_in_evidence'; the others are 'elsewhere' errors)")
    ev.set_defaults(func=cmd_evaluate)
    ag = _command(sub, "agreement", "score a second annotator's gold lines against the gold (inter-annotator agreement)",
                  description="Score a second, independent annotation of some gold articles against the gold, "
                  "as if it were the extractor's output: the agreement two people reach on the same texts.")
    ag.add_argument("--gold", required=True, help=f"gold file (JSON lines; format: {GOLD_FORMAT_DOC})")
    ag.add_argument("--second", required=True, help="the second annotator's lines, same format (articles matched by id)")
    ag.add_argument("--verbose", "-v", action="store_true", help="list every disagreement")
    ag.add_argument("--json", action="store_true", help="print the scores as JSON")
    ag.set_defaults(func=cmd_agreement)
    ex = _command(sub, "export", "write incidents, event_mentions and every mart to DIR, one file per table")
    ex.add_argument("dir", metavar="DIR", help="output folder (created if missing; files are overwritten)")
    ex.add_argument("--format", choices=["csv", "parquet"], default="csv", help="file format (default csv)")
    ex.add_argument("--db", default=str(default_warehouse()),
                    help="warehouse file (default data/warehouse.duckdb; while the pipeline runs, "
                    "use the published copy data/warehouse.published.duckdb)")
    ex.set_defaults(func=cmd_export)
    add_review_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # `demarche` alone: say what it can do
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except (SourcesFileError, WarehouseError, RunFailed, GoldFileError, *REVIEW_ERRORS) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C outside a Dagster step (a step's is a RunFailed above)
        print("error: stopped (Ctrl-C); what was committed is kept, the next run goes on from there", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
