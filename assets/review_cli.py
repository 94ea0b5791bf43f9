"""`demarche review`: the review queue, and every decision as one short command line that
appends a correction to the corrections file (applied on the next run, or by Dagster's
corrections_sensor at once).

  demarche review list [--reason R] [--limit N]
  demarche review accept ID [--incident] [--why TEXT]
  demarche review reject ID [--incident] --why TEXT
  demarche review fix ID [--incident] [--actor X] [--target Y] [--date D] [--types a,b]
                         [--reported-only yes|no] [--diplomat NAME] [--cause TEXT] --why TEXT
  demarche review add ARTICLE --evidence TEXT --actor X --target Y --date D --types a,b --why TEXT
  demarche review add NEAR_MISS_ID --actor X --target Y --date D --types a,b --why TEXT
  demarche review merge ID --into ID --why TEXT
  demarche review split ID [--date D] [--actor X] [--target Y] --why TEXT
  demarche review export-gold FILE [--all]

ID is a mention_id (event_mentions) or an incident_id ("AZE>RUS 2019-11-06", quoted); an
incident id, or --incident, makes the decision about the whole incident. A possible miss of the
queue (near_misses.near_miss_id) is added as an incident with `add`, or dismissed with `reject`."""

import argparse
import getpass
import json
import os
import secrets
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from assets.evaluate import _stem as gold_id  # the evaluation's own article id: the file stem
from assets.evaluate import predicted_by_article
from pipeline.corrections import CorrectionsError
from pipeline.corrections.anchors import Miss, locate, resolve
from pipeline.corrections.apply import refusal, with_changes
from pipeline.corrections.corrections_file import append_correction
from pipeline.corrections.gold import gold_lines
from pipeline.corrections.model import Anchor
from pipeline.corrections.parse import known_codes, parse_changes
from pipeline.paths import default_corrections_file, default_warehouse
from pipeline.storage import Warehouse
from pipeline.storage.atomic import write_atomically

REVIEWER_ENV = "DEMARCHE_REVIEWER"
_MENTION_COLUMNS = ("m.mention_id, m.incident_id, m.article_id, m.actor, m.target, m.event_date, m.date_precision, "
                    "m.types, m.reported_only, m.diplomat, m.cause, m.sentence, m.char_start, m.char_end, m.rule, "
                    "m.confidence, "
                    "a.uri, a.published, x.actor AS extracted_actor, x.target AS extracted_target")
_MENTIONS = (f"SELECT {_MENTION_COLUMNS} FROM event_mentions m JOIN articles a USING (article_id) "
             "LEFT JOIN mentions x USING (mention_id)")
_QUEUE = "SELECT * FROM review_queue WHERE (? IS NULL OR reason = ?) ORDER BY priority LIMIT ?"
_REVIEWED = "SELECT DISTINCT article_id FROM corrections_applied"
_NEAR_MISS = ("SELECT n.near_miss_id, n.sentence, a.uri FROM near_misses n JOIN articles a USING (article_id) "
              "WHERE n.near_miss_id = ?")
_ARTICLES_AT = ("SELECT article_id, source, uri, published, text, text_hash FROM articles "
                "WHERE uri = ? OR ends_with(uri, '/' || ltrim(?, '/'))")


class ReviewError(RuntimeError):
    pass


def _store(args) -> Warehouse:
    db = Path(args.db)
    if not db.exists():
        raise ReviewError(f"no warehouse at {db}; run `demarche run` first")
    return Warehouse(db)


def _query(args, sql: str, params: list | None = None) -> pd.DataFrame:
    return _store(args).query_df(sql, params, read_only=True)


def _target(args, ident: str) -> tuple[dict, str, pd.DataFrame]:
    """ID -> (the anchor mention, scope, every mention the decision is about)."""
    rows = _query(args, f"{_MENTIONS} WHERE m.mention_id = ?", [ident])
    scope = "incident" if getattr(args, "incident", False) else "mention"
    if rows.empty:
        rows = _query(args, f"{_MENTIONS} WHERE m.incident_id = ? ORDER BY m.confidence DESC, m.mention_id", [ident])
        if rows.empty:
            raise ReviewError(f"no mention or incident {ident!r} in {args.db}; `demarche review list` shows the queue, "
                              "event_mentions.mention_id and incidents.incident_id every id")
        scope = "incident"
    anchor = rows.iloc[0].to_dict()
    if scope == "incident":
        rows = _query(args, f"{_MENTIONS} WHERE m.incident_id = ?", [anchor["incident_id"]])
    return anchor, scope, rows


