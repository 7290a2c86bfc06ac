"""`make bench`: how fast Chuhai ingests, stage by stage, against its floors and trafilatura.

For each synthetic corpus size (1,000 and 10,000; 100,000 with --full) and for 1,000 copies of
the real pages in ../shared/pages/zh-news, it runs `chuhai ingest` twice as a separate process
(a first load, then the unchanged corpus again) and prints one table: articles/s with and
without Prefect's start-up, seconds and share per stage, peak RSS of the whole process tree,
the incremental re-run as a share of the first, and, on the same files in this process on one
core, reading alone, lxml.html parsing alone, trafilatura's extract and Chuhai's HTML-to-text
stage. It ends with the view times on a warehouse of 1,000,000 facts and the targets, met or not.

    .venv/bin/python benchmarks/bench.py [--full] [--sizes 1000,10000] [--no-real] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import corpus  # noqa: E402
import facts_warehouse  # noqa: E402
from floors import Floors, measure_floors  # noqa: E402
from runs import IngestRun, run_ingest  # noqa: E402

WORK = Path(os.environ.get("CHUHAI_BENCH_DIR", "/tmp/chuhai-bench"))
PAGES = Path(os.environ.get("CHUHAI_SHARED", REPO.parent / "shared")) / "pages" / "zh-news"
STAGES = ("read", "html_to_text", "extract", "frames", "load", "load_orchestration", "publish")
STAGE_NAMES = {"read": "read files + hash", "html_to_text": "HTML to text", "extract": "fact extraction",
               "frames": "polars transforms", "load": "DuckDB load",
               "load_orchestration": "load task runs (Prefect) + garbage collection", "publish": "publish"}
MB = 1024 * 1024
INCREMENT_SEED = 2024  # the hourly run's new articles differ from every corpus article (seed 8)


def bench_corpus(label: str, folder: Path, args: argparse.Namespace) -> dict:
    """Ingest a corpus twice, measure the floors on its files, print its table; returns the figures."""
    files = sorted(folder.rglob("*.html"))
    size = sum(p.stat().st_size for p in files)
    db = WORK / f"{folder.name}.duckdb"
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    first = run_ingest(folder, db, args.workers, args.batch_size, WORK / f"{folder.name}-1.log")
    again = run_ingest(folder, db, args.workers, args.batch_size, WORK / f"{folder.name}-2.log")
    # an hourly run on the warehouse just built: a few new articles, loaded and published
    increment = corpus.write_synthetic(WORK / f"{folder.name}-increment", args.increment, seed=INCREMENT_SEED)
    hourly = run_ingest(increment, db, args.workers, args.batch_size, WORK / f"{folder.name}-3.log")
    sample = files[: args.floor_sample]
    floors = measure_floors(sample)
    result = {"label": label, "articles": len(files), "bytes": size, "first": first.as_dict(),
              "again": again.as_dict(), "hourly": hourly.as_dict(), "floors": floors.as_dict(),
              "floor_files": len(sample)}
    print_table(label, len(files), size, first, again, floors, len(sample))
    print_hourly(first, hourly, args.increment)
    return result


def print_hourly(first: IngestRun, hourly: IngestRun, count: int) -> None:
    """The hourly run: new articles into the warehouse the corpus built, and what its publish recomputed."""
    s, refresh = hourly.summary, hourly.summary.get("refresh") or {}
    print(f"{'hourly run: ' + str(count) + ' new articles into this warehouse':<58}{'seconds':>12}")
    print(f"  {'excluding start-up (flow wall time)':<56}{hourly.elapsed:>12.2f}")
    print(f"  {'publish (checkpoint, refresh, rename)':<56}{s['seconds'].get('publish', 0.0):>12.2f}"
          f"   (first run: {first.summary['seconds'].get('publish', 0.0):.2f})")
    print(f"  {'refresh of the consolidated tables: ' + str(refresh.get('mode')):<56}{refresh.get('seconds', 0.0):>12.2f}"
          f"   ({refresh.get('cells', 0):,} cells, {refresh.get('facts', 0):,} facts recomputed)")


def print_table(label: str, count: int, size: int, first: IngestRun, again: IngestRun, floors: Floors,
                sampled: int) -> None:
    """One size's figures as a plain-text table."""
    s = first.summary
    print(f"\n=== {label}: {count:,} articles, {size / MB:,.0f} MB ({size / count / 1024:.1f} KB/page) ===")
    print(f"{'end to end (chuhai ingest, ' + str(first.workers) + ' parse processes)':<58}{'articles/s':>12}{'seconds':>10}")
    print(f"  {'excluding Prefect start-up (flow wall time)':<56}{count / first.elapsed:>12.1f}{first.elapsed:>10.1f}")
    print(f"  {'with start-up (wall time of the chuhai process)':<56}{count / first.wall:>12.1f}{first.wall:>10.1f}")
    print(f"  {'loaded':<56}{s['parsed']:>12,} articles, {s['loaded']['facts_added']:,} facts, "
          f"{s['failed']} failed")
    seconds = {k: s["seconds"].get(k, 0.0) for k in STAGES}
    total = sum(seconds.values()) or 1.0
    print(f"{'stage (seconds summed over processes)':<58}{'seconds':>12}{'share':>10}")
    for key in STAGES:
        print(f"  {STAGE_NAMES[key]:<56}{seconds[key]:>12.2f}{seconds[key] / total:>10.1%}")
    print(f"{'peak RSS, whole run (all processes)':<58}{first.peak_rss / MB:>12,.0f} MB")
    print(f"  {'of which the ingest process + parse workers':<56}{first.peak_rss_ingest / MB:>12,.0f} MB")
    print(f"  {'of which the Prefect server':<56}{first.peak_rss_server / MB:>12,.0f} MB")
    print(f"{'incremental re-run of the unchanged corpus':<58}{'seconds':>12}{'of first':>10}")
    print(f"  {'excluding start-up (' + str(again.summary['skipped_unchanged']) + ' skipped)':<56}"
          f"{again.elapsed:>12.2f}{again.elapsed / first.elapsed:>10.1%}")
    print(f"  {'with start-up':<56}{again.wall:>12.2f}{again.wall / first.wall:>10.1%}")
    print(f"{'floors and peer, one core, ' + f'{sampled:,} of the same files (CPU time)':<58}"
          f"{'articles/s':>12}{'Chuhai ÷':>10}")
    chuhai = floors.rates["chuhai_html_to_text"]
    for key, name in (("read", "read the files alone"), ("lxml", "lxml.html parse alone"),
                      ("trafilatura", "trafilatura.extract"), ("chuhai_html_to_text", "Chuhai HTML to text")):
        rate = floors.rates[key]
        print(f"  {name:<56}{rate:>12.1f}{chuhai / rate:>10.3g}")


