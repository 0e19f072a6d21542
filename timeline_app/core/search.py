"""Full-text search over a case: an SQLite FTS5 index of document passages and events.

One index per case. Each document is split into passages (paragraphs, merged or cut to about
:data:`PASSAGE_WORDS` words) so that a hit points to a place; each event is one row (title,
summary, tags, actors, lane name). All words of a query must occur in the same passage or event;
an excluded word leaves out a document if any of its passages has it. Results hold one hit per
document (its best passage) and per event, those whose title matches first, then by bm25 with
titles weighted highest. Words found (together) in more than :data:`RANK_CAP` rows are too
common for bm25 to stay fast: their hits come title matches first, then in case order, score 0.

Usage::

    index = SearchIndex.build(case, path)     # or search_cache.open_index(case)
    hits = index.search('"shall inform" -lulac lane:city', limit=20)   # list[Hit]
    index.update_event(event); index.remove_document(doc_id); index.sync(case)

A :class:`SearchIndex` may be built in a worker thread and then used from another: its
connection is guarded by a lock (``check_same_thread=False``). Query syntax: see
:mod:`timeline_app.core.query`.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline_app.core.model import Case, Document, Event, Lane
from timeline_app.core.query import (
    Phrase,
    Query,
    QueryError,
    find_matches,
    parse_query,
    prepare_matching,
)

SCHEMA_VERSION = "4"
TOKENIZER = "porter unicode61 remove_diacritics 2"
COLUMNS = ("title", "body", "tags", "actors", "lane_name")
WEIGHTS = (10.0, 1.0, 4.0, 3.0, 2.0)  # bm25 weight of each column above
PASSAGE_WORDS = 120
SNIPPET_CHARS = 220
BATCH = 2000
# Words (together) found in more rows than this are not ranked by bm25 (see _ranked_rows);
# also the most ids a filter may select to drive a query from its side.
RANK_CAP = 1000

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class SearchUnavailable(RuntimeError):
    """This Python's SQLite has no FTS5, so there is no search."""


class BuildCancelled(Exception):
    """The caller's ``cancelled()`` returned True while an index was being built."""


