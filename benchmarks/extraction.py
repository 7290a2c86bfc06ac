"""Benchmark HTML -> article body: Chuhai vs trafilatura vs readability-lxml, same run, one core.

For each benchmark set in ../shared/benchmarks it prints mean precision, recall and F1 (the
README's bag-of-tokens metric, benchmarks/bodyscore.py), the share of pages with F1 >= 0.9 and
pages per second; Chuhai's time is split into decode, clean, parse and extract. For the 62
heavy pages in ../shared/pages/zh-news it prints pages per second of lxml parse alone,
BeautifulSoup(lxml) parse alone, trafilatura.extract and Chuhai (decode + html_to_article).

Usage: .venv/bin/python benchmarks/extraction.py [--limit N] [--only chuhai] [--worst K] [--wall]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bodyscore import BodyScore, score_body  # noqa: E402
from lxml import etree  # noqa: E402

from transforms.article.preclean import PARSER, preclean  # noqa: E402
from transforms.decode import DecodeError, decode_html  # noqa: E402
from transforms.html_article import ExtractionError, html_to_article  # noqa: E402

SHARED = REPO.parent / "shared"
# CPU time of this process by default: the machine is shared, and wall time then measures the
# neighbours as much as the extractor; --wall switches to wall-clock time.
TIMER: Callable[[], float] = time.process_time
SETS = ("article-extraction", "chinese-web-content")
ZH_NEWS = SHARED / "pages" / "zh-news"


@dataclass
class Run:
    """Scores and timings of one extractor over one benchmark set."""

    name: str
    scores: list[BodyScore] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    seconds: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)

    def row(self) -> str:
        """One Markdown table row."""
        n = len(self.scores) or 1
        p = sum(s.precision for s in self.scores) / n
        r = sum(s.recall for s in self.scores) / n
        f1 = sum(s.f1 for s in self.scores) / n
        share = sum(s.f1 >= 0.9 for s in self.scores) / n
        speed = len(self.scores) / self.seconds if self.seconds else 0.0
        return f"| {self.name} | {p:.3f} | {r:.3f} | {f1:.3f} | {share:.3f} | {speed:.1f} |"


def pin_one_core() -> None:
    """Run on one CPU so the pages/s figures are single-core (where the OS allows it)."""
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        except OSError:
            pass


def load_set(name: str, limit: int | None) -> list[tuple[str, bytes, str]]:
    """(id, raw bytes, ground-truth body) of a benchmark set's pages."""
    folder = SHARED / "benchmarks" / name
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, item in list(truth.items())[:limit]:
        path = folder / "html" / f"{page_id}.html"
        data = path.read_bytes() if path.exists() else b""
        pages.append((page_id, data, item["articleBody"]))
    return pages


