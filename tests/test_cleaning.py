from datetime import date

import pytest

from pipeline.cleaning import CleanArticle, Rejection, clean_document
from pipeline.cleaning.plaintext import clean_plain_text
from tests.conftest import HTML_PAGE


def test_html_page_keeps_article_and_drops_navigation_and_footer():
    result = clean_document(HTML_PAGE.encode())
    assert isinstance(result, CleanArticle)
    assert result.format == "html"
    assert result.published == date(2020, 11, 26)
    assert "Baku summons French envoy" in result.title
    assert "summoned French Ambassador Zacharie Gross" in result.text
    for junk in ("Politics", "Football results", "All rights reserved", "Privacy"):
        assert junk not in result.text


def test_plain_text_header_date_and_boilerplate():
    raw = """ date 2021-03-04 By Jane Roe

Georgia's Foreign Ministry summoned the Russian charge d'affaires on Wednesday.

The ministry handed over a note of protest.

Latest news
Some unrelated headline about markets
21.Oct.2025
Another headline about sport
20.Oct.2025

Kaynak/Source:
Jane Roe:
"""
    result = clean_plain_text(raw)
    assert result.published == date(2021, 3, 4)
    assert result.text.startswith("Georgia's Foreign Ministry summoned")
    assert result.text.endswith("note of protest.")
    for junk in ("Latest news", "21.Oct.2025", "Kaynak", "Jane Roe", "date 2021"):
        assert junk not in result.text


def test_plain_text_standalone_date_line_and_dateline():
    result = clean_plain_text("\n---\n## **HEADLINE ABOUT A PROTEST NOTE**\n-\n22.11.2017\n---\nTrend (21 November 2017)\n\nBody sentence one here today. Body two.\n")
    assert result.published == date(2017, 11, 22)
    assert result.title == "HEADLINE ABOUT A PROTEST NOTE"
    assert "22.11.2017" not in result.text
    assert clean_plain_text("Trend (21 November 2017)\n\nAzerbaijan protested on Tuesday to the envoy.").published == date(2017, 11, 21)


def test_plain_text_without_date_and_year_category():
    result = clean_plain_text("Categories: 2023\n\nA Headline Without Period\n\nFirst paragraph of the body text.\n")
    assert result.published is None
    assert result.year_hint == 2023
    assert result.title == "A Headline Without Period"
    assert "Categories" not in result.text


