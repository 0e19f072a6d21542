"""Property tests: exports read back give the same dates, for any date the app can hold."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_app.core.dates import When, days_in_month
from timeline_app.core.formats.csv_export import write_csv
from timeline_app.core.formats.generic_csv import read_generic_csv
from timeline_app.core.formats.timelinejs import write_timelinejs
from timeline_app.core.formats.timelinejs_import import read_timelinejs
from timeline_app.core.model import Case, Event, Lane

QUALIFIERS = st.sampled_from(["", "", "~", "?", "%"])


@st.composite
def single_dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(-9999, 9999))
    text = f"-{-year:04d}" if year < 0 else f"{year:04d}"
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision != "year":
        month = draw(st.integers(1, 12))
        text += f"-{month:02d}"
        if precision == "day":
            text += f"-{draw(st.integers(1, days_in_month(year, month))):02d}"
    return text


@st.composite
def whens(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["single", "single", "interval", "open start", "open end", "long"]))
    qualifier = draw(QUALIFIERS)
    if kind == "long":
        return f"Y{draw(st.integers(-(10**12), 10**12).filter(lambda y: abs(y) > 9999))}"
    first = draw(single_dates()) + qualifier
    if kind == "single":
        return first
    if kind == "open start":
        return f"../{first}"
    if kind == "open end":
        return f"{first}/.."
    second = draw(single_dates()) + qualifier
    if second == first:  # 2017/2017 is the same date as 2017, and comes back as such
        return first
    when = f"{first}/{second}"
    try:
        When.parse(when)
    except ValueError:
        swapped = When.parse(second).latest <= When.parse(first).earliest
        return f"{second}/{first}" if swapped else first
    return when


def case_of(edtfs: list[str]) -> Case:
    lanes = [Lane("l1", "Lane one"), Lane("l2", "Lane two")]
    events = [
        Event(f"e{i}", f"Event {i} <&>", When.parse(text), lanes[i % 2].id)
        for i, text in enumerate(edtfs)
    ]
    return Case(title="Property", lanes=lanes, events=events)


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.lists(whens(), min_size=1, max_size=8))
def test_timelinejs_round_trip_keeps_every_date(tmp_path: Path, edtfs: list[str]) -> None:
    case = case_of(edtfs)
    path = tmp_path / "t.json"
    with open(path, "wb") as stream:
        write_timelinejs(case, stream)
    back = {ev.id: ev for ev in read_timelinejs(path).case.events}
    for ev in case.events:
        assert back[ev.id].when == ev.when
        assert back[ev.id].title == ev.title


@SETTINGS
@given(st.lists(whens(), min_size=1, max_size=8))
def test_csv_round_trip_keeps_every_date(tmp_path: Path, edtfs: list[str]) -> None:
    case = case_of(edtfs)
    stream = io.BytesIO()
    write_csv(case, stream)
    path = tmp_path / "t.csv"
    path.write_bytes(stream.getvalue())
    result = read_generic_csv(path)
    assert result.report == []
    back = {ev.id: ev for ev in result.case.events}
    assert {ev.id: ev.when for ev in case.events} == {k: ev.when for k, ev in back.items()}
