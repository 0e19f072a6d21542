"""Documents to proposals: reading N generated text documents (``read_documents``, as the
import does in its worker) and proposing events from them (``propose``).

Each document is a page of meeting minutes with a "Date:" line and a dozen sentences that
each hold a date. ``--json`` prints {"documents", "mb", "read_seconds", "read_mb_per_s",
"propose_seconds", "propose_mb_per_s", "proposals"}.

    python bench/documents.py --documents 1000 --json
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from timeline_app.core.documents import documents_for, read_documents
from timeline_app.core.model import Case
from timeline_app.core.propose import propose

MONTHS = "January February March April May June July August September October November December"


def write_documents(folder: Path, count: int, seed: int = 1) -> int:
    """``count`` minutes files in ``folder``; their total size in bytes."""
    rng = random.Random(seed)
    months = MONTHS.split()
    size = 0
    for number in range(count):
        sentences = [
            f"The committee met on {rng.choice(months)} {rng.randint(1, 28)}, "
            f"{rng.randint(2010, 2020)} to discuss item {item} of the agenda. Members of the "
            f"public spoke for {rng.randint(2, 40)} minutes, and the chair promised a vote on "
            "Friday."
            for item in range(12)
        ]
        text = (
            f"Minutes {number}\n\nDate: {rng.choice(months)} {rng.randint(1, 28)}, 2017\n\n"
            + "\n\n".join(sentences)
            + "\n"
        )
        path = folder / f"minutes-{number:04d}.txt"
        path.write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        size = write_documents(Path(tmp), args.documents)
        started = time.perf_counter()
        batch = read_documents([Path(tmp)])
        read_seconds = time.perf_counter() - started
    case = Case()
    case.documents = documents_for(case, batch.read)
    started = time.perf_counter()
    proposals = propose(case)
    propose_seconds = time.perf_counter() - started
    mb = size / 1e6
    result = {
        "documents": len(batch.read),
        "mb": round(mb, 3),
        "read_seconds": round(read_seconds, 3),
        "read_mb_per_s": round(mb / read_seconds, 2),
        "propose_seconds": round(propose_seconds, 3),
        "propose_mb_per_s": round(mb / propose_seconds, 2),
        "proposals": len(proposals),
    }
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
