"""Proposed events from the dates written in documents.

For every date mention of a document (found by :func:`~timeline_app.core.extract.find_dates`
with the document's own date as the anchor), a :class:`Proposal` holds the sentence around
it (the source quote, with offsets), a title made from that sentence and the mention's EDTF
value. Mentions already inside a passage an event cites are not proposed again, nor the
document's own date on its "Date:" line. Proposal ids are ``DOC/START-END`` of the mention,
so the same text always gives the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from timeline_app.core.casefile import locate_quote
from timeline_app.core.commands import passage_source, suggest_event_id
from timeline_app.core.dates import DateError, When
from timeline_app.core.extract import DateMention, find_dates
from timeline_app.core.model import Case, Document, Event, SourceRef, unique_id

TITLE_LIMIT = 80

# Words whose final period does not end a sentence (lower case, without that period).
ABBREVIATIONS = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri
    sat sun mr mrs ms dr st ald gov sen rep reps lt sgt capt gen col cmdr det insp supt atty
    prof rev hon pres sec secs no nos vs v etc al inc co corp ltd llc jr sr dept univ assn
    comm ave blvd rd mt ft pub stat div art ch cl para fig vol pp op cf ed approx est
    u.s u.s.a u.k u.n e.g i.e a.m p.m d.c n.y l.a ph.d u.s.c c.f.r""".split()
)
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'“‘(\[]?[A-Z0-9§•]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LIST_START = re.compile(r"\s*(?:[•*\-–]\s|\(?[0-9a-zA-Z]{1,3}[.)]\s)")
_DATE_LINE = re.compile(
    r"\s*(?:[A-Za-z]+[ \t]+){0,2}(?:date|dated|published|posted)\s*:", re.IGNORECASE
)
_BULLET = re.compile(r"\s*[•*\-–]\s+")
_SHORT_LINE = 60


@dataclass(frozen=True)
class Proposal:
    """A possible event: a date mention, the sentence it is in, and a title for it."""

    id: str
    document: str
    when: str  # EDTF of the mention
    title: str
    quote: str  # the sentence, == document.text[start:end]
    start: int
    end: int
    mention_start: int
    mention_end: int
    mention_text: str
    confidence: float

    def as_dict(self) -> dict[str, object]:
        """The JSON form used by ``timeline-app propose --json``."""
        return {
            "id": self.id,
            "document": self.document,
            "when": self.when,
            "title": self.title,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "mention": {
                "start": self.mention_start,
                "end": self.mention_end,
                "text": self.mention_text,
            },
            "confidence": self.confidence,
        }


# ------------------------------------------------------------------------------- sentences


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end) offsets, without surrounding white space.

    A sentence ends at . ! or ? followed by a capital, a digit or a quote (not after an
    abbreviation such as "Jan.", "U.S." or "Ald.", nor an initial), at a blank line, and at
    a line break after a short line or before a list item (headings, address lines,
    bullet points)."""
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        start = block_start
        for cut in _cuts(text, block_start, block_end):
            _add_span(text, start, cut, spans)
            start = cut
        _add_span(text, start, block_end, spans)
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs and stand-alone lines: the text cut at blank lines and at line breaks that
    end a line (a short line, or a line ending with punctuation, or before a list item)."""
    blocks: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"\n", text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start : match.start()].rstrip()
        next_break = text.find("\n", match.end())
        following = text[match.end() : next_break if next_break >= 0 else len(text)]
        if (
            not line.strip()
            or not following.strip()
            or len(line.strip()) < _SHORT_LINE
            or line.endswith((".", "!", "?", ":", ";", ")", '"', "”"))
            or _LIST_START.match(following)
        ):
            blocks.append((start, match.start()))
            start = match.end()
    blocks.append((start, len(text)))
    return blocks


def _cuts(text: str, start: int, end: int) -> list[int]:
    cuts = []
    for match in _SENTENCE_END.finditer(text, start, end):
        if not _NEXT_STARTS_SENTENCE.match(text, match.end(), end):
            continue
        word = _WORD_BEFORE.search(text, max(start, match.start() - 24), match.start())
        if word is not None and text[match.start()] == ".":
            token = word.group(1).lower()
            if token in ABBREVIATIONS or len(token) == 1:
                continue
        cuts.append(match.end())
    return cuts


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    bullet = _BULLET.match(piece)
    if bullet:
        start, piece = start + bullet.end(), piece[bullet.end() :]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


