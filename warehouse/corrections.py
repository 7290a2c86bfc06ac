"""Analysts' corrections: check a decision on a figure, anchor it in its article, write it through the writer.

A decision (confirm, fix, reject, add) is one row of `corrections`; `metric_facts` stays the extractor's own
output and `stg_corrected_facts` applies the latest decision of each figure to it. A decision is anchored by
the article's url and the figure as written with its sentence and its offset inside that sentence, so it finds
its figure again after a reprocess or a changed body (`stg_correction_anchors`). Field values are checked
against FACTS.md's vocabulary and formats before anything is written; a bad value, an unknown fact id or a
quote not in the article raises CorrectionError naming it, and the writer then publishes nothing.
"""

from __future__ import annotations

import csv
import functools
import getpass
import io
import json
import logging
import math
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from warehouse.db import WarehouseError, Writer

LOG = logging.getLogger(__name__)
REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"

FIELDS = ("entity", "market", "metric", "value", "unit", "period", "qualifier")
NULLABLE_FIELDS = frozenset({"entity", "market", "period"})
NULL_WORDS = frozenset({"", "null", "none"})
QUALIFIERS = ("actual", "target", "forecast")
ACTIONS = ("confirm", "fix", "reject", "add")
# FACTS.md's units besides ISO 4217 currencies, by the kind letter reference/metrics.csv gives each metric.
UNITS_BY_KIND = {"c": ("count",), "p": ("percent",), "x": ("multiple",), "d": ("hours", "days")}
NON_MONEY_UNITS = frozenset(unit for units in UNITS_BY_KIND.values() for unit in units)
# YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, YYYY-MM-DD (a day is checked as a real date too).
PERIOD_FORMAT = re.compile(r"^\d{4}(?:-(?:H[12]|Q[1-4]|(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?))?$")
# Where a sentence ends: Chinese and Latin stops, semicolons, a line break; a period only before space or the end.
SENTENCE_END = re.compile(r"[。！？!?；;\n]|\.(?=\s|$)")

FIGURE_SQL = """
select reviewed.*, articles.url, articles.body, year(articles.published_at) as article_year
from stg_reviewed_facts as reviewed
inner join articles using (article_id)
where reviewed.fact_id = $fact_id
order by reviewed.origin desc
limit 1
"""

DECISION_SQL = """
select anchors.*, corrections.fields as fields_json, corrections.original as original_json
from stg_correction_anchors as anchors
inner join corrections using (correction_id)
where anchors.subject = $subject
"""

INSERT_SQL = """
insert into corrections (correction_id, subject, action, fields, original, fact_id, url, quote, sentence,
                         quote_offset, span_start, span_end, note, decided_by, decided_at)
values ($correction_id, $subject, $action, $fields, $original, $fact_id, $url, $quote, $sentence,
        $quote_offset, $span_start, $span_end, $note, $decided_by, $decided_at)
"""


class CorrectionError(ValueError):
    """A decision that cannot be recorded; the message names the bad value, fact id or quote."""


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What a field may hold (FACTS.md), read from the reference data."""

    units_by_metric: dict[str, frozenset[str]]  # a metric's units; "money" stands for any currency
    markets: frozenset[str]
    currencies: frozenset[str]
    entity_aliases: dict[str, str]  # alias (casefolded) -> canonical name


@dataclass(frozen=True, slots=True)
class Decision:
    """A recorded decision: its id, what it decided, the figure's id and the figure's subject."""

    correction_id: str
    action: str
    fact_id: str
    subject: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a figure is written: the article, the quote, its sentence and offsets."""

    url: str
    quote: str
    sentence: str | None
    quote_offset: int | None
    span_start: int
    span_end: int


