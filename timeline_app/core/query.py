"""The search query language, and text matching the way the search index sees it.

Pure Python, no database access except a one-off probe of SQLite's own tokenizer tables.

Query language (what a person types):

- ``word other``: every word must occur (in the same passage of a document, or the same event);
- ``"an exact phrase"``; ``word*`` matches words that start with ``word`` (after stemming; at
  least two letters before the star);
- ``-word`` or ``-"a phrase"`` excludes documents and events containing it; ``NOT word`` too;
- ``a OR b`` either (``OR`` in capitals binds tighter than the implicit AND: ``x a OR b`` is
  ``x AND (a OR b)``); ``AND`` in capitals is accepted and changes nothing;
- filters: ``lane:NAME`` (lane id or name, case-insensitive), ``tag:NAME``, ``doc:ID`` (the
  document and the events citing it), ``after:EDTF`` and ``before:EDTF``. Values may be quoted
  (``lane:"City of Milwaukee"``). Repeating ``lane:``, ``tag:`` or ``doc:`` accepts any of the
  values; ``-lane:``, ``-tag:``, ``-doc:`` exclude. ``after:X`` keeps events (and dated documents)
  whose latest possible moment is on or after the start of X; ``before:X`` keeps those whose
  earliest possible moment is before the end of X. Undated documents never pass a date filter.

Words are split exactly as SQLite's ``unicode61`` tokenizer splits them (letters, digits and
private-use characters make words; everything else, emoji included, separates them), folded to
lower case without diacritics, and stemmed with SQLite's Porter stemmer, so ``c++`` searches
for ``c`` and ``informs`` finds ``inform``.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MAX_TERMS = 64  # words in one query; a pasted page gets a message instead of a slow query


class QueryError(ValueError):
    """A query that cannot be run; the message is short, plain English, for the user."""


# --------------------------------------------------------------------------- tokenizer


class _CharTables:
    """Which characters make words and how they fold, read from SQLite's unicode61 itself."""

    def __init__(self) -> None:
        self.fold: dict[int, str] = {c: chr(c + 32) for c in range(65, 91)}  # str.translate
        starts, continues = _probe_sqlite_bmp(self.fold)
        self.fold.update({c: chr(c + 0x28) for c in range(0x10400, 0x10428)})  # Deseret
        smp = _smp_token_ranges()
        start_class = _char_class(starts, smp)
        marks = "".join(re.escape(chr(c)) for c in continues)
        self.continue_re = re.compile(f"[{marks}]" if marks else "(?!)")
        self.token_re = re.compile(f"[{start_class}][{start_class}{_char_class(continues, [])}]*")


