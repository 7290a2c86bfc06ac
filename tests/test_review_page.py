"""`chuhai review` in a real Chromium against a real uvicorn server and a warehouse ingested by the real flow:
open an article, fix a field, reject a figure, add one, reload, and find them applied (and in the warehouse)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from flows.cli import run_ingest
from review.app import free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
TIKTOK = "https://example.com/2025/01/tiktok-shop-us-black-friday"
MISSED = "\nIn Mexico, insiders put the shop's takings at two billion dollars for 2024.\n"
SELECT_TEXT = """(quote) => {
    const walker = document.createTreeWalker(document.querySelector('#article-body'), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(quote);
        if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + quote.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            return true;
        }
    }
    return false;
}"""


def rows(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    """A query's rows on a read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse(prefect_server, tmp_path_factory) -> Path:
    """The samples (plus a sentence the extractor misses) ingested by the real flow."""
    folder = tmp_path_factory.mktemp("review")
    corpus = folder / "samples"
    shutil.copytree(ROOT / "samples", corpus)
    with open(corpus / "en_tiktok_shop_us.md", "a", encoding="utf-8") as handle:
        handle.write(MISSED)
    db = folder / "chuhai.duckdb"
    run_ingest([str(corpus)], db, workers=1)
    return db


@pytest.fixture(scope="module")
def server(warehouse: Path):
    """`chuhai review` on a free port of 127.0.0.1, as an analyst would start it."""
    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "chuhai"), "review", "--db", str(warehouse),
                             "--port", str(port), "--by", "reviewer"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/vocabulary", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"chuhai review did not start: {proc.stdout.read() if proc.stdout else ''}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture
def page(server: str):
    """A Chromium page on the review page."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the review test needs a real browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1500, "height": 900})
            errors: list[str] = []
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.goto(server + "/")
            tab.wait_for_selector('body[data-ready="true"]', timeout=30_000)
            yield tab
            assert errors == []
        finally:
            browser.close()


def row(page, quote: str):
    """The table row of the figure written as `quote`."""
    return page.locator("#fact-table tbody tr", has=page.locator("td.quote", has_text=quote))


def wait_for_list(page, titles: set[str]) -> None:
    """Wait until the article list shows exactly these titles (the filters' request has come back)."""
    page.wait_for_function(
        "titles => JSON.stringify([...document.querySelectorAll('#article-list li[data-article] a')]"
        ".map(a => a.textContent).sort()) === JSON.stringify(titles)", arg=sorted(titles), timeout=20_000)


def open_tiktok(page) -> None:
    """Open the TikTok Shop article from the list."""
    page.locator("#article-list a", has_text="TikTok Shop's US Black Friday").click()
    page.wait_for_selector("#article-title:has-text(\"TikTok Shop's US Black Friday\")")
    page.wait_for_selector("#fact-table tbody tr[data-fact]")


def test_fix_reject_add_then_reload_shows_them_applied(page, warehouse: Path, tmp_path: Path):
    open_tiktok(page)
    marks = page.locator("#article-body mark.fig")
    assert marks.count() == rows(warehouse, "select count(*) from stg_corrected_facts f join articles a "
                                 "using (article_id) where a.url = $u", {"u": TIKTOK})[0][0] >= 5
    assert "$1.55 billion" in marks.all_inner_texts()

    # fix: the Fix button opens the form with the figure's fields; change the period
    row(page, "$1.55 billion").locator("button.do-fix").click()
    assert page.input_value("#fix-fields input[name=period]") == "2024"
    page.fill("#fix-fields input[name=period]", "2024-Q4")
    page.fill("#fix-note", "the report covers Q4")
    page.click("#fix-submit")
    page.wait_for_selector('#fact-table tr[data-review="fixed"]')

    # reject with the keyboard: select the first figure, move down with j to 7,000, press x
    row(page, "$100 million").locator("td.quote").click()
    quotes = page.locator("#fact-table tbody td.quote").all_inner_texts()
    for _ in range(quotes.index("7,000")):
        page.keyboard.press("j")
    assert page.locator("#fact-table tr.selected td.quote").inner_text() == "7,000"
    assert page.locator("#article-body mark.selected").inner_text() == "7,000"
    page.keyboard.press("x")
    page.wait_for_selector('#fact-table tr[data-review="rejected"]')

    # add: select the words in the article, press a, fill the form
    assert page.evaluate(SELECT_TEXT, "two billion dollars")
    page.keyboard.press("a")
    page.wait_for_selector("#add-form:not([hidden])")
    assert page.inner_text("#add-quote") == "two billion dollars"
    page.select_option("#add-fields select[name=metric]", "gmv")
    page.fill("#add-fields input[name=value]", "2000000000")
    page.fill("#add-fields input[name=unit]", "USD")
    page.fill("#add-fields input[name=entity]", "TikTok Shop")
    page.fill("#add-fields input[name=market]", "MX")
    page.fill("#add-fields input[name=period]", "2024")
    page.click("#add-submit")
    page.wait_for_selector('#fact-table tr[data-review="added"]')

    # a bad value is refused with the reason, and nothing is written
    row(page, "1.7 billion").locator("button.do-fix").click()
    period_before = page.input_value("#fix-fields input[name=period]")
    page.fill("#fix-fields input[name=period]", "2025-Q9")
    page.click("#fix-submit")
    page.wait_for_selector("#status.error")
    assert "period '2025-Q9'" in page.inner_text("#status")

    page.reload()
    page.wait_for_selector('body[data-ready="true"]')
    page.wait_for_selector("#fact-table tbody tr[data-fact]")
    assert "TikTok Shop's US Black Friday" in page.inner_text("#article-title")  # the hash keeps the article
    fixed = row(page, "$1.55 billion")
    assert fixed.get_attribute("data-review") == "fixed" and fixed.locator("td.f-period").inner_text() == "2024-Q4"
    assert row(page, "7,000").get_attribute("data-review") == "rejected"
    added = row(page, "two billion dollars")
    assert added.get_attribute("data-review") == "added"
    assert [added.locator(f"td.f-{n}").inner_text() for n in ("metric", "value", "unit", "entity", "market")] == [
        "gmv", "2,000,000,000", "USD", "TikTok Shop", "MX"]
    assert page.locator("#article-body mark.review-added").inner_text() == "two billion dollars"
    assert page.locator("#article-body mark.review-rejected").inner_text() == "7,000"
    assert row(page, "1.7 billion").locator("td.f-period").inner_text() == period_before
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)

    # the same decisions in the warehouse, recorded as made by --by
    assert rows(warehouse, "select action, decided_by from v_corrections where status = 'applied' order by decided_at") \
        == [("fix", "reviewer"), ("reject", "reviewer"), ("add", "reviewer")]
    assert rows(warehouse, "select gmv_usd from v_market_gmv where entity = 'TikTok Shop' and market = 'MX'") == [(2e9,)]
    assert rows(warehouse, "select period from v_market_gmv where entity = 'TikTok Shop' and market = 'GB'") == [
        ("2024-Q4",)]
    assert (tmp_path / "review.png").stat().st_size > 30_000


