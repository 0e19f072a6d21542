"""iCalendar export, parsed back with the icalendar package."""

from __future__ import annotations

import datetime as dt
import io
import sys

import icalendar
import pytest

from timeline_app.core.dates import iso_date
from timeline_app.core.formats.common import MissingDependencyError
from timeline_app.core.formats.ics import write_ics
from timeline_app.core.model import Case

from .helpers import make_case


def export(case: Case) -> tuple[dict[str, icalendar.Event], list]:
    stream = io.BytesIO()
    report = write_ics(case, stream)
    calendar = icalendar.Calendar.from_ical(stream.getvalue())
    events = {str(ev["uid"]).split("@")[0]: ev for ev in calendar.walk("VEVENT")}
    return events, report


def dates(vevent: icalendar.Event) -> tuple[object, object]:
    return vevent.decoded("dtstart"), vevent.decoded("dtend")


def test_every_event_comes_back_with_its_dates(default_case: Case) -> None:
    events, report = export(default_case)
    assert report == []
    assert set(events) == {ev.id for ev in default_case.events}
    for ev in default_case.events:
        start, end = dates(events[ev.id])
        assert start.isoformat() == iso_date(ev.when.sort_start)
        assert end.isoformat() == iso_date(ev.when.sort_end)  # exclusive end
        assert str(events[ev.id]["summary"]) == ev.title


def test_all_day_dates_ranges_and_months(default_case: Case) -> None:
    events, _ = export(default_case)
    letter = events["aclu-letter-sent"]
    assert dates(letter) == (dt.date(2017, 6, 30), dt.date(2017, 7, 1))
    assert letter["dtstart"].params.get("VALUE") == "DATE"
    month = make_case(("m", "2017-05~", "a"), ("r", "2017-06-19/2017-07-13", "b"))
    events, _ = export(month)
    assert dates(events["m"]) == (dt.date(2017, 5, 1), dt.date(2017, 6, 1))
    assert dates(events["r"]) == (dt.date(2017, 6, 19), dt.date(2017, 7, 14))


def test_qualifiers_and_open_ends_are_described() -> None:
    case = make_case(
        ("m", "2017-05~", "a"), ("u", "2017-06-19?", None), ("o", "../2017-06-30", None)
    )
    events, _ = export(case)
    assert "approximate" in str(events["m"]["description"])
    assert "whole month" in str(events["m"]["description"])
    assert "uncertain" in str(events["u"]["description"])
    assert "start is open" in str(events["o"]["description"])
    assert dates(events["o"]) == (dt.date(2017, 6, 30), dt.date(2017, 7, 1))
    assert [str(c) for c in events["m"]["categories"].cats] == ["Lane A"]


def test_times_are_utc_date_times() -> None:
    events, _ = export(make_case(("t", "2017-06-30T14:05Z", None)))
    start, end = dates(events["t"])
    assert start == dt.datetime(2017, 6, 30, 14, 5, tzinfo=dt.timezone.utc)
    assert end == dt.datetime(2017, 6, 30, 14, 6, tzinfo=dt.timezone.utc)


def test_uids_are_stable_per_event_id(default_case: Case) -> None:
    first, _ = export(default_case)
    second, _ = export(default_case)
    assert {str(e["uid"]) for e in first.values()} == {str(e["uid"]) for e in second.values()}
    assert str(first["aclu-letter-sent"]["uid"]) == "aclu-letter-sent@timeline-app"


def test_years_outside_1_to_9999_are_skipped_and_reported() -> None:
    case = make_case(
        ("ides", "-0044-03-15", None), ("bang", "Y-13800000000", None), ("ok", "2017", None)
    )
    events, report = export(case)
    assert set(events) == {"ok"}
    assert sorted(item.where for item in report) == ["event bang", "event ides"]
    assert all("1-9999" in item.message and item.skipped for item in report)


def test_missing_icalendar_gives_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(MissingDependencyError, match="pip install icalendar"):
        write_ics(make_case(("ok", "2017", None)), io.BytesIO())