def bench_views(args: argparse.Namespace) -> dict:
    """Time v_market_gmv and v_fact_conflicts on a generated warehouse of --facts facts."""
    path = WORK / f"facts-{args.facts}.duckdb"
    refresh = facts_warehouse.build(path, args.facts)
    times = facts_warehouse.time_views(path)
    print(f"\n=== views on {args.facts:,} facts ({facts_warehouse.count_facts(path):,} rows in metric_facts) ===")
    print(f"{'view':<58}{'ms':>12}{'rows':>10}")
    for t in times:
        print(f"  {t.view:<56}{t.seconds * 1000:>12.0f}{t.rows:>10,}")
    print(f"  {'refresh of consolidated_metrics (run at every publish)':<56}{refresh * 1000:>12.0f}")
    return {"facts": args.facts, "refresh_seconds": refresh, "views": {t.view: t.seconds for t in times}}


def check_targets(results: dict) -> None:
    """The issue's targets, each met or missed with the measured figure."""
    rows = []
    by_label = {r["label"]: r for r in results["corpora"]}
    ten = next((r for r in results["corpora"] if r["articles"] == 10_000 and r["label"].startswith("synthetic")), None)
    if ten:
        rate = ten["articles"] / ten["first"]["elapsed"]
        rows.append(("synthetic 10,000: end to end >= 200 articles/s (no start-up)", rate >= 200, f"{rate:.1f}/s"))
        share = ten["again"]["elapsed"] / ten["first"]["elapsed"]
        rows.append(("synthetic 10,000: unchanged re-run <= 10% of first", share <= 0.10, f"{share:.1%}"))
        hundred = next((r for r in results["corpora"] if r["articles"] == 100_000), None)
        if hundred:
            peak, base = hundred["first"]["peak_rss"], ten["first"]["peak_rss"]
            rows.append(("synthetic 100,000: peak RSS <= 1 GB", peak <= 1024 * MB, f"{peak / MB:,.0f} MB"))
            rows.append(("synthetic 100,000: peak RSS within 20% of 10,000", peak <= 1.2 * base,
                         f"{peak / base - 1:+.0%}"))
    real = by_label.get("real pages")
    if real:
        f = real["floors"]["rates"]
        rows.append(("real pages: HTML to text (1 core) >= trafilatura", f["chuhai_html_to_text"] >= f["trafilatura"],
                     f"{f['chuhai_html_to_text']:.1f}/s vs {f['trafilatura']:.1f}/s"))
        rate = real["articles"] / real["first"]["elapsed"]
        rows.append(("real pages: end to end (2 cores) >= 40 pages/s", rate >= 40, f"{rate:.1f}/s"))
    views = results.get("views")
    if views:
        gmv, conflicts = views["views"]["v_market_gmv"], views["views"]["v_fact_conflicts"]
        rows.append(("v_market_gmv <= 100 ms at 1M facts", gmv <= 0.1, f"{gmv * 1000:.0f} ms"))
        rows.append(("v_fact_conflicts <= 500 ms at 1M facts", conflicts <= 0.5, f"{conflicts * 1000:.0f} ms"))
    print("\n=== targets ===")
    for name, ok, figure in rows:
        print(f"  {'met   ' if ok else 'MISSED'}  {name:<58}{figure:>24}")


