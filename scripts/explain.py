"""Why an article's protests were found or lost: for each candidate sentence, its
triggers, the guard that dropped a trigger (or the parse's verdict), and the roles.

  .venv/bin/python scripts/explain.py FILE [--gold GOLD.jsonl]

"unreal" marks a trigger the parse finds negated, hypothetical or future; "roles ... None"
one whose actor or target could not be resolved; [n] is a sentence's offset in the text.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.cleaning.clean import clean_document
from pipeline.extraction import extractor as ex


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--gold")
    args = ap.parse_args()
    path = Path(args.file)
    clean = clean_document(path.read_bytes())
    if args.gold:
        for line in open(args.gold):
            rec = json.loads(line)
            if rec["id"] == path.name.split(".")[0]:
                for inc in rec["incidents"]:
                    print(f"GOLD {inc['actor']}>{inc['target']} {inc['date']} {inc['types']}: {inc['cause'][:150]}")
    print(f"published {clean.published} title {clean.title!r}")
    pending = ex._pending(clean.text, clean.published, clean.title, clean.year_hint)
    if pending is None:
        print("no trigger stem anywhere")
        return
    article = pending.article
    live = {s.start: t for s, t in pending.live}
    print(f"home {article.home}")
    for sentence, names in ex._candidate_sentences(article.text, article.sentences):
        found = ex._find_triggers(sentence, names, ex._lowered(sentence.text))
        kept = live.get(sentence.start, [])
        print(f"\n[{sentence.start}] {sentence.text[:300]!r}")
        if not found:
            print(f"   stems {sorted(names)}: no trigger regex matched")
        for trig in found:
            start, end, rule = trig[:3]
            status = "live" if any(k[:5] == trig for k in kept) else "DROPPED by a word guard (_live_triggers)"
            print(f"   {rule} {article.text[start:end]!r}: {status}")
    real_resolve, real_unreal = ex.resolve_roles, ex.is_unreal

    def resolve(article, parsed, sentence, key, *rest):
        roles = real_resolve(article, parsed, sentence, key, *rest)
        print(f"   roles [{sentence.start}] {key.text!r}: {roles}")
        return roles

    def unreal(key):
        verdict = real_unreal(key)
        if verdict:
            print(f"   unreal: {key} in {key.sent.text[:80]!r}")
        return verdict
    ex.resolve_roles, ex.is_unreal = resolve, unreal
    ex._parse_all([pending])
    print("\n== roles")
    mentions = ex._finish(pending)
    print("\n== mentions")
    for m in mentions:
        print(f"{m.actor}>{m.target} {m.date} {m.types} bg={m.reported_only} {m.rule}: {m.sentence[:100]!r}")


if __name__ == "__main__":
    main()
