"""Per-article CPU cost of each parse stage, and a fingerprint of what each stage produced.

Runs in one process on one core (CPU time, so a busy machine moves the figures less): for a
sample of each corpus it times HTML/text to article, then facts, events and people moves, and
prints milliseconds per article. `--dump FILE` writes every stage's output as JSON lines;
`--check FILE` compares this tree's output with such a dump and lists the first differences,
so a speed-up can be proved to change nothing.

    .venv/bin/python benchmarks/stages.py [--corpus NAME ...] [--limit N] [--dump F | --check F]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sources.files import FileItem, list_files, read_file  # noqa: E402
from transforms.documents import to_article  # noqa: E402
from transforms.events import extract_events  # noqa: E402
from transforms.facts import extract_facts  # noqa: E402
from transforms.people import extract_people  # noqa: E402

REPO_URL = REPO.as_uri()
SHARED = REPO.parent / "shared"
BENCH = Path("/tmp/chuhai-bench")
CORPORA = {
    "synthetic": BENCH / "synthetic-1000",
    "real": BENCH / "real-1000",
    "gold": SHARED / "gold" / "dev",
    "holdout": REPO / "tests",  # tests/holdout*, filtered below
    "samples": REPO / "samples",
    "extraction": SHARED / "benchmarks",
    "zh-news": SHARED / "pages" / "zh-news",
}
STAGES = ("article", "facts", "events", "people")


def corpus_files(name: str, limit: int) -> list[FileItem]:
    """The first `limit` readable files of a corpus, in a stable order."""
    root = CORPORA[name]
    if not root.exists():
        return []
    items = [i for i in list_files([root]) if isinstance(i, FileItem)]
    if name == "holdout":
        items = [i for i in items if i.path.parent.name.startswith("holdout") and i.path.suffix == ".txt"]
    if name == "gold":
        items = [i for i in items if i.path.suffix == ".txt"]
    items.sort(key=lambda i: str(i.path))
    return items[:limit]


def plain(value) -> object:
    """JSON-ready form of the extractors' dataclasses."""
    if dataclasses.is_dataclass(value):
        return {k: plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, str):
        return value.replace(REPO_URL, "file://<repo>")  # the same dump checks any checkout or worktree
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return str(value)


def run(names: list[str], limit: int) -> tuple[dict, list[dict]]:
    """CPU seconds per corpus and stage, and one output record per document and stage."""
    seconds: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    records: list[dict] = []
    for name in names:
        for item in corpus_files(name, limit):
            doc = read_file(item)
            key = f"{name}:{item.path.relative_to(CORPORA[name])}"
            started = time.process_time()
            try:
                article = to_article(doc)
            except Exception as exc:  # a page the pipeline refuses is an output too
                records.append({"doc": key, "stage": "article", "out": f"error {type(exc).__name__}"})
                continue
            now = time.process_time()
            seconds[name]["article"] += now - started
            records.append({"doc": key, "stage": "article", "out": plain(article)})
            for stage, fn in (("facts", extract_facts), ("events", extract_events), ("people", extract_people)):
                started = time.process_time()
                out = fn(article)
                seconds[name][stage] += time.process_time() - started
                records.append({"doc": key, "stage": stage, "out": plain(out)})
            seconds[name]["docs"] += 1
    return seconds, records


def report(seconds: dict) -> None:
    """Milliseconds per article, per corpus and stage."""
    print(f"{'corpus':<12}{'docs':>6}" + "".join(f"{s:>10}" for s in STAGES) + f"{'total':>10}   (ms/article, CPU)")
    for name, row in seconds.items():
        n = row["docs"] or 1
        total = sum(row[s] for s in STAGES)
        print(f"{name:<12}{int(row['docs']):>6}" + "".join(f"{row[s] * 1000 / n:>10.2f}" for s in STAGES)
              + f"{total * 1000 / n:>10.2f}")


def check(records: list[dict], path: Path, stages: set[str]) -> int:
    """Differences between this run's output and a dump; prints the first few per stage."""
    old = {(r["doc"], r["stage"]): r["out"] for r in map(json.loads, path.read_text().splitlines())}
    diffs: dict[str, list[str]] = defaultdict(list)
    for r in records:
        if r["stage"] not in stages:
            continue
        before = old.get((r["doc"], r["stage"]), "<missing>")
        if before != r["out"]:
            diffs[r["stage"]].append(r["doc"])
            if len(diffs[r["stage"]]) <= 3:
                print(f"DIFF {r['stage']} {r['doc']}\n  before: {json.dumps(before, ensure_ascii=False)[:600]}"
                      f"\n  after:  {json.dumps(r['out'], ensure_ascii=False)[:600]}")
    for stage in sorted(stages):
        print(f"{stage}: {len(diffs[stage])} document(s) differ")
    return sum(len(v) for v in diffs.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="*", default=list(CORPORA), choices=list(CORPORA))
    parser.add_argument("--limit", type=int, default=400, help="documents per corpus (default 400)")
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--check", type=Path)
    parser.add_argument("--stages", default=",".join(STAGES), help="stages compared by --check")
    args = parser.parse_args()
    run(args.corpus[:1], 5)  # warm: compile lazy grammars before timing
    seconds, records = run(args.corpus, args.limit)
    report(seconds)
    if args.dump:
        args.dump.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records))
    if args.check:
        return 1 if check(records, args.check, set(args.stages.split(","))) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
