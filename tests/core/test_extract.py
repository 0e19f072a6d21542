"""find_dates on hand-written sentences: each pattern class with positive and negative
examples, relative resolution across month/year ends and leap days, offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core.dates import When
from timeline_app.core.extract import DateMention, find_dates

# A Tuesday.
ANCHOR = "2017-07-04"


def found(text: str, anchor: str | None = ANCHOR, **kw) -> list[tuple[str, str]]:
    mentions = find_dates(text, anchor, **kw)
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert 0 < m.confidence <= 1
    return [(m.text, m.value) for m in mentions]


def value_of(text: str, anchor: str | None = ANCHOR, **kw) -> str:
    """The value of the only mention in ``text``."""
    pairs = found(text, anchor, **kw)
    assert len(pairs) == 1, pairs
    return pairs[0][1]


# --------------------------------------------------------------------------
# Absolute dates
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "mention", "value"),
    [
        ("The letter is dated June 30, 2017 and was sent by mail.", "June 30, 2017", "2017-06-30"),
        ("It took effect on 30 June 2017.", "30 June 2017", "2017-06-30"),
        ("It was signed on the 30th of June, 2017.", "30th of June, 2017", "2017-06-30"),
        ("Story date: Jul 4, 2017", "Jul 4, 2017", "2017-07-04"),
        ("EFFECTIVE: July 8. 2017", "July 8. 2017", "2017-07-08"),
        ("Filed 2017-06-30 by the clerk.", "2017-06-30", "2017-06-30"),
        ("Received 6/30/2017 at the front desk.", "6/30/2017", "2017-06-30"),
        ("Received 6/30/17 at the front desk.", "6/30/17", "2017-06-30"),
        ("The policy was revised in June 2017.", "June 2017", "2017-06"),
        ("Payments stopped in Sept. 1996 after the audit.", "Sept. 1996", "1996-09"),
        ("The statute was enacted in 1996.", "1996", "1996"),
        ("Crime fell in the 1990s.", "the 1990s", "199X"),
        ("Rents rose in the '80s.", "the '80s", "198X"),
        ("The mill closed in the 1800s.", "the 1800s", "18XX"),
        ("The review began in mid-2017.", "mid-2017", "2017"),
        ("Talks stalled in late 2016.", "late 2016", "2016"),
        ("It was drafted in the summer of 2017.", "the summer of 2017", "2017-06-01/2017-08-31"),
        ("The plant reopens in winter 2017.", "winter 2017", "2017-12-01/2018-02-28"),
        ("Budgets for fiscal 2018 were cut.", "fiscal 2018", "2018"),
        ("The SOP dates from MARCH 24, 2016.", "MARCH 24, 2016", "2016-03-24"),
        ("The feast on Monday, Oct. 26, 1998 was quiet.", "Monday, Oct. 26, 1998", "1998-10-26"),
    ],
)
def test_absolute_dates(sentence: str, mention: str, value: str) -> None:
    assert found(sentence) == [(mention, value)]


def test_month_and_day_without_year_take_the_anchor_year() -> None:
    assert value_of("The memo went out Jun. 30 to all districts.") == "2017-06-30"
    assert value_of("The memo went out June 30.") == "2017-06-30"


def test_early_june_is_the_month_with_a_modifier() -> None:
    [mention] = find_dates("The hearing was held in early June.", ANCHOR)
    assert (mention.text, mention.value, mention.modifier) == ("early June", "2017-06", "early")


def test_day_first_reads_the_day_before_the_month() -> None:
    assert value_of("Received 7/6/2017.", day_first=True) == "2017-06-07"
    assert value_of("Received 7/6/2017.") == "2017-07-06"
    # Only one reading exists: dateutil takes it whatever the preference.
    assert value_of("Received 13/6/2017.") == "2017-06-13"
    assert found("Received 13/13/2017.") == []


def test_two_digit_years_take_the_century_nearest_the_anchor() -> None:
    assert value_of("Born 12/5/70 in Ohio.", "1998-08-07") == "1970-12-05"
    assert value_of("Filed 6/30/17.", "2017-07-04") == "2017-06-30"
    assert value_of("Due 1/15/03.", "1998-08-07") == "2003-01-15"


def test_impossible_calendar_dates_are_not_mentions() -> None:
    assert found("It was dated February 30, 2017.") == []
    assert found("Filed 2017-02-30.") == []


# --------------------------------------------------------------------------
# Ranges
# --------------------------------------------------------------------------


def test_day_range_in_one_month_is_an_interval_with_two_parts() -> None:
    [mention] = find_dates("Hearings ran June 19-21, 2017 in Madison.", ANCHOR)
    assert (mention.text, mention.value) == ("June 19-21, 2017", "2017-06-19/2017-06-21")
    assert [(p.text, p.value) for p in mention.parts] == [
        ("June 19", "2017-06-19"),
        ("21, 2017", "2017-06-21"),
    ]
    [mention] = find_dates("Hearings ran 19-21 June 2017.", ANCHOR)
    assert [(p.text, p.value) for p in mention.parts] == [
        ("19", "2017-06-19"),
        ("21 June 2017", "2017-06-21"),
    ]


def test_from_to_years_is_an_interval() -> None:
    [mention] = find_dates("He served from 2016 to 2018 as chief.", ANCHOR)
    assert (mention.text, mention.value) == ("from 2016 to 2018", "2016/2018")
    assert [(p.text, p.value) for p in mention.parts] == [("2016", "2016"), ("2018", "2018")]


def test_between_and_and_across_months() -> None:
    assert found("Rates fell between 2011 and 2014.") == [("between 2011 and 2014", "2011/2014")]
    assert found("Talks ran Aug. 31-Sept. 2, 2016.") == [
        ("Aug. 31-Sept. 2, 2016", "2016-08-31/2016-09-02")
    ]
    assert found("It ran from June 19 to July 13, 2016.") == [
        ("from June 19 to July 13, 2016", "2016-06-19/2016-07-13")
    ]
    [years] = find_dates("Sales grew 1987-88.", ANCHOR)
    assert (years.text, years.value) == ("1987-88", "1987/1988")
    assert [(p.text, p.value) for p in years.parts] == [("1987", "1987"), ("88", "1988")]


def test_two_dates_joined_by_and_without_between_stay_two_mentions() -> None:
    assert found("She spoke in 2011 and 2014.") == [("2011", "2011"), ("2014", "2014")]


# --------------------------------------------------------------------------
# Relative to the anchor
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The chief spoke yesterday.", "2017-07-03"),
        ("The chief speaks today.", "2017-07-04"),
        ("The chief will speak tomorrow.", "2017-07-05"),
        ("The memo was leaked Friday.", "2017-06-30"),
        ("The council met Tuesday morning.", "2017-07-04"),
        ("The council will meet Friday.", "2017-07-07"),
        ("The council meets next Friday.", "2017-07-07"),
        ("The council met last Tuesday.", "2017-06-27"),
        ("The board met two weeks ago.", "2017-06-20~"),
        ("The board met 11 days ago.", "2017-06-23"),
        ("The board met three months ago.", "2017-04"),
        ("The board was founded 50 years ago.", "1967"),
        ("The vote is next month.", "2017-08"),
        ("The vote was last month.", "2017-06"),
        ("The rules changed earlier this year.", "2017"),
        ("The rules changed last year.", "2016"),
        ("The rules change next year.", "2018"),
        ("The rules changed last week.", "2017-06-26/2017-07-02"),
        ("The council met in March.", "2017-03"),
        ("The council will meet in September.", "2017-09"),
        ("The council met on Thanksgiving Day.", "2016-11-24"),
    ],
)
def test_relative_dates(sentence: str, value: str) -> None:
    assert value_of(sentence) == value


def test_relative_mentions_are_marked_relative() -> None:
    kinds = {m.text: m.kind for m in find_dates("On June 30, 2017 and yesterday.", ANCHOR)}
    assert kinds == {"June 30, 2017": "absolute", "yesterday": "relative"}


def test_without_anchor_relative_mentions_are_left_out() -> None:
    assert found("He left yesterday, on Friday, in June 2017.", anchor=None) == [
        ("June 2017", "2017-06")
    ]


@pytest.mark.parametrize(
    ("anchor", "sentence", "value"),
    [
        ("2016-03-01", "It happened yesterday.", "2016-02-29"),  # leap day
        ("2017-03-01", "It happened yesterday.", "2017-02-28"),
        ("2017-01-01", "It happened yesterday.", "2016-12-31"),
        ("2016-12-31", "It happens tomorrow.", "2017-01-01"),
        ("2016-02-28", "It happens tomorrow.", "2016-02-29"),
        ("2017-01-02", "It happened last month.", "2016-12"),
        ("2016-12-15", "It happens next month.", "2017-01"),
        ("2017-01-02", "It happened Friday.", "2016-12-30"),
        ("2016-12-30", "It will happen Monday.", "2017-01-02"),
        ("2017-01-10", "It happened in December.", "2016-12"),
        ("2016-12-20", "It will happen in January.", "2017-01"),
        ("2017-01-05", "It happened Dec. 28.", "2016-12-28"),
        ("2017-03-31", "It happened a month ago.", "2017-02"),
        ("2016-02-29", "It happened a year ago.", "2015"),
    ],
)
def test_relative_dates_across_month_and_year_ends(anchor: str, sentence: str, value: str) -> None:
    assert value_of(sentence, anchor) == value


def test_last_week_across_the_year_end() -> None:
    # 2017-01-02 is a Monday: last week is Monday 26 Dec to Sunday 1 Jan.
    [mention] = find_dates("The draft circulated last week.", "2017-01-02")
    assert mention.value == "2016-12-26/2017-01-01"


def test_a_date_with_its_weekday_takes_the_year_that_fits() -> None:
    assert value_of("The editorial of Monday, Jan. 2:", "2016-12-30") == "2017-01-02"


def test_arithmetic_beyond_the_calendar_drops_the_mention() -> None:
    assert found("It ends next year and tomorrow.", "9999-12-31") == []
    assert found("It ended last year.", "9999-12-31") == [("last year", "9998")]


def test_bad_anchor_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="2017-13-01.*YYYY-MM-DD"):
        find_dates("yesterday", "2017-13-01")


# --------------------------------------------------------------------------
# Not dates
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Arrests fell 12 percent after the change.",
        "There were 3 meetings with the union.",
        "Section 1373 does not require it.",
        "See 8 U.S.C. § 1373 for the text.",
        "May I ask a question?",
        "Officers may ask about status only in some cases.",
        "May the best plan win.",
        "The protest march drew thousands.",
        "Call (414) 555-2017 or 414-555-1999 for details.",
        "The meeting starts at 10:30 a.m. sharp.",
        "It cost $2017 in fees.",
        "It cost 2,017 dollars.",
        "Attendance was 2017 people.",
        "He filed Amends General Order 2018-17 yesterday.".replace(" yesterday", ""),
        "Czech Foreign Minister Jan Kavan arrived.",
        "She read the Sunday Times on the train.",
        "Mix 3/4 cup of flour.",
        "The score was 21-17 at halftime.",
        "The year was hard and the months were long.",
    ],
)
def test_not_dates(sentence: str) -> None:
    assert found(sentence) == []


def test_sept_11_commission_is_a_name_but_sept_11_is_a_date() -> None:
    assert found("The Sept. 11 Commission met in public.") == []
    assert found("The towers fell on Sept. 11, 2001.") == [("Sept. 11, 2001", "2001-09-11")]


def test_may_is_a_month_with_a_day_year_or_temporal_word() -> None:
    assert found("The vote is on May 5, 2017.") == [("May 5, 2017", "2017-05-05")]
    assert found("The vote was in May 2016.") == [("May 2016", "2016-05")]
    assert found("The vote was in May.") == [("May", "2017-05")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("June Carter sang at the fair.", []),
        ("August Wilson wrote the play.", []),
        ("The March for Life passed by.", []),
        ("In June Congress voted.", [("June", "2017-06")]),
        ("June was hot.", [("June", "2017-06")]),
        ("Prices rose since March, officials said.", [("March", "2017-03")]),
    ],
)
def test_bare_month_names_versus_names_and_verbs(
    sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert found(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "mention", "value"),
    [
        (
            "Profit rose in the third quarter of 2016.",
            "the third quarter of 2016",
            "2016-07-01/2016-09-30",
        ),
        (
            "Sales fell in the first half of 1990.",
            "the first half of 1990",
            "1990-01-01/1990-06-30",
        ),
        ("Steel built the 20th century.", "the 20th century", "19XX"),
        ("The deal closes by the end of the year.", "the end of the year", "2017"),
        (
            "The unit met during the week of March 6, 2017.",
            "the week of March 6, 2017",
            "2017-03-06/2017-03-12",
        ),
        ("Protesters gathered over the weekend.", "the weekend", "2017-07-01/2017-07-02"),
        ("NATO admits them in April next year.", "April next year", "2018-04"),
        ("Profits fell in 1987's last months.", "1987", "1987"),
    ],
)
def test_periods_within_and_around_years(sentence: str, mention: str, value: str) -> None:
    assert found(sentence) == [(mention, value)]


def test_time_with_weekday_is_not_a_calendar_day() -> None:
    assert found("The hearing starts at 9 a.m. Tuesday.") == [
        ("9 a.m. Tuesday", "2017-07-04T09:00")
    ]


# --------------------------------------------------------------------------
# Offsets
# --------------------------------------------------------------------------


def test_offsets_are_str_offsets_after_non_ascii_text_and_emoji() -> None:
    text = "Naïve café 👮🏽‍♀️ report — «30 June 2017» 🙂 and yesterday."
    mentions = find_dates(text, ANCHOR)
    assert [(m.text, m.value) for m in mentions] == [
        ("30 June 2017", "2017-06-30"),
        ("yesterday", "2017-07-03"),
    ]
    first = mentions[0]
    assert first.start == text.index("30 June")
    assert first.end == first.start + len("30 June 2017")


def test_mentions_are_in_order_and_do_not_overlap() -> None:
    text = "On Monday, June 19, 2017, and then in 2018, yesterday and last year."
    mentions = find_dates(text, ANCHOR)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))


def test_as_dict_has_the_json_fields() -> None:
    [mention] = find_dates("in 2016", ANCHOR)
    assert isinstance(mention, DateMention)
    assert mention.as_dict() == {
        "start": 3,
        "end": 7,
        "text": "2016",
        "value": "2016",
        "confidence": mention.confidence,
    }


def test_every_form_has_a_handler() -> None:
    from timeline_app.core import extract, extract_patterns

    assert set(extract._HANDLERS) == set(extract_patterns.FORMS)


def test_the_fast_scan_finds_what_the_plain_pattern_finds() -> None:
    """The pre-filter and the per-form first-character guards are only speed-ups."""
    import re

    from timeline_app.core import extract, extract_patterns

    text = (
        "On Monday, Oct. 26, 1998, and the summer of 2017; mid-2017, the '90s, 9 a.m. Tuesday, "
        "10:30 p.m. local time Friday, more than twenty years ago, a couple of weeks ago, "
        "the day before yesterday, the beginning of next year, the first half of 1990, "
        "the 20th century, 6/30/2017, 2017-06-30, 30 June, early June, last Thanksgiving, "
        "the Fourth of July, fiscal 1989, from 2016 to 2018, Section 1373, 12 percent. "
    ) * 3
    plain = re.compile(extract_patterns.master_pattern(guarded=False))
    expected = [(m.span(), m.lastgroup) for m in plain.finditer(text)]
    assert [(m.span(), m.lastgroup) for m in extract._candidates(text)] == expected
    assert len(expected) > 40


TOKENS = [
    "June",
    "30",
    ",",
    " ",
    "2017",
    "Jun.",
    "Friday",
    "last",
    "next",
    "week",
    "ago",
    "two",
    "years",
    "the",
    "1990s",
    "mid-",
    "-",
    "to",
    "from",
    "between",
    "and",
    "May",
    "é",
    "👮",
    "\n",
    "6/30/2017",
    "2017-06-30",
    "9 a.m.",
    "yesterday",
    "of",
    "summer",
    "early",
    "'",
    "$",
    "Sept. 11",
    "Commission",
    "percent",
    "1373",
    "quarter",
    "first",
    "century",
    "21st",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(TOKENS), max_size=30), st.sampled_from([None, ANCHOR, "2016-02-29"])
)
def test_any_text_gives_ordered_mentions_with_parseable_values(
    tokens: list[str], anchor: str | None
) -> None:
    text = " ".join(tokens)
    mentions = find_dates(text, anchor)
    for m in mentions:
        assert text[m.start : m.end] == m.text and m.start < m.end
        When.parse(m.value)  # every value is EDTF the app can place on the timeline
        for part in m.parts:
            assert text[part.start : part.end] == part.text
            assert m.start <= part.start < part.end <= m.end
            When.parse(part.value)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))