def chuhai_body(data: bytes, parts: dict[str, float]) -> str:
    """Chuhai's body of raw bytes, adding decode/clean/parse/extract seconds to parts."""
    t0 = TIMER()
    try:
        text = decode_html(data)
    except DecodeError:
        parts["decode"] = parts.get("decode", 0.0) + TIMER() - t0
        return ""
    t1 = TIMER()
    try:
        body = html_to_article(text, "").body
    except ExtractionError:
        body = ""
    t2 = TIMER()
    # clean and parse are re-run alone to split html_to_article's time; extract is the rest
    cleaned, _ = preclean(text)
    t3 = TIMER()
    try:
        etree.fromstring(cleaned, parser=PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        pass
    t4 = TIMER()
    parts["decode"] = parts.get("decode", 0.0) + t1 - t0
    parts["clean"] = parts.get("clean", 0.0) + t3 - t2
    parts["parse"] = parts.get("parse", 0.0) + t4 - t3
    parts["extract"] = parts.get("extract", 0.0) + (t2 - t1) - (t4 - t2)
    return body


def trafilatura_body(data: bytes) -> str:
    """trafilatura.extract on the raw bytes, default settings (as the README's figures)."""
    import trafilatura

    return trafilatura.extract(data) or ""


def readability_body(data: bytes) -> str:
    """readability-lxml summary() converted to text with lxml's text_content()."""
    import lxml.html
    from readability import Document

    summary = Document(data).summary()
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


def run_extractor(name: str, pages: list, extract: Callable[[bytes], str]) -> Run:
    """Score one extractor over pages; time only the extraction calls."""
    run = Run(name)
    for page_id, data, truth in pages:
        start = TIMER()
        try:
            body = extract(data)
        except Exception:  # a failing third-party extractor scores zero, as the README says
            body = ""
        run.seconds += TIMER() - start
        run.scores.append(score_body(body, truth))
        run.ids.append(page_id)
    return run


def run_chuhai(pages: list) -> Run:
    """Score Chuhai over pages with its time split into steps (the re-run split is not timed)."""
    run = Run("chuhai")
    for page_id, data, truth in pages:
        parts: dict[str, float] = {}
        body = chuhai_body(data, parts)
        run.seconds += parts.get("decode", 0.0) + parts.get("clean", 0.0) + parts.get("parse", 0.0) + parts.get("extract", 0.0)
        for key, value in parts.items():
            run.parts[key] = run.parts.get(key, 0.0) + value
        run.scores.append(score_body(body, truth))
        run.ids.append(page_id)
    return run


def print_set(name: str, runs: list[Run], worst: int) -> None:
    """The table of one benchmark set, Chuhai's time split and its worst pages."""
    print(f"\n### {name} ({len(runs[0].scores)} pages)\n")
    print("| extractor | P | R | F1 | share F1 >= 0.9 | pages/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for run in runs:
        print(run.row())
    chuhai = runs[0]
    total = sum(chuhai.parts.values()) or 1.0
    split = ", ".join(f"{k} {v / len(chuhai.scores) * 1000:.2f} ms ({v / total:.0%})" for k, v in chuhai.parts.items())
    print(f"\nchuhai time per page: {split}")
    if worst:
        ranked = sorted(zip(chuhai.scores, chuhai.ids, strict=True), key=lambda pair: pair[0].f1)[:worst]
        print(f"\nchuhai worst {worst}: " + "; ".join(f"{i[:12]} F1 {s.f1:.2f} (P {s.precision:.2f} R {s.recall:.2f})" for s, i in ranked))


def time_zh_news(only_chuhai: bool) -> None:
    """Pages/s over the heavy zh-news pages for parsers alone, trafilatura and Chuhai."""
    files = sorted(ZH_NEWS.glob("*.html"))
    if not files:
        print("\n(zh-news pages not available)")
        return
    raw = [f.read_bytes() for f in files]
    texts = [decode_html(b) for b in raw]
    steps: list[tuple[str, Callable[[int], object]]] = [
        ("lxml.html parse only", lambda i: etree.fromstring(texts[i], parser=etree.HTMLParser())),
        ("chuhai decode + html_to_article", lambda i: html_to_article(decode_html(raw[i]), "")),
    ]
    if not only_chuhai:
        import trafilatura
        from bs4 import BeautifulSoup

        steps.insert(1, ("BeautifulSoup(html, 'lxml') parse only", lambda i: BeautifulSoup(texts[i], "lxml")))
        steps.insert(2, ("trafilatura.extract", lambda i: trafilatura.extract(raw[i])))
    print(f"\n### zh-news ({len(files)} pages, mean {sum(map(len, raw)) / len(raw) / 1024:.0f} KB)\n")
    print("| step | pages/s |")
    print("| --- | --- |")
    for label, step in steps:
        start = TIMER()
        for i in range(len(files)):
            step(i)
        print(f"| {label} | {len(files) / (TIMER() - start):.1f} |")


def main() -> None:
    """Parse arguments, run every benchmark, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each set")
    parser.add_argument("--only", choices=["chuhai"], help="skip trafilatura and readability")
    parser.add_argument("--worst", type=int, default=10, help="list Chuhai's K worst pages per set")
    parser.add_argument("--wall", action="store_true", help="time with the wall clock, not CPU time")
    args = parser.parse_args()
    if args.wall:
        global TIMER
        TIMER = time.perf_counter
    pin_one_core()
    for name in SETS:
        if not (SHARED / "benchmarks" / name / "ground-truth.json").exists():
            print(f"\n({name} not available)")
            continue
        pages = load_set(name, args.limit)
        runs = [run_chuhai(pages)]
        if not args.only:
            runs.append(run_extractor("trafilatura 2.3.1", pages, trafilatura_body))
            runs.append(run_extractor("readability-lxml 0.9", pages, readability_body))
        print_set(name, runs, args.worst)
    time_zh_news(bool(args.only))


if __name__ == "__main__":
    main()
