from datetime import date

import pytest

from pipeline.dates.expressions import find_dates
from pipeline.dates.partial_date import PartialDate

FRIDAY = date(2019, 11, 8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on November 6 the", "2019-11-06"),
        ("told reporters Nov. 6.", "2019-11-06"),
        ("on 6 November", "2019-11-06"),
        ("in December the", "2018-12"),  # a month after publication means last year's
        ("on December 30", "2018-12-30"),
        ("on July 2, 2015, the", "2015-07-02"),
        ("22.11.2017", "2017-11-22"),
        ("2019-11-06", "2019-11-06"),
        ("in November 2019", "2019-11"),
        ("in 2015", "2015"),
        ("on Monday", "2019-11-04"),
        ("on Friday", "2019-11-08"),
        ("yesterday", "2019-11-07"),
        ("today", "2019-11-08"),
        ("earlier in the day", "2019-11-08"),
        ("last month", "2019-10"),
        # a span after a month or weekday says which year or week it is in
        ("in April last year", "2018-04"),
        ("on 6 November last year", "2018-11-06"),
        ("on Thursday last week", "2019-10-31"),
        ("on Monday, this week", "2019-11-04"),
        ("three days ago", "2019-11-05"),
        ("a week ago", "2019-11-01"),
        ("11-Nov-2019", "2019-11-11"),
        # a weekday in a clause about what is to come is the coming one
        ("summoned the envoy, and he will see the minister on Monday", "2019-11-11"),
        ("the talks are due to open on Friday", "2019-11-15"),
        ("\"We will answer,\" the minister said on Monday", "2019-11-04"),  # the future is in the quote
    ],
)
def test_resolution_against_publication_day(text, expected):
    found = [d for d in find_dates(text, FRIDAY) if d.value is not None]
    assert found and found[0].value.iso() == expected


def test_last_week_across_a_month_boundary_keeps_only_the_year():
    (expr,) = find_dates("said last week", FRIDAY)
    assert expr.value == PartialDate(2019)
    (expr,) = find_dates("said last week", date(2019, 11, 20))
    assert expr.value == PartialDate(2019, 11)


def test_relative_days_do_not_resolve_without_reference():
    assert all(d.value is None for d in find_dates("on Monday and yesterday", None))


def test_day_month_uses_reference_year_hint():
    (expr,) = find_dates("the statement of July 15", None, reference_year=2023)
    assert expr.value == PartialDate(2023, 7, 15)


def test_offsets_point_at_the_expression():
    text = "Baku summoned him on November 6 over a visit on November 3."
    spans = [text[d.start:d.end] for d in find_dates(text, FRIDAY)]
    assert spans == ["November 6", "November 3"]


def test_partial_date_compatibility_and_spanning():
    assert PartialDate(2019, 11).compatible(PartialDate(2019, 11, 6))
    assert not PartialDate(2019, 10).compatible(PartialDate(2019, 11, 6))
    assert PartialDate.spanning(date(2019, 10, 29), date(2019, 11, 8)) == PartialDate(2019)
    assert PartialDate.spanning(date(2019, 11, 1), date(2019, 11, 8)) == PartialDate(2019, 11)
    assert PartialDate(2020, 2).last_day == date(2020, 2, 29)
