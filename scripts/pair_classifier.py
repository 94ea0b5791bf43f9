"""Session 10's experiment, kept so that it can be run again (README, "A learned scorer did
not do better"): can a classifier over (sentence, actor, target) candidates find the gold pairs
the rules miss? Not part of the product; it needs scikit-learn, which the product does not.

    .venv/bin/python scripts/pair_classifier.py dump GOLD.jsonl TEXTS_DIR OUT.jsonl
    PY_WITH_SKLEARN scripts/pair_classifier.py score OUT.jsonl

`dump` (the project's venv) runs the extractor on each article and writes, for every ordered
pair of states named in one sentence, the features and whether the pair is in the article's
gold (dates aside); `score` (any Python with scikit-learn) cross-validates a logistic
regression in five folds by article and prints pair-level P/R/F1 of the rules, of the
classifier alone and of the two together, per threshold.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
FOLDS = 5


def _token_of(doc, offset: int, entity):
    return next((t for t in doc if entity.start <= offset + t.idx < entity.end), None)


def _pair_features(doc, a_tok, b_tok) -> list[str]:
    """Where the two states stand in the sentence's grammar and what lies between them."""
    features = ["a_first" if a_tok.i < b_tok.i else "b_first"]
    low, high = sorted((a_tok.i, b_tok.i))
    features += ["between=" + t.lemma_.lower() for t in doc[low + 1:high] if t.is_alpha][:30]
    up_a, up_b = [a_tok, *a_tok.ancestors], [b_tok, *b_tok.ancestors]
    common = next((t for t in up_a if t in up_b), None)
    if common is not None:
        path = up_a[:up_a.index(common)] + [common] + up_b[:up_b.index(common)][::-1]
        features.append("path=" + "_".join(t.dep_ for t in path)[:80])
        features += ["path_word=" + t.lemma_.lower() for t in path if t not in (a_tok, b_tok)]
    for name, token in (("a", a_tok), ("b", b_tok)):
        features += [f"{name}_dep={token.dep_}", f"{name}_head={token.head.lemma_.lower()}",
                     f"{name}_subject={any(t.dep_ in ('nsubj', 'nsubjpass') for t in (token, *list(token.ancestors)[:2]))}"]
    return features


def dump(gold_path: Path, folder: Path, out_path: Path) -> None:
    from pipeline.cleaning.clean import CleanArticle, clean_document
    from pipeline.extraction.article import build_article
    from pipeline.extraction.extractor import extract_many
    from pipeline.extraction.parser import parse
    from pipeline.extraction.sentences import split_sentences

    rows = [json.loads(line) for line in gold_path.open(encoding="utf-8")]
    with out_path.open("w", encoding="utf-8") as out:
        for gold in rows:
            path = folder / f"{gold['id']}.txt"
            clean = clean_document(path.read_bytes()) if path.exists() else None
            if not isinstance(clean, CleanArticle):
                continue
            mentions = extract_many([(clean.text, clean.published, clean.title, clean.year_hint)])[0]
            gold_pairs = {(i["actor"], i["target"]) for i in gold.get("incidents", [])}
            rule_pairs = {(m.actor, m.target) for m in mentions}
            out.write(json.dumps({"article": gold["id"], "gold": sorted(gold_pairs), "rules": sorted(rule_pairs)}) + "\n")
            sentences = split_sentences(clean.text)
            article = build_article(clean.text, clean.published, clean.title, clean.year_hint, sentences)
            for index, sentence in enumerate(sentences):
                entities = article.entities_in(sentence.start, sentence.end)
                codes = list(dict.fromkeys(e.code for e in entities))
                if len(codes) < 2:
                    continue
                doc = parse([sentence.text], {})[0]
                tokens = {}
                for entity in entities:
                    tokens.setdefault(entity.code, _token_of(doc, sentence.start, entity))
                words = {w.lower() for w in WORD.findall(sentence.text)}
                root = next((t.lemma_.lower() for t in doc if t.dep_ == "ROOT"), "")
                for a in codes:
                    for b in codes:
                        if a == b or tokens[a] is None or tokens[b] is None:
                            continue
                        features = ["word=" + w for w in words] + _pair_features(doc, tokens[a], tokens[b])
                        features += [f"root={root}", f"states={min(len(codes), 4)}", f"sentence={min(index, 10)}"]
                        features += [name for name, on in (("a_home", a == article.home), ("rule_pair", (a, b) in rule_pairs),
                                                           ("rule_reversed", (b, a) in rule_pairs)) if on]
                        out.write(json.dumps({"id": gold["id"], "a": a, "b": b, "y": int((a, b) in gold_pairs),
                                              "features": features}) + "\n")


def _fold(article_id: str) -> int:
    return int(hashlib.md5(article_id.encode()).hexdigest(), 16) % FOLDS


def score(dump_path: Path) -> None:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    candidates, articles = [], {}
    for line in dump_path.open(encoding="utf-8"):
        row = json.loads(line)
        if "article" in row:
            articles[row["article"]] = row
        else:
            candidates.append(row)
    features = DictVectorizer().fit_transform([{f: 1 for f in c["features"]} for c in candidates])
    labels = np.array([c["y"] for c in candidates])
    folds = np.array([_fold(c["id"]) for c in candidates])
    probability = np.zeros(len(candidates))
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        model = LogisticRegression(C=0.5, max_iter=2000).fit(features[train], labels[train])
        probability[test] = model.predict_proba(features[test])[:, 1]
    best: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
    for candidate, p in zip(candidates, probability):
        pairs = best[candidate["id"]]
        pairs[(candidate["a"], candidate["b"])] = max(p, pairs.get((candidate["a"], candidate["b"]), 0.0))

    def pair_scores(threshold: float | None, with_rules: bool) -> str:
        tp = fp = fn = 0
        for article_id, row in articles.items():
            gold = {tuple(p) for p in row["gold"]}
            found = {tuple(p) for p in row["rules"]} if with_rules else set()
            if threshold is not None:
                found |= {pair for pair, p in best[article_id].items() if p >= threshold}
            tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
        precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        return f"P {precision:.3f} R {recall:.3f} F1 {2 * precision * recall / max(precision + recall, 1e-9):.3f}"

    print("rules alone               ", pair_scores(None, True))
    for threshold in (0.3, 0.5, 0.7, 0.9):
        print(f"classifier alone at {threshold}   ", pair_scores(threshold, False))
        print(f"rules + classifier at {threshold} ", pair_scores(threshold, True))


if __name__ == "__main__":
    command, *arguments = sys.argv[1:] or ["help"]
    if command == "dump" and len(arguments) == 3:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        dump(*map(Path, arguments))
    elif command == "score" and len(arguments) == 1:
        score(Path(arguments[0]))
    else:
        sys.exit(__doc__)
