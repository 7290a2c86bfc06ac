"""Score `articles.body` of a warehouse built by `chuhai ingest BENCH/html --db DB` against the benchmark's truth.

usage: python benchmarks/ingested_bodies.py DB ../shared/benchmarks/article-extraction

This measures the whole ingest path (decode, HTML to article, storage), not the
extractor alone: a page that failed to ingest scores 0.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
from bodyscore import score_body  # benchmarks/bodyscore.py, beside this script


def stored_bodies(db: str) -> tuple[dict[str, str], int]:
    """Body per benchmark page id (the file name), and the number of ingest errors."""
    con = duckdb.connect(db, read_only=True)
    try:
        bodies = {Path(url).name.removesuffix(".html"): body
                  for url, body in con.execute("select url, body from articles").fetchall()}
        errors = con.execute("select count(*) from ingest_errors").fetchone()[0]
    finally:
        con.close()
    return bodies, errors


def main(db: str, bench: str) -> None:
    """Print mean precision, recall, F1 and the share of pages with F1 >= 0.9."""
    folder = Path(bench)
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    bodies, errors = stored_bodies(db)
    scores = [score_body(bodies.get(page), item["articleBody"]) for page, item in truth.items()]
    n = len(scores)
    mean = {k: sum(getattr(s, k) for s in scores) / n for k in ("precision", "recall", "f1")}
    share = sum(s.f1 >= 0.9 for s in scores) / n
    print(f"{folder.name}: pages {n}, in warehouse {sum(p in bodies for p in truth)}, ingest_errors {errors}: "
          f"P {mean['precision']:.3f} R {mean['recall']:.3f} F1 {mean['f1']:.3f} share F1>=0.9 {share:.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
