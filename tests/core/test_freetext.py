"""Free-text dates typed by a person become EDTF, or are refused with a reason."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core.dates import When
from timeline_app.core.freetext import FreeTextDateError, describe, free_text_to_edtf


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        # EDTF passes through (canonical form)
        ("2017-06-30", "2017-06-30"),
        ("2017-06~", "2017-06~"),
        ("../2017-06-30", "../2017-06-30"),
        ("2017-06-19/2017-07-13", "2017-06-19/2017-07-13"),
        # single dates, precision from what the text gave
        ("30 June 2017", "2017-06-30"),
        ("June 30th, 2017", "2017-06-30"),
        ("30th of June, 2017", "2017-06-30"),
        ("the 30th of June 2017", "2017-06-30"),
        ("Friday, June 30, 2017", "2017-06-30"),
        ("June 2017", "2017-06"),
        ("Sept 2017", "2017-09"),
        ("2017", "2017"),
        ("  June   2017 ", "2017-06"),
        ("30/6/2017", "2017-06-30"),
        ("30.6.2017", "2017-06-30"),
        ("12/12/2017", "2017-12-12"),
        ("30 June 2017 14:05", "2017-06-30T14:05"),
        ("2017-06-30T14:05Z", "2017-06-30T14:05Z"),
        # qualifiers
        ("June 2017?", "2017-06?"),
        ("c. 1996", "1996~"),
        ("c.1996", "1996~"),
        ("ca. 1996", "1996~"),
        ("circa 1996", "1996~"),
        ("about 1996", "1996~"),
        ("around June 2017", "2017-06~"),
        ("approximately 30 June 2017", "2017-06-30~"),
        ("circa 1996?", "1996%"),
        # open ends
        ("before 30 June 2017", "../2017-06-30"),
        ("on or before 30 June 2017", "../2017-06-30"),
        ("no later than June 2017", "../2017-06"),
        ("by 2019", "../2019"),
        ("after 2017", "2017/.."),
        ("since March 2016", "2016-03/.."),
        ("on or after 19 June 2017", "2017-06-19/.."),
        # ranges
        ("June 19-21, 2017", "2017-06-19/2017-06-21"),
        ("19-21 June 2017", "2017-06-19/2017-06-21"),
        ("19 June - 13 July 2017", "2017-06-19/2017-07-13"),
        ("19 June – 13 July 2017", "2017-06-19/2017-07-13"),
        ("June 2017 to August 2017", "2017-06/2017-08"),
        ("from June 2017 until July 2018", "2017-06/2018-07"),
        ("between 1 May 2017 and 2 June 2017", "2017-05-01/2017-06-02"),
        ("2017-2019", "2017/2019"),
        ("June 2017-July 2017", "2017-06/2017-07"),
        ("2017-06-30 to 2017-07-13", "2017-06-30/2017-07-13"),
        ("2017-06-30 14:05", "2017-06-30T14:05"),
        ("c. 1990 - 1995", "1990~/1995~"),
        # parts of months and years (documented choice: intervals)
        ("early June 2017", "2017-06-01/2017-06-10"),
        ("mid-June 2017", "2017-06-11/2017-06-20"),
        ("late June 2017", "2017-06-21/2017-06-30"),
        ("end of February 2016", "2016-02-21/2016-02-29"),
        ("early 2017", "2017-01/2017-04"),
        ("late 2017", "2017-09/2017-12"),
        # decades, centuries, BC
        ("1990s", "199X"),
        ("the 1990s", "199X"),
        ("19th century", "18XX"),
        ("44 BC", "-0043"),
        ("1 BCE", "0000"),
        ("AD 79", "0079"),
        ("79 AD", "0079"),
        ("early 2010s", "2010/2013"),
        ("mid-1990s", "1994/1996"),
        ("late 1990s", "1997/1999"),
        # seasons, quarters, halves
        ("summer 2017", "2017-22"),
        ("fall of 2016", "2016-23"),
        ("Q3 2017", "2017-35"),
        ("third quarter of 2017", "2017-35"),
        ("second half of 2017", "2017-41"),
        # qualifiers inside open ends
        ("before c. 1996", "../1996~"),
        ("after circa June 2017", "2017-06~/.."),
    ],
)
def test_free_text_becomes_edtf(text: str, edtf: str) -> None:
    assert free_text_to_edtf(text) == edtf
    assert When.parse(edtf).edtf == edtf


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("June 30", "no year"),
        ("June", "no year"),
        ("96", "too short for a year"),
        ("6/30/17", "two-digit years"),
        ("6/7/2017", "ambiguous"),
        ("14:05", "no date"),
        ("Monday", "no date"),
        ("soonish 2017", "cannot read"),
        ("banana", "cannot read"),
        ("June 31, 2017", "cannot read"),
        ("late 30 June 2017", "needs a month or a year"),
        ("2019-2017", "ends"),
        ("19 July - 13 June 2017", "ends"),
        ("0 BC", "no year 0"),
        ("0th century", "no century 0"),
        ("before June", "no year"),
        ("30 June 2017 EST", "cannot read"),
        ("2017-06-30 2017-06-30", "cannot read"),
        ("June or July 2017", "unknown words"),
        ("31/6/2017", "day is out of range"),
        ("13/13/2017", "month must be in 1..12"),
        ("late June", "no year"),
        ("the 90s", "decade in full"),
        ("0 AD", "no year AD 0"),
    ],
)
def test_unreadable_text_is_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(FreeTextDateError) as info:
        free_text_to_edtf(text)
    assert reason in str(info.value)


def test_describe_gives_edtf_and_human_reading_or_the_reason() -> None:
    assert describe("c. 1996") == ("1996~", When.parse("1996~").human())
    edtf, reason = describe("June 30")
    assert edtf is None and "no year" in reason


@settings(max_examples=80, deadline=None)
@given(
    st.dates(min_value=date(100, 1, 1)),
    st.sampled_from(["%d %B %Y", "%B %d, %Y", "%d %b %Y", "%Y-%m-%d"]),
)
def test_any_written_out_day_reads_back_as_that_day(day: date, pattern: str) -> None:
    assert free_text_to_edtf(day.strftime(pattern)) == day.isoformat()


_PIECES = ["June", "30", "2017", "c.", "before", "after", "late", "-", "–", "/", "?", "~", " ", ","]
_PIECES += ["19", "1990s", "BC", "between", "and", "to", "Q3", "summer", "0", "99999", "13", "."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=7).map("".join) | st.text(max_size=20))
def test_any_text_gives_valid_edtf_or_a_reason(text: str) -> None:
    try:
        edtf = free_text_to_edtf(text)
    except FreeTextDateError as err:
        assert str(err)
    else:
        assert When.parse(edtf).edtf == edtf
