#!/usr/bin/env python3
"""Score transforms.facts on a gold folder fast, without the warehouse.

usage: eval_facts.py [--gold DIR] [--pred FILE] [--verbose]
Reads NAME.txt (front matter: url, title, published, lang), extracts facts, writes
predictions JSONL with a "url" field and runs ../shared/tools/score_facts.py on them.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
from dataclasses import asdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.documents import decode_text, text_to_article  # noqa: E402
from transforms.facts import extract_facts  # noqa: E402
from transforms.model import Article  # noqa: E402

SCORER = ROOT.parent / "shared" / "tools" / "score_facts.py"
DEFAULT_GOLD = ROOT.parent / "shared" / "gold" / "dev"


def read_article(path: pathlib.Path) -> Article:
    """An Article from a gold .txt, read exactly as an ingest reads a text file (front matter, unwrapping)."""
    return text_to_article(decode_text(path.read_bytes(), str(path)), path.stem)


def predict(gold_dir: pathlib.Path) -> list[dict]:
    """Facts of every article in the folder as JSON-ready dicts with their url."""
    rows = []
    for path in sorted(gold_dir.glob("*.txt")):
        article = read_article(path)
        for fact in extract_facts(article):
            rows.append({"url": article.url, **asdict(fact)})
    return rows


def f1_by_level(gold_dir: pathlib.Path, script: str | None = None) -> dict[str, float]:
    """F1 per scoring level (value, metric, full) over a gold folder, by the shared scorer's own rules;
    with `script` ('en', 'zh', 'hant'), over the articles whose file name starts with it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("score_facts", SCORER)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold = scorer.load_gold(gold_dir)
    if script is not None:
        gold = {url: facts for url, facts in gold.items() if scorer.SCRIPTS.get(url) == script}
    pred: dict[str, list[dict]] = {}
    for row in predict(gold_dir):
        pred.setdefault(row["url"], []).append(row)
    out = {}
    for level in scorer.LEVELS:
        tp = fp = fn = 0
        for url, facts in gold.items():
            a_tp, a_fp, a_fn, _, _ = scorer.score_article(facts, pred.get(url, []), level)
            tp, fp, fn = tp + a_tp, fp + a_fp, fn + a_fn
        out[level] = scorer.prf(tp, fp, fn)[2]
    return out


def main(argv: list[str] | None = None) -> int:
    """Write predictions and print the scorer's report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=pathlib.Path, default=DEFAULT_GOLD)
    ap.add_argument("--pred", type=pathlib.Path, default=pathlib.Path("/tmp/chuhai_facts_pred.jsonl"))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--by-script", action="store_true", help="F1 per script too (file prefixes en_, zh_, hant_)")
    args = ap.parse_args(argv)
    rows = predict(args.gold)
    args.pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    cmd = [sys.executable, str(SCORER), "--pred", str(args.pred), "--gold", str(args.gold)]
    cmd += ["--verbose"] if args.verbose else []
    cmd += ["--json"] if args.json else []
    cmd += ["--by-script"] if args.by_script else []
    return subprocess.run(cmd, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
