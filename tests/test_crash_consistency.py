"""Crash consistency: `chuhai ingest` killed with SIGKILL at random moments never corrupts the warehouse.

Each trial starts from the same earlier warehouse (100 articles), runs `chuhai ingest` on
a newer corpus (200 articles: 50 changed, 50 unchanged, 100 new, 2 broken) in a real
subprocess, and kills it at a seeded random moment, mostly while batches are loading.
Then: the warehouse opens, every article holds exactly the facts, events and people
moves of one complete load of it (old or new, never a mix), and a re-run produces
exactly the warehouse an uninterrupted run produces.
"""

from __future__ import annotations

import random
import shutil
import signal
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from hostile.corpus import write_news
from hostile.run import freeze_code, prefect_env, start_chuhai
from hostile.snapshot import CLOCK_COLUMNS, row_count, snapshot

pytestmark = pytest.mark.slow

SEED = 20251124
TRIALS = 20
BATCH_SIZE = "10"
EXTRACTED = {"metric_facts": "fact_id", "events": "event_id", "people_moves": "move_id"}
# The partial-load check compares rows without the extractor version: the killed subprocesses may run
# a newer copy of the extractors than this process while the working tree is being edited. That every
# row of an article carries the article's own version is checked on its own.
WITHOUT_VERSION = CLOCK_COLUMNS | {"extractor_version"}


@dataclass
class Setup:
    """Corpus, the earlier warehouse, the uninterrupted result and how long a run takes."""

    corpus: Path
    base: Path
    reference: dict[str, list[tuple]]
    base_snapshot: dict[str, list[tuple]]  # both without clocks and extractor versions
    reference_snapshot: dict[str, list[tuple]]
    seconds_total: float
    seconds_loading: float
    env: dict[str, str]


def staging_of(db: Path) -> Path:
    """The hidden copy a run loads into before publishing (see warehouse/db.py)."""
    return db.with_name(f".{db.name}.staging")


def ingest_args(corpus: Path, db: Path) -> list[str]:
    """The command line every run in this file uses."""
    return ["ingest", str(corpus), "--db", str(db), "--workers", "1", "--batch-size", BATCH_SIZE]


def log_of(db: Path) -> Path:
    """Where the output of the runs on `db` goes."""
    return db.with_suffix(".log")


