"""Search benchmark: index build time and query latency on a large generated case.

N documents of about 500 words (seeded random words from a vocabulary with a Zipf-like
distribution, plus names and dates, in paragraphs) and 100,000 events (dates, lanes and tags from
bench/synth.py; generated titles, summaries and actors). Builds the index into a temporary file,
then times a fixed mix of 50 queries (single words, phrases, prefixes, filters), three rounds,
each ``SearchIndex.search(q, limit=20)`` call including the hits' snippets and offsets.

    python bench/search.py --docs 10000 --json
prints {"docs", "events", "build_s", "query_ms_median", "query_ms_p95", "index_mb", ...}.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth import make_case  # noqa: E402

from timeline_app.core.model import Case, Document  # noqa: E402
from timeline_app.core.search import SearchIndex  # noqa: E402

SYLLABLES = [a + b for a in "bcdfghklmnprstvz" for b in ("a", "e", "i", "o", "u", "ai", "ou")]
FIRST = [
    "Ana",
    "Ben",
    "Chen",
    "Dana",
    "Emil",
    "Fatima",
    "Goran",
    "Hana",
    "Ivan",
    "José",
    "Kofi",
    "Lena",
    "Marisabel",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tomás",
]
LAST = [
    "Barrett",
    "Flynn",
    "Pérez",
    "Cabrera",
    "Dupuis",
    "Harpole",
    "Yerkes",
    "Okafor",
    "Müller",
    "Nguyen",
    "Kowalski",
    "Haddad",
    "Silva",
    "Tanaka",
    "Novak",
    "O'Brien",
    "Ivanova",
    "Smith",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip


class Corpus:
    """Seeded random text: Zipf-distributed words, names and dates."""

    def __init__(self, seed: int, vocabulary: int = 20_000) -> None:
        self.rnd = random.Random(seed)
        words: set[str] = set()
        while len(words) < vocabulary:
            n = self.rnd.choice((1, 2, 2, 3, 3, 3, 4))
            words.add("".join(self.rnd.choice(SYLLABLES) for _ in range(n)))
        self.words = sorted(words, key=lambda w: (len(w), w))
        self.rnd.shuffle(self.words)
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(vocabulary)]
        self.cum = list(itertools.accumulate(weights))
        self.names = [f"{f} {s}" for f in FIRST for s in LAST]

    def word_run(self, n: int) -> list[str]:
        return self.rnd.choices(self.words, cum_weights=self.cum, k=n)

    def sentence(self, n: int) -> str:
        words = self.word_run(n)
        roll = self.rnd.random()
        if roll < 0.15:
            words.insert(self.rnd.randrange(len(words)), self.rnd.choice(self.names))
        elif roll < 0.22:
            day = self.rnd.randint(1, 28)
            words.insert(
                self.rnd.randrange(len(words)),
                f"{day} {self.rnd.choice(MONTHS)} 20{self.rnd.randint(10, 19)}",
            )
        return " ".join(words).capitalize() + self.rnd.choice(".....?;")

    def paragraph(self, n_words: int) -> str:
        out, count = [], 0
        while count < n_words:
            k = self.rnd.randint(6, 22)
            out.append(self.sentence(k))
            count += k
        return " ".join(out)

    def document(self, n_words: int = 500) -> str:
        paras, count = [], 0
        while count < n_words:
            k = self.rnd.randint(40, 130)
            paras.append(self.paragraph(k))
            count += k
        return "\n\n".join(paras)


def make_bench_case(n_docs: int, n_events: int, seed: int = 7) -> tuple[Case, Corpus]:
    corpus = Corpus(seed)
    case = make_case(n_events)
    for ev in case.events:
        ev.title = " ".join(corpus.word_run(corpus.rnd.randint(3, 8))).capitalize()
        ev.summary = corpus.paragraph(corpus.rnd.randint(10, 40))
        ev.actors = [corpus.rnd.choice(corpus.names) for _ in range(corpus.rnd.randint(0, 2))]
    for i in range(n_docs):
        title = " ".join(corpus.word_run(corpus.rnd.randint(3, 9))).capitalize()
        date = f"20{corpus.rnd.randint(0, 19):02d}-{corpus.rnd.randint(1, 12):02d}"
        case.documents.append(Document(f"doc{i}", title, date, text=corpus.document()))
    return case, corpus


def query_mix(corpus: Corpus, case: Case) -> list[str]:
    """50 queries: 14 words, 10 phrases, 10 prefixes, 16 with filters or exclusions."""
    rnd = random.Random(99)
    by_rank = corpus.words
    words = [by_rank[r] for r in (3, 10, 30, 60, 100, 200, 400, 800, 1500, 3000, 6000, 12000)]
    words += ["Flynn", "Marisabel"]
    phrases = []
    for doc in rnd.sample(case.documents, 10):
        toks = doc.text.split()
        i = rnd.randrange(len(toks) - 2)
        phrases.append('"' + " ".join(t.strip(".?;") for t in toks[i : i + 2]) + '"')
    prefixes = [by_rank[r][:3] + "*" for r in (5, 50, 150, 500, 1000)]
    prefixes += [by_rank[r][:5] + "*" for r in (20, 250, 700, 2000, 5000)]
    mid = [by_rank[r] for r in (40, 90, 300, 700, 1200, 2500)]
    filters = [
        f"{mid[0]} lane:g3",
        f"{mid[1]} lane:G5",
        f"{mid[2]} tag:range",
        f"{mid[3]} tag:point",
        f"{mid[4]} after:2015",
        f"{mid[5]} before:2003-06",
        f"{mid[0]} after:2010-01 before:2010-12",
        f"{mid[1]} -{by_rank[500]}",
        f"{mid[2]} {mid[3]}",
        f"{mid[4]} OR {mid[5]}",
        f"{mid[2]} doc:doc17",
        "after:2019-12-25",
        "before:2000-01-05",
        "lane:g2 after:2012-05-01 before:2012-05-03",
        "tag:range after:2018-03-01 before:2018-03-02",
        f'"{corpus.names[5]}" lane:g1',
    ]
    mix = words + phrases + prefixes + filters
    assert len(mix) == 50, len(mix)
    return mix


def run(n_docs: int, n_events: int, rounds: int = 3) -> dict:
    case, corpus = make_bench_case(n_docs, n_events)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.sqlite"
        t0 = time.perf_counter()
        index = SearchIndex.build(case, path)
        build_s = time.perf_counter() - t0
        index_mb = path.stat().st_size / 1e6
        mix = query_mix(corpus, case)
        hit_counts = [len(index.search(q, limit=20)) for q in mix]  # warm-up
        times = []
        for _ in range(rounds):
            for q in mix:
                t = time.perf_counter()
                index.search(q, limit=20)
                times.append((time.perf_counter() - t) * 1000)
        index.close()
    times.sort()
    return {
        "docs": n_docs,
        "events": n_events,
        "build_s": round(build_s, 2),
        "query_ms_median": round(statistics.median(times), 3),
        "query_ms_p95": round(times[int(0.95 * (len(times) - 1))], 3),
        "index_mb": round(index_mb, 1),
        "query_ms_max": round(times[-1], 3),
        "queries_with_hits": sum(1 for n in hit_counts if n),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    args = parser.parse_args()
    result = run(args.docs, args.events)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
