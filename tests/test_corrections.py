"""Analysts' corrections: fixed, rejected and added figures outlive reprocessing and re-ingestion of changed bodies,
show in every view and the report, and a decision whose quote disappears is listed as an orphan, never dropped."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer

from flows.cli import main, run_ingest
from report.build import build_report
from report.data import read_report_data
from warehouse.corrections import (
    CorrectionError,
    check_fields,
    find_quote,
    parse_assignments,
    sentence_around,
    usd_value,
)
from warehouse.db import Writer
from warehouse.gold import export_gold
from warehouse.portable import export_warehouse, import_warehouse

ROOT = Path(__file__).resolve().parent.parent
TEMU = "https://example.com.tw/news/temu-taiwan-2025"
TIKTOK = "https://example.com/2025/01/tiktok-shop-us-black-friday"
# A sentence the extractor misses (the amount in words): the figure an analyst adds. An extractor that finds it
# later makes the add apply to its fact instead (the assertions allow both).
MISSED = "\nIn Mexico, insiders put the shop's takings at two billion dollars for 2024.\n"
LAZADA_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>Lazada东南亚</title></head>
<body><article><h1>Lazada东南亚</h1><div class="content">
<p>Lazada在东南亚的GMV于2024年达到200亿美元。</p><p>平台表示将继续加大对跨境卖家的扶持力度，并完善物流与支付服务。</p>
</div></article></body></html>"""
TWD_2025 = usd_value(1.0, "TWD", "2025", None)


