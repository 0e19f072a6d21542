"""A standalone HTML page for a case: one file that works offline.

It holds the timeline picture (inline SVG made by the UI layer, each drawn event marked with
``data-id``), the events in time order with human dates, and each event's sources: the quoted
passage with some context around it, highlighted with ``<mark>``, or the citation with its
link. Clicking an event on the timeline or in the list shows its details (a few lines of
inline script). Every piece of case text is escaped; nothing is loaded from elsewhere (a
Content-Security-Policy allows only this page's style, its one script by hash, and data:
images); links go out only to http(s) citations, with rel="noopener noreferrer".
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from html import escape
from urllib.parse import urlsplit

from timeline_app.core.dates import MONTH_NAMES
from timeline_app.core.model import Case, Citation, Event, SourceRef

CONTEXT_CHARS = 240  # of document text shown either side of a quote

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;color:#23272e;
margin:0 auto;max-width:1152px;padding:24px}p{margin:.3em 0}h4{margin:.6em 0 .2em}
h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.2em;margin:1.5em 0 .5em}
.meta,.when,footer.page{color:#6b7280}.when{margin:.1em 0 .4em}
figure{margin:1em -24px;overflow-x:auto}
figure svg{max-width:100%;height:auto;display:block}
figcaption{color:#6b7280;font-size:.9em;padding:0 32px 12px}
svg .hit{fill:transparent;cursor:pointer}svg .hit:hover,svg .hit.on{fill:rgba(26,102,217,.08);
stroke:#1a66d9;stroke-width:1.5}
#detail{border:2px solid #1a66d9;border-radius:8px;padding:4px 16px;margin:1em 0;background:#f7f9fd}
ol.events{list-style:none;padding:0}ol.events>li{border-top:1px solid #dfe2e7;padding:.6em 0;
cursor:pointer}ol.events>li.on{background:#f7f9fd}
h3{font-size:1.05em;margin:0}.lane{display:inline-block;width:.7em;height:.7em;border-radius:50%;
margin-right:.4em}
blockquote{margin:.5em 0;padding:.3em .8em;border-left:3px solid #dfe2e7;white-space:pre-wrap}
mark{background:#fff0a8}cite{font-style:normal;font-weight:600}.note{color:#6b7280}
"""

SCRIPT = """
(function(){
var items={};document.querySelectorAll('ol.events>li').forEach(function(li){
items[li.dataset.id]=li;li.addEventListener('click',function(){show(li.dataset.id,false);});});
var detail=document.getElementById('detail');
function show(id,fromTimeline){var li=items[id];if(!li)return;
document.querySelectorAll('.on').forEach(function(e){e.classList.remove('on');});
li.classList.add('on');document.querySelectorAll('svg .hit').forEach(function(r){
if(r.dataset.id===id)r.classList.add('on');});
detail.replaceChildren(li.firstElementChild.cloneNode(true));detail.hidden=false;
if(fromTimeline)detail.scrollIntoView({block:'nearest'});}
document.querySelectorAll('svg .hit').forEach(function(r){
r.addEventListener('click',function(){show(r.dataset.id,true);});});
})();
"""