def _probe_sqlite_bmp(fold: dict[int, str]) -> tuple[list[int], list[int]]:
    """Ask SQLite which BMP characters start or continue a token and what each folds to."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute(
            "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')"
        )
        con.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        codes = [c for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000]
        con.execute(
            "INSERT INTO t(rowid, x) VALUES (1, ?)", (" ".join(f"q{chr(c)}q" for c in codes),)
        )
        terms: dict[int, str] = dict(con.execute("SELECT offset, term FROM v"))
        ordered = [terms[i] for i in sorted(terms)]
        starts: list[int] = []
        maybe_continue: list[int] = []
        pos = 0
        for code in codes:
            term = ordered[pos]
            if term == "q" and pos + 1 < len(ordered) and ordered[pos + 1] == "q":
                pos += 2  # a separator
                continue
            pos += 1
            folded = term[1:-1]
            if folded != chr(code):
                fold[code] = folded
            is_mark = unicodedata.category(chr(code))[0] == "M"
            (maybe_continue if is_mark or not folded else starts).append(code)
        alone = _alone_tokens(con, maybe_continue)
        starts.extend(c for c in maybe_continue if c in alone)
        continues = [c for c in maybe_continue if c not in alone]
        return starts, continues
    finally:
        con.close()


def _alone_tokens(con: sqlite3.Connection, codes: list[int]) -> set[int]:
    """The characters among ``codes`` that make a token on their own (after a space)."""
    con.execute("DELETE FROM t")
    con.execute(
        "INSERT INTO t(rowid, x) VALUES (1, ?)", (" ".join(f"zqxj {chr(c)}" for c in codes),)
    )
    terms: dict[int, str] = dict(con.execute("SELECT offset, term FROM v"))
    ordered = [terms[i] for i in sorted(terms)]
    found = set()
    pos = 0
    for code in codes:
        pos += 1  # the marker
        if pos < len(ordered) and ordered[pos] != "zqxj":
            found.add(code)
            pos += 1
    return found


# Separators above the BMP in SQLite's unicode61 tables (Unicode 6.1: later emoji such as U+1F914
# are token characters there, as are unassigned code points). Probed from SQLite 3.40.
_SMP_SEPARATORS: tuple[tuple[int, int], ...] = (
    (0x10100, 0x10102), (0x10137, 0x1013F), (0x10179, 0x10189), (0x10190, 0x1019B),
    (0x101D0, 0x101FD), (0x1039F, 0x1039F), (0x103D0, 0x103D0), (0x10857, 0x10857),
    (0x1091F, 0x1091F), (0x1093F, 0x1093F), (0x10A01, 0x10A03), (0x10A05, 0x10A06),
    (0x10A0C, 0x10A0F), (0x10A38, 0x10A3A), (0x10A3F, 0x10A3F), (0x10A50, 0x10A58),
    (0x10A7F, 0x10A7F), (0x10B39, 0x10B3F), (0x11000, 0x11002), (0x11038, 0x1104D),
    (0x11080, 0x11082), (0x110B0, 0x110C1), (0x11100, 0x11102), (0x11127, 0x11134),
    (0x11140, 0x11143), (0x11180, 0x11182), (0x111B3, 0x111C0), (0x111C5, 0x111C8),
    (0x116AB, 0x116B7), (0x12470, 0x12473), (0x16F51, 0x16F7E), (0x16F8F, 0x16F92),
    (0x1D000, 0x1D0F5), (0x1D100, 0x1D126), (0x1D129, 0x1D1DD), (0x1D200, 0x1D245),
    (0x1D300, 0x1D356), (0x1D6C1, 0x1D6C1), (0x1D6DB, 0x1D6DB), (0x1D6FB, 0x1D6FB),
    (0x1D715, 0x1D715), (0x1D735, 0x1D735), (0x1D74F, 0x1D74F), (0x1D76F, 0x1D76F),
    (0x1D789, 0x1D789), (0x1D7A9, 0x1D7A9), (0x1D7C3, 0x1D7C3), (0x1EEF0, 0x1EEF1),
    (0x1F000, 0x1F02B), (0x1F030, 0x1F093), (0x1F0A0, 0x1F0AE), (0x1F0B1, 0x1F0BE),
    (0x1F0C1, 0x1F0CF), (0x1F0D1, 0x1F0DF), (0x1F110, 0x1F12E), (0x1F130, 0x1F16B),
    (0x1F170, 0x1F19A), (0x1F1E6, 0x1F202), (0x1F210, 0x1F23A), (0x1F240, 0x1F248),
    (0x1F250, 0x1F251), (0x1F300, 0x1F320), (0x1F330, 0x1F335), (0x1F337, 0x1F37C),
    (0x1F380, 0x1F393), (0x1F3A0, 0x1F3C4), (0x1F3C6, 0x1F3CA), (0x1F3E0, 0x1F3F0),
    (0x1F400, 0x1F43E), (0x1F440, 0x1F440), (0x1F442, 0x1F4F7), (0x1F4F9, 0x1F4FC),
    (0x1F500, 0x1F53D), (0x1F540, 0x1F543), (0x1F550, 0x1F567), (0x1F5FB, 0x1F640),
    (0x1F645, 0x1F64F), (0x1F680, 0x1F6C5), (0x1F700, 0x1F773), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F), (0xE0100, 0xE01EF),
)  # fmt: skip


def _smp_token_ranges() -> list[tuple[int, int]]:
    """Token characters above the BMP: everything but :data:`_SMP_SEPARATORS`."""
    out = []
    lo = 0x10000
    for sep_lo, sep_hi in _SMP_SEPARATORS:
        if sep_lo > lo:
            out.append((lo, sep_lo - 1))
        lo = sep_hi + 1
    out.append((lo, 0x10FFFF))
    return out


def _char_class(codes: Iterable[int], extra: list[tuple[int, int]]) -> str:
    """A regex character class body: ASCII alphanumerics, ``codes`` and ``extra`` ranges."""
    ranges: list[list[int]] = []
    for code in sorted(set(codes)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    body = "0-9A-Za-z"
    for lo, hi in [*ranges, *extra]:
        body += re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
    return body


_tables: _CharTables | None = None
_tables_lock = threading.Lock()


def _char_tables() -> _CharTables:
    global _tables
    if _tables is None:
        with _tables_lock:
            if _tables is None:
                _tables = _CharTables()
    return _tables


def prepare_matching() -> None:
    """Read SQLite's character tables now (about 0.15 s, once per process) rather than on the
    first match; thread-safe."""
    _char_tables()


@dataclass(frozen=True)
class Token:
    """A word of a text: ``text[start:end]``, and its folded form (lower case, no diacritics)."""

    start: int
    end: int
    folded: str


def fold(word: str) -> str:
    """Lower case without diacritics, as unicode61 with ``remove_diacritics 2`` folds a token."""
    if word.isascii():
        return word.lower()
    return word.translate(_char_tables().fold)


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` with their character offsets, as SQLite's unicode61 sees them."""
    return [Token(m.start(), m.end(), fold(m.group())) for m in iter_words(text)]


