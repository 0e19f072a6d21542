"""Where a value sits in JSON text: JSON path -> (line, column).

The standard ``json`` module gives no positions, so this scans the text itself,
lazily: a container's children are located only when a path goes through it, and
whole values are skipped with the C-accelerated decoder. A valid case therefore
never pays for positions; a case with problems pays about one extra parse of the
containers its problems sit in.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence

PathPart = str | int
JsonPath = tuple[PathPart, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_scanstring = json.decoder.scanstring


def format_path(path: Sequence[PathPart]) -> str:
    """``("events", 3, "when")`` -> ``"events[3].when"``; the root is ``"$"``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "$"


class JsonPositions:
    """Positions of the values of one JSON text (which must parse)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offsets: dict[JsonPath, int] = {(): self._skip_whitespace(0)}
        self._indexed: set[JsonPath] = set()
        self._line_starts: list[int] | None = None

    def offset(self, path: Sequence[PathPart]) -> int:
        """Character offset of the value at ``path``, or of the deepest enclosing value
        that exists (a missing field is reported at the object that lacks it)."""
        current: JsonPath = ()
        for part in path:
            if current not in self._indexed:
                self._index_children(current)
            child = (*current, part)
            if child not in self._offsets:
                break
            current = child
        return self._offsets[current]

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a character offset."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def locate(self, path: Sequence[PathPart]) -> tuple[int, int]:
        """Line and column of the value at ``path`` (or of its deepest existing ancestor)."""
        return self.line_col(self.offset(path))

    def _skip_whitespace(self, pos: int) -> int:
        match = _WHITESPACE.match(self._text, pos)
        return match.end() if match else pos

    def _index_children(self, path: JsonPath) -> None:
        self._indexed.add(path)
        start = self._offsets[path]
        opening = self._text[start : start + 1]
        try:
            if opening == "{":
                self._index_object(path, start + 1)
            elif opening == "[":
                self._index_array(path, start + 1)
        except (ValueError, IndexError):  # malformed text: keep what was found so far
            pass

    def _index_object(self, path: JsonPath, pos: int) -> None:
        text = self._text
        pos = self._skip_whitespace(pos)
        while text[pos] == '"':
            key, pos = _scanstring(text, pos + 1)
            pos = self._skip_whitespace(pos)
            if text[pos] != ":":
                return
            pos = self._skip_whitespace(pos + 1)
            self._offsets[(*path, key)] = pos  # a repeated key: the last wins, as in json
            pos = self._skip_value(pos)
            if text[pos] != ",":
                return
            pos = self._skip_whitespace(pos + 1)

    def _index_array(self, path: JsonPath, pos: int) -> None:
        text = self._text
        pos = self._skip_whitespace(pos)
        if text[pos] == "]":
            return
        index = 0
        while True:
            self._offsets[(*path, index)] = pos
            pos = self._skip_value(pos)
            if text[pos] != ",":
                return
            pos = self._skip_whitespace(pos + 1)
            index += 1

    def _skip_value(self, pos: int) -> int:
        _, end = _DECODER.raw_decode(self._text, pos)
        return self._skip_whitespace(end)
