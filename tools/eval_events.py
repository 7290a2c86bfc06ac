#!/usr/bin/env python3
"""Score events and people moves on a gold folder fast, without the warehouse.

usage: eval_events.py [--gold DIR] [--verbose] [--json]
Reads NAME.txt beside NAME.events.jsonl exactly as an ingest reads a text file, extracts
events and people moves, and scores them by ../shared/tools/score_events.py's own rules.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import pathlib
import sys
from dataclasses import asdict
from types import ModuleType

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.documents import decode_text, text_to_article  # noqa: E402
from transforms.events import extract_events  # noqa: E402
from transforms.people import extract_people  # noqa: E402

SCORER = ROOT.parent / "shared" / "tools" / "score_events.py"
DEFAULT_GOLD = ROOT.parent / "shared" / "gold" / "moves"


def scorer() -> ModuleType:
    """The shared scorer as a module, so its matching rules are the ones used here."""
    spec = importlib.util.spec_from_file_location("score_events", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict(gold_dir: pathlib.Path) -> dict[str, dict[str, list[dict]]]:
    """Events and moves of every article beside a gold file, keyed by the article's url."""
    pred: dict[str, dict[str, list[dict]]] = {}
    for path in sorted(gold_dir.glob("*.txt")):
        article = text_to_article(decode_text(path.read_bytes(), str(path)), path.stem)
        pred[article.url] = {"events": [asdict(e) for e in extract_events(article)],
                             "moves": [asdict(m) for m in extract_people(article)]}
    return pred


def f1_by_level(gold_dir: pathlib.Path, script: str | None = None) -> dict[str, dict[str, float]]:
    """F1 per kind and level ({'events': {'type', 'full'}, 'moves': {'person', 'full'}}) over a folder;
    with `script` ('en', 'zh', 'hant'), over the articles whose file name starts with it."""
    module = scorer()
    gold = module.load_gold(gold_dir, [gold_dir])
    if script is not None:
        names = (p.name[: -len(module.GOLD_SUFFIX)] for p in gold_dir.glob(f"*{module.GOLD_SUFFIX}"))
        keep = {module.article_url(name, [gold_dir]) for name in names if f"_{script}_" in f"_{name}"}
        gold = {url: items for url, items in gold.items() if url in keep}
    totals, _ = module.score(gold, predict(gold_dir))
    return {kind: {level: t["f1"] for level, t in levels.items()} for kind, levels in totals.items()}


def main(argv: list[str] | None = None) -> int:
    """Print the scorer's report for the folder."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=pathlib.Path, default=DEFAULT_GOLD)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--by-script", action="store_true", help="F1 per script too (names with en_, zh_, hant_)")
    args = ap.parse_args(argv)
    module = scorer()
    gold = module.load_gold(args.gold, [args.gold])
    totals, details = module.score(gold, predict(args.gold))
    if args.json:
        print(json.dumps(totals))
        return 0
    if args.verbose:
        module.print_details(details)
        print()
    module.print_totals(gold, [], totals)
    if args.by_script:
        for script in ("en", "hant", "zh"):
            f1 = f1_by_level(args.gold, script)
            print(f"{script:>5}: events type {f1['events']['type']:.3f} full {f1['events']['full']:.3f}"
                  f"  moves person {f1['moves']['person']:.3f} full {f1['moves']['full']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