def iter_words(text: str) -> Iterable[re.Match[str]]:
    """Regex matches of each word of ``text`` (unfolded)."""
    return _char_tables().token_re.finditer(text)


# --------------------------------------------------------------------------- Porter stemmer
# A port of the Porter stemmer in SQLite's fts5_tokenize.c. It works on the UTF-8 bytes of the
# folded token, as SQLite does, so non-ASCII words stem exactly the same way.

_VOWELS = frozenset(b"aeiou")
_MAX_STEM_BYTES = 64


def _is_vowel(c: int, y_is_vowel: bool) -> bool:
    return c in _VOWELS or (y_is_vowel and c == 0x79)  # y


def _gobble_vc(word: bytes | bytearray, start: int, end: int, prev_cons: bool) -> int:
    """Position after the first vowel-consonant sequence in word[start:end], or 0."""
    cons = prev_cons
    i = start
    while i < end:
        cons = not _is_vowel(word[i], cons)
        if not cons:
            break
        i += 1
    i += 1
    while i < end:
        cons = not _is_vowel(word[i], cons)
        if cons:
            return i + 1
        i += 1
    return 0


def _m_gt0(word: bytearray, n: int) -> bool:
    return _gobble_vc(word, 0, n, False) != 0


def _m_gt1(word: bytearray, n: int) -> bool:
    first = _gobble_vc(word, 0, n, False)
    return bool(first) and _gobble_vc(word, first, n, True) != 0


def _m_eq1(word: bytearray, n: int) -> bool:
    first = _gobble_vc(word, 0, n, False)
    return bool(first) and _gobble_vc(word, first, n, True) == 0


def _o_star(word: bytearray, n: int) -> bool:
    if word[n - 1] in b"wxy":
        return False
    mask = 0
    cons = False
    for i in range(n):
        cons = not _is_vowel(word[i], cons)
        mask = (mask << 1) + int(cons)
    return (mask & 7) == 5


def _m_gt1_s_or_t(word: bytearray, n: int) -> bool:
    return word[n - 1] in b"st" and _m_gt1(word, n)


def _has_vowel(word: bytearray, n: int) -> bool:
    return any(_is_vowel(word[i], i > 0) for i in range(n))