@pytest.mark.parametrize(
    ("header", "published"),
    [
        ("Harbour town envoys row\n\n14-03-2024 | 09:15", date(2024, 3, 14)),       # day first
        ("Tue, 03/19/2024 - 17:40\n\nHarbour town envoys row", date(2024, 3, 19)),  # month first
        ("Harbour town envoys row\n\nSource: Wire Desk| 2018-06-02 11:20:05|Editor: A. Person", date(2018, 6, 2)),
        ("Agency | City | Updated: 21-07-2021 10:00 IST | Created: 21-07-2021 09:58 IST", date(2021, 7, 21)),
        ("Harbour town envoys row\n\n04/05/2019 08:00", None),                           # day or month: no guess
        ("A long headline about the harbour town envoys row | 14 Mar 2024 | The ministry said more.", date(2024, 3, 14)),  # between pipes
        ("Harbour town envoys row\n\n14.03.24 09:15", date(2024, 3, 14)),              # two-digit year, with the hour
        ("Harbour town envoys row\n\nBy Desk Published Date - 09:15 AM, Thu - 14 March 24", date(2024, 3, 14)),  # labelled
        ("Harbour town envoys row\n\nThe talks ran until 14 March 24 hours later.", None),  # not labelled: no stamp
        ("Harbour town envoys row\nPublished: 09:15 AM,Mar 14,2024 | EDITED : 11:15 AM,Mar 14,2024", date(2024, 3, 14)),
        # A byline's date with its hour beats a site banner's bare date; a labelled date beats both.
        ("Sunday, March 17, 2024\n\nHarbour town envoys row\n\nWire Desk, 14 Mar, 2024 09:15 AM", date(2024, 3, 14)),
        (" date 2024-03-14 Sunday, 17 March 2024 09:15 GMT\n\nHarbour town envoys row", date(2024, 3, 14)),
        ("Harbour town envoys row\n\nSat, 04/05/2019 - 08:00", date(2019, 5, 4)),      # 4 May, not 5 April, is a Saturday
        ("Harbour town envoys row\n\nSun, 04/05/2019 - 08:00", None),                   # neither is a Sunday
        ("Harbour town envoys row\n\nBy A. Writer Source: Wire Published: 2019-5-4 08:00:12", date(2019, 5, 4)),
        ("Harbour town envoys row\n\nUpdated 09:15, 14-Mar-2024", date(2024, 3, 14)),
        # a stamp in the site's own language
        ("torsdag 14. mars 2024\n\nHarbour town envoys row", date(2024, 3, 14)),
        ("jeudi, mars 14, 2024\n\nHarbour town envoys row", date(2024, 3, 14)),
        ("14 марта, 2024 09:15\n\nHarbour town envoys row", date(2024, 3, 14)),
        ("Harbour town envoys row\n\n14 mars 2024 the ministry said more", None),  # prose, not a stamp  # day-month-year with dashes
        # a bracketed dateline opening the first paragraph, past the first 40 characters
        ("PORT LOUIS (Island Wire Service / Desk - 14th March, 2024) The harbour row grew.", date(2024, 3, 14)),
        ("The harbour row grew longer and the ministry (which met on 14 March 2024) said so.", None),  # body, not a dateline
        # two lines that are only dates: a banner shows the day the page was read, so the earlier
        ("Wed 30-April-2025\n\nHarbour town envoys row\n\nFriday 14-March-2024", date(2024, 3, 14)),
        ("Wednesday, 14 March 2024\n\nHarbour town envoys row", date(2024, 3, 14)),
        # the story's own dateline beats a later banner, with or without its place
        ("Friday, November 22, 2024\n\nHarbour town envoys row\n\nMarch 14, 2019 (PORT LOUIS) - The harbour row grew.",
         date(2019, 3, 14)),
        ("Fri 22-November-2024\n\nHarbour town envoys row\n\nPORT LOUIS, March 14, 2019 - The harbour row grew.",
         date(2019, 3, 14)),
        # ... not a date in the story's prose, nor a dateline later than the banner
        ("Fri 22-November-2024\n\nHarbour town envoys row\n\nOn March 14, 2019, the harbour row grew.", date(2024, 11, 22)),
    ],
)
def test_plain_text_numeric_and_boilerplate_header_dates(header, published):
    raw = header + "\n\nThe foreign ministry summoned the envoy of a neighbouring state on Monday.\n\nMore text follows here."
    assert clean_plain_text(raw).published == published


def test_a_stamp_of_only_month_and_year_gives_the_year_not_a_day():
    result = clean_plain_text(" date 2024-03 Harbour town envoys row\n\nThe ministry protested on March 14.\n")
    assert result.published is None
    assert result.year_hint == 2024


def test_a_labelled_date_closing_the_text_is_the_publication_date():
    raw = ("Harbour town envoys row\n\nThe foreign ministry summoned the envoy of a neighbouring state on Monday.\n\n"
           + "More text follows here.\n\n" * 6 + "Publicado: 23/5/2019")
    assert clean_plain_text(raw).published == date(2019, 5, 23)
    assert clean_plain_text(raw.replace("Publicado: ", "")).published is None


def test_a_line_of_only_a_date_and_an_hour_is_the_page_stamp_anywhere():
    body = ["Some opening paragraph of the story goes here."] * 8
    raw = "\n\n".join(body + ["Wire Desk", "14th March 2024, 09:15 GMT+1"] + body)
    assert clean_plain_text(raw).published == date(2024, 3, 14)
    assert clean_plain_text(raw.replace(", 09:15 GMT+1", "")).published is None


@pytest.mark.parametrize(("stamp", "published"), [
    ("March 14, 2024, 9:15 AM ET", date(2024, 3, 14)),  # a time zone after AM/PM
    ("2024.03.14 09:15 GMT+8", date(2024, 3, 14)),  # year first, with dots
    ("Updated 2024.03.14 21:02 GMT+8", date(2024, 3, 14)),
    ("14 march 2024 09:15:49", date(2024, 3, 14)),  # the month in lower case
    ("14 March 202409:15", date(2024, 3, 14)),  # the year run into the hour
    ("05/03/2024 09:15", None),  # day and month in an order nothing tells: no date rather than a guess
])
def test_stamp_lines_in_the_styles_of_other_sites(stamp, published):
    body = ["Some opening paragraph of the story goes here."] * 8
    raw = "\n\n".join(body + ["Wire Desk", stamp] + body)
    assert clean_plain_text(raw).published == published


