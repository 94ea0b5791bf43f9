from datetime import date

import pandas as pd

from pipeline.incidents import merge_incidents


def _mention(mid, actor, target, day, precision="day", source="s1", text_hash=None, published=None,
             types=("summon",), reported=False, confidence=0.9):
    return {"mention_id": mid, "article_id": f"a-{mid}", "source": source, "event_type": types[0], "types": list(types),
            "actor": actor, "target": target, "event_date": day, "date_precision": precision if day else None,
            "reported_only": reported, "diplomat": None, "cause": f"cause {mid}", "sentence": f"sentence {mid}",
            "char_start": 0, "char_end": 10, "rule": "r", "confidence": confidence,
            "uri": f"file:///{mid}.txt", "text_hash": text_hash or f"h-{mid}", "published": published}


def _merge(rows):
    incidents, members = merge_incidents(pd.DataFrame(rows))
    return incidents.set_index("incident_id"), dict(zip(members.mention_id, members.incident_id))


def test_same_incident_across_outlets_with_a_day_of_difference_and_a_month():
    incidents, members = _merge([
        _mention("m1", "AZE", "RUS", date(2019, 11, 6), source="a", types=("summon", "protest_note")),
        _mention("m2", "AZE", "RUS", date(2019, 11, 6), source="b"),
        _mention("m3", "AZE", "RUS", date(2019, 11, 7), source="c", types=("protest_statement",)),
        _mention("m4", "AZE", "RUS", date(2019, 11, 1), precision="month", source="c", text_hash="h-m3"),
    ])
    assert list(incidents.index) == ["AZE>RUS 2019-11-06"]
    row = incidents.loc["AZE>RUS 2019-11-06"]
    assert (row.n_mentions, row.n_articles, row.n_sources) == (4, 3, 3)
    assert list(row.types) == ["protest_note", "protest_statement", "summon"]
    assert set(members.values()) == {"AZE>RUS 2019-11-06"}


def test_distinct_days_pairs_and_directions_stay_apart():
    incidents, _ = _merge([
        _mention("m1", "AZE", "RUS", date(2019, 11, 6)),
        _mention("m2", "AZE", "RUS", date(2019, 11, 20)),
        _mention("m3", "RUS", "AZE", date(2019, 11, 6)),
        _mention("m4", "AZE", "FRA", date(2019, 11, 6)),
    ])
    assert sorted(incidents.index) == ["AZE>FRA 2019-11-06", "AZE>RUS 2019-11-06", "AZE>RUS 2019-11-20", "RUS>AZE 2019-11-06"]


def test_one_article_giving_two_close_days_tells_of_two_incidents():
    # A statement on Monday and a note on Tuesday in the same text; a second outlet dating
    # the note a day later still joins the note.
    incidents, members = _merge([
        _mention("m1", "SRB", "HRV", date(2015, 9, 21), text_hash="one", types=("protest_statement",)),
        _mention("m2", "SRB", "HRV", date(2015, 9, 22), text_hash="one", types=("protest_note",)),
        _mention("m3", "SRB", "HRV", date(2015, 9, 23), text_hash="two", types=("protest_note",)),
    ])
    assert sorted(incidents.index) == ["SRB>HRV 2015-09-21", "SRB>HRV 2015-09-22"]
    assert members["m3"] == "SRB>HRV 2015-09-22"
    assert list(incidents.loc["SRB>HRV 2015-09-21"].types) == ["protest_statement"]


def test_ambiguous_year_only_mention_stays_its_own_incident():
    incidents, _ = _merge([
        _mention("m1", "AZE", "USA", date(2019, 3, 1)),
        _mention("m2", "AZE", "USA", date(2019, 10, 30)),
        _mention("m3", "AZE", "USA", date(2019, 1, 1), precision="year", reported=True),
        _mention("m4", "AZE", "USA", date(2018, 1, 1), precision="year", reported=True),
    ])
    assert sorted(incidents.index) == ["AZE>USA 2018", "AZE>USA 2019", "AZE>USA 2019-03-01", "AZE>USA 2019-10-30"]
    assert bool(incidents.loc["AZE>USA 2018"].reported_only)
    assert incidents.loc["AZE>USA 2018"].date_precision == "year"


def test_incident_is_never_dated_after_a_reporting_article():
    incidents, _ = _merge([
        _mention("m1", "AZE", "RUS", date(2019, 11, 7), published=date(2019, 11, 6)),
        _mention("m2", "AZE", "RUS", date(2019, 11, 7), published=date(2019, 11, 8)),
    ])
    assert list(incidents.index) == ["AZE>RUS 2019-11-06"]


def test_a_background_mention_beside_its_own_articles_news_of_the_pair_is_an_earlier_incident():
    news = _mention("m1", "NIC", "CRI", date(2025, 3, 26), text_hash="h")
    aside = _mention("m2", "NIC", "CRI", date(2025, 1, 1), precision="year", text_hash="h", reported=True)
    incidents, members = _merge([news, aside])
    assert sorted(incidents.index) == ["NIC>CRI 2025", "NIC>CRI 2025-03-26"]
    assert members["m2"] == "NIC>CRI 2025"
    # told by another article, the same year-only aside is that news
    incidents, _ = _merge([news, {**aside, "text_hash": "other"}])
    assert list(incidents.index) == ["NIC>CRI 2025-03-26"]