# (suffix, condition on the stem, replacement); the first rule whose suffix matches decides.
_Rule = tuple[bytes, object, bytes]
_STEP2: Sequence[_Rule] = [
    (b"ational", _m_gt0, b"ate"), (b"tional", _m_gt0, b"tion"), (b"enci", _m_gt0, b"ence"),
    (b"anci", _m_gt0, b"ance"), (b"izer", _m_gt0, b"ize"), (b"logi", _m_gt0, b"log"),
    (b"bli", _m_gt0, b"ble"), (b"alli", _m_gt0, b"al"), (b"entli", _m_gt0, b"ent"),
    (b"eli", _m_gt0, b"e"), (b"ousli", _m_gt0, b"ous"), (b"ization", _m_gt0, b"ize"),
    (b"ation", _m_gt0, b"ate"), (b"ator", _m_gt0, b"ate"), (b"alism", _m_gt0, b"al"),
    (b"iveness", _m_gt0, b"ive"), (b"fulness", _m_gt0, b"ful"), (b"ousness", _m_gt0, b"ous"),
    (b"aliti", _m_gt0, b"al"), (b"iviti", _m_gt0, b"ive"), (b"biliti", _m_gt0, b"ble"),
]  # fmt: skip
_STEP3: Sequence[_Rule] = [
    (b"ical", _m_gt0, b"ic"), (b"ness", _m_gt0, b""), (b"icate", _m_gt0, b"ic"),
    (b"iciti", _m_gt0, b"ic"), (b"ful", _m_gt0, b""), (b"ative", _m_gt0, b""),
    (b"alize", _m_gt0, b"al"),
]  # fmt: skip
_STEP4: Sequence[_Rule] = [
    (b"al", _m_gt1, b""), (b"ance", _m_gt1, b""), (b"ence", _m_gt1, b""), (b"er", _m_gt1, b""),
    (b"ic", _m_gt1, b""), (b"able", _m_gt1, b""), (b"ible", _m_gt1, b""), (b"ant", _m_gt1, b""),
    (b"ement", _m_gt1, b""), (b"ment", _m_gt1, b""), (b"ent", _m_gt1, b""),
    (b"ion", _m_gt1_s_or_t, b""), (b"ou", _m_gt1, b""), (b"ism", _m_gt1, b""),
    (b"ate", _m_gt1, b""), (b"iti", _m_gt1, b""), (b"ous", _m_gt1, b""), (b"ive", _m_gt1, b""),
    (b"ize", _m_gt1, b""),
]  # fmt: skip


def _by_second_last(rules: Sequence[_Rule]) -> dict[int, list[_Rule]]:
    """SQLite dispatches on the second-last byte, then tries that group's suffixes in order."""
    table: dict[int, list[_Rule]] = {}
    for rule in rules:
        table.setdefault(rule[0][-2], []).append(rule)
    return table


_STEP2_BY = _by_second_last(_STEP2)
_STEP3_BY = _by_second_last(_STEP3)
_STEP4_BY = _by_second_last(_STEP4)


def _apply(word: bytearray, n: int, table: dict[int, list[_Rule]]) -> int:
    for suffix, cond, out in table.get(word[n - 2], ()) if n >= 2 else ():
        k = len(suffix)
        if n > k and word[n - k : n] == suffix:
            if cond(word, n - k):  # type: ignore[operator]
                word[n - k : n] = out
                return n - k + len(out)
            return n
    return n


def _step1a(word: bytearray, n: int) -> int:
    if word[n - 1] != 0x73:  # s
        return n
    if word[n - 2] == 0x65:  # e
        if (n > 4 and word[n - 4 : n - 2] == b"ss") or (n > 3 and word[n - 3] == 0x69):
            return n - 2
        return n - 1
    return n - 1 if word[n - 2] != 0x73 else n


def _step1b(word: bytearray, n: int) -> tuple[int, bool]:
    if n > 3 and word[n - 3 : n] == b"eed":
        return (n - 1 if _m_gt0(word, n - 3) else n), False
    if n > 2 and word[n - 2 : n] == b"ed":
        return (n - 2, True) if _has_vowel(word, n - 2) else (n, False)
    if n > 3 and word[n - 3 : n] == b"ing":
        return (n - 3, True) if _has_vowel(word, n - 3) else (n, False)
    return n, False


def _step1b2(word: bytearray, n: int) -> int:
    for suffix in (b"at", b"bl", b"iz"):
        if n > 2 and word[n - 2 : n] == suffix:
            word[n:n] = b"e"
            return n + 1
    c = word[n - 1]
    if not _is_vowel(c, False) and c not in b"lsz" and n >= 2 and c == word[n - 2]:
        return n - 1
    if _m_eq1(word, n) and _o_star(word, n):
        word[n:n] = b"e"
        return n + 1
    return n