def test_a_date_line_under_a_long_menu_but_above_the_story_dates_the_page():
    menu = ["Home", "News", "World", "Business", "Sport", "Opinion", "Video", "Podcasts", "Weather", "Jobs"]
    story = ("Chile summoned the Peruvian ambassador on Friday over the seizure of two fishing boats off Arica, "
             "the foreign ministry said in a statement released in Santiago.")
    raw = "\n\n".join(menu + ["Chile summons Peruvian envoy", "Sat, March 16, 2024", story, story])
    assert clean_plain_text(raw).published == date(2024, 3, 16)
    # ... but a date line below the story's first paragraph is the story's or another's, not the page's
    raw = "\n\n".join(menu + ["Chile summons Peruvian envoy", story, "Sat, March 16, 2024", story])
    assert clean_plain_text(raw).published is None


def test_a_day_with_its_period_in_a_stamp():
    assert clean_plain_text("Chile summons Peruvian envoy\n\n18. Apr 2024 at 07:45 Coast News\n\nText.").published \
        == date(2024, 4, 18)


def test_a_syndicators_dotted_stamp_does_not_beat_the_storys_own_date_below_it():
    raw = ("Chile summons Peruvian envoy\n\nThe Daily Wire 2024.03.15 01:43\n"
           "Thursday, 14 March 2024 Santiago, March 14: Chile summoned the Peruvian ambassador on Thursday.")
    assert clean_plain_text(raw).published == date(2024, 3, 14)


def test_a_pages_age_in_its_header_is_dropped_not_read_as_a_date():
    raw = (" date 2021-10-03 Site menu\nEnvoy recalled over remarks\n\n 7 days ago\n\n"
           "ALGIERS (Wire) - The government recalled its ambassador over remarks by a foreign leader.\n\nMore text follows here.")
    result = clean_plain_text(raw)
    assert "ago" not in result.text and result.published == date(2021, 10, 3)
    assert "7 days ago" in clean_plain_text("\n\n".join(["Some opening paragraph of the story goes here."] * 8
                                                          + ["It began 7 days ago"])).text  # in the body it stays


def test_a_date_in_the_body_is_not_a_publication_date():
    body = "\n".join(["Some opening paragraph of the story goes here."] * 8 + ["It happened on 3 July 1997 in Moscow."])
    assert clean_plain_text(body).published is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary pdf body", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\x00\x01\x02\x03\x04" * 200, "binary"),
        (b"<html><body><nav>Home</nav></body></html>", "no_text"),
        (b"Too short.", "no_text"),
    ],
)
def test_bad_inputs_are_rejected_with_a_reason(data: bytes, reason: str):
    result = clean_document(data)
    assert isinstance(result, Rejection)
    assert result.reason == reason


def test_legacy_encoding_is_decoded():
    text = "Министерство иностранных дел России вызвало посла и вручило ноту протеста в связи с заявлением."
    result = clean_document(f"<html><head><meta charset='windows-1251'></head><body><article><p>{text}</p><p>{text}</p></article></body></html>".encode("cp1251"))
    assert isinstance(result, CleanArticle)
    assert "вручило ноту протеста" in result.text


def test_future_publication_dates_are_dropped():
    result = clean_document(b" date 2099-01-01\n\nAzerbaijan summoned the Russian ambassador over the visit of separatists.", today=date(2026, 1, 1))
    assert isinstance(result, CleanArticle)
    assert result.published is None


def test_related_links_under_their_heading_are_other_articles():
    body = ("Peru summoned the Chilean ambassador on Monday over remarks by a Chilean minister about the border, "
            "the foreign ministry in Lima said in a statement.")
    more = ("The ministry added that the two countries would keep talking about the fishing zone and the ports, "
            "and that a joint commission would meet in the coming weeks.")
    raw = (f"A Headline About Peru\n\n{body}\n\nRead more:\n\nBolivia summons Ecuadorian envoy over trade row\n\n"
           f"Colombia protests to Panama\n\nRelated Headlines\n\n  • Uruguay elections\n\n"
           f"    A long teaser about another story in another country that a reader could click on to open and read, "
           f"cut off where the site stops it ...\n")
    text = clean_plain_text(raw).text
    assert body in text and "Bolivia" not in text and "Colombia" not in text and "Uruguay" not in text
    # A heading over a few links inside the story: the body resumes at its next paragraph.
    text = clean_plain_text(f"A Headline About Peru\n\n{body}\n\nRELATED:\n\nBolivia summons envoy\n\n{more}\n").text
    assert more in text and "Bolivia" not in text