def _reference_rows(name: str) -> list[dict[str, str]]:
    """Rows of a reference CSV, without its `#` comment lines."""
    text = (REFERENCE_DIR / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@functools.cache
def vocabulary() -> Vocabulary:
    """The field vocabulary, loaded once from reference/."""
    kinds: dict[str, set[str]] = {}
    for row in _reference_rows("metrics.csv"):
        if row["metric"] != "-":
            kinds.setdefault(row["metric"], set()).update(row["kinds"])
    units = {metric: frozenset(u for k in ks for u in (("money",) if k == "m" else UNITS_BY_KIND.get(k, ())))
             for metric, ks in kinds.items()}
    currencies = {r["code"] for r in _reference_rows("currencies.csv")} | {r["currency"] for r in
                                                                         _reference_rows("fx_usd.csv")}
    aliases: dict[str, str] = {}
    for row in _reference_rows("entities.csv"):
        for alias in [row["canonical"], *row["aliases"].split("|")]:
            aliases.setdefault(alias.strip().casefold(), row["canonical"])
    return Vocabulary(units, frozenset(r["code"] for r in _reference_rows("markets.csv")), frozenset(currencies),
                      aliases)


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """`field=value` words from the command line as a dict; a word without `=` or an unknown field is an error."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep:
            raise CorrectionError(f"{pair!r} is not FIELD=VALUE (fields: {', '.join(FIELDS)})")
        if name not in FIELDS:
            raise CorrectionError(f"unknown field {name!r} in {pair!r} (fields: {', '.join(FIELDS)})")
        out[name] = value.strip()
    return out


def check_fields(raw: dict[str, object]) -> dict[str, object]:
    """Field values checked against FACTS.md and normalized (value as a number, null for an empty value)."""
    vocab = vocabulary()
    out: dict[str, object] = {}
    for name, value in raw.items():
        if name not in FIELDS:
            raise CorrectionError(f"unknown field {name!r} (fields: {', '.join(FIELDS)})")
        text = None if value is None else str(value).strip()
        if text is None or text.casefold() in NULL_WORDS:
            if name not in NULLABLE_FIELDS:
                raise CorrectionError(f"{name} cannot be empty")
            out[name] = None
        else:
            out[name] = _checked(name, text, vocab)
    return out


def _checked(name: str, text: str, vocab: Vocabulary) -> object:
    """One field's value, normalized, or a CorrectionError naming it."""
    if name == "entity":
        return vocab.entity_aliases.get(text.casefold(), text)
    if name == "market":
        if text.upper() not in vocab.markets:
            raise CorrectionError(f"market {text!r} is not an ISO country code or region (SEA, EUROPE, LATAM, "
                                  "MENA, GLOBAL) of reference/markets.csv")
        return text.upper()
    if name == "metric":
        if text not in vocab.units_by_metric:
            raise CorrectionError(f"metric {text!r} is not in the vocabulary ({', '.join(sorted(vocab.units_by_metric))})")
        return text
    if name == "value":
        try:
            number = float(text.replace(",", "").replace("_", ""))
        except ValueError:
            raise CorrectionError(f"value {text!r} is not a number (base units: 108280000000, not 1082.8亿)") from None
        if not math.isfinite(number):
            raise CorrectionError(f"value {text!r} is not a finite number")
        return number
    if name == "unit":
        if text.upper() in vocab.currencies:
            return text.upper()
        if text.lower() in NON_MONEY_UNITS:
            return text.lower()
        raise CorrectionError(f"unit {text!r} is neither an ISO 4217 currency of reference/currencies.csv nor one "
                              f"of {', '.join(sorted(NON_MONEY_UNITS))}")
    if name == "period":
        if not PERIOD_FORMAT.match(text) or (len(text) == 10 and not _is_date(text)):
            raise CorrectionError(f"period {text!r} is not YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM or YYYY-MM-DD")
        return text
    if text not in QUALIFIERS:
        raise CorrectionError(f"qualifier {text!r} is not one of {', '.join(QUALIFIERS)}")
    return text


def _is_date(text: str) -> bool:
    """A YYYY-MM-DD that names a real day."""
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True


def check_fact(fact: dict[str, object]) -> None:
    """A whole figure: its unit fits its metric (money for gmv, count for orders, percent or multiple for growth)."""
    allowed = vocabulary().units_by_metric.get(str(fact.get("metric")), frozenset())
    unit = str(fact.get("unit"))
    kind = "money" if unit not in NON_MONEY_UNITS else unit
    if kind not in allowed:
        wants = " or ".join(sorted("a currency" if u == "money" else u for u in allowed))
        raise CorrectionError(f"unit {unit!r} does not fit metric {fact.get('metric')!r} (it takes {wants})")


@functools.cache
def _fx_rates() -> dict[str, dict[int, float]]:
    """USD per unit of each currency by year (reference/fx_usd.csv)."""
    rates: dict[str, dict[int, float]] = {}
    for row in _reference_rows("fx_usd.csv"):
        rates.setdefault(row["currency"], {})[int(row["year"])] = float(row["usd_per_unit"])
    return rates


def usd_value(value: float, unit: str, period: str | None, article_year: int | None) -> float | None:
    """Money in USD at the rate of the figure's year, else the article's, else the latest (nearest year known)."""
    by_year = _fx_rates().get(unit)
    if unit in NON_MONEY_UNITS or not by_year:
        return None
    year = int(period[:4]) if period else article_year or max(by_year)
    nearest = min(by_year, key=lambda y: (abs(y - year), -y))
    return value * by_year[nearest]


def default_user() -> str:
    """Who decides when --by is not given: the OS user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def sentence_around(body: str, start: int, end: int) -> tuple[str, int]:
    """The sentence of `body` holding body[start:end], and where it starts."""
    begin = 0
    for match in SENTENCE_END.finditer(body, 0, start):
        begin = match.end()
    stop = SENTENCE_END.search(body, end)
    finish = stop.end() if stop and body[stop.start()] != "\n" else (stop.start() if stop else len(body))
    while begin < start and body[begin].isspace():
        begin += 1
    return body[begin:finish].rstrip(), begin


def locate_sentence(body: str, sentence: str | None, start: int, end: int) -> tuple[str, int]:
    """Where the extractor's sentence of a figure starts in the body (the occurrence holding the figure)."""
    if sentence:
        at = body.find(sentence)
        while at != -1:
            if at <= start and end <= at + len(sentence):
                return sentence, at
            at = body.find(sentence, at + 1)
    return sentence_around(body, start, end)


def find_quote(body: str, quote: str, near: str | None = None, start: int | None = None) -> tuple[int, int] | None:
    """Offsets of the quote in the body: at `start` when it stands there (a selection on the review page), else
    its first occurrence, or the first whose sentence contains `near`."""
    if quote and start is not None and body[start:start + len(quote)] == quote:
        return start, start + len(quote)
    at = body.find(quote) if quote else -1
    while at != -1:
        if near is None or near in sentence_around(body, at, at + len(quote))[0]:
            return at, at + len(quote)
        at = body.find(quote, at + 1)
    return None


# --- writing decisions -------------------------------------------------------------------------------------------


def fix(db: str | Path, fact_id: str, fields: dict[str, object], note: str | None = None,
        by: str | None = None) -> Decision:
    """Change some fields of a figure (the extractor's or an analyst's); the change outlives re-extraction."""
    changes = check_fields(fields)
    if not changes:
        raise CorrectionError("nothing to fix: give FIELD=VALUE (fields: " + ", ".join(FIELDS) + ")")
    return _decide_on(db, fact_id, "fix", changes, note, by)


def confirm(db: str | Path, fact_id: str, note: str | None = None, by: str | None = None) -> Decision:
    """Record that a figure, as shown, is right."""
    return _decide_on(db, fact_id, "confirm", {}, note, by)


def reject(db: str | Path, fact_id: str, note: str | None = None, by: str | None = None) -> Decision:
    """Remove a figure that is not a fact (the extractor will not bring it back)."""
    return _decide_on(db, fact_id, "reject", {}, note, by)


def add(db: str | Path, url: str, quote: str, fields: dict[str, object], note: str | None = None,
        by: str | None = None, near: str | None = None, start: int | None = None) -> Decision:
    """Add a figure the extractor missed, anchored at `quote` in the article at `url` (at offset `start`, or in
    the sentence containing `near`, when given)."""
    values = check_fields(fields)
    missing = [name for name in ("metric", "value", "unit") if name not in values]
    if missing:
        raise CorrectionError(f"add needs {', '.join(n + '=' for n in missing)} (and may set entity, market, "
                              "period, qualifier)")
    fact = {"entity": None, "market": None, "period": None, "qualifier": "actual", **values}
    check_fact(fact)
    _require(db)
    with Writer(db) as writer:
        assert writer.con is not None
        con = writer.con
        row = con.execute("select url, body, year(published_at) from articles where url = $url or article_id = $url",
                          {"url": url}).fetchone()
        if row is None:
            raise CorrectionError(f"no article with url {url} in {db}")
        article_url, body, year = row
        span = find_quote(body or "", quote, near, start)
        if span is None:
            where = f" in a sentence containing {near!r}" if near else ""
            raise CorrectionError(f"quote {quote!r} is not in the article {article_url}{where}")
        sentence, sentence_start = _sentence_of(con, article_url, body, *span)
        fact["value_usd"] = usd_value(float(fact["value"]), str(fact["unit"]), fact["period"], year)
        subject = _new_id()
        anchor = Anchor(article_url, quote, sentence, span[0] - sentence_start, *span)
        decision = Decision(_new_id(), "add", "analyst-" + subject[:12], subject)
        _insert(con, decision, anchor, fact, None, note, by)
    return decision


def _require(db: str | Path) -> None:
    """Decisions are made on an existing warehouse only."""
    if not Path(db).exists():
        raise WarehouseError(f"no warehouse at {db}: run `chuhai ingest PATH --db {db}` first")


def _decide_on(db: str | Path, fact_id: str, action: str, changes: dict[str, object], note: str | None,
               by: str | None) -> Decision:
    """Record a decision on an existing figure, carrying forward the figure's earlier decision."""
    _require(db)
    with Writer(db) as writer:
        assert writer.con is not None
        con = writer.con
        figure = _one(con, FIGURE_SQL, {"fact_id": fact_id})
        if figure is None:
            raise CorrectionError(f"unknown fact id {fact_id!r} in {db} (fact ids: `chuhai sql \"select fact_id, "
                                  "metric, value, sentence from stg_corrected_facts\"`)")
        earlier = _one(con, DECISION_SQL, {"subject": figure["subject"]}) if figure["subject"] else None
        subject, fields, original, anchor = _carried(earlier) if earlier else _first(figure)
        if not anchor.quote:
            raise CorrectionError(f"fact {fact_id} has no figure in its article's text to anchor the decision to")
        fields = _with_changes(fields, changes, figure)
        if earlier is not None and earlier["action"] == "add" and action == "confirm":
            action = "add"  # an analyst's own figure stays added; confirming it changes nothing
        decision = Decision(_new_id(), action, fact_id, subject)
        _insert(con, decision, anchor, fields, original, note, by)
    return decision


def _carried(earlier: dict) -> tuple[str, dict, dict | None, Anchor]:
    """Subject, fields, original fact and anchor of a figure's decision in effect, for the next decision on it."""
    fields = json.loads(earlier["fields_json"]) if earlier["fields_json"] else {}
    original = json.loads(earlier["original_json"]) if earlier["original_json"] else None
    start = earlier["anchor_start"] if earlier["anchored"] else earlier["span_start"]
    anchor = Anchor(earlier["url"], earlier["quote"], earlier["sentence"], earlier["quote_offset"], start,
                    start + len(earlier["quote"]))
    return earlier["subject"], fields, original, anchor


def _first(figure: dict) -> tuple[str, dict, dict | None, Anchor]:
    """A new subject for an extractor fact decided on for the first time: its fields as found, and its anchor."""
    original = {name: figure[name] for name in (*FIELDS, "value_usd")}
    body = figure["body"] or ""
    start, end = figure["span_start"], figure["span_end"]
    if start is None or end is None or not 0 <= start < end <= len(body):
        return _new_id(), {}, original, Anchor(figure["url"], "", None, None, 0, 0)  # refused: nothing to anchor to
    sentence, sentence_start = locate_sentence(body, figure["sentence"], start, end)
    return _new_id(), {}, original, Anchor(figure["url"], body[start:end], sentence, start - sentence_start, start,
                                           end)


def _with_changes(fields: dict, changes: dict[str, object], figure: dict) -> dict:
    """The fields set so far plus the new changes, checked as a whole figure, with USD recomputed when needed."""
    fields = {**fields, **changes}
    if changes:
        shown = {name: figure[name] for name in FIELDS} | changes
        check_fact(shown)
        if {"value", "unit", "period"} & changes.keys():
            fields["value_usd"] = usd_value(float(shown["value"]), str(shown["unit"]), shown["period"],
                                            figure["article_year"])
    return fields


def _sentence_of(con: duckdb.DuckDBPyConnection, url: str, body: str, start: int, end: int) -> tuple[str, int]:
    """The sentence an added figure stands in: the extractor's sentence around it when there is one."""
    rows = con.execute("select distinct sentence from stg_reviewed_facts inner join articles using (article_id) "
                       "where articles.url = $url and sentence is not null", {"url": url}).fetchall()
    for (sentence,) in rows:
        found, at = locate_sentence(body, sentence, start, end)
        if found == sentence and at <= start:
            return found, at
    return sentence_around(body, start, end)


def _insert(con: duckdb.DuckDBPyConnection, decision: Decision, anchor: Anchor, fields: dict[str, object],
            original: dict[str, object] | None, note: str | None, by: str | None) -> None:
    """One row of `corrections`, decided strictly after every earlier one (the latest decision wins)."""
    last = con.execute("select max(decided_at) from corrections").fetchone()[0]
    now = datetime.now()
    if last is not None and now <= last:
        now = last + timedelta(microseconds=1)
    con.execute(INSERT_SQL, {
        "correction_id": decision.correction_id, "subject": decision.subject, "action": decision.action,
        "fields": json.dumps(fields, ensure_ascii=False), "original": None if original is None else
        json.dumps(original, ensure_ascii=False, default=str), "fact_id": decision.fact_id, "url": anchor.url,
        "quote": anchor.quote, "sentence": anchor.sentence, "quote_offset": anchor.quote_offset,
        "span_start": anchor.span_start, "span_end": anchor.span_end, "note": note,
        "decided_by": by or default_user(), "decided_at": now,
    })
    LOG.info("%s %s (%s) by %s", decision.action, decision.fact_id, anchor.quote, by or default_user())


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> dict | None:
    """The first row of a query as a dict, or None."""
    cursor = con.execute(sql, params)
    row = cursor.fetchone()
    return None if row is None else dict(zip([d[0] for d in cursor.description], row, strict=True))


def _new_id() -> str:
    """A fresh random id (20 hex digits, like a fact id)."""
    return uuid.uuid4().hex[:20]