def stem(folded: str) -> bytes:
    """SQLite's Porter stem of a folded token, as UTF-8 bytes (the term stored in the index)."""
    raw = folded.encode("utf-8", "surrogatepass")
    if len(raw) > _MAX_STEM_BYTES or len(raw) < 3:
        return raw
    word = bytearray(raw)
    n = _step1a(word, len(word))
    n, more = _step1b(word, n)
    del word[n:]
    if more:
        n = _step1b2(word, n)
        del word[n:]
    if word[n - 1] == 0x79 and _has_vowel(word, n - 1):  # step 1c: y -> i
        word[n - 1] = 0x69
    for table in (_STEP2_BY, _STEP3_BY, _STEP4_BY):
        n = _apply(word, n, table)
        del word[n:]
    if word[n - 1] == 0x65 and (  # step 5a
        _m_gt1(word, n - 1) or (_m_eq1(word, n - 1) and not _o_star(word, n - 1))
    ):
        n -= 1
    if n > 1 and word[n - 1] == 0x6C and word[n - 2] == 0x6C and _m_gt1(word, n - 1):
        n -= 1  # step 5b
    return bytes(word[:n])


_stem_cache: dict[str, bytes] = {}


def stem_cached(folded: str) -> bytes:
    """:func:`stem` with a bounded memo (documents repeat their words)."""
    got = _stem_cache.get(folded)
    if got is None:
        if len(_stem_cache) > 200_000:
            _stem_cache.clear()
        got = _stem_cache[folded] = stem(folded)
    return got


def word_stems(text: str) -> list[tuple[int, int, bytes]]:
    """``(start, end, stem)`` of every word of ``text``: what the index stores, with offsets."""
    out = []
    fold_table = _char_tables().fold
    for m in iter_words(text):
        word = m.group()
        folded = word.lower() if word.isascii() else word.translate(fold_table)
        out.append((m.start(), m.end(), stem_cached(folded)))
    return out


# --------------------------------------------------------------------------- query language

_FILTER_KEYS = ("lane", "tag", "doc", "after", "before")
_FILTER_RE = re.compile(r"(?i)(lane|tag|doc|after|before):(.*)", re.DOTALL)
_EXAMPLES = {
    "lane": "lane:federal",
    "tag": "tag:policy",
    "doc": "doc:8-usc-1373",
    "after": "after:2017-06",
    "before": "before:2017-08",
}


