"""The analysts' reviewed articles as a gold folder in the format of ../shared/gold (FACTS.md, Gold files).

Each article with a decision in effect becomes `NAME.txt` (front matter `url`, `title`, `published`, `source`,
`lang`, then the body) and `NAME.gold.jsonl`: its confirmed, fixed and added figures as gold facts, its
rejected figures absent, and the figures nobody reviewed marked `"optional": true` (they count neither as a
miss nor as a false alarm). `score_facts.py --gold DIR` then scores any extractor version on the analysts'
own corpus.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from warehouse.db import WarehouseError, open_readonly

GOLD_FIELDS = ("entity", "market", "metric", "value", "unit", "period", "qualifier")
GOLD_REVIEWS = ("confirmed", "fixed", "added")
# The prefix score_facts.py --by-script groups gold files by, from the article's language.
SCRIPT_PREFIX = (("en", "en"), ("zh-hant", "hant"), ("zh", "zh"))
NOT_IN_NAME = re.compile(r"[^A-Za-z0-9]+")

REVIEWED_ARTICLES_SQL = """
select article_id, url, title, strftime(published_at, '%Y-%m-%d') as published, source, lang, body
from articles
where article_id in (select article_id from stg_correction_anchors where anchored)
order by url
"""

ARTICLE_FIGURES_SQL = """
select entity, market, metric, value, unit, period, qualifier, review, origin, span_start, span_end, fact_id
from stg_reviewed_facts
where article_id = $article_id and review is distinct from 'rejected'
order by span_start, fact_id
"""


@dataclass(frozen=True, slots=True)
class GoldExport:
    """What an export wrote: articles, gold facts (reviewed) and optional ones (not reviewed)."""

    folder: Path
    articles: int
    gold_facts: int
    optional_facts: int


def export_gold(db: str | Path, out: str | Path) -> GoldExport:
    """Write the reviewed articles of `db` as texts and gold files into the new or empty folder `out`."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise WarehouseError(f"{out} already exists and is not an empty folder: choose a new folder for the gold files")
    con = open_readonly(db)
    try:
        articles = _dicts(con, REVIEWED_ARTICLES_SQL, {})
        out.mkdir(parents=True, exist_ok=True)
        gold = optional = 0
        for article in articles:
            facts = [gold_fact(f, article["body"] or "") for f in
                     _dicts(con, ARTICLE_FIGURES_SQL, {"article_id": article["article_id"]})]
            name = file_name(article)
            (out / f"{name}.txt").write_text(article_text(article), encoding="utf-8")
            (out / f"{name}.gold.jsonl").write_text(
                "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in facts), encoding="utf-8")
            optional += sum(1 for f in facts if f.get("optional"))
            gold += sum(1 for f in facts if not f.get("optional"))
    finally:
        con.close()
    return GoldExport(out, len(articles), gold, optional)


def gold_fact(figure: dict, body: str) -> dict:
    """A figure as a gold line: its fields, `optional` when nobody reviewed it, and the quote as its note."""
    fact = {name: figure[name] for name in GOLD_FIELDS}
    if figure["review"] not in GOLD_REVIEWS:
        fact["optional"] = True
    quote = body[figure["span_start"]:figure["span_end"]] if figure["span_start"] is not None else ""
    fact["note"] = f"{figure['review'] or 'not reviewed'}: {quote}"
    return fact


def article_text(article: dict) -> str:
    """The article as a gold text: front matter, then the body."""
    head = [f"{key}: {(article[column] or '')}".rstrip() if article[column] else f"{key}: "
            for key, column in (("url", "url"), ("title", "title"), ("published", "published"),
                                ("source", "source"), ("lang", "lang"))]
    body = (article["body"] or "").rstrip("\n")
    return "---\n" + "\n".join(h.replace("\n", " ") for h in head) + "\n---\n" + body + "\n"


def file_name(article: dict) -> str:
    """A file name for the article: its script's prefix, the last words of its url, and its id."""
    lang = (article["lang"] or "").lower()
    prefix = next((p for code, p in SCRIPT_PREFIX if lang.startswith(code)), "xx")
    path = urlsplit(article["url"]).path.rstrip("/")
    slug = NOT_IN_NAME.sub("-", path.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip("-").lower()[:40] or "article"
    return f"{prefix}_{slug}_{article['article_id'][:8]}"


def _dicts(con, sql: str, params: dict) -> list[dict]:
    """Rows of a query as dicts."""
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
