"""CSV export: RFC 4180 text that the csv module reads back to the case's events."""

from __future__ import annotations

import csv
import io

from timeline_app.core.formats.csv_export import COLUMNS, write_csv
from timeline_app.core.model import Case, Citation, SourceRef

from .helpers import make_case


def export(case: Case) -> bytes:
    stream = io.BytesIO()
    assert write_csv(case, stream) == []
    return stream.getvalue()


def read_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_default_case_reads_back_one_row_per_event_in_time_order(default_case: Case) -> None:
    data = export(default_case)
    rows = read_rows(data)
    assert tuple(rows[0].keys()) == COLUMNS
    assert [r["id"] for r in rows] == [ev.id for ev in default_case.events_in_time_order()]
    assert data.count(b"\r\n") >= len(rows) + 1  # CRLF record ends
    by_id = {r["id"]: r for r in rows}
    letter = by_id["aclu-letter-sent"]
    assert (letter["when"], letter["human"]) == ("2017-06-30", "30 June 2017")
    assert (letter["earliest"], letter["latest"]) == ("2017-06-30", "2017-06-30")
    assert (letter["lane"], letter["lane_name"]) == ("advocates", "Advocates")
    lulac = by_id["lulac-proposal"]
    assert (lulac["earliest"], lulac["latest"]) == ("", "2017-06-30")  # open start
    assert by_id["iirira-1373"]["tags"] == "statute; 1373"


def test_month_bounds_and_sources_are_compact(default_case: Case) -> None:
    rows = {r["id"]: r for r in read_rows(export(default_case))}
    advice = next(r for r in rows.values() if r["when"] == "2017-05~")
    assert (advice["earliest"], advice["latest"]) == ("2017-05-01", "2017-05-31")
    sources = rows["iirira-1373"]["sources"].split(" | ")
    assert sources[0].startswith('usc-1373: "Enacted as section 642')
    assert sources[1] == "Statutes at Large, 110 Stat. 3009-707, 1996-09-30"


def test_commas_quotes_and_newlines_survive() -> None:
    case = make_case(("x", "2017", "a"))
    tricky = 'Said "no", then\nleft'
    case.events[0].title = tricky
    case.events[0].summary = "a,b;c"
    case.events[0].sources = [SourceRef(citation=Citation(url="https://example.org/x"))]
    (row,) = read_rows(export(case))
    assert row["title"] == tricky
    assert row["summary"] == "a,b;c"
    assert row["sources"] == "https://example.org/x"


def test_years_outside_iso_give_day_numbers() -> None:
    (row,) = read_rows(export(make_case(("ides", "-0044-03-15", None))))
    assert row["human"] == "15 March 45 BC"
    assert row["earliest"] == row["latest"] == "-735525"
    assert row["lane"] == row["lane_name"] == ""
