"""The extractor's cheap word tests (pipeline/guards.py) must be necessary
conditions of the regexes they guard: wherever a guarded regex matches, its words are
there. Checked on every sentence of the team's samples and the seeds, and on phrases
written to hit each alternative of the guarded patterns."""

from __future__ import annotations

import pytest

from pipeline.cleaning import clean_document
from pipeline.extraction import cues
from pipeline.guards import may_contain
from pipeline.ingest.documents import is_folder_input, read_file_bytes
from tests.conftest import REPO, SHARED

PHRASES = [
    "He presented his credentials", "a courtesy call", "a courtesy visit", "a farewell visit", "congratulated him",
    "were invited to the gala ceremony", "invited to an official reception",
    "condolences were offered", "Baku denied it", "Moscow denies", "denying the report", "dismissed the reports",
    "dismisses reports", "rumours", "rumors spread", "refuted", "refutes the claim",
    "on many occasions", "on several occasions", "repeatedly", "regularly", "routinely", "time and again",
    "time after time", "every time", "whenever", "each time", "has long", "have long", "for years", "in the past",
    "over the years", "on occasion", "often", "frequently", "constantly", "persistently", "have been lodging",
    "has been summoning", "the letter of credence", "a copy of credence", "the Armenian community", "the diaspora", "NGOs", "an NGO",
    "non-governmental", "organisations", "organizations", "associations", "the party", "parties", "movements",
    "a coalition", "activists", "civil society", "a foundation", "the committee of", "council of elders",
    "a public council", "youth", "veterans", "the lobby", "human rights defenders", "the church", "the diocese",
    "the patriarchate", "the catholicos", "Mother See", "clergy", "the synod", "the mufti", "religious leaders",
    "DENIED", "Repeatedly", "ſynod", "the dıaspora",
]


def _texts() -> list[str]:
    texts = []
    for folder in (REPO / "data" / "samples", SHARED / "seeds"):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if is_folder_input(path):
                result = clean_document(read_file_bytes(path))
                if hasattr(result, "text"):
                    texts.append(result.text)
    return texts


TEXTS = _texts() + PHRASES
GUARDED = {
    "NOT_A_PROTEST": (cues.NOT_A_PROTEST, cues.NOT_A_PROTEST_WORDS),
    "DENIAL": (cues.DENIAL, cues.DENIAL_WORDS),
    "HABITUAL": (cues.HABITUAL, cues.HABITUAL_WORDS),
    **{f"trigger {name}": (cues.TRIGGERS[name][2], words) for name, words in cues.TRIGGER_ALSO_NEEDS.items()},
}


def test_the_corpus_exercises_the_guards():
    assert len(TEXTS) > 60
    for name in ("NOT_A_PROTEST", "DENIAL", "HABITUAL"):
        pattern, _ = GUARDED[name]
        assert sum(bool(pattern.search(t)) for t in TEXTS) >= 5, name


@pytest.mark.parametrize("name", list(GUARDED))
def test_a_guard_never_hides_a_match_of_its_pattern(name):
    pattern, words = GUARDED[name]
    for text in TEXTS:
        for match in pattern.finditer(text):
            found = match.group(0)
            assert may_contain(found.lower(), words, found), (name, found)
