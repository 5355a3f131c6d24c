"""A long paragraph (a pasted 800 KB synopsis) laid out as a PDF, against the same text at an
eighth of its length in the same run: linear layout gives a ratio near 8 (issue 11 measured
111 s for 800 KB before the text was laid out in pieces)."""

from __future__ import annotations

import random
import time
from datetime import datetime, timezone

from common import report

from taskforce.reports import blocks
from taskforce.reports.document import DocumentInfo, render_pdf
from taskforce.reports.markings import marking_for

WORDS = ("courier", "shipment", "Blaine", "container", "surveillance", "Lynden", "storage", "unit",
         "placed", "tractor-trailer", "cocaine.")


def _text(kb: int) -> str:
    rng = random.Random(kb)
    out, n = [], 0
    while n < kb * 1024:
        word = rng.choice(WORDS)
        out.append(word)
        n += len(word) + 1
    return " ".join(out)


def _seconds(kb: int) -> float:
    info = DocumentInfo(title="Long synopsis", kind="case-briefing", marking=marking_for("les"),
                        printed_by="bench", printed_at=datetime.now(timezone.utc))
    start = time.perf_counter()
    render_pdf(info, [blocks.paragraph(_text(kb))])
    return time.perf_counter() - start


def main() -> dict:
    small, large = _seconds(100), _seconds(800)
    return report("long_text", synopsis_100kb_s=round(small, 2), synopsis_800kb_s=round(large, 2),
                  ratio=round(large / small, 1), target="linear: ratio ≤ 12", ok=large / small <= 12)


if __name__ == "__main__":
    main()