@dataclass(frozen=True)
class Phrase:
    """Words that must occur together, in order; ``prefix``: the last one may continue."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self, loose: bool = False) -> str:
        """This phrase as an FTS5 string: quoted, so nothing in it is syntax. ``loose``: its
        words anywhere, in any order (a cheap superset of the phrase's matches)."""
        star = " *" if self.prefix else ""
        if loose and len(self.words) > 1:
            quoted = [f'"{w}"' for w in self.words]
            return "(" + " AND ".join(quoted) + star + ")"
        return '"' + " ".join(self.words) + '"' + star

    @functools.cached_property
    def stems(self) -> tuple[bytes, ...]:
        """The index terms of the words (folded, stemmed)."""
        return tuple(stem_cached(fold(w)) for w in self.words)


@dataclass
class Query:
    """A parsed query: AND of OR-groups of phrases, exclusions and filters."""

    groups: list[tuple[Phrase, ...]] = field(default_factory=list)
    excluded: list[Phrase] = field(default_factory=list)
    lanes: list[str] = field(default_factory=list)
    not_lanes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    not_tags: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    not_docs: list[str] = field(default_factory=list)
    after: float | None = None  # day number: keep items whose latest bound is after this
    before: float | None = None  # day number: keep items whose earliest bound is before this

    def fts_match(self, loose: bool = False) -> str | None:
        """The FTS5 MATCH expression for the positive words; None when there are none.
        ``loose``: phrases as separate words (see :meth:`Phrase.fts`)."""
        if not self.groups:
            return None
        return " AND ".join(_or_group(group, loose) for group in self.groups)

    def exclusion_match(self) -> str | None:
        """An FTS5 MATCH expression for what must not occur; None when nothing is excluded."""
        return _or_group(tuple(self.excluded)) if self.excluded else None

    def phrases(self) -> list[Phrase]:
        """Every positive phrase (what to highlight)."""
        return [phrase for group in self.groups for phrase in group]

    @property
    def has_filters(self) -> bool:
        return bool(
            self.lanes or self.not_lanes or self.tags or self.not_tags or self.docs
            or self.not_docs or self.after is not None or self.before is not None
        )  # fmt: skip


def _or_group(phrases: tuple[Phrase, ...], loose: bool = False) -> str:
    if len(phrases) == 1:
        return phrases[0].fts(loose)
    return "(" + " OR ".join(p.fts(loose) for p in phrases) + ")"


@dataclass
class _Item:
    """One thing the user typed: a phrase, a filter or the OR operator."""

    kind: str  # "phrase" | "filter" | "or"
    negated: bool = False
    phrase: Phrase | None = None
    key: str = ""
    value: str = ""


def parse_query(text: str) -> Query:
    """Parse what a person typed; raises :class:`QueryError` with a short message."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> "?"
    query = Query()
    items = list(_lex(text))
    _collect(items, query)
    n_words = sum(len(p.words) for p in query.phrases() + query.excluded)
    if n_words > MAX_TERMS:
        raise QueryError(f"The query has too many words ({n_words}); use at most {MAX_TERMS}.")
    if not query.groups and not query.has_filters:
        if query.excluded:
            raise QueryError("Add a word to search for: -word only leaves things out.")
        raise QueryError("Type a word to search for.")
    return query


def _lex(text: str) -> Iterable[_Item]:
    """Split the text into items; never fails."""
    pos, n = 0, len(text)
    negate_next = False
    while pos < n:
        ch = text[pos]
        if ch.isspace():
            pos += 1
            continue
        negated = negate_next
        negate_next = False
        if ch == "-" and pos + 1 < n and not text[pos + 1].isspace():
            negated = True
            pos += 1
            ch = text[pos]
        if ch == '"':
            body, pos = _quoted(text, pos)
            prefix = pos < n and text[pos] == "*"
            pos += prefix
            phrase = _phrase(body, prefix)
            if phrase:
                yield _Item("phrase", negated, phrase)
            continue
        end = pos
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        word = text[pos:end]
        pos = end
        if word == "OR" and not negated:
            yield _Item("or")
        elif word in ("AND", "NOT") and not negated:
            negate_next = word == "NOT"
        elif m := _FILTER_RE.fullmatch(word):
            value = m.group(2)
            if not value and pos < n and text[pos] == '"':
                value, pos = _quoted(text, pos)
            yield _Item("filter", negated, key=m.group(1).lower(), value=value.strip())
        else:
            phrase = _phrase(word.rstrip("*"), word.endswith("*"))
            if phrase:
                yield _Item("phrase", negated, phrase)


def _quoted(text: str, pos: int) -> tuple[str, int]:
    """The text inside quotes starting at ``pos`` (a missing closing quote ends the text)."""
    close = text.find('"', pos + 1)
    if close < 0:
        return text[pos + 1 :], len(text)
    return text[pos + 1 : close], close + 1


def _phrase(text: str, prefix: bool) -> Phrase | None:
    words = tuple(m.group() for m in iter_words(text))
    if not words:
        return None
    # "word*" only makes a prefix when the star follows a word character directly
    prefix = prefix and bool(text) and text[-1:] == words[-1][-1:]
    if prefix and len(words[-1]) < 2:
        raise QueryError(f"Type at least two letters before * (as in {words[-1]}a*).")
    return Phrase(words, prefix)


def _collect(items: list[_Item], query: Query) -> None:
    """Fill ``query`` from the lexed items: OR joins neighbouring positive phrases."""
    join_next = False
    for i, item in enumerate(items):
        if item.kind == "or":
            join_next = bool(query.groups) and i > 0 and items[i - 1].kind == "phrase"
            continue
        if item.kind == "filter":
            _add_filter(query, item)
        elif item.negated:
            query.excluded.append(item.phrase)  # type: ignore[arg-type]
        elif join_next and not items[i - 1].negated:
            query.groups[-1] = (*query.groups[-1], item.phrase)  # type: ignore[arg-type]
        else:
            query.groups.append((item.phrase,))  # type: ignore[arg-type]
        join_next = False


def _add_filter(query: Query, item: _Item) -> None:
    key, value = item.key, item.value
    if not value:
        raise QueryError(f"{key}: needs a value, for example {_EXAMPLES[key]}.")
    if key in ("after", "before"):
        if item.negated:
            other = "before" if key == "after" else "after"
            raise QueryError(f"-{key}: is not supported; use {other}: instead.")
        _add_date_filter(query, key, value)
        return
    target = {"lane": "lanes", "tag": "tags", "doc": "docs"}[key]
    getattr(query, ("not_" if item.negated else "") + target).append(value)


def _add_date_filter(query: Query, key: str, value: str) -> None:
    from timeline_app.core.dates import DateError, When

    try:
        when = When.parse(value)
    except DateError:
        raise QueryError(f"{key}: needs a date such as 2017-06 (not “{value[:40]}”).") from None
    except Exception:  # a date parser bug must not reach the user as a traceback
        raise QueryError(f"{key}: needs a date such as 2017-06 (not “{value[:40]}”).") from None
    if key == "after":
        bound = when.earliest
        query.after = bound if query.after is None else max(query.after, bound)
    else:
        bound = when.latest
        query.before = bound if query.before is None else min(query.before, bound)


# --------------------------------------------------------------------------- matching


def find_matches(text: str, phrases: Sequence[Phrase]) -> list[tuple[int, int]]:
    """Character spans of every word of ``text`` that one of ``phrases`` matches, sorted.

    Matching follows the index: folded, stemmed words; a prefix phrase's last word matches any
    word whose stem starts with its stem; a phrase matches consecutive words.
    """
    if not phrases:
        return []
    tables = _char_tables()
    folded = text.lower() if text.isascii() else text.translate(tables.fold)
    spans: set[tuple[int, int]] = set()
    if len(folded) != len(text) or (not text.isascii() and tables.continue_re.search(text)):
        words = word_stems(text)  # rare: combining marks; scan every word
        for phrase in phrases:
            spans.update(_phrase_spans(words, phrase.stems, phrase.prefix))
        return sorted(spans)
    for phrase in phrases:
        spans.update(_find_phrase(text, folded, phrase, tables))
    return sorted(spans)


def _find_phrase(
    text: str, folded: str, phrase: Phrase, tables: _CharTables
) -> Iterable[tuple[int, int]]:
    """Spans of ``phrase`` in ``text``, visiting only words that could match its first word.

    A word's stem minus its last character is always a prefix of the folded word (Porter only
    rewrites endings), so the first word of a match starts with ``stems[0][:-1]``.
    """
    stems = phrase.stems
    key = stems[0][:-1].decode("utf-8", "ignore")
    if len(key) < 2:
        yield from _phrase_spans(word_stems(text), stems, phrase.prefix)
        return
    token_re = tables.token_re
    pos = folded.find(key)
    while pos >= 0:
        if pos == 0 or not token_re.match(text, pos - 1):
            found = _match_at(text, folded, pos, stems, phrase.prefix, token_re)
            if found:
                yield from found
        pos = folded.find(key, pos + 1)


def _match_at(
    text: str,
    folded: str,
    pos: int,
    stems: tuple[bytes, ...],
    prefix: bool,
    token_re: re.Pattern[str],
) -> list[tuple[int, int]] | None:
    """The words of ``stems`` as consecutive words starting at ``pos``, or None."""
    out = []
    m = token_re.match(text, pos)
    last = len(stems) - 1
    for i, wanted in enumerate(stems):
        if m is None:
            return None
        got = stem_cached(folded[m.start() : m.end()])
        if not (got == wanted or (prefix and i == last and got.startswith(wanted))):
            return None
        out.append((m.start(), m.end()))
        if i < last:
            m = token_re.search(text, m.end())
    return out


def _phrase_spans(
    words: list[tuple[int, int, bytes]], stems: tuple[bytes, ...], prefix: bool
) -> Iterable[tuple[int, int]]:
    k = len(stems)
    last = stems[-1]
    first = stems[0]
    for i in range(len(words) - k + 1):
        if k == 1:
            word_stem = words[i][2]
            if word_stem == first or (prefix and word_stem.startswith(first)):
                yield words[i][0], words[i][1]
            continue
        if words[i][2] != first:
            continue
        ok = all(words[i + j][2] == stems[j] for j in range(1, k - 1))
        tail = words[i + k - 1][2]
        if ok and (tail == last or (prefix and tail.startswith(last))):
            for j in range(k):
                yield words[i + j][0], words[i + j][1]