def content_security_policy(script: str = SCRIPT) -> str:
    """Nothing from elsewhere: inline style, this script (by hash), data: images."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    )


def human_day(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def html_page(
    case: Case, timeline_svg: str, subtitle: str = "", exported_on: dt.date | None = None
) -> str:
    """The page for ``case``; ``timeline_svg`` is trusted markup (made by the exporter)."""
    title = escape(case.title or "Untitled case")
    exported = human_day(exported_on or dt.date.today())
    events = case.events_in_time_order()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="timeline-app">',
        f"<title>{title}</title><style>{STYLE}</style></head><body>",
        f"<header><h1>{title}</h1>",
        f'<p class="desc">{escape(case.description)}</p>' if case.description else "",
        f'<p class="meta">{escape(subtitle)}</p>' if subtitle else "",
        "</header>",
        f'<figure class="timeline">{timeline_svg}',
        "<figcaption>Click an event to see its details and sources.</figcaption></figure>",
        '<section id="detail" hidden aria-live="polite"></section>',
        f'<main><h2>Events ({len(events):,})</h2><ol class="events">',
        *(event_item(case, ev) for ev in events),
        "</ol></main>",
        f'<footer class="page">Exported {exported} from timeline-app</footer>',
        f"<script>{SCRIPT}</script></body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def event_item(case: Case, event: Event) -> str:
    """One event of the list: title, date and lane, summary, tags, actors, sources."""
    lane = case.lane_by_id(event.lane)
    lane_html = ""
    if lane is not None:
        colour = lane.colour if _is_colour(lane.colour) else "#8a8f98"
        lane_html = f' · <span class="lane" style="background:{colour}"></span>{escape(lane.name)}'
    lines = [
        f'<li data-id="{escape(event.id)}"><article>',
        f"<h3>{escape(event.title)}</h3>",
        f'<p class="when">{escape(event.when.human())}{lane_html}</p>',
    ]
    if event.summary:
        lines.append(f"<p>{escape(event.summary)}</p>")
    for label, values in (("Actors", event.actors), ("Tags", event.tags)):
        if values:
            lines.append(f'<p class="meta">{label}: {escape(", ".join(values))}</p>')
    sources = [source_html(case, source) for source in event.sources]
    if sources:
        lines.append("<h4>Sources</h4>" + "".join(sources))
    lines.append("</article></li>")
    return "".join(lines)


def source_html(case: Case, source: SourceRef) -> str:
    """A passage (quote in context, marked) with its document, or a citation."""
    note = f'<p class="note">{escape(source.note)}</p>' if source.note else ""
    if source.is_passage:
        document = case.document_by_id(source.document)
        before, quote, after = passage_in_context(source, document.text if document else "")
        cite = document_citation(case, source.document)
        return (
            f"<blockquote><p>{escape(before)}<mark>{escape(quote)}</mark>{escape(after)}</p>"
            f"<footer>{cite}</footer></blockquote>{note}"
        )
    if source.citation is not None:
        return f"<p>{citation_html(source.citation)}</p>{note}"
    return note


def passage_in_context(source: SourceRef, text: str) -> tuple[str, str, str]:
    """(context before, quote, context after): the quote where its offsets (or a search)
    find it in ``text``, else the stored prefix and suffix."""
    quote = source.quote
    start = source.start
    if start is None or text[start : start + len(quote)] != quote:
        found = text.find(quote) if text and quote else -1
        start = found if found >= 0 else None
    if start is None:
        return _ellipsis_before(source.prefix), quote, _ellipsis_after(source.suffix)
    end = start + len(quote)
    lo = max(0, start - CONTEXT_CHARS)
    hi = min(len(text), end + CONTEXT_CHARS)
    before = text[lo:start]
    after = text[end:hi]
    if lo > 0:
        before = "…" + before[before.find(" ") + 1 :] if " " in before else "…" + before
    if hi < len(text):
        after = after[: after.rfind(" ")] + "…" if " " in after else after + "…"
    return before, quote, after


def _ellipsis_before(prefix: str) -> str:
    return f"…{prefix}" if prefix else ""


def _ellipsis_after(suffix: str) -> str:
    return f"{suffix}…" if suffix else ""


def document_citation(case: Case, document_id: str | None) -> str:
    document = case.document_by_id(document_id)
    if document is None:
        return f"<cite>{escape(document_id or 'unknown document')}</cite>"
    parts = [f"<cite>{escape(document.title or document.id)}</cite>"]
    if document.author:
        parts.append(escape(document.author))
    if document.date:
        parts.append(escape(document.date))
    if document.citation is not None:
        parts.append(citation_html(document.citation))
    return "— " + ", ".join(parts)


def citation_html(citation: Citation) -> str:
    """The citation's label, linked when its URL is http(s)."""
    label = escape(citation.label() or citation.url)
    url = citation.url.strip()
    if not is_web_url(url):
        return label
    return f'<a href="{escape(url)}" rel="noopener noreferrer" target="_blank">{label}</a>'


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _is_colour(text: str) -> bool:
    body = text[1:] if text.startswith("#") else ""
    return len(body) in (3, 6, 8) and all(c in "0123456789abcdefABCDEF" for c in body)