def _extracted_pair(row: dict) -> tuple[str, str]:
    if isinstance(row.get("extracted_actor"), str):
        return row["extracted_actor"], row["extracted_target"]
    return row["actor"], row["target"]


def _anchor_fields(args, row: dict) -> dict:
    """The keys that survive re-extraction (the article's URI, the evidence, the pair as
    extracted), checked now to name this mention and no other, as the next run will."""
    pair = _extracted_pair(row)
    anchor = Anchor(row["uri"], row["sentence"], pair)
    article = _query(args, "SELECT article_id, source, uri, published, text, text_hash FROM articles "
                     "WHERE article_id = ?", [row["article_id"]])
    rows = _query(args, f"{_MENTIONS} WHERE m.article_id = ?", [row["article_id"]]).to_dict("records")
    for other in rows:
        other["extracted_pair"] = _extracted_pair(other)
    hits = resolve(anchor, article.to_dict("records"), {row["article_id"]: rows})
    if isinstance(hits, Miss) or [h["mention_id"] for h in hits] != [row["mention_id"]]:
        detail = hits.detail if isinstance(hits, Miss) else "the evidence names another mention too"
        raise ReviewError(f"mention {row['mention_id']} cannot be anchored by its article and evidence ({detail}); "
                          "write this correction by hand with a longer evidence span")
    return {"article": anchor.article, "evidence": anchor.evidence, "pair": f"{pair[0]}>{pair[1]}"}


def _set_fields(args) -> dict:
    fields = {name: getattr(args, name, None) for name in ("actor", "target", "date", "diplomat", "cause")}
    if getattr(args, "types", None):
        fields["types"] = [t.strip() for t in args.types.split(",") if t.strip()]
    if getattr(args, "reported_only", None) is not None:
        fields["reported_only"] = args.reported_only == "yes"
    return {k: v for k, v in fields.items() if v is not None}


def _check_rows(rows: pd.DataFrame, fields: dict) -> None:
    """Refuse at once what the pipeline would refuse: a date after an article, a self-protest."""
    try:
        changes = parse_changes(fields, known_codes())
    except ValueError as exc:
        raise ReviewError(str(exc)) from None
    reason = refusal([with_changes(row, changes) for row in rows.to_dict("records")])
    if reason:
        raise ReviewError(reason)


def _record(args, action: str, fields: dict, about: str | None = None) -> None:
    when = datetime.now(timezone.utc).replace(microsecond=0)
    entry = {"id": args.id or f"{action}-{when:%Y%m%d}-{secrets.token_hex(3)}", "action": action, **fields,
             "why": args.why or ("confirmed in review" if action == "accept" else None),
             "who": args.who or os.environ.get(REVIEWER_ENV) or getpass.getuser(),
             "when": when.isoformat().replace("+00:00", "Z")}
    if not entry["why"]:
        raise ReviewError(f"{action} needs --why: say why, for the next analyst")
    correction = append_correction(Path(args.corrections), {k: v for k, v in entry.items() if v is not None})
    about = about or (correction.scope if action in ("accept", "reject", "fix") else "incident of" if action == "merge"
                      else "mention")
    print(f"recorded {correction.id} in {args.corrections}: {action} {about} {correction.anchor.describe()}")
    print("it applies on the next `demarche run` (with `dagster dev`, corrections_sensor rebuilds incidents and marts)")


def _near_miss(args, ident: str) -> dict | None:
    rows = _query(args, _NEAR_MISS, [ident])
    return None if rows.empty else rows.iloc[0].to_dict()


def _located(args, article: str, evidence: str) -> list:
    """Where the evidence stands in the article(s) the URI names, as the next run will find it."""
    articles = _query(args, _ARTICLES_AT, [article, article])
    located = locate(Anchor(article, evidence), articles.to_dict("records"))
    if isinstance(located, Miss):
        raise ReviewError(f"{located.problem}: {located.detail}")
    return located