def rows(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    """A query's rows on a read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def fact_id(db: Path, url: str, quote: str, table: str = "metric_facts") -> str:
    """The id of the fact written as `quote` in the article at `url`."""
    found = rows(db, f"select f.fact_id from {table} f join articles a using (article_id) where a.url = $url "
                 "and substr(a.body, f.span_start + 1, f.span_end - f.span_start) = $quote", {"url": url, "quote": quote})
    assert len(found) == 1, (url, quote, found)
    return found[0][0]


def cli(*args: str) -> int:
    """`chuhai ARGS` in this process (the real parser and handlers)."""
    return main(list(args))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The samples plus a sentence the extractor misses."""
    folder = tmp_path_factory.mktemp("corpus") / "samples"
    shutil.copytree(ROOT / "samples", folder)
    with open(folder / "en_tiktok_shop_us.md", "a", encoding="utf-8") as handle:
        handle.write(MISSED)
    return folder


@pytest.fixture(scope="module")
def site():
    """One web page on 127.0.0.1, so the archive holds a page that `reprocess` re-parses."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n", content_type="text/plain")
    server.expect_request("/lazada.html").respond_with_data(LAZADA_PAGE.encode(), content_type="text/html; charset=utf-8")
    yield server.url_for("/lazada.html")
    server.clear()
    server.stop()


@pytest.fixture(scope="module")
def corrected(prefect_server, corpus: Path, site: str, tmp_path_factory) -> dict:
    """A warehouse ingested by the real flow, then corrected through the CLI: a fix, a reject, an add, a confirm."""
    db = tmp_path_factory.mktemp("corrected") / "chuhai.duckdb"
    run_ingest([str(corpus), site], db, workers=1, allow_hosts=["127.0.0.1"])
    ids = {
        "temu_gmv": fact_id(db, TEMU, "新台幣300億元"),
        "temu_share": fact_id(db, TEMU, "3成"),
        "tts_gb_gmv": fact_id(db, TIKTOK, "$1.55 billion"),
        "lazada_gmv": fact_id(db, site, "200亿美元"),
    }
    assert cli("fix", ids["temu_gmv"], "entity=拼多多", "period=2025-Q3", "--note", "the group reports it",
               "--by", "ana", "--db", str(db)) == 0
    assert cli("reject", ids["temu_share"], "--note", "share of what?", "--by", "ana", "--db", str(db)) == 0
    assert cli("add", TIKTOK, "--quote", "two billion dollars", "metric=gmv", "entity=TikTok Shop", "market=MX",
               "unit=USD", "value=2000000000", "period=2024", "--by", "ana", "--db", str(db)) == 0
    assert cli("confirm", ids["tts_gb_gmv"], "--db", str(db)) == 0
    assert cli("fix", ids["lazada_gmv"], "market=ID", "--db", str(db)) == 0
    return {"db": db, "ids": ids, "corpus": corpus, "site": site}


def assert_applied(db: Path) -> None:
    """Every decision shows in the corrected facts, v_market_gmv, v_consolidated_metrics and the report."""
    gmv = {(e, m, p, q): (v, s) for e, m, p, q, v, s in
           rows(db, "select entity, market, period, qualifier, gmv_usd, sources from v_market_gmv")}
    assert gmv[("PDD", "TW", "2025-Q3", "actual")] == (pytest.approx(30e9 * TWD_2025), 1)
    assert ("Temu", "TW", "2024", "actual") not in gmv  # the fixed figure left its old cell
    assert gmv[("TikTok Shop", "MX", "2024", "actual")] == (pytest.approx(2e9), 1)  # the added figure
    assert gmv[("TikTok Shop", "GB", "2024", "actual")] == (pytest.approx(1.55e9), 1)
    assert gmv[("Lazada", "ID", "2024", "actual")] == (pytest.approx(20e9), 1)
    assert gmv[("Lazada", "SEA", "2024", "actual")] == (pytest.approx(20.1e9), 1)  # the sample's, no longer the page's

    consolidated = rows(db, "select entity, market, metric, period, fact_ids from v_consolidated_metrics "
                        "where entity in ('PDD', 'Temu', 'TikTok Shop') and market in ('TW', 'MX')")
    cells = {(e, m, k, p) for e, m, k, p, _ in consolidated}
    assert ("PDD", "TW", "gmv", "2025-Q3") in cells and ("Temu", "TW", "share", "2024") not in cells
    added = [ids for e, m, k, p, ids in consolidated if (e, m, k) == ("TikTok Shop", "MX", "gmv")]
    assert len(added) == 1 and len(added[0]) == 1
    # the added figure: the analyst's own, or the extractor's fact at the quote once an extractor finds it
    origin, review = rows(db, "select origin, review from stg_corrected_facts where fact_id = $id",
                          {"id": added[0][0]})[0]
    found = rows(db, "select count(*) from metric_facts where fact_id = $id", {"id": added[0][0]})[0][0]
    assert review == "added" and origin == ("extractor" if found else "analyst")

    reviews = dict(rows(db, "select review, count(*) from stg_corrected_facts where review is not null group by 1"))
    assert reviews == {"fixed": 2, "added": 1, "confirmed": 1}
    extracted = rows(db, "select count(*) from metric_facts")[0][0]
    assert rows(db, "select count(*) from stg_corrected_facts")[0][0] == extracted - 1 + (1 - found)  # rejected, added
    assert rows(db, "select count(*) from metric_facts f join articles a using (article_id) "
                "where a.url = $u and f.metric = 'share'", {"u": TEMU}) == [(1,)]  # metric_facts keeps the extractor's

    con = duckdb.connect(str(db), read_only=True)
    try:
        data = read_report_data(con, top=10)
    finally:
        con.close()
    series = {(r["entity"], r["market"], r["period"]) for r in data.gmv}
    assert ("PDD", "TW", "2025-Q3") in series and ("TikTok Shop", "MX", "2024") in series
    assert not any(r["entity"] == "Temu" and r["market"] == "TW" for r in data.gmv)
    assert any("two billion dollars" in (e["sentence"] or "") for e in data.evidence.values())


def test_corrections_show_in_every_view_and_the_report(corrected):
    db = corrected["db"]
    assert_applied(db)
    html = build_report(db, db.with_name("report.html")).html.read_text(encoding="utf-8")
    assert "two billion dollars for 2024" in html  # the added figure links to its sentence
    assert rows(db, "select count(*) from v_orphan_corrections") == [(0,)]
    listed = rows(db, "select action, status, decided_by, note from v_corrections order by decided_at")
    assert [(a, s) for a, s, _, _ in listed] == [("fix", "applied"), ("reject", "applied"), ("add", "applied"),
                                                 ("confirm", "applied"), ("fix", "applied")]
    assert listed[0][2:] == ("ana", "the group reports it")
    assert rows(db, "select mode from derived.refresh_state") == [("incremental",)]  # only the touched cells


def test_corrections_outlive_reprocess_and_changed_bodies(corrected, prefect_server):
    from flows.reprocess import reprocess

    db, corpus = corrected["db"], corrected["corpus"]
    summary = reprocess(db=str(db), everything=True)
    assert summary["parsed"] == 1 and summary["loaded"]["facts_removed"] >= 1  # the web page, re-extracted
    assert_applied(db)

    # A changed body: a new first paragraph moves every offset, so every fact of the article gets a new id.
    temu = corpus / "zh_hant_temu_taiwan.txt"
    text = temu.read_text(encoding="utf-8")
    head, _, body = text.partition("---\n")[2].partition("---\n")
    temu.write_text("---\n" + head + "---\n編者按:本文於發布後更新。\n\n" + body, encoding="utf-8")
    run_ingest([str(corpus)], db, workers=1)
    assert rows(db, "select count(*) from metric_facts where fact_id = $id", {"id": corrected["ids"]["temu_gmv"]}) \
        == [(0,)]
    assert_applied(db)
    assert rows(db, "select count(*) from v_orphan_corrections") == [(0,)]

    # The rejected figure's sentence is rewritten: the reject is kept as an orphan, the new figure is not rejected.
    temu.write_text(temu.read_text(encoding="utf-8").replace("約占台灣網購人口的3成", "約占台灣網購人口的4成"),
                    encoding="utf-8")
    run_ingest([str(corpus)], db, workers=1)
    orphans = rows(db, "select action, quote, reason from v_orphan_corrections")
    assert orphans == [("reject", "3成", "quote gone")]
    assert rows(db, "select value from stg_corrected_facts f join articles a using (article_id) "
                "where a.url = $u and f.metric = 'share'", {"u": TEMU}) == [(40.0,)]
    gmv = rows(db, "select entity, period from v_market_gmv where market = 'TW' and entity in ('PDD', 'Temu')")
    assert gmv == [("PDD", "2025-Q3")]  # the fix, in the same sentence, still holds
    assert rows(db, "select status from v_corrections where action = 'reject'") == [("orphan",)]

    # the review page lists it under its article
    from review.data import Filters, read_article

    article_id = rows(db, "select article_id from articles where url = $u", {"u": TEMU})[0][0]
    shown = read_article(db, article_id, Filters())
    assert [(o["action"], o["quote"], o["reason"]) for o in shown["orphans"]] == [("reject", "3成", "quote gone")]
    assert {(f["quote"], f["review"]) for f in shown["figures"]} >= {("新台幣300億元", "fixed"), ("4成", None)}


def test_a_bad_value_an_unknown_fact_or_a_missing_quote_is_one_line_and_writes_nothing(corrected, capsys):
    db = corrected["db"]
    before = db.read_bytes()
    cases = [
        (("fix", corrected["ids"]["tts_gb_gmv"], "period=2024-Q5"), "period '2024-Q5'"),
        (("fix", corrected["ids"]["tts_gb_gmv"], "market=Atlantis"), "market 'Atlantis'"),
        (("fix", corrected["ids"]["tts_gb_gmv"], "unit=count"), "unit 'count' does not fit metric 'gmv'"),
        (("fix", corrected["ids"]["tts_gb_gmv"], "colour=red"), "unknown field 'colour'"),
        (("reject", "no-such-fact"), "unknown fact id 'no-such-fact'"),
        (("add", TIKTOK, "--quote", "¥9 trillion", "metric=gmv", "unit=CNY", "value=9e12"), "quote '¥9 trillion'"),
        (("add", "https://nowhere.example/x", "--quote", "1", "metric=gmv", "unit=USD", "value=1"),
         "no article with url https://nowhere.example/x"),
        (("add", TIKTOK, "--quote", "two billion dollars", "metric=gmv", "unit=USD"), "add needs value="),
    ]
    for args, message in cases:
        assert cli(*args, "--db", str(db)) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, (args, err)
    assert db.read_bytes() == before
    assert not list(db.parent.glob(".*staging*"))


def test_corrections_list_as_csv_and_json(corrected, capsys):
    db = corrected["db"]
    assert cli("corrections", "--db", str(db), "--format", "json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert {r["action"] for r in listed} == {"fix", "reject", "add", "confirm"}
    assert cli("corrections", "--db", str(db), "--format", "csv") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("correction_id,action,fact_id,fields,url,quote") and len(lines) == len(listed) + 1


def test_export_and_import_carry_the_corrections(corrected, tmp_path: Path):
    db = corrected["db"]
    export_warehouse(db, tmp_path / "backup")
    assert (tmp_path / "backup" / "corrections.parquet").exists()
    restored = tmp_path / "restored.duckdb"
    import_warehouse(tmp_path / "backup", restored)
    query = "select correction_id, action, fields::varchar, quote, decided_at from corrections order by 1"
    assert rows(restored, query) == rows(db, query) != []
    view = "select entity, market, period, gmv_usd from v_market_gmv order by all"
    assert rows(restored, view) == rows(db, view)


def test_an_old_warehouse_gets_the_empty_table(tmp_path: Path):
    old = tmp_path / "v1.duckdb"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "warehouse_v1.duckdb", old)
    with Writer(old):
        pass
    assert rows(old, "select count(*) from corrections") == [(0,)]
    assert rows(old, "select count(*) from stg_corrected_facts") == rows(old, "select count(*) from metric_facts")


def test_gold_export_holds_the_reviewed_figures_and_eval_scores_them(corrected, tmp_path: Path, prefect_server):
    db = corrected["db"]
    done = export_gold(db, tmp_path / "gold")
    assert done.articles == 3  # Temu (fix; its reject is an orphan and not counted), TikTok, Lazada
    golds = {p.name: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]
             for p in (tmp_path / "gold").glob("*.gold.jsonl")}
    tiktok = next(facts for name, facts in golds.items() if name.startswith("en_"))
    required = [f for f in tiktok if not f.get("optional")]
    assert sorted((f["market"], f["value"]) for f in required) == [("GB", 1.55e9), ("MX", 2e9)]
    temu = next(facts for name, facts in golds.items() if name.startswith("hant_"))
    assert [f for f in temu if not f.get("optional")][0] | {"note": ""} == {
        "entity": "PDD", "market": "TW", "metric": "gmv", "value": 30e9, "unit": "TWD", "period": "2025-Q3",
        "qualifier": "actual", "note": ""}
    text = next((tmp_path / "gold").glob("en_*.txt")).read_text(encoding="utf-8")
    assert text.startswith(f"---\nurl: {TIKTOK}\n") and "two billion dollars" in text

    scorer = ROOT.parent / "shared" / "tools" / "score_facts.py"
    if not scorer.exists():
        pytest.skip(f"{scorer} is not present")
    out = subprocess.run([sys.executable, "-m", "flows.cli", "eval", str(tmp_path / "gold"), "--json",
                          "--scorer", str(scorer)], capture_output=True, text=True, cwd=ROOT, timeout=600,
                         env=prefect_env())
    assert out.returncode == 0, out.stderr
    scores = json.loads(out.stdout)
    assert scores["articles"] == 3 and scores["unmatched_articles"] == []
    # The extractor misses the added figure and keeps Temu for PDD's fixed one: it cannot score full marks.
    assert scores["full"]["fn"] >= 2 and 0 < scores["full"]["recall"] < 1
    assert scores["value"]["tp"] >= 3


def prefect_env() -> dict[str, str]:
    """The environment with this session's Prefect server, so the eval's ingest does not start its own."""
    from hostile.run import prefect_env as env

    return env()


@pytest.mark.parametrize(("raw", "expected"), [
    ({"entity": "拼多多"}, {"entity": "PDD"}),
    ({"entity": "一家本土品牌"}, {"entity": "一家本土品牌"}),  # outside the gazetteer: kept as written
    ({"market": "tw", "period": "2025-H2"}, {"market": "TW", "period": "2025-H2"}),
    ({"value": "1,082,800,000", "unit": "cny"}, {"value": 1082800000.0, "unit": "CNY"}),
    ({"period": "", "entity": "null"}, {"period": None, "entity": None}),
    ({"qualifier": "forecast", "unit": "days"}, {"qualifier": "forecast", "unit": "days"}),
])
def test_field_values_are_normalized(raw, expected):
    assert check_fields(raw) == expected


@pytest.mark.parametrize("raw", [
    {"period": "2025-02-30"}, {"period": "25-Q1"}, {"qualifier": "guess"}, {"metric": "revenues"},
    {"value": "1082.8亿"}, {"value": "nan"}, {"unit": "dollars"}, {"metric": ""},
])
def test_bad_field_values_are_refused(raw):
    with pytest.raises(CorrectionError):
        check_fields(raw)


def test_assignments_and_sentences():
    assert parse_assignments(["entity=TikTok Shop", "period="]) == {"entity": "TikTok Shop", "period": ""}
    with pytest.raises(CorrectionError, match="not FIELD=VALUE"):
        parse_assignments(["PDD"])
    body = "First line.\nPDD的营收为1,082.8 億元,同比增长9%。下一句提到1,082.8 億元。\nRevenue was $1.5 billion. Then more."
    assert sentence_around(body, body.index("1,082.8"), body.index("1,082.8") + 10) == (
        "PDD的营收为1,082.8 億元,同比增长9%。", 12)
    assert find_quote(body, "1,082.8 億元", near="下一句") == (body.rindex("1,082.8"), body.rindex("1,082.8") + 10)
    at = body.index("$1.5")
    assert sentence_around(body, at, at + 11)[0] == "Revenue was $1.5 billion."
    assert find_quote(body, "¥3") is None


# --- the rules of stg_reviewed_facts on hand-written rows ------------------------------------------------------------

URL = "https://news.example/pdd"
BODY = "PDD的营收为1,082.8 億元,同比增长9%。\nTemu的GMV达到200亿美元。"


def tiny(tmp_path: Path, facts: list[tuple], body: str = BODY) -> Path:
    """A warehouse of one article and the given facts (fact_id, metric, value, unit, quote)."""
    db = tmp_path / "tiny.duckdb"
    with Writer(db) as writer:
        writer.con.execute("insert into articles (article_id, url, body, content_hash, ingested_at, updated_at) "
                           "values ('a1', $url, $body, 'h', now(), now())", {"url": URL, "body": body})
        for fid, metric, value, unit, quote in facts:
            start = body.index(quote)
            sentence, _ = sentence_around(body, start, start + len(quote))
            writer.con.execute(
                "insert into metric_facts (fact_id, article_id, entity, metric, value, unit, qualifier, sentence, "
                "span_start, span_end) values ($id, 'a1', 'PDD', $metric, $value, $unit, 'actual', $sentence, "
                "$start, $end)", {"id": fid, "metric": metric, "value": value, "unit": unit, "sentence": sentence,
                                  "start": start, "end": start + len(quote)})
    return db


def reextract(db: Path, facts: list[tuple], body: str = BODY) -> None:
    """What a re-ingest does: the article's body and facts replaced (new ids)."""
    with Writer(db) as writer:
        writer.con.execute("delete from metric_facts")
        writer.con.execute("update articles set body = $body", {"body": body})
        for fid, metric, value, unit, quote in facts:
            start = body.index(quote)
            writer.con.execute(
                "insert into metric_facts (fact_id, article_id, entity, metric, value, unit, qualifier, sentence, "
                "span_start, span_end) values ($id, 'a1', 'Temu', $metric, $value, $unit, 'actual', "
                "$sentence, $start, $end)", {"id": fid, "metric": metric, "value": value, "unit": unit,
                                            "sentence": sentence_around(body, start, start + len(quote))[0],
                                            "start": start, "end": start + len(quote)})


def reviewed(db: Path) -> list[tuple]:
    """(fact_id, metric, value, entity, origin, review) of every figure, rejected ones too."""
    return rows(db, "select fact_id, metric, value, entity, origin, review from stg_reviewed_facts order by all")


def test_a_fixed_figure_the_extractor_no_longer_finds_stays_as_the_analysts(tmp_path: Path):
    from warehouse.corrections import fix

    db = tiny(tmp_path, [("f1", "revenue", 1.0828e11, "CNY", "1,082.8 億元"), ("f2", "growth", 9.0, "percent", "9%")])
    fix(db, "f1", {"period": "2025-Q3"})
    reextract(db, [("g2", "growth", 9.0, "percent", "9%")])  # a new extractor misses the revenue
    assert reviewed(db) == [("f1", "revenue", 1.0828e11, "PDD", "analyst", "fixed"),
                            ("g2", "growth", 9.0, "Temu", "extractor", None)]
    assert rows(db, "select period, span_start from stg_corrected_facts where fact_id = 'f1'") == [
        ("2025-Q3", BODY.index("1,082.8"))]


def test_an_added_figure_the_extractor_later_finds_is_not_doubled(tmp_path: Path):
    from warehouse.corrections import add

    db = tiny(tmp_path, [("f2", "growth", 9.0, "percent", "9%")])
    added = add(db, URL, "200亿美元", {"metric": "gmv", "value": "2e10", "unit": "USD", "entity": "Temu"})
    assert reviewed(db)[0] == (added.fact_id, "gmv", 2e10, "Temu", "analyst", "added")
    reextract(db, [("g2", "growth", 9.0, "percent", "9%"), ("g3", "gmv", 2e10, "USD", "200亿美元"),
                   ("g4", "orders", 2e10, "count", "200亿美元")])  # same quote: gmv takes the add, orders does not
    assert reviewed(db) == [("g2", "growth", 9.0, "Temu", "extractor", None),
                            ("g3", "gmv", 2e10, "Temu", "extractor", "added"),
                            ("g4", "orders", 2e10, "Temu", "extractor", None)]


def test_a_decision_applies_to_its_own_figure_when_two_share_a_quote(tmp_path: Path):
    from warehouse.corrections import reject

    db = tiny(tmp_path, [("f3", "gmv", 2e10, "USD", "200亿美元"), ("f4", "investment", 2e10, "USD", "200亿美元")])
    reject(db, "f4")
    reextract(db, [("g3", "gmv", 2e10, "USD", "200亿美元"), ("g4", "investment", 2e10, "USD", "200亿美元")])
    assert [(f, m, r) for f, m, _, _, _, r in reviewed(db)] == [("g3", "gmv", None), ("g4", "investment", "rejected")]


def test_the_latest_decision_on_a_figure_wins_and_carries_the_fix(tmp_path: Path):
    from warehouse.corrections import confirm, fix, reject

    db = tiny(tmp_path, [("f2", "growth", 9.0, "percent", "9%")])
    fix(db, "f2", {"value": "19"})
    reject(db, "f2")
    assert reviewed(db) == [("f2", "growth", 19.0, "PDD", "extractor", "rejected")]
    confirm(db, "f2")  # un-reject: the figure as shown, with its fix
    assert reviewed(db) == [("f2", "growth", 19.0, "PDD", "extractor", "confirmed")]
    assert rows(db, "select status, count(*) from v_corrections group by 1 order by 1") == [
        ("applied", 1), ("superseded", 2)]


def test_a_moved_sentence_is_found_again_and_a_lost_one_is_an_orphan(tmp_path: Path):
    from warehouse.corrections import fix

    db = tiny(tmp_path, [("f1", "revenue", 1.0828e11, "CNY", "1,082.8 億元"), ("f3", "gmv", 2e10, "USD", "200亿美元")])
    fix(db, "f1", {"entity": "PDD Holdings"})
    fix(db, "f3", {"entity": "Temu"})
    moved = "编者按:更新。\n" + BODY.replace("同比增长9%", "同比增长9.5%")
    reextract(db, [("g1", "revenue", 1.0828e11, "CNY", "1,082.8 億元"), ("g3", "gmv", 2e10, "USD", "200亿美元")], moved)
    assert rows(db, "select fact_id, entity, review from stg_corrected_facts order by 1") == [
        ("g1", "Temu", None), ("g3", "Temu", "fixed")]  # the revenue's sentence changed: its fix is an orphan
    assert rows(db, "select quote, reason from v_orphan_corrections") == [("1,082.8 億元", "quote gone")]
    assert rows(db, "select anchor_start from stg_correction_anchors where anchored") == [(moved.index("200亿"),)]
    with Writer(db) as writer:
        writer.con.execute("delete from articles")
    assert rows(db, "select reason from v_orphan_corrections order by 1") == [("article gone",), ("article gone",)]
