"""``timeline-app dates``: plain and JSON output, stdin, offsets into the text as read."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from timeline_app.cli import main

TEXT = (
    "Story Date: Jul 4, 2017\n\n"
    "The ACLU wrote to the mayor on June 30, 2017, and again yesterday.\n"
)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["dates", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_output_is_one_tab_separated_line_per_mention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, out, _ = run([str(path), "--anchor", "2017-07-04"], capsys)
    assert code == 0
    lines = [line.split("\t") for line in out.splitlines()]
    assert lines == [
        ["12-23", "2017-07-04", "Jul 4, 2017"],
        ["56-69", "2017-06-30", "June 30, 2017"],
        ["81-90", "2017-07-03", "yesterday"],
    ]
    for span, _value, mention in lines:
        start, end = map(int, span.split("-"))
        assert TEXT[start:end] == mention


def test_json_output_with_bom_and_crlf_gives_offsets_into_the_normalised_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"))
    code, out, _ = run([str(path), "--json", "--anchor", "2017-07-04"], capsys)
    assert code == 0
    mentions = json.loads(out)
    assert [m["value"] for m in mentions] == ["2017-07-04", "2017-06-30", "2017-07-03"]
    for m in mentions:
        assert set(m) == {"start", "end", "text", "value", "confidence"}
        assert TEXT[m["start"] : m["end"]] == m["text"]


def test_stdin_with_non_ascii_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Café 👮 ★ met on 30 June 2017."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    code, out, _ = run(["-", "--json"], capsys)
    assert code == 0
    [mention] = json.loads(out)
    assert text[mention["start"] : mention["end"]] == "30 June 2017"


def test_without_anchor_relative_mentions_are_not_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, out, _ = run([str(path)], capsys)
    assert code == 0
    assert "yesterday" not in out and "June 30, 2017" in out


def test_day_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Received 7/6/2017.", encoding="utf-8")
    assert run([str(path)], capsys)[1].split("\t")[1] == "2017-07-06"
    assert run([str(path), "--day-first"], capsys)[1].split("\t")[1] == "2017-06-07"


def test_bad_anchor_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, out, err = run([str(path), "--anchor", "4 July"], capsys)
    assert code == 2
    assert out == ""
    assert "'4 July'" in err and "YYYY-MM-DD" in err


def test_missing_or_binary_file_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([str(tmp_path / "nope.txt")], capsys)
    assert code == 2 and "nope.txt" in err
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    code, _, err = run([str(binary)], capsys)
    assert code == 2 and "not UTF-8" in err
