"""`chuhai report`: one HTML file that opens offline in a real browser, charts drawn, every number sourced."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_views import A1, A2, A3, load_fixture

from report.build import build_report
from warehouse.db import Writer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

# The chart's points, worked out by hand from the fixture: top entities by GMV, actual figures with a period.
CHART_POINTS = {
    ("Shopee", "SEA", "2024"): 48.0e9,
    ("Shopee", "BR", "2024"): 1.03e9,
    ("Lazada", "SEA", "2024"): 20.0e9,
    ("Lazada", "SEA", "2023"): 3.0e9,
    ("TikTok Shop", "US", "2024"): 9.05e9,
    ("TikTok Shop", "US", "2023"): 4.0e9,
    ("TikTok Shop", "ID", "2024"): 9.0e9,
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("report")
    db = folder / "w.duckdb"
    with Writer(db) as writer:
        load_fixture(writer.con)
    return build_report(db, folder / "report.html")


def test_the_report_is_one_file_with_nothing_to_fetch(report):
    html = report.html.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
    for heading in ("GMV by market over time", "Latest figures per entity", "Conflicts", "Events timeline",
                    "People moves"):
        assert f">{heading}</h2>" in html


def test_the_chart_carries_the_consolidated_gmv_with_its_sources(report):
    html = report.html.read_text(encoding="utf-8")
    spec = re.search(r'<script type="application/json" id="spec-gmv">(.*?)</script>', html, re.S).group(1)
    points = json.loads(spec.replace("<\\/", "</"))["data"]["values"]
    assert {(p["entity"], p["market"], p["period"]): p["gmv_usd"] for p in points} == CHART_POINTS
    tiktok_us = next(p for p in points if (p["entity"], p["market"], p["period"]) == ("TikTok Shop", "US", "2024"))
    assert (tiktok_us["gmv"], tiktok_us["sources"], tiktok_us["url"], tiktok_us["sentence"]) == (
        "$9.05B", 3, A3, "sentence f03")


def test_every_number_links_to_its_source_and_sentence(report):
    html = report.html.read_text(encoding="utf-8")
    numbers = re.findall(r'<a class="num" href="([^"]*)" title="([^"]*)">([^<]*)</a>', html)
    assert len(numbers) == 7 + 7 + 2  # chart data, latest figures of four entities, two conflict sources
    for href, title, _label in numbers:
        assert href in (A1, A2, A3, "https://news.example/4"), href
        assert title.startswith("sentence f"), title
    assert ("https://news.example/3", "sentence f03 — Pub C, 2024-06-01", "$9.05B") in numbers
    assert "3 sources" in html  # the consolidated US figure lists all three articles
    conflict = html[html.index('id="conflicts"'):html.index('id="events"')]
    assert "TikTok Shop · ID · gmv · 2024 — 33% apart" in conflict
    assert conflict.count('<a class="num"') == 2  # both sides of the only conflict


def test_png_copies_are_written_beside_the_report(report):
    assert [p.name for p in report.charts] == ["gmv_by_market.png"]
    png = report.charts[0]
    assert png.parent == report.html.with_suffix("")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_the_report_renders_offline_in_chromium(report, tmp_path: Path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the report test needs a real browser")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.route(re.compile(r"^(?!file:|data:|blob:|about:)"), lambda route: route.abort())
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(report.html.as_uri())
            page.wait_for_selector('#chart-gmv[data-rendered="true"]', timeout=60_000)
            symbols = page.locator("#chart-gmv svg g.mark-symbol.role-mark path")
            lines = page.locator("#chart-gmv svg g.mark-line.role-mark path")
            assert symbols.count() == len(CHART_POINTS)
            assert lines.count() >= 3
            box = page.locator("#chart-gmv svg").bounding_box()
            assert box["width"] > 600 and box["height"] > 150
            symbols.first.hover()
            tooltip = page.locator("#vg-tooltip-element")
            tooltip.wait_for(state="visible", timeout=10_000)
            assert "sentence f" in tooltip.inner_text()
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()
    assert requests and all(url.startswith(LOCAL_SCHEMES) for url in requests), requests
    assert (tmp_path / "report.png").stat().st_size > 50_000



def test_an_empty_warehouse_gives_a_report_that_says_so(tmp_path: Path):
    db = tmp_path / "empty.duckdb"
    with Writer(db):
        pass
    files = build_report(db, tmp_path / "report.html")
    html = files.html.read_text(encoding="utf-8")
    assert files.charts == []
    assert "No GMV figure with a known period yet." in html and "No conflicting figures." in html
    assert "<script" not in html  # nothing to draw, so no Vega bundle