@pytest.mark.parametrize(
    ("header", "title"),
    [
        # a stamp line is not the headline: the headline is the line after it
        ("Tuesday, March 12, 2024 09:40\n\nLakeland summons Hillmark envoy over dam", "Lakeland summons Hillmark envoy over dam"),
        ("Last updated on March 12th, 2024 at 09:40 am\n\nLakeland summons Hillmark envoy over dam",
         "Lakeland summons Hillmark envoy over dam"),
        ("09:40 12 March Harbourton, Lakeland\n\nLakeland summons Hillmark envoy over dam", "Lakeland summons Hillmark envoy over dam"),
        # the store's own stamp and a breadcrumb trail are not part of the headline
        (" date 2024-03-12 Lakeland summons Hillmark envoy over dam", "Lakeland summons Hillmark envoy over dam"),
        ("Home / World / Europe / Lakeland summons Hillmark envoy over dam", "Lakeland summons Hillmark envoy over dam"),
        # a short headline with a day in it is still a headline
        ("Envoy summoned on Monday", "Envoy summoned on Monday"),
    ],
)
def test_the_headline_is_found_past_stamps_and_breadcrumbs(header, title):
    raw = header + "\n\nThe foreign ministry summoned the envoy of a neighbouring state on Monday.\n\nMore text follows here."
    result = clean_plain_text(raw)
    assert result.title == title
    assert "09:40" not in result.text and "Home /" not in result.text


@pytest.mark.parametrize("furniture", [
    "By Anna Vell",  # a byline
    "Foreign minister Ann Vell at the press conference (Photo: Harbour News Agency)",  # a photo's caption
    "Lakeland Hillmark Photo:HNA",
    "Ann Vell and Bo Dram, Harbour Times/AP",  # a photo's credit
    "3 MIN READ",
    "Port Town 27°C, Mostly Cloudy",  # the weather
    ". | . |",
])
def test_page_furniture_above_the_headline_is_not_the_headline(furniture):
    raw = (f"{furniture}\n\nLakeland summons Hillmark envoy over dam\n\n"
           "The foreign ministry summoned the envoy of a neighbouring state on Monday.\n\nMore text follows here.")
    assert clean_plain_text(raw).title == "Lakeland summons Hillmark envoy over dam"


def test_an_aggregators_credit_line_is_not_the_headline():
    raw = ("Harbour Times (Port Town)\n\nRuritania: Govt Summons Envoy Over Harbour Row\n\n"
           "The government summoned the envoy on Monday over the harbour row.\n\nMore text follows here.")
    result = clean_plain_text(raw)
    assert result.title == "Ruritania: Govt Summons Envoy Over Harbour Row"
    assert "Harbour Times" not in result.text


HARD_WRAPPED = """(Wire Agency) LISBON, Portugal, March 3. The note sent by
the Ruritanian embassy on the fishing quotas of the Atlantic Council
of February 27 is unfounded, the agency reports citing the Portuguese
Foreign Ministry.
"Lisbon has never accepted the claims of the Ruritanian side on the
waters off the Azores, which are part of the Portuguese Republic and
its exclusive zone.
Portugal expects its partners to respect the decisions of the Council,"
the ministry said.
"""


def test_a_hard_wrapped_text_is_joined_back_into_its_sentences():
    text = clean_plain_text(HARD_WRAPPED).text
    lines = text.split("\n")
    assert lines[0].endswith("citing the Portuguese Foreign Ministry.")  # "the" + "Portuguese" and "Atlantic Council" + "of"
    assert lines[1].startswith('"Lisbon has never') and lines[1].endswith("its exclusive zone.")
    assert lines[2].endswith("the ministry said.")  # a lowercase carry-over
    assert len(lines) == 3


def test_a_headline_and_short_lines_of_a_text_wrapped_by_paragraph_stay_apart():
    raw = ("Portugal protests Ruritanian claims on Azores waters (Wire Agency) Updated: 2021-03-03 11:30\n"
           "LISBON - Portugal on Wednesday protested the claims the Ruritanian side\n"
           "made on the waters off the Azores, which the Portuguese state counts\n"
           "as part of the Portuguese Republic and its exclusive zone, both\n"
           "under the law of the sea and in the decisions of the council\n"
           "that the Ruritanian side itself signed and its exclusive zone.\n"
           "The ministry said so in a statement.\n")
    result = clean_plain_text(raw)
    assert result.title.startswith("Portugal protests Ruritanian claims")  # longer than the wrap width: a headline
    assert result.text.split("\n")[0].endswith("its exclusive zone.")
    # a text whose lines are its paragraphs is not touched
    paragraphs = "Azerbaijan summoned the envoy\n\nThe envoy came\nthe talks went on for an hour\nThe envoy left\n"
    assert "The envoy came\nthe talks went on for an hour\nThe envoy left" in clean_plain_text(paragraphs).text