def _dismiss(args, near: dict) -> int:
    """A rejection anchored on a possible miss's sentence: no incident there, off the queue."""
    if args.action != "reject":
        raise ReviewError(f"{args.ident} is a possible miss, not a mention: `review add {args.ident} --actor X --target Y "
                          f"--date D --types T --why ...` records the incident it holds, `review reject {args.ident} "
                          "--why ...` dismisses it")
    _located(args, near["uri"], near["sentence"])
    _record(args, "reject", {"scope": "mention", "article": near["uri"], "evidence": near["sentence"]},
            about="(dismiss) possible miss")
    return 0


def cmd_decide(args) -> int:
    near = _near_miss(args, args.ident)
    if near is not None:
        return _dismiss(args, near)
    anchor, scope, rows = _target(args, args.ident)
    if args.action == "split" and scope == "incident":
        raise ReviewError("split takes a mention id: the mention that is an incident of its own")
    fields = {"scope": scope, **_anchor_fields(args, anchor)}
    changes = _set_fields(args)
    if args.action in ("fix", "split"):
        if args.action == "fix" and not changes:
            raise ReviewError("fix needs at least one of --actor, --target, --date, --types, --reported-only, "
                              "--diplomat, --cause")
        _check_rows(rows if scope == "incident" else rows.head(1), changes)
        fields["set"] = changes or None
    if args.action in ("split", "merge"):
        fields.pop("scope")
    if args.action == "merge":
        into, _, _ = _target(args, args.into)
        if into["incident_id"] == anchor["incident_id"]:
            raise ReviewError(f"{args.ident!r} and {args.into!r} are already one incident ({anchor['incident_id']})")
        fields["into"] = _anchor_fields(args, into)
    _record(args, args.action, fields)
    return 0


def cmd_add(args) -> int:
    missing = [f"--{name}" for name in ("actor", "target", "date", "types") if not getattr(args, name)]
    if missing:
        raise ReviewError(f"add needs {', '.join(missing)}")
    article, evidence = args.article, args.evidence
    if evidence is None:  # ARTICLE is a possible miss of the queue: its article and sentence
        near = _near_miss(args, article)
        if near is None:
            raise ReviewError(f"add needs --evidence (or a near_miss_id of the review queue instead of {article!r})")
        article, evidence = near["uri"], near["sentence"]
    located = _located(args, article, evidence)
    fields = _set_fields(args)
    rows = pd.DataFrame([{**p.article, "actor": None, "target": None, "event_date": None, "date_precision": None,
                          "types": [], "event_type": None} for p in located])
    _check_rows(rows, fields)
    _record(args, "add", {"article": located[0].article["uri"], "evidence": evidence, "set": fields})
    return 0


def cmd_list(args) -> int:
    queue = _query(args, _QUEUE, [args.reason, args.reason, args.limit])
    if queue.empty:
        print("the review queue is empty")
        return 0
    for row in queue.itertuples(index=False):
        if row.reason == "possible_miss":  # a sentence with no incident: `add` or `reject` by this id
            label = row.mention_id
        elif isinstance(row.mention_id, str):  # a mention: its id, then what it says
            when = "" if pd.isna(row.event_date) else f" {pd.Timestamp(row.event_date).date()}"
            label = f"{row.mention_id} {row.actor}>{row.target}{when}"
        else:
            label = f'"{row.incident_id}"' if isinstance(row.incident_id, str) else "-"
        print(f"[{row.reason}] {label}: {row.detail}\n    {(row.sentence or '')[:100]!r}  {row.uri}")
    return 0


_DETAILS = ("SELECT a.uri, m.actor, m.target, mode(m.diplomat) AS diplomat, "
            "arg_max(m.cause, m.confidence) AS cause FROM event_mentions m JOIN articles a USING (article_id) "
            "GROUP BY ALL")