def check_fts5() -> None:
    """Raise :class:`SearchUnavailable` with a plain explanation when FTS5 is missing."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{TOKENIZER}')")
    except sqlite3.OperationalError:
        raise SearchUnavailable(
            f"Search needs SQLite with the FTS5 extension; this Python's SQLite "
            f"{sqlite3.sqlite_version} does not have it."
        ) from None
    finally:
        con.close()


# --------------------------------------------------------------------------- hits


@dataclass
class Hit:
    """One search result: a document (its best passage) or an event.

    ``matches`` are ``(start, end)`` character offsets of matched words: into the document text
    for a document, into the title for an event (empty when the title does not match).
    ``snippet`` is a short plain-text excerpt; ``snippet_matches`` are offsets into it.
    ``field`` names what the snippet shows ("text", "title", "summary", "actors", "tags",
    "lane"); ``passage`` is the best passage's span in the document text (documents only).
    """

    kind: str
    id: str
    title: str
    score: float
    snippet: str
    snippet_matches: list[tuple[int, int]] = field(default_factory=list)
    matches: list[tuple[int, int]] = field(default_factory=list)
    field: str = "text"
    passage: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the CLI's ``--json``)."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "score": self.score,
            "snippet": self.snippet,
            "snippet_matches": [list(m) for m in self.snippet_matches],
            "matches": [list(m) for m in self.matches],
            "field": self.field,
        }
        if self.passage is not None:
            out["passage"] = list(self.passage)
        return out


# --------------------------------------------------------------------------- rows


@dataclass
class _Row:
    """One row of the index: an event, or one passage of a document."""

    kind: str
    ref: str
    part: int
    title: str
    body: str
    tags: str
    actors: str
    lane_name: str
    lane: str | None
    earliest: float | None
    latest: float | None
    sort_start: float | None
    start: int
    fingerprint: str
    tag_values: Sequence[str] = ()
    doc_values: Sequence[str] = ()

    @property
    def key(self) -> str:
        return item_key(self.kind, self.ref)


def item_key(kind: str, ref: str) -> str:
    return ("e:" if kind == "event" else "d:") + _safe(ref)


def _safe(text: str) -> str:
    """``text`` storable in SQLite: lone surrogates (from JSON escapes) become "?" (same length)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _safe_row(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(_safe(v) if isinstance(v, str) else v for v in values)


def _digest(parts: Iterable[str]) -> str:
    return hashlib.blake2b(
        "\x1f".join(parts).encode("utf-8", "replace"), digest_size=12
    ).hexdigest()


def _finite(x: float | None) -> float | None:
    """SQLite stores infinities fine, but NaN becomes NULL; keep only real numbers."""
    return None if x is None or math.isnan(x) else x


def event_fingerprint(ev: Event, lane_name: str) -> str:
    """A hash of everything indexed about an event."""
    docs = sorted({s.document for s in ev.sources if s.document})
    return _digest(
        [ev.id, ev.title, ev.when.edtf, ev.lane or "", lane_name, ev.summary, *ev.tags, "\x1e",
         *ev.actors, "\x1e", *docs]
    )  # fmt: skip


def document_fingerprint(doc: Document) -> str:
    """A hash of everything indexed about a document."""
    return _digest([doc.id, doc.title, doc.date, doc.author, doc.text])


def event_rows(ev: Event, lane_name: str) -> list[_Row]:
    """The index row of an event."""
    docs = sorted({s.document for s in ev.sources if s.document})
    when = ev.when
    fp = event_fingerprint(ev, lane_name)
    return [
        _Row(
            "event", ev.id, 0, ev.title, ev.summary, " ; ".join(ev.tags), " ; ".join(ev.actors),
            lane_name, ev.lane, _finite(when.earliest), _finite(when.latest),
            _finite(when.sort_start), 0, fp, [t.casefold() for t in ev.tags], docs,
        )
    ]  # fmt: skip


def document_rows(doc: Document) -> list[_Row]:
    """The index rows of a document: one per passage (at least one, for the title)."""
    earliest = latest = None
    if doc.date:
        earliest, latest = _date_bounds(doc.date)
    fp = document_fingerprint(doc)
    spans = split_passages(doc.text) or [(0, 0)]
    return [
        _Row(
            "document", doc.id, i, doc.title, doc.text[a:b], "", doc.author, "", None,
            earliest, latest, earliest, a, fp, (), [doc.id],
        )
        for i, (a, b) in enumerate(spans)
    ]  # fmt: skip


def _date_bounds(edtf: str) -> tuple[float | None, float | None]:
    from timeline_app.core.dates import When

    try:
        when = When.parse(edtf)
    except Exception:  # an unreadable document date just means "undated" here
        return None, None
    return _finite(when.earliest), _finite(when.latest)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def split_passages(text: str, words: int = PASSAGE_WORDS) -> list[tuple[int, int]]:
    """Spans of ``text`` of about ``words`` words each: paragraphs, merged when short and cut
    at sentence (or word) boundaries when long. Whitespace between passages is left out."""
    spans: list[tuple[int, int]] = []
    for a, b in _pieces(text, words):
        n = text.count(" ", a, b) + text.count("\n", a, b) + 1
        if spans and _word_count(text, spans[-1]) + n <= words:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def _word_count(text: str, span: tuple[int, int]) -> int:
    return text.count(" ", *span) + text.count("\n", *span) + 1


def _pieces(text: str, words: int) -> Iterable[tuple[int, int]]:
    """Paragraph spans, long paragraphs cut into sentence runs or word windows."""
    pos = 0
    for m in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = len(text) if m is None else m.start()
        a, b = _strip_span(text, pos, end)
        if b > a:
            if _word_count(text, (a, b)) <= words * 3 // 2:
                yield a, b
            else:
                yield from _cut(text, a, b, words)
        if m is not None:
            pos = m.end()


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _cut(text: str, a: int, b: int, words: int) -> Iterable[tuple[int, int]]:
    """Cut text[a:b] at sentence ends (or, for run-on text, whitespace) near ``words`` words."""
    bounds = [m.end() for m in _SENTENCE_END.finditer(text, a, b)]
    if not bounds or len(bounds) * 40 < _word_count(text, (a, b)):
        bounds = [m.end() for m in re.finditer(r"\s+", text[a:b])]
        bounds = [a + x for x in bounds[words - 1 :: words]]
    start = a
    count = 0
    prev = a
    for cut in [*bounds, b]:
        count += _word_count(text, (prev, cut)) - 1
        prev = cut
        if count >= words or cut == b:
            s, e = _strip_span(text, start, cut)
            if e > s:
                yield s, e
            start, count = cut, 0


# --------------------------------------------------------------------------- the index

_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE lanes(id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER);
CREATE TABLE documents(id TEXT PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE items(
    id INTEGER PRIMARY KEY, key TEXT NOT NULL, kind TEXT NOT NULL, ref TEXT NOT NULL,
    part INTEGER NOT NULL, title TEXT, body TEXT, tags TEXT, actors TEXT, lane_name TEXT,
    lane TEXT, earliest REAL, latest REAL, sort_start REAL, start INTEGER NOT NULL,
    fingerprint TEXT NOT NULL);
CREATE TABLE item_tags(item INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE TABLE item_docs(item INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5({", ".join(COLUMNS)}, content='items', content_rowid='id',
    prefix='2 3', tokenize='{TOKENIZER}');
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS items_key ON items(key);
CREATE INDEX IF NOT EXISTS items_lane ON items(lane);
CREATE INDEX IF NOT EXISTS items_latest ON items(latest);
CREATE INDEX IF NOT EXISTS items_earliest ON items(earliest);
CREATE INDEX IF NOT EXISTS items_order ON items(part, sort_start);
CREATE INDEX IF NOT EXISTS item_tags_tag ON item_tags(tag);
CREATE INDEX IF NOT EXISTS item_tags_item ON item_tags(item, tag);
CREATE INDEX IF NOT EXISTS item_docs_doc ON item_docs(doc);
CREATE INDEX IF NOT EXISTS item_docs_item ON item_docs(item, doc);
"""
_ITEM_COLUMNS = (
    "key, kind, ref, part, title, body, tags, actors, lane_name, lane, earliest, latest, "
    "sort_start, start, fingerprint"
)
_FTS_COLUMNS = ", ".join(COLUMNS)


def _connect(path: str | Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    con.execute("PRAGMA foreign_keys=OFF")
    return con


class SearchIndex:
    """A case's search index: build it, keep it up to date, search it."""

    def __init__(self, con: sqlite3.Connection, path: Path | None = None) -> None:
        prepare_matching()  # the first search should not pay for it
        self._con = con
        self._lock = threading.RLock()
        self.path = path

    # ---- opening and building

    @classmethod
    def open(cls, path: str | Path) -> SearchIndex:
        """Open an index file written by :meth:`build`; raises ValueError when it is not one."""
        con = _connect(path)
        try:
            version = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.DatabaseError:
            con.close()
            raise ValueError(f"{path} is not a search index") from None
        if not version or version[0] != SCHEMA_VERSION:  # an older layout: rebuild
            con.close()
            raise ValueError(f"{path} is a search index of another version")
        return cls(con, Path(path))

    @classmethod
    def build(
        cls,
        case: Case,
        path: str | Path | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> SearchIndex:
        """Index ``case`` into a new file at ``path`` (replacing it atomically), or in memory.

        ``progress(done, total)`` is called after each batch; when ``cancelled()`` returns
        True the build stops with :class:`BuildCancelled` and ``path`` is left untouched.
        Safe to call in a worker thread; the result may be used from any thread.
        """
        check_fts5()
        if path is None:
            con = _connect(":memory:")
            _fill(con, case, progress, cancelled)
            return cls(con)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        con = _connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            _fill(con, case, progress, cancelled)
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            raise
        con.close()
        os.replace(tmp, path)
        return cls.open(path)

    def close(self) -> None:
        with self._lock:
            self._con.close()

    @property
    def content_key(self) -> str:
        """The :func:`content_key` of the case this index was last made to match ("" if not)."""
        return self._meta("content_key") or ""

    def fingerprints(self) -> dict[str, str]:
        """Item key -> fingerprint of everything indexed (to see what changed)."""
        with self._lock:
            return dict(self._con.execute("SELECT key, fingerprint FROM items WHERE part=0"))

    def item_count(self) -> int:
        """Rows in the index: events plus document passages."""
        with self._lock:
            return self._con.execute("SELECT count(*) FROM items").fetchone()[0]

    def _meta(self, key: str) -> str | None:
        with self._lock:
            row = self._con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    # ---- keeping up to date

    def update_event(self, ev: Event) -> None:
        """Add or replace one event (its lane's name is taken from the index's lanes)."""
        with self._lock, _transaction(self._con):
            lane = _safe(ev.lane) if ev.lane else None
            row = self._con.execute("SELECT name FROM lanes WHERE id=?", (lane,)).fetchone()
            self._replace(item_key("event", ev.id), event_rows(ev, row[0] if row else ""))

    def remove_event(self, event_id: str) -> None:
        with self._lock, _transaction(self._con):
            self._replace(item_key("event", event_id), [])

    def update_document(self, doc: Document) -> None:
        """Add or replace one document (all its passages)."""
        with self._lock, _transaction(self._con):
            _write_documents(self._con, [doc])
            self._replace(item_key("document", doc.id), document_rows(doc))

    def remove_document(self, doc_id: str) -> None:
        with self._lock, _transaction(self._con):
            self._con.execute("DELETE FROM documents WHERE id=?", (_safe(doc_id),))
            self._replace(item_key("document", doc_id), [])

    def update_lanes(self, lanes: Sequence[Lane]) -> None:
        """Replace the lanes; events whose lane name changed are re-indexed."""
        with self._lock, _transaction(self._con):
            _write_lanes(self._con, lanes)
            names = {lane.id: lane.name for lane in lanes}
            stale = self._con.execute(
                "SELECT id, lane, lane_name FROM items WHERE kind='event'"
            ).fetchall()
            for item_id, lane, old in stale:
                new = names.get(lane, "") if lane else ""
                if new != old:
                    self._set_lane_name(item_id, new)
            self._set_meta("content_key", "")

    def sync(
        self, case: Case, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> int:
        """Bring the index in line with ``case``, re-indexing only what changed.

        Returns the number of events and documents added, changed or removed.
        """
        wanted = case_fingerprints(case)
        have = self.fingerprints()
        changed = [k for k, fp in wanted.items() if have.get(k) != fp]
        removed = [k for k in have if k not in wanted]
        rows = _rows_of(case, changed)
        total = len(changed) + len(removed)
        with self._lock, _transaction(self._con):
            _report(progress, cancelled, 0, total)
            _write_lanes(self._con, case.lanes)
            self._con.execute("DELETE FROM documents")
            _write_documents(self._con, case.documents)
            for done, key in enumerate([*changed, *removed], 1):
                self._replace(key, rows.get(key, []))
                if done % BATCH == 0:
                    _report(progress, cancelled, done, total)
            self._set_meta("content_key", content_key_of(wanted, case.lanes))
        _report(progress, None, total, total)
        return total

    def _replace(self, key: str, rows: list[_Row]) -> None:
        ids = [r[0] for r in self._con.execute("SELECT id FROM items WHERE key=?", (key,))]
        if ids:
            marks = ",".join("?" * len(ids))
            self._con.execute(
                f"INSERT INTO fts(fts, rowid, {_FTS_COLUMNS}) "
                f"SELECT 'delete', id, {_FTS_COLUMNS} FROM items WHERE id IN ({marks})",
                ids,
            )
            for table in ("item_tags", "item_docs"):
                self._con.execute(f"DELETE FROM {table} WHERE item IN ({marks})", ids)
            self._con.execute(f"DELETE FROM spans WHERE id IN ({marks})", ids)
            self._con.execute(f"DELETE FROM items WHERE id IN ({marks})", ids)
        if rows:
            first, last = _insert_rows(self._con, rows)
            _index_rows(self._con, first, last)
        self._set_meta("content_key", "")

    def _set_lane_name(self, item_id: int, name: str) -> None:
        self._con.execute(
            f"INSERT INTO fts(fts, rowid, {_FTS_COLUMNS}) "
            f"SELECT 'delete', id, {_FTS_COLUMNS} FROM items WHERE id=?",
            (item_id,),
        )
        self._con.execute("UPDATE items SET lane_name=? WHERE id=?", (name, item_id))
        _index_rows(self._con, item_id, item_id)

    def _set_meta(self, key: str, value: str) -> None:
        self._con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # ---- searching

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """Hits for what the user typed, best first; raises :class:`QueryError` with a message."""
        query = parse_query(text)
        limit = max(1, min(int(limit), 10_000))
        want = limit * 2 if query.excluded else limit
        with self._lock:
            try:
                plan = self._plan(query)
                if query.fts_match() is None:
                    rows = self._filtered_rows(plan, want)
                else:
                    rows = self._ranked_rows(query, plan, want)
                rows = self._without_excluded(query, rows)
                phrases = query.phrases()
                top = sorted(rows, key=lambda row: _rank_key(row, phrases))[:limit]
                texts = self._document_texts([row[0] for row in top if row[1] == "document"])
            except sqlite3.Error as err:  # never show SQLite's words to a user
                raise QueryError("That search could not be run; try simpler words.") from err
        return [_hit(row, phrases, texts.get(row[0], [])) for row in top]

    def document_matches(self, doc_id: str, text: str) -> list[tuple[int, int]]:
        """Offsets of every match of the query ``text`` anywhere in a document's text (the
        same as a document hit's ``matches``); raises QueryError for a bad query."""
        phrases = parse_query(text).phrases()
        key = item_key("document", doc_id)
        with self._lock:
            passages = self._document_texts([key]).get(key, [])
        return _spans_in_passages(passages, phrases)

    def _document_texts(self, keys: list[str]) -> dict[str, list[tuple[str, int]]]:
        """The passages ``(text, start)`` of documents, by item key."""
        out: dict[str, list[tuple[str, int]]] = {}
        if keys:
            for key, body, start in self._con.execute(
                f"SELECT key, body, start FROM items WHERE key IN ({','.join('?' * len(keys))}) "
                f"ORDER BY key, part",
                keys,
            ):
                out.setdefault(key, []).append((body or "", start))
        return out

    def _ranked_rows(self, query: Query, plan: _Plan, limit: int) -> list[tuple]:
        """The best row of each of the top events and documents for the query's words
        (:meth:`search` then puts those whose title matches first).

        A query whose words (anywhere in a row) occur in more than :data:`RANK_CAP` rows is not
        ranked by bm25, which would cost about 2 µs a row: its hits come in index order (case
        order), title matches first.
        """
        match = query.fts_match()
        assert match is not None
        common = (
            self._con.execute(
                "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid LIMIT 1 OFFSET ?",
                (query.fts_match(loose=True), RANK_CAP),
            ).fetchone()
            is not None
        )
        excluded = query.exclusion_match()
        every, complete = self._ranked_tier(match, excluded, common, plan, limit)
        if complete or not common:  # bm25 puts title matches (weight 10) near the top
            return every
        # in index order the title matches may come late: fetch them first
        first, _ = self._ranked_tier(f"{{title}} : ({match})", excluded, True, plan, limit)
        seen = {row[0] for row in first}
        return first + [row for row in every if row[0] not in seen]

    def _ranked_tier(
        self, match: str, excluded: str | None, common: bool, plan: _Plan, limit: int
    ) -> tuple[list[tuple], bool]:
        """Rows for ``match``, best row per item, by bm25 (or index order when ``common``);
        and whether they are all the rows that match."""
        expr = match if excluded is None else f"({match}) NOT ({excluded})"
        where = ["fts MATCH ?", *plan.conds]
        args: list[Any] = [expr, *plan.params]
        if plan.driver is not None:
            where.append(f"fts.rowid IN ({plan.driver[0]})")
            args += plan.driver[1]
        score = "0.0" if common else _BM25
        fetch = limit * (2 if common else 4)
        while True:
            rows = self._con.execute(
                f"SELECT {_HIT_COLUMNS}, {score} AS score "
                f"FROM fts JOIN items ON items.id = fts.rowid WHERE {' AND '.join(where)} "
                f"ORDER BY {'fts.rowid' if common else 'score'} LIMIT ?",
                [*args, fetch],
            ).fetchall()
            best = _best_per_key(rows)
            if len(best) >= limit or len(rows) < fetch or fetch >= limit * 256:
                return best, len(rows) < fetch
            fetch *= 4

    def _filtered_rows(self, plan: _Plan, limit: int) -> list[tuple]:
        """Items passing the filters (no words), in time order.

        From the driver's few ids when there is one; else walking the time index, from the
        ``after:`` date on (plus the items that began before it and are still going on).
        """
        where = ["items.part = 0", *plan.conds]
        args: list[Any] = list(plan.params)
        if plan.driver is not None:
            return self._items_where(
                "items",
                [*where, f"items.id IN ({plan.driver[0]})"],
                [*args, *plan.driver[1]],
                limit,
            )
        if plan.after is None:
            return self._items_where("items INDEXED BY items_order", where, args, limit)
        a = plan.after
        ongoing = self._items_where(
            "items",
            [
                *where,
                "items.sort_start < ?",
                "items.id IN (SELECT id FROM spans WHERE lo < ? AND hi > ?)",
            ],
            [*args, a, a, a],
            limit,
        )
        later = self._items_where(
            "items INDEXED BY items_order", [*where, "items.sort_start >= ?"], [*args, a], limit
        )
        return (ongoing + later)[:limit]

    def _items_where(
        self, source: str, where: list[str], args: list[Any], limit: int
    ) -> list[tuple]:
        return self._con.execute(
            f"SELECT {_HIT_COLUMNS}, 0.0 FROM {source} WHERE {' AND '.join(where)} "
            f"ORDER BY items.sort_start, items.id LIMIT ?",
            [*args, limit],
        ).fetchall()

    def _without_excluded(self, query: Query, rows: list[tuple]) -> list[tuple]:
        """Drop documents (any passage) and events that contain an excluded word."""
        excluded = query.exclusion_match()
        if excluded is None or not rows:
            return rows
        keys = [row[0] for row in rows]
        marks = ",".join("?" * len(keys))
        hit = {
            key
            for (key,) in self._con.execute(
                f"SELECT DISTINCT items.key FROM fts JOIN items ON items.id = fts.rowid "
                f"WHERE fts MATCH ? AND fts.rowid IN (SELECT id FROM items WHERE key IN ({marks}))",
                [excluded, *keys],
            )
        }
        return [row for row in rows if row[0] not in hit]

    def _plan(self, query: Query) -> _Plan:
        """SQL for the filters: checks on each row, and the most selective filter as a small
        set of row ids to start from (when one is smaller than :data:`RANK_CAP`)."""
        plan = _Plan()
        drivers: list[tuple[str, list[Any]]] = []
        if query.lanes:
            lanes = self._lane_ids(query.lanes)
            plan.add("items.lane IN ({})", lanes)
            drivers.append((_in("SELECT id FROM items WHERE lane IN ({})", lanes), lanes))
        if query.not_lanes:
            plan.add(
                "(items.lane IS NULL OR items.lane NOT IN ({}))", self._lane_ids(query.not_lanes)
            )
        for values, table, column, negated in (
            (_folded(query.tags), "item_tags", "tag", False),
            (_folded(query.not_tags), "item_tags", "tag", True),
            (self._doc_ids(query.docs), "item_docs", "doc", False),
            (self._doc_ids(query.not_docs), "item_docs", "doc", True),
        ):
            if values:
                exists = (
                    f"EXISTS (SELECT 1 FROM {table} x "
                    f"WHERE x.item = items.id AND x.{column} IN ({{}}))"
                )
                plan.add(("NOT " if negated else "") + exists, values)
                if not negated:
                    drivers.append(
                        (_in(f"SELECT item FROM {table} WHERE {column} IN ({{}})", values), values)
                    )
        if query.after is not None:
            plan.add("items.latest > ?", [query.after])
            plan.after = query.after
        if query.before is not None:
            plan.add("items.earliest < ?", [query.before])
        if query.after is not None or query.before is not None:
            window = [_or_inf(query.after, -1), _or_inf(query.before, 1)]
            drivers.append(("SELECT id FROM spans WHERE hi > ? AND lo < ?", window))
        sizes = [(self._count_upto(sql, args, RANK_CAP), sql, args) for sql, args in drivers]
        if sizes:
            size, sql, args = min(sizes, key=lambda t: t[0])
            if size <= RANK_CAP:
                plan.driver = (sql, args)
        return plan

    def _count_upto(self, sql: str, args: list[Any], cap: int) -> int:
        row = self._con.execute(
            f"SELECT count(*) FROM ({sql} LIMIT ?)", [*args, cap + 1]
        ).fetchone()
        return int(row[0])

    def _lane_ids(self, values: list[str]) -> list[str]:
        """Lane ids for ``lane:`` values: a lane's id or name, else the start of either."""
        lanes = self._con.execute("SELECT id, name FROM lanes ORDER BY position").fetchall()
        out = []
        for value in values:
            wanted = value.casefold()
            keys = [(i, (i.casefold(), name.casefold())) for i, name in lanes]
            ids = [i for i, k in keys if wanted in k] or [
                i for i, k in keys if any(part.startswith(wanted) for part in k)
            ]
            if not ids:
                names = ", ".join(name for _, name in lanes) or "none"
                raise QueryError(f"No lane called “{value[:40]}” (lanes: {names}).")
            out.extend(ids)
        return out

    def _doc_ids(self, values: list[str]) -> list[str]:
        """Document ids for ``doc:`` values: exact, else ignoring case."""
        out = []
        for value in values:
            ids = [r[0] for r in self._con.execute("SELECT id FROM documents WHERE id=?", (value,))]
            if not ids:
                every = [r[0] for r in self._con.execute("SELECT id FROM documents")]
                ids = [d for d in every if d.casefold() == value.casefold()]
            if not ids:
                raise QueryError(f"No document with id “{value[:40]}”.")
            out.extend(ids)
        return out


@dataclass
class _Plan:
    """How to apply a query's filters: SQL checks on ``items`` rows, and maybe a driver."""

    conds: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    driver: tuple[str, list[Any]] | None = None  # (SELECT of item ids, its parameters)
    after: float | None = None

    def add(self, sql: str, values: Sequence[Any]) -> None:
        self.conds.append(_in(sql, values))
        self.params.extend(values)


def _or_inf(x: float | None, sign: int) -> float:
    return sign * math.inf if x is None else x


def _in(sql: str, values: Sequence[Any]) -> str:
    """``sql`` with ``{}`` replaced by one placeholder per value."""
    return sql.replace("{}", ",".join("?" * len(values)))


_HIT_COLUMNS = (
    "items.key, items.kind, items.ref, items.title, items.body, items.tags, items.actors, "
    "items.lane_name, items.start"
)
_BM25 = f"bm25(fts, {', '.join(map(str, WEIGHTS))})"


def _folded(values: list[str]) -> list[str]:
    return [v.casefold() for v in values]


class _transaction:
    """BEGIN ... COMMIT (ROLLBACK on error) on an autocommit connection; nests as a no-op."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.outer = False

    def __enter__(self) -> None:
        self.outer = not self.con.in_transaction
        if self.outer:
            self.con.execute("BEGIN")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if self.outer:
            self.con.execute("ROLLBACK" if exc_type else "COMMIT")


def _report(progress: Progress | None, cancelled: Cancelled | None, done: int, total: int) -> None:
    if cancelled is not None and cancelled():
        raise BuildCancelled()
    if progress is not None:
        progress(done, total)


def _write_documents(con: sqlite3.Connection, docs: Sequence[Document]) -> None:
    con.executemany(
        "INSERT OR REPLACE INTO documents(id, title) VALUES (?, ?)",
        [(_safe(d.id), _safe(d.title)) for d in docs],
    )


def _write_lanes(con: sqlite3.Connection, lanes: Sequence[Lane]) -> None:
    con.execute("DELETE FROM lanes")
    con.executemany(
        "INSERT OR REPLACE INTO lanes(id, name, position) VALUES (?, ?, ?)",
        [(_safe(lane.id), _safe(lane.name), i) for i, lane in enumerate(lanes)],
    )


def case_fingerprints(case: Case) -> dict[str, str]:
    """Item key -> fingerprint of every event and document of a case."""
    names = {lane.id: lane.name for lane in case.lanes}
    out = {
        item_key("event", ev.id): event_fingerprint(ev, names.get(ev.lane or "", ""))
        for ev in case.events
    }
    out.update((item_key("document", d.id), document_fingerprint(d)) for d in case.documents)
    return out


def _rows_of(case: Case, keys: Iterable[str]) -> dict[str, list[_Row]]:
    """The index rows of the events and documents of ``case`` with these item keys."""
    names = {lane.id: lane.name for lane in case.lanes}
    items: dict[str, Event | Document] = {item_key("event", e.id): e for e in case.events}
    items.update((item_key("document", d.id), d) for d in case.documents)
    out = {}
    for key in keys:
        item = items[key]
        if isinstance(item, Event):
            out[key] = event_rows(item, names.get(item.lane or "", ""))
        else:
            out[key] = document_rows(item)
    return out


def content_key_of(fingerprints: dict[str, str], lanes: Sequence[Lane]) -> str:
    """The content key of a case from its :func:`case_fingerprints` and lanes."""
    parts = [SCHEMA_VERSION, TOKENIZER, str(PASSAGE_WORDS)]
    parts += [f"{lane.id}\x1e{lane.name}" for lane in lanes]
    parts += sorted(f"{k}\x1e{fp}" for k, fp in fingerprints.items())
    return _digest(parts)


def content_key(case: Case) -> str:
    """A hash of everything the index holds about ``case``: equal keys, equal indexes."""
    return content_key_of(case_fingerprints(case), case.lanes)


def _fill(
    con: sqlite3.Connection,
    case: Case,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> None:
    """Create the schema and index every event and document of ``case``."""
    con.executescript(_SCHEMA)
    try:  # an R*Tree finds the items overlapping a date window quickly
        con.execute("CREATE VIRTUAL TABLE spans USING rtree(id, lo, hi)")
    except sqlite3.OperationalError:  # SQLite built without R*Tree: a plain table will do
        con.execute("CREATE TABLE spans(id INTEGER PRIMARY KEY, lo REAL, hi REAL)")
        con.execute("CREATE INDEX spans_hi ON spans(hi, lo)")
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?)",
        [("schema", SCHEMA_VERSION), ("content_key", "")],
    )
    con.execute(
        f"INSERT INTO fts(fts, rank) VALUES ('rank', 'bm25({', '.join(map(str, WEIGHTS))})')"
    )
    _write_lanes(con, case.lanes)
    _write_documents(con, case.documents)
    names = {lane.id: lane.name for lane in case.lanes}
    items: list[Event | Document] = [*case.events, *case.documents]
    total = len(items)
    fingerprints: dict[str, str] = {}
    _report(progress, cancelled, 0, total)
    for lo in range(0, total, BATCH):
        rows: list[_Row] = []
        for item in items[lo : lo + BATCH]:
            if isinstance(item, Event):
                item_rows = event_rows(item, names.get(item.lane or "", ""))
            else:
                item_rows = document_rows(item)
            fingerprints[item_rows[0].key] = item_rows[0].fingerprint
            rows.extend(item_rows)
        first, last = _insert_rows(con, rows)
        _index_rows(con, first, last)
        _report(progress, cancelled, min(lo + BATCH, total), total)
    for statement in _INDEXES.strip().splitlines():
        con.execute(statement)
    con.execute(
        "UPDATE meta SET value=? WHERE key='content_key'",
        (content_key_of(fingerprints, case.lanes),),
    )
    con.execute("COMMIT")
    con.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    con.execute("ANALYZE")


def _insert_rows(con: sqlite3.Connection, rows: list[_Row]) -> tuple[int, int]:
    """Insert rows into ``items`` (and tags, cited documents); returns the first and last id."""
    first = (con.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]) + 1
    con.executemany(
        f"INSERT INTO items(id, {_ITEM_COLUMNS}) VALUES ({','.join('?' * 16)})",
        [
            _safe_row((first + i, r.key, r.kind, r.ref, r.part, r.title, r.body, r.tags, r.actors,
             r.lane_name, r.lane, r.earliest, r.latest, r.sort_start, r.start, r.fingerprint))
            for i, r in enumerate(rows)
        ],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO item_tags(item, tag) VALUES (?, ?)",
        [(first + i, _safe(t)) for i, r in enumerate(rows) for t in r.tag_values],
    )
    con.executemany(
        "INSERT INTO item_docs(item, doc) VALUES (?, ?)",
        [(first + i, _safe(d)) for i, r in enumerate(rows) for d in r.doc_values],
    )
    con.executemany(
        "INSERT INTO spans(id, lo, hi) VALUES (?, ?, ?)",
        [
            (first + i, r.earliest, r.latest)
            for i, r in enumerate(rows)
            if r.earliest is not None and r.latest is not None
        ],
    )
    return first, first + len(rows) - 1


def _index_rows(con: sqlite3.Connection, first: int, last: int) -> None:
    con.execute(
        f"INSERT INTO fts(rowid, {_FTS_COLUMNS}) "
        f"SELECT id, {_FTS_COLUMNS} FROM items WHERE id BETWEEN ? AND ?",
        (first, last),
    )


# --------------------------------------------------------------------------- hits from rows


def _best_per_key(rows: list[tuple]) -> list[tuple]:
    """The first (best ranked) row of each event or document, in order."""
    seen: set[str] = set()
    out = []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            out.append(row)
    return out


def _rank_key(row: tuple, phrases: list[Phrase]) -> tuple[bool, float]:
    """Hits whose title matches come first, then by bm25 rank (lower is better)."""
    title, rank = row[3], row[9]
    return (not find_matches(title or "", phrases), rank or 0.0)


def _spans_in_passages(
    passages: list[tuple[str, int]], phrases: list[Phrase]
) -> list[tuple[int, int]]:
    return [(a + s, b + s) for body, s in passages for a, b in find_matches(body, phrases)]


def _hit(row: tuple, phrases: list[Phrase], passages: list[tuple[str, int]]) -> Hit:
    """The hit for a row of the index (a document's ``passages`` give its every match)."""
    _key, kind, ref, title, body, tags, actors, lane_name, start, rank = row
    title_matches = find_matches(title or "", phrases)
    score = round(-float(rank), 4) if rank else 0.0
    if kind == "document":
        local = find_matches(body or "", phrases)
        snippet, snippet_matches = make_snippet(body or "", local)
        every = _spans_in_passages(passages, phrases) if passages else []
        return Hit(
            "document", ref, title or ref, score, snippet, snippet_matches,
            every or [(a + start, b + start) for a, b in local], "text",
            (start, start + len(body or "")),
        )  # fmt: skip
    field_name, text, local = _event_snippet_field(
        phrases, title or "", title_matches, body, actors, tags, lane_name
    )
    snippet, snippet_matches = make_snippet(text, local)
    return Hit(
        "event", ref, title or ref, score, snippet, snippet_matches, title_matches, field_name
    )


def _event_snippet_field(
    phrases: list[Phrase],
    title: str,
    title_matches: list[tuple[int, int]],
    summary: str,
    actors: str,
    tags: str,
    lane_name: str,
) -> tuple[str, str, list[tuple[int, int]]]:
    """Which event field the snippet shows: the first with a match, else summary or title."""
    for name, text in (
        ("summary", summary),
        ("actors", actors),
        ("tags", tags),
        ("lane", lane_name),
    ):
        if text:
            found = find_matches(text, phrases)
            if found:
                return name, text, found
    if title_matches or not summary:
        return "title", title, title_matches
    return "summary", summary, []


def make_snippet(
    text: str, matches: list[tuple[int, int]], size: int = SNIPPET_CHARS
) -> tuple[str, list[tuple[int, int]]]:
    """About ``size`` characters of ``text`` where the most different matched words are, on
    word boundaries, "…" where cut, whitespace shown as spaces; and the matches' offsets in it."""
    if len(text) <= size:
        a, b = 0, len(text)
    else:
        first, last = _densest(text, matches, size)
        a = max(0, min(first - size // 4, len(text) - size))
        b = min(len(text), a + size)
        if a > 0:
            space = text.find(" ", a, first) if first > a else -1
            a = space + 1 if space >= 0 else a
        if b < len(text):
            space = text.rfind(" ", max(a, last), b)
            b = space if space > a else b
    lead = "…" if a > 0 else ""
    tail = "…" if b < len(text) else ""
    body = re.sub(r"\s", " ", text[a:b])
    shift = len(lead) - a
    inside = [(s + shift, e + shift) for s, e in matches if s >= a and e <= b]
    return lead + body + tail, inside


def _densest(text: str, matches: list[tuple[int, int]], size: int) -> tuple[int, int]:
    """Start of the first match and end of the last one in the window (from a match) that
    holds the most different matched words."""
    if not matches:
        return 0, 0
    best = (0, matches[0][0], matches[0][1])
    window = size * 3 // 4
    for i, (start, _end) in enumerate(matches[:60]):
        inside = [m for m in matches[i : i + 60] if m[1] <= start + window]
        distinct = len({text[s:e].casefold() for s, e in inside})
        if distinct > best[0]:
            best = (distinct, start, inside[-1][1])
    return best[1], best[2]
