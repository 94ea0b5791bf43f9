"""The real-news gold set: check annotators' batches, split them into the frozen test split and
the development split, and lay out the cached texts for `demarche evaluate`.

    .venv/bin/python scripts/real_gold.py split BATCH.jsonl [...]   # adds to data/gold/real_{dev,test}.jsonl
    .venv/bin/python scripts/real_gold.py stats                     # the issue's coverage targets
    .venv/bin/python scripts/real_gold.py layout                    # data/real_cache/{dev,test}/ from all/
    .venv/bin/python scripts/real_gold.py cache ANSWER.json [...]    # rebuild texts from saved search answers
    .venv/bin/python scripts/real_gold.py verify                    # every cached text is the annotated one
    .venv/bin/python scripts/real_gold.py evidence BATCH.jsonl [...] # adds to data/gold/real_dev_evidence.jsonl

The split is decided by the URL alone (TEST_SHARE percent of sha256(url) buckets go to test),
fixed before the extractor was changed, so nobody chooses which articles are tested. Page texts
are third-party and never committed: data/real_cache/ is git-ignored; docs/annotation.md and the
README say how to rebuild it from each line's `query`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

from pipeline.evidence import EvidenceFileError, parse_evidence

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "data" / "gold"
CACHE = ROOT / "data" / "real_cache"
RESERVED = ROOT.parent / "shared" / "eval" / "reserved-urls.sha256"
TEST_SHARE = 45  # percent of URL-hash buckets in the frozen test split
SPLITS = ("dev", "test")


def url_digest(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def article_id(url: str) -> str:
    return "r_" + url_digest(url)[:12]


def split_of(url: str) -> str:
    return "test" if int(url_digest(url), 16) % 100 < TEST_SHARE else "dev"


def reserved_digests() -> set[str]:
    if not RESERVED.exists():
        return set()
    lines = RESERVED.read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def read_lines(paths: list[Path]) -> list[dict]:
    records = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    sys.exit(f"{path}:{number}: not JSON: {exc}")
    return records


def problems_of(record: dict, reserved: set[str]) -> list[str]:
    url = record.get("url") or ""
    found = []
    if not url:
        found.append("no url")
    elif record.get("id") != article_id(url):
        found.append(f"id should be {article_id(url)}")
    if url_digest(url) in reserved:
        found.append("reserved for the independent evaluation")
    if not record.get("query"):
        found.append("no query")
    if not (CACHE / "all" / f"{record.get('id')}.txt").exists():
        found.append("text not cached in data/real_cache/all/")
    if bool(record.get("incidents")) != bool(record.get("relevant")):
        found.append("relevant must be true exactly when there are incidents")
    for incident in record.get("incidents", []):
        if incident.get("actor") == incident.get("target"):
            found.append(f"actor equals target in {incident.get('key')}")
    return found


def split(paths: list[Path], change_test: bool = False) -> None:
    """Add the batches' lines to the gold files: what the files hold stays (a line of a batch
    replaces the line of the same URL), and the frozen test split does not change unless
    change_test (a test-bucket line is reported and skipped)."""
    reserved = reserved_digests()
    by_url: dict[str, dict] = {r["url"]: r for r in gold_records()}
    frozen = {url: r for url, r in by_url.items() if split_of(url) == "test"}
    for record in read_lines(paths):
        url = record.get("url") or ""
        known = by_url.get(url)
        if known is not None and {k: v for k, v in known.items() if k != "text_sha256"} == \
                {k: v for k, v in record.items() if k != "text_sha256"}:
            continue  # a line the gold already holds (old habit: passing the gold files as batches)
        problems = problems_of(record, reserved)
        if url and split_of(url) == "test" and not change_test:
            problems.append("in a test bucket, and the test split is frozen (--change-test to add or change it)")
        if problems:
            print(f"skipped {record.get('id')} {url}: {'; '.join(problems)}", file=sys.stderr)
            continue
        if known is not None:
            print(f"replaced {record['id']} {url}", file=sys.stderr)
        # The annotation holds for this exact text: a rebuilt cache is checked against it.
        record["text_sha256"] = hashlib.sha256(cached_path(record["id"]).read_bytes()).hexdigest()
        by_url[url] = record
    for name in SPLITS:
        chosen = sorted((r for r in by_url.values() if split_of(r["url"]) == name), key=lambda r: r["id"])
        target = GOLD_DIR / f"real_{name}.jsonl"
        target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8")
        print(f"{target.relative_to(ROOT)}: {len(chosen)} articles")
    if not change_test:
        assert {url: r for url, r in by_url.items() if split_of(url) == "test"} == frozen
    layout()


def cached_path(article: str) -> Path:
    return CACHE / "all" / f"{article}.txt"


def gold_records() -> list[dict]:
    return read_lines([GOLD_DIR / f"real_{name}.jsonl" for name in SPLITS if (GOLD_DIR / f"real_{name}.jsonl").exists()])


def cache(answers: list[Path]) -> None:
    """Write the text of every gold page found in saved answers of the search tool (corpus
    "pages", the JSON it returns: {"results": [{"url": ..., "excerpt": ...}]}), unchanged."""
    wanted = {r["url"]: r for r in gold_records()}
    written = 0
    for answer in answers:
        for result in json.loads(answer.read_text(encoding="utf-8")).get("results", []):
            record = wanted.get(result.get("url"))
            if record is not None:
                (CACHE / "all").mkdir(parents=True, exist_ok=True)
                (CACHE / "all" / f"{record['id']}.txt").write_text(result["excerpt"], encoding="utf-8")
                written += 1
    print(f"wrote {written} texts into {(CACHE / 'all').relative_to(ROOT)}")
    layout()


def verify() -> None:
    records, bad = gold_records(), 0
    for record in records:
        path = cached_path(record["id"])
        if not path.exists():
            print(f"missing {record['id']}: search pages for {record['query']!r}, take {record['url']}")
            bad += 1
        elif hashlib.sha256(path.read_bytes()).hexdigest() != record.get("text_sha256"):
            print(f"changed {record['id']}: the cached text is not the annotated one")
            bad += 1
    print(f"{bad} of {len(records)} texts missing or changed")
    sys.exit(1 if bad else 0)


def layout() -> None:
    """Copy (not link: folder sources refuse links) each split's cached texts into its own folder."""
    for name in SPLITS:
        folder = CACHE / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        gold = GOLD_DIR / f"real_{name}.jsonl"
        missing = 0
        for record in read_lines([gold]) if gold.exists() else []:
            source = CACHE / "all" / f"{record['id']}.txt"
            if source.exists():
                shutil.copyfile(source, folder / source.name)
            else:
                missing += 1
        if missing:
            print(f"{folder.relative_to(ROOT)}: {missing} texts missing; rebuild them (README, 'Real news gold set')")