def cmd_export_gold(args) -> int:
    store = _store(args)
    where = "" if args.all else f"WHERE article_id IN ({_REVIEWED})"
    articles = store.query_df(f"SELECT uri, published FROM articles {where}", read_only=True)
    published = {gold_id(row.uri): None if pd.isna(row.published) else pd.Timestamp(row.published).date().isoformat()
                 for row in articles.sort_values("uri", ascending=False).itertuples(index=False)}
    details = {(gold_id(row.uri), row.actor, row.target): (_text_or_none(row.diplomat), _text_or_none(row.cause))
               for row in store.query_df(_DETAILS, read_only=True).itertuples(index=False)}
    lines = gold_lines(predicted_by_article(store), published, details)
    out = Path(args.file)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    print(f"wrote {len(lines)} reviewed article(s) to {out}")
    return 0


def _text_or_none(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=str(default_warehouse()), help="warehouse file (default data/warehouse.duckdb)")
    parser.add_argument("--corrections", default=str(default_corrections_file()),
                        help="corrections file (default data/corrections.yaml, or $DEMARCHE_CORRECTIONS)")


def _decision(sub, name: str, help_text: str, changes: bool = False) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text)
    _common(parser)
    parser.add_argument("--why", help="why (required except for accept)")
    parser.add_argument("--who", help=f"who decides (default ${REVIEWER_ENV}, else the login name)")
    parser.add_argument("--id", help="the correction's id (default: generated)")
    if changes:
        parser.add_argument("--actor", help="protesting state's code, e.g. AZE")
        parser.add_argument("--target", help="protested-against state's code, e.g. RUS")
        parser.add_argument("--date", help="YYYY, YYYY-MM or YYYY-MM-DD (the precision the text supports)")
        parser.add_argument("--types", help="comma-separated: summon, protest_note, protest_statement")
        parser.add_argument("--reported-only", choices=["yes", "no"], help="mentioned only in passing")
        parser.add_argument("--diplomat", help="the summoned diplomat's name")
        parser.add_argument("--cause", help="what the protest was about")
    return parser


def add_review_parser(sub) -> None:
    """Adds `demarche review ...` to the main parser's subcommands."""
    summary = "list the review queue and record analysts' corrections"
    review = sub.add_parser("review", help=summary, description=summary)
    actions = review.add_subparsers(dest="review_command", required=True)
    listing = actions.add_parser("list", help="the review queue, most urgent first")
    _common(listing)
    listing.add_argument("--reason", help="only this reason (low_confidence, dates_disagree, ...)")
    listing.add_argument("--limit", type=int, default=20, help="at most this many rows (default 20)")
    listing.set_defaults(func=cmd_list)
    for name, help_text, changes in [
        ("accept", "confirm a mention (or --incident) as extracted", False),
        ("reject", "not a protest: drop a mention (or --incident, the whole incident)", False),
        ("fix", "new values for an incident (or one mention, with a mention id)", True),
        ("split", "make a mention an incident of its own (optionally with new values)", True),
        ("merge", "merge ID's incident into the incident of --into", False),
    ]:
        parser = _decision(actions, name, help_text, changes)
        parser.add_argument("ident", metavar="ID", help="mention_id, or incident_id (quoted)"
                            + (", or a possible miss's near_miss_id" if name == "reject" else ""))
        if name in ("accept", "reject", "fix"):
            parser.add_argument("--incident", action="store_true", help="about the whole incident of this mention")
        if name == "merge":
            parser.add_argument("--into", required=True, help="a mention_id or incident_id of the incident to keep")
        parser.set_defaults(func=cmd_decide, action=name)
    add = _decision(actions, "add", "add an incident the extractor missed, anchored to its evidence", True)
    add.add_argument("article", metavar="ARTICLE", help="the article's URI (or its trailing path), or the "
                     "near_miss_id of a possible miss in the queue (its article and sentence)")
    add.add_argument("--evidence", help="the evidence sentence, as in the article's text (not with a near_miss_id)")
    add.set_defaults(func=cmd_add)
    gold = actions.add_parser("export-gold", help="write the reviewed articles as gold lines (DESIGN.md format)")
    _common(gold)
    gold.add_argument("file", metavar="FILE", help="output JSON-lines file (overwritten)")
    gold.add_argument("--all", action="store_true", help="every article, not only the reviewed ones")
    gold.set_defaults(func=cmd_export_gold)


REVIEW_ERRORS = (ReviewError, CorrectionsError)
