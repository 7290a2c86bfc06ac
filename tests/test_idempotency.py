"""Idempotency and replay: running a flow again on the same inputs changes nothing.

File ingest, web ingest, reprocess and the daily digest each run twice on a real
warehouse; the second run must leave every table as the first left it. Reprocessing
the raw archive twice must give identical tables, equal to what the fetch loaded.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from hostile.corpus import write_corpus, write_good, write_news
from hostile.snapshot import CLOCK_COLUMNS, row_count, snapshot
from pytest_httpserver import HTTPServer

ROOT = Path(__file__).resolve().parent.parent
PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav><a href="/">首页</a></nav><article><h1>{title}</h1><div class="content">
<p>{sentence}</p><p>平台表示将继续加大对跨境卖家的扶持力度，并完善物流与支付服务。</p>
<p>业内人士认为，出海电商的竞争将在新的一年进一步加剧。</p></div></article></body></html>"""
SITE = {
    "/news/shein.html": ("SHEIN 欧洲", "SHEIN 2024年欧洲GMV约为100亿美元，同比增长35%。"),
    "/news/temu.html": ("Temu 美国", "Temu 2024年在美国的GMV达到150亿美元。"),
    "/news/tiktok.html": ("TikTok Shop 东南亚", "TikTok Shop 2024年东南亚GMV为163亿美元，阿里巴巴宣布收购Lazada股份。"),
}


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Samples, news articles, good articles and the hostile corpus (without the 50 MB file), in one folder."""
    folder = tmp_path_factory.mktemp("inputs") / "corpus"
    shutil.copytree(ROOT / "samples", folder)
    write_news(folder / "news", 30)
    write_good(folder / "good")
    write_corpus(folder / "hostile", include_big=False)
    return folder


def test_ingesting_the_same_files_again_changes_nothing(inputs: Path, tmp_path: Path, prefect_server):
    from flows.ingest import ingest

    db = tmp_path / "chuhai.duckdb"
    first = ingest(paths=[str(inputs)], db=str(db), workers=1, batch_size=10)
    before, digest = snapshot(db), file_digest(db)
    second = ingest(paths=[str(inputs)], db=str(db), workers=1, batch_size=10)
    assert snapshot(db) == before  # clocks and attempts included
    assert file_digest(db) == digest  # nothing to write: the file is not even rewritten
    assert second["parsed"] == 0
    assert second["skipped_unchanged"] == first["parsed"] and second["skipped_known_bad"] == first["failed"]
    assert len(before["articles"]) == first["parsed"] > 30 and before["metric_facts"]
    print(f"\nfile ingest twice: {row_count(before)} rows unchanged")


def test_forcing_a_reparse_of_the_same_files_gives_the_same_rows(inputs: Path, tmp_path: Path, prefect_server):
    from flows.ingest import ingest

    db = tmp_path / "chuhai.duckdb"
    ingest(paths=[str(inputs)], db=str(db), workers=1, batch_size=10)
    before = snapshot(db, ignore=CLOCK_COLUMNS | {"attempts"})
    forced = ingest(paths=[str(inputs)], db=str(db), workers=1, batch_size=7, force=True)
    assert forced["parsed"] == len(before["articles"])
    assert snapshot(db, ignore=CLOCK_COLUMNS | {"attempts"}) == before


def test_the_same_files_in_another_batch_size_and_order_give_the_same_warehouse(inputs: Path, tmp_path: Path,
                                                                                prefect_server):
    from flows.ingest import ingest

    one, other = tmp_path / "one.duckdb", tmp_path / "other.duckdb"
    parts = sorted(str(p) for p in inputs.iterdir())  # origin is the folder named, so name the same folders
    ingest(paths=parts, db=str(one), workers=1, batch_size=100)
    ingest(paths=parts[::-1], db=str(other), workers=1, batch_size=3)
    assert snapshot(other, ignore=CLOCK_COLUMNS) == snapshot(one, ignore=CLOCK_COLUMNS)


@pytest.fixture(scope="module")
def site():
    """A tiny news site with a feed on 127.0.0.1."""
    server = HTTPServer(host="127.0.0.1")
    server.start()
    base = server.url_for("").rstrip("/")
    items = "".join(f"<item><title>{t}</title><link>{base}{p}</link></item>" for p, (t, _) in SITE.items())
    server.expect_request("/feed.rss").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
        content_type="application/rss+xml")
    for path, (title, sentence) in SITE.items():
        server.expect_request(path).respond_with_data(PAGE.format(title=title, sentence=sentence),
                                                      content_type="text/html; charset=utf-8")
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n", content_type="text/plain")
    yield base
    server.clear()
    server.stop()


def sources_yaml(folder: Path, base: str) -> Path:
    """A sources file naming the site's feed (loopback allowed explicitly)."""
    path = folder / "sources.yaml"
    path.write_text(f"allow_hosts: [127.0.0.1]\nsources:\n  site:\n    feeds: ['{base}/feed.rss']\n    delay: 0\n",
                    encoding="utf-8")
    return path


def test_web_ingest_twice_then_reprocess_twice_gives_identical_tables(site: str, tmp_path: Path, prefect_server):
    from flows.cli import run_ingest
    from flows.reprocess import reprocess

    db = tmp_path / "chuhai.duckdb"
    config = sources_yaml(tmp_path, site)
    run_ingest([], db, workers=1, sources=["site"], sources_file=str(config))
    fetched = snapshot(db)
    assert len(fetched["articles"]) == len(SITE) and fetched["metric_facts"] and fetched["raw_documents"]

    run_ingest([], db, workers=1, sources=["site"], sources_file=str(config))
    assert snapshot(db, ignore=CLOCK_COLUMNS) == snapshot_of(fetched, db)

    first = reprocess(db=str(db), everything=True, sources_file=str(config))
    replayed = snapshot(db, ignore=CLOCK_COLUMNS)
    second = reprocess(db=str(db), everything=True, sources_file=str(config))
    assert first["parsed"] == second["parsed"] == len(SITE)
    assert snapshot(db, ignore=CLOCK_COLUMNS) == replayed
    assert replayed == snapshot_of(fetched, db)  # replaying the archive reproduces what the fetch loaded
    print(f"\nweb ingest twice + reprocess twice: {row_count(replayed)} rows identical")


def snapshot_of(full: dict[str, list[tuple]], db: Path) -> dict[str, list[tuple]]:
    """An earlier full snapshot with the clock columns dropped, to compare with `snapshot(ignore=...)`."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, rows in full.items():
            cols = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
                [table]).fetchall()]
            keep = [i for i, c in enumerate(cols) if c not in CLOCK_COLUMNS]
            out[table] = sorted((tuple(row[i] for i in keep) for row in rows), key=repr)
        return out
    finally:
        con.close()


def test_the_daily_digest_twice_leaves_the_warehouse_untouched(inputs: Path, tmp_path: Path, prefect_server):
    from flows.digest import daily_digest
    from flows.ingest import ingest

    db = tmp_path / "chuhai.duckdb"
    ingest(paths=[str(inputs / "news")], db=str(db), workers=1)
    before, digest = snapshot(db), file_digest(db)
    for _ in range(2):
        daily_digest(db=str(db), report_dir=str(tmp_path / "report"))
    assert snapshot(db) == before and file_digest(db) == digest