def timed_run(corpus: Path, db: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run to completion; (seconds in all, seconds from the first batch load to the publish)."""
    started = time.monotonic()
    proc = start_chuhai(*ingest_args(corpus, db), log=log_of(db), env=env)
    loading_from = loading_to = None
    while proc.poll() is None:
        if staging_of(db).exists():
            loading_from = loading_from or time.monotonic()
        elif loading_from and not loading_to:
            loading_to = time.monotonic()
        time.sleep(0.005)
    ended = time.monotonic()
    assert proc.returncode == 0, log_of(db).read_text()
    return ended - started, (loading_to or ended) - (loading_from or started)


@pytest.fixture(scope="module")
def setup(tmp_path_factory, prefect_server) -> Setup:
    """Write both corpora, build the earlier warehouse, record an uninterrupted run and time one."""
    from flows.ingest import ingest

    root = tmp_path_factory.mktemp("crash")
    write_news(root / "earlier", 100)
    corpus = root / "corpus"
    write_news(corpus, 200, revision=3, changed=range(50))
    (corpus / "broken_1.md").write_text("---\nnot a key value line\n---\nbody\n", encoding="utf-8")
    (corpus / "broken_2.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    base = root / "base.duckdb"
    ingest(paths=[str(root / "earlier")], db=str(base), workers=1, batch_size=int(BATCH_SIZE))
    # Every run of this test uses the same code: this process's (imported by the run above) for the
    # uninterrupted run and the re-runs, a copy taken now for the killed subprocesses.
    env = prefect_env() | {"PYTHONPATH": str(freeze_code(root / "code"))}
    reference = root / "reference.duckdb"
    shutil.copyfile(base, reference)
    ingest(paths=[str(corpus)], db=str(reference), workers=1, batch_size=int(BATCH_SIZE))
    snap = snapshot(reference, ignore=CLOCK_COLUMNS)
    assert len(snap["articles"]) == 200 and snap["metric_facts"] and len(snap["ingest_errors"]) == 2
    timing = root / "timing.duckdb"
    shutil.copyfile(base, timing)
    total, loading = timed_run(corpus, timing, env)
    return Setup(corpus, base, snap, snapshot(base, ignore=WITHOUT_VERSION), snapshot(reference, ignore=WITHOUT_VERSION),
                 total, loading, env)


def run_and_kill(setup: Setup, db: Path, rng: random.Random) -> str:
    """Start an ingest and SIGKILL it at a random moment; returns the phase it was in."""
    published = db.stat().st_ino  # a publish renames a new file over it
    proc = start_chuhai(*ingest_args(setup.corpus, db), log=log_of(db), env=setup.env)
    started = time.monotonic()
    if rng.random() < 0.25:  # anywhere in the run, start-up included
        deadline = started + rng.uniform(0, setup.seconds_total)
    else:  # while batches load, and around the publish
        while not staging_of(db).exists() and proc.poll() is None and time.monotonic() - started < 120:
            time.sleep(0.005)
        deadline = time.monotonic() + rng.uniform(0, setup.seconds_loading * 1.15)
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    if staging_of(db).exists():
        phase = "loading"
    else:
        phase = "after publishing" if db.stat().st_ino != published else "starting"
    if proc.poll() is not None:
        return "finished"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    return phase


def by_article(snap: dict[str, list[tuple]], table: str) -> dict[str, frozenset]:
    """Rows of an extracted table grouped by article_id (second column of every such table)."""
    groups: dict[str, set] = {}
    for row in snap[table]:
        groups.setdefault(row[1], set()).add(row)
    return {k: frozenset(v) for k, v in groups.items()}


def assert_no_partial_articles(crashed: dict, setup: Setup, trial: str) -> None:
    """Every article's extracted rows are exactly those of one complete load (earlier or newer)."""
    for table in EXTRACTED:
        now = by_article(crashed, table)
        complete = (by_article(setup.base_snapshot, table), by_article(setup.reference_snapshot, table))
        for article in {r[0] for r in crashed["articles"]}:
            rows = now.get(article, frozenset())
            assert any(rows == state.get(article, frozenset()) for state in complete), (
                f"{trial}: article {article} has a partial set of {table}")


def mixed_versions(db: Path) -> int:
    """Extracted rows whose extractor version is not their article's (a sign of two loads mixed)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sum(con.execute(
            f"select count(*) from {table} as x join articles as a using (article_id) "
            "where x.extractor_version is distinct from a.extractor_version").fetchall()[0][0]
            for table in EXTRACTED)
    finally:
        con.close()


def differences(got: dict[str, list[tuple]], want: dict[str, list[tuple]]) -> dict[str, tuple]:
    """Per table, a few rows only in `got` and only in `want` (for a readable failure)."""
    out = {}
    for table in sorted(set(got) | set(want)):
        extra = sorted(set(got.get(table, [])) - set(want.get(table, [])), key=repr)[:3]
        missing = sorted(set(want.get(table, [])) - set(got.get(table, [])), key=repr)[:3]
        if extra or missing or len(got.get(table, [])) != len(want.get(table, [])):
            out[table] = (len(got.get(table, [])), len(want.get(table, [])), extra, missing)
    return out


def test_sigkill_at_random_moments_never_leaves_a_partial_or_different_warehouse(setup: Setup, tmp_path: Path):
    from flows.ingest import ingest

    rng = random.Random(SEED)
    phases: Counter[str] = Counter()
    compared = 0
    for trial in range(TRIALS):
        db = tmp_path / f"trial_{trial}.duckdb"
        shutil.copyfile(setup.base, db)
        phase = run_and_kill(setup, db, rng)
        phases[phase] += 1

        crashed = snapshot(db, ignore=WITHOUT_VERSION)  # opens read-only: the file is a valid warehouse
        assert crashed["articles"], f"trial {trial} ({phase}): the earlier articles are gone"
        assert_no_partial_articles(crashed, setup, f"trial {trial} ({phase})")
        assert mixed_versions(db) == 0, f"trial {trial} ({phase}): rows of one article from two loads"

        # at once: the killed run's write slot is freed as soon as the next run sees its holder gone
        ingest(paths=[str(setup.corpus)], db=str(db), workers=1, batch_size=int(BATCH_SIZE))
        rerun = snapshot(db, ignore=CLOCK_COLUMNS)
        assert rerun == setup.reference, f"trial {trial} ({phase}): the re-run differs: {differences(rerun, setup.reference)}"
        assert not staging_of(db).exists()
        compared += row_count(rerun)
    killed = TRIALS - phases["finished"]
    print(f"\ncrash consistency: {TRIALS} trials (seed {SEED}), {killed} SIGKILLs survived "
          f"({phases['loading']} while loading, {phases['starting']} while starting, {phases['after publishing']} "
          f"after publishing, {phases['finished']} ran to the end first); {compared} rows compared with the "
          f"uninterrupted run (run {setup.seconds_total:.1f} s, of which loading {setup.seconds_loading:.1f} s)")
    assert killed >= TRIALS // 2 and phases["loading"] >= 5  # the kills really hit running loads