def _commit() -> str:
    """The commit measured (a snapshot made with `git archive` names it in CHUHAI_BENCH_COMMIT)."""
    import subprocess

    if os.environ.get("CHUHAI_BENCH_COMMIT"):
        return os.environ["CHUHAI_BENCH_COMMIT"]
    found = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return found.stdout.strip() + (" + working tree" if found.returncode == 0 else "an unknown commit")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="add the 100,000-article corpus")
    parser.add_argument("--sizes", default="1000,10000", help="synthetic corpus sizes (comma-separated)")
    parser.add_argument("--no-real", action="store_true", help="skip the real pages")
    parser.add_argument("--real-count", type=int, default=1000, help="distinct articles made from the real pages")
    parser.add_argument("--pages", type=Path, default=PAGES, help="folder of real pages (default ../shared/pages/zh-news)")
    parser.add_argument("--facts", type=int, default=1_000_000, help="facts in the warehouse the views are timed on")
    parser.add_argument("--no-views", action="store_true", help="skip the view timings")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parse processes of chuhai ingest")
    parser.add_argument("--batch-size", type=int, default=None, help="chuhai ingest --batch-size (default: its own)")
    parser.add_argument("--increment", type=int, default=50, help="new articles of the hourly run after each corpus")
    parser.add_argument("--floor-sample", type=int, default=1000, help="files the one-core floors are measured on")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this JSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark the options ask for and print the tables."""
    args = parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()] + ([100_000] if args.full else [])
    print(f"Chuhai benchmark of {_commit()} ({REPO}): {os.cpu_count()} cores, corpora and warehouses in {WORK}")
    results: dict = {"corpora": [], "cores": os.cpu_count()}
    for count in sizes:
        started = time.perf_counter()
        folder = corpus.write_synthetic(WORK / f"synthetic-{count}", count)
        print(f"(synthetic corpus of {count:,} ready in {time.perf_counter() - started:.1f} s)", flush=True)
        results["corpora"].append(bench_corpus(f"synthetic {count:,}", folder, args))
    if not args.no_real:
        if args.pages.is_dir():
            folder = corpus.write_real_copies(args.pages, WORK / f"real-{args.real_count}", args.real_count)
            results["corpora"].append(bench_corpus("real pages", folder, args))
        else:
            print(f"\n(real pages skipped: {args.pages} is missing)")
    if not args.no_views:
        results["views"] = bench_views(args)
    check_targets(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