EVIDENCE_NAME = "real_dev_evidence.jsonl"
EVIDENCE_FIELDS = ("id", "key", "actor", "target", "evidence", "kind", "agree", "note")


@lru_cache(maxsize=64)  # an article's incidents come one after another: its text is read once
def _cached_text(article: str) -> str | None:
    path = cached_path(article)
    return path.read_text(encoding="utf-8") if path.exists() else None


def evidence_problems(record: dict, gold: dict[str, dict]) -> list[str]:
    """What is wrong with an evidence line against the dev gold and the cached texts."""
    try:
        parse_evidence(record)
    except EvidenceFileError as exc:
        return [str(exc)]
    line = gold.get(record["id"])
    if line is None:
        return ["not a development article (evidence is never taken on the test split)"]
    incident = next((i for i in line["incidents"] if i["key"] == record["key"]), None)
    if incident is None:
        return [f"no incident {record['key']!r} in the gold line"]
    found = [] if (incident["actor"], incident["target"]) == (record.get("actor"), record.get("target")) else [
        "actor and target differ from the gold incident's"]
    text = _cached_text(record["id"])
    if text is None:
        found.append("text not cached in data/real_cache/all/")
    elif any(end > len(text) or not text[start:end].strip() for start, end in record["evidence"]):
        found.append("a span is empty or ends past the text")
    if not isinstance(record.get("agree"), bool):
        found.append("'agree' must be true or false")
    return found


