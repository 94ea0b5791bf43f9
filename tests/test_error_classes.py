"""`demarche evaluate -v` sorts every error into the class that says where to work."""

from collections import Counter

from pipeline.evaluation import ArticleGold, Incident, score
from pipeline.error_classes import summary
from pipeline.dates.partial_date import PartialDate


def incident(actor, target, day, types=("summon",), **extra):
    return Incident(actor, target, PartialDate.parse(day), frozenset(types), **extra)


def kinds(gold_incidents, predicted):
    scores = score([ArticleGold("a1", bool(gold_incidents), gold_incidents)], {"a1": predicted})
    return Counter(error.kind for error in scores.errors), scores


def test_each_class_is_recognised():
    gold = [incident("AZE", "RUS", "2019-11-06"), incident("POL", "RUS", "2023-12-29"),
            incident("JPN", "CHN", "2023-08-24"), incident("TUR", "SWE", "2023-01-21"),
            incident("FRA", "IRN", "2022-10-07")]
    predicted = [incident("RUS", "AZE", "2019-11-06", rule="summon.passive", evidence="a sentence"),
                 incident("POL", "RUS", "2023-10-02"),       # same dyad, date far off
                 incident("KOR", "CHN", "2023-08-24"),       # actor wrong
                 incident("TUR", "DNK", "2023-01-21"),       # target wrong
                 incident("GEO", "RUS", "2020-01-01")]       # nothing like it in gold
    found, scores = kinds(gold, predicted)
    assert found == Counter(reversed=1, wrong_date=1, wrong_actor=1, wrong_target=1, missed=1, spurious=1)
    reversed_line = next(e.line() for e in scores.errors if e.kind == "reversed")
    assert "summon.passive" in reversed_line and "a sentence" in reversed_line


def test_matched_pairs_report_inexact_dates_and_types():
    found, scores = kinds([incident("AZE", "FRA", "2024-03-14", ("protest_note",))],
                          [incident("AZE", "FRA", "2024-03-15", ("protest_note", "summon"))])
    assert scores.matched == 1
    assert found == Counter(inexact_date=1, wrong_types=1)


def test_summary_lists_every_class_with_its_count():
    found, scores = kinds([incident("AZE", "FRA", "2024-03-14")], [])
    lines = summary(scores.errors)
    assert any(line.split(":")[0].strip() == "missed" and line.split(":")[1].split()[0] == "1" for line in lines)
    assert len(lines) == 8