def test_confirm_with_the_keyboard_and_the_filters(page, warehouse: Path):
    open_tiktok(page)
    row(page, "$17.5 billion").locator("td.quote").click()
    page.keyboard.press("c")
    page.wait_for_selector('#fact-table tr[data-review="confirmed"]')
    assert rows(warehouse, "select review from stg_corrected_facts where fact_id = $id",
                {"id": row(page, "$17.5 billion").get_attribute("data-fact")}) == [("confirmed",)]

    page.check("#f-unreviewed")  # the reviewed figures stay visible but dimmed; j skips them
    page.wait_for_selector("#fact-table tr.dim")
    assert "dim" in row(page, "$17.5 billion").get_attribute("class")
    assert "dim" not in row(page, "1.7 billion").get_attribute("class")
    assert "unreviewed=1" in page.url

    page.uncheck("#f-unreviewed")
    page.fill("#f-entity", "Temu")
    page.dispatch_event("#f-entity", "change")
    expected = {r[0] for r in rows(warehouse, "select distinct a.title from stg_corrected_facts f join articles a "
                                   "using (article_id) where f.entity = 'Temu'")}
    wait_for_list(page, expected)
    assert 0 < len(expected) < rows(warehouse, "select count(*) from articles")[0][0]
    page.keyboard.press("n")  # keyboard: next article in the filtered list
    page.wait_for_function("() => document.querySelectorAll('#article-list li.current').length === 1")

    page.fill("#f-entity", "")
    page.check("#f-conflicts")  # only articles with a figure in conflict; the other figures dimmed
    in_conflict = rows(warehouse, "select distinct a.title from v_conflict_sources c join articles a using (url)")
    wait_for_list(page, {r[0] for r in in_conflict})
    page.wait_for_selector("#fact-table tbody tr.conflict")
    assert page.locator("#fact-table tbody tr.conflict:not(.dim)").count() >= 1
    assert page.locator("#fact-table tbody tr.dim:not(.conflict)").count() >= 1


def test_the_page_answers_only_to_local_hosts_and_its_own_requests(server: str):
    assert httpx.get(server + "/", headers={"Host": "evil.example"}).status_code == 400
    forged = httpx.post(server + "/api/decisions", data={"action": "reject", "fact_id": "x"})
    assert forged.status_code == 403
    bad = httpx.post(server + "/api/decisions", json={"action": "reject", "fact_id": "no-such"},
                     headers={"X-Chuhai-Review": "1"})
    assert bad.status_code == 400 and "unknown fact id 'no-such'" in bad.json()["error"]