def add_evidence(paths: list[Path]) -> None:
    """Add checked evidence lines (docs/annotation.md, "Evidence") to the evidence file: a
    line for an incident already there replaces it."""
    gold = {r["id"]: r for r in read_lines([GOLD_DIR / "real_dev.jsonl"])}
    target = GOLD_DIR / EVIDENCE_NAME
    kept = {(r["id"], r["key"]): r for r in read_lines([target])} if target.exists() else {}
    for record in read_lines(paths):
        problems = evidence_problems(record, gold)
        if problems:
            print(f"skipped {record.get('id')} {record.get('key')}: {'; '.join(problems)}", file=sys.stderr)
            continue
        kept[(record["id"], record["key"])] = {name: record.get(name) for name in EVIDENCE_FIELDS}
    target.write_text("".join(json.dumps(kept[k], ensure_ascii=False) + "\n" for k in sorted(kept)), encoding="utf-8")
    kinds = Counter(r["kind"] for r in kept.values())
    print(f"{target.relative_to(ROOT)}: {len(kept)} incidents of {len({k[0] for k in kept})} articles "
          f"({', '.join(f'{n} {kind}' for kind, n in sorted(kinds.items()))}; "
          f"{sum(not r['agree'] for r in kept.values())} the evidence annotator would not code)")


def stats() -> None:
    records = gold_records()
    relevant = [r for r in records if r["relevant"]]
    actors = Counter(i["actor"] for r in records for i in r["incidents"])
    years = Counter(i["date"][:4] for r in records for i in r["incidents"] if i.get("date"))
    outlets = Counter(r.get("outlet") for r in records)
    per_split = Counter(split_of(r["url"]) for r in records)
    rows = [
        ("articles", len(records), 250), ("test split", per_split["test"], 100),
        ("outlets", len(outlets), 40), ("relevant", len(relevant), 150),
        ("actor states", len([a for a in actors if a not in ("NGO", "EUU")]), 40),
        ("years", len(years), 15), ("negatives", len(records) - len(relevant), -(-len(records) // 4)),
        ("incidents", sum(len(r["incidents"]) for r in records), 0),
    ]
    for name, value, target in rows:
        print(f"{name:14} {value:5}  (target {target})" + ("" if value >= target else "  BELOW"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    evidence_cmd = commands.add_parser("evidence", help="check evidence lines and add them to data/gold/real_dev_evidence.jsonl")
    evidence_cmd.add_argument("batches", nargs="+", type=Path)
    split_cmd = commands.add_parser("split", help="check batches and write data/gold/real_{dev,test}.jsonl")
    split_cmd.add_argument("batches", nargs="+", type=Path)
    split_cmd.add_argument("--change-test", action="store_true",
                           help="allow lines in test buckets (the test split is frozen otherwise)")
    commands.add_parser("stats", help="coverage of the gold set against the issue's targets")
    commands.add_parser("layout", help="copy cached texts into data/real_cache/{dev,test}/")
    cache_cmd = commands.add_parser("cache", help="rebuild cached texts from saved search answers (JSON)")
    cache_cmd.add_argument("answers", nargs="+", type=Path)
    commands.add_parser("verify", help="check every cached text against its annotated sha256")
    args = parser.parse_args()
    if args.command == "evidence":
        add_evidence(args.batches)
    elif args.command == "split":
        split(args.batches, args.change_test)
    elif args.command == "cache":
        cache(args.answers)
    elif args.command == "verify":
        verify()
    elif args.command == "stats":
        stats()
    else:
        layout()


if __name__ == "__main__":
    main()