def sentence_around(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The span of the sentence holding ``start``; joined with the following sentences when
    the text ``start:end`` runs on into them."""
    first = next((i for i, (s, e) in enumerate(spans) if s <= start < e), None)
    if first is None:
        return start, end
    last = first
    while last + 1 < len(spans) and spans[last][1] < end:
        last += 1
    return spans[first][0], spans[last][1]


def suggest_title(sentence: str, limit: int = TITLE_LIMIT) -> str:
    """A short event title from a sentence: one line, at most ``limit`` characters cut at a
    word, without list markers or trailing punctuation."""
    text = " ".join(sentence.split())
    text = re.sub(r"^(?:[•*\-–]\s+|\(?[0-9a-zA-Z]{1,2}[.)]\s+)", "", text)
    text = text.strip("\"'“”‘’ ([")
    if len(text) > limit:
        cut = text[: limit + 1]
        text = cut.rsplit(" ", 1)[0] if " " in cut else text[:limit]
    text = text.rstrip(" .,;:!?–—-\"'“”‘’(")
    return text[:1].upper() + text[1:] if text else ""


# ------------------------------------------------------------------------------- proposals


def document_anchor(document: Document) -> str | None:
    """The document's date as an anchor for relative mentions (a full day), or None."""
    match = re.match(r"(\d{4}-\d{2}-\d{2})", document.date or "")
    return match.group(1) if match else None


Sources = Sequence[tuple[SourceRef, str]]  # the passage sources citing one document, with event ids


def sources_by_document(case: Case) -> dict[str, list[tuple[SourceRef, str]]]:
    """Every passage source of the case's events, grouped by the document it quotes."""
    grouped: dict[str, list[tuple[SourceRef, str]]] = {}
    for event in case.events:
        for source in event.sources:
            if source.document is not None and source.quote:
                grouped.setdefault(source.document, []).append((source, event.id))
    return grouped


def citations_of(
    case: Case, document: Document, sources: Sources | None = None
) -> list[tuple[int, int, str]]:
    """The passages of ``document`` that events cite: (start, end, event id), in text order.

    A quote whose offsets no longer match is found again in the text; one that cannot be
    found is left out. ``sources`` (from :func:`sources_by_document`) saves looking through
    every event again."""
    if sources is None:
        sources = sources_by_document(case).get(document.id, [])
    found = []
    text = document.text
    for source, event_id in sources:
        start, end = source.start, source.end
        if start is None or end is None or text[start:end] != source.quote:
            located = locate_quote(text, source.quote, start, source.prefix, source.suffix)
            if located is None:
                continue
            start, end = located
        found.append((start, end, event_id))
    return sorted(found)


def cited_ranges(case: Case, document: Document) -> list[tuple[int, int]]:
    """The passages of ``document`` that events cite, as (start, end) offsets."""
    return [(start, end) for start, end, _ in citations_of(case, document)]


def propose_for_document(
    case: Case, document: Document, sources: Sources | None = None
) -> list[Proposal]:
    """The proposals for one document of ``case``, in text order."""
    text = document.text
    if not text:
        return []
    mentions = find_dates(text, document_anchor(document))
    cited = [(start, end) for start, end, _ in citations_of(case, document, sources)]
    spans = sentence_spans(text)
    proposals = []
    for mention in mentions:
        if _is_cited(mention, cited) or _on_date_line(text, mention) or not _valid(mention):
            continue
        start, end = sentence_around(spans, mention.start, mention.end)
        quote = text[start:end]
        proposals.append(
            Proposal(
                id=f"{document.id}/{mention.start}-{mention.end}",
                document=document.id,
                when=When.parse(mention.value).edtf,
                title=suggest_title(quote),
                quote=quote,
                start=start,
                end=end,
                mention_start=mention.start,
                mention_end=mention.end,
                mention_text=mention.text,
                confidence=mention.confidence,
            )
        )
    return proposals


def propose(
    case: Case,
    document_ids: Iterable[str] | None = None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Proposal]:
    """Proposals for the documents named (default: every document of the case with text).

    ``progress(done, total, title)`` is told before each document; when ``cancelled()``
    turns true the proposals found so far are returned. Raises KeyError naming an unknown
    document id."""
    documents = _documents(case, document_ids)
    grouped = sources_by_document(case)
    proposals: list[Proposal] = []
    for number, document in enumerate(documents):
        if cancelled is not None and cancelled():
            break
        if progress is not None:
            progress(number, len(documents), document.title or document.id)
        proposals.extend(propose_for_document(case, document, grouped.get(document.id, [])))
    return proposals


def _documents(case: Case, document_ids: Iterable[str] | None) -> list[Document]:
    if document_ids is None:
        return list(case.documents)
    documents = []
    for doc_id in document_ids:
        document = case.document_by_id(doc_id)
        if document is None:
            known = ", ".join(doc.id for doc in case.documents) or "none"
            raise KeyError(f"no document {doc_id!r} (documents: {known})")
        documents.append(document)
    return documents


def _is_cited(mention: DateMention, cited: Sequence[tuple[int, int]]) -> bool:
    return any(start <= mention.start and mention.end <= end for start, end in cited)


def _on_date_line(text: str, mention: DateMention) -> bool:
    """The mention is the document's own date, on a "Date:" line (or the line after one)."""
    line_start = text.rfind("\n", 0, mention.start) + 1
    if _DATE_LINE.match(text, line_start, mention.start):
        return True
    if text[line_start : mention.start].strip():
        return False
    previous_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    previous = text[previous_start : max(previous_start, line_start - 1)]
    return bool(_DATE_LINE.match(previous)) and previous.rstrip().endswith(":")


def _valid(mention: DateMention) -> bool:
    try:
        When.parse(mention.value)
    except DateError:
        return False
    return True


def event_from_proposal(
    case: Case,
    document: Document,
    proposal: Proposal,
    *,
    title: str | None = None,
    when: str | None = None,
    lane: str | None = None,
    taken: set[str] | None = None,
) -> Event:
    """A new event for ``case`` from a proposal (title and date as the user edited them),
    citing the proposal's sentence. ``taken`` collects ids given out, so that several
    events made before any is added still get distinct ids."""
    chosen_title = (title if title is not None else proposal.title).strip() or proposal.title
    event_id = suggest_event_id(Case(), chosen_title)  # the id made from the title alone
    event_id = unique_id(event_id, [ev.id for ev in case.events] + sorted(taken or ()))
    if taken is not None:
        taken.add(event_id)
    return Event(
        id=event_id,
        title=chosen_title,
        when=When.parse(when if when is not None else proposal.when),
        lane=lane,
        sources=[passage_source(document, proposal.start, proposal.end)],
    )
