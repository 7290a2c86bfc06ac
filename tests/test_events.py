"""Event extractor: the founding article's events, one case per composed sentence, and fuzzing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.events import EVENTS_VERSION, extract_events
from transforms.events_lexicon import EVENT_TYPES
from transforms.model import Article, Event

DATA = Path(__file__).parent / "data" / "event_sentences.yaml"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_886cce55628bb01a.txt"
CASES = yaml.safe_load(DATA.read_text(encoding="utf-8"))
PERIOD_SHAPE = r"^\d{4}(?:-(?:Q[1-4]|H[12]|\d{2}(?:-\d{2})?))?$"


def _article(text: str, published: str | date | None = None) -> Article:
    """An article whose body is the given text."""
    if isinstance(published, str):
        published = date.fromisoformat(published)
    return Article(url="https://example.test/a", body=text, published=published)


def _matches(event: Event, expected: dict) -> bool:
    """Whether an extracted row has every field the expected row states."""
    return all(str(getattr(event, key)) == str(value) if value is not None else getattr(event, key) is None
               for key, value in expected.items())


def _rows(events: list[Event]) -> list[tuple]:
    """Readable rows for an assertion message."""
    return [(e.event_type, e.entity, e.counterpart, e.market, e.period) for e in events]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_sentence(case: dict) -> None:
    """Each composed sentence yields exactly its expected rows."""
    events = extract_events(_article(case["text"], case.get("published")))
    expected = case["expected"] or []
    assert len(events) == len(expected), _rows(events)
    for row in expected:
        assert any(_matches(e, row) for e in events), (row, _rows(events))


LEADERSHIP_CASES = [c for c in CASES if c.get("leadership")]


@pytest.mark.parametrize("case", LEADERSHIP_CASES, ids=[c["id"] for c in LEADERSHIP_CASES])
def test_leadership_when_switched_on(case: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Leadership changes are not emitted (they mirror people moves), but the builder still finds the org whose post changes."""
    import transforms.events as events_module

    monkeypatch.setattr(events_module, "EMIT_LEADERSHIP", True)
    events = [e for e in extract_events(_article(case["text"] + " ", case.get("published")))
              if e.event_type == "leadership_change"]
    for row in case["leadership"]:
        assert any(_matches(e, row) for e in events), (row, _rows(events))


@pytest.fixture(scope="module")
def seed_events() -> list[Event]:
    """Events of the founding article."""
    if not SEED.exists():
        pytest.skip("seed article not available")
    return extract_events(_article(SEED.read_text(encoding="utf-8")))


SEED_EXPECTED = [
    {"event_type": "ban", "entity": "TikTok Shop", "market": "ID", "period": "2023-10"},
    {"event_type": "merger_acquisition", "entity": "TikTok Shop", "counterpart": "Tokopedia", "market": "ID"},
    {"event_type": "partnership", "entity": "TikTok Shop", "counterpart": "MARKET.live", "market": "US"},
    {"event_type": "partnership", "counterpart": "法国邮政"},
    {"event_type": "partnership", "counterpart": "澳大利亚邮政"},
    {"event_type": "launch", "entity": "TikTok Shop", "market": "TH"},
    {"event_type": "launch", "entity": "TikTok Shop", "market": "VN"},
    {"event_type": "launch", "entity": "TikTok Shop", "market": "MY"},
    {"event_type": "launch", "entity": "TikTok Shop", "market": "SG"},
    {"event_type": "exit", "entity": "Cainiao"},
    {"event_type": "regulation", "entity": "TikTok Shop", "market": "US"},
]


@pytest.mark.parametrize("expected", SEED_EXPECTED, ids=lambda e: f"{e['event_type']}-{e.get('counterpart') or e.get('market') or e.get('entity')}")
def test_seed_event(seed_events: list[Event], expected: dict) -> None:
    """The founding article's headline events come out with the right type and parties."""
    assert any(_matches(e, expected) for e in seed_events), _rows(seed_events)


def test_seed_periods(seed_events: list[Event]) -> None:
    """The ban is dated to the month and the deals to 2024."""
    by_type = {(e.event_type, e.counterpart): e for e in seed_events}
    assert by_type[("ban", "印尼政府")].period == "2023-10"
    assert by_type[("merger_acquisition", "Tokopedia")].period.startswith("2024")
    assert by_type[("partnership", "MARKET.live")].period.startswith("2024")


def test_seed_no_duplicates(seed_events: list[Event]) -> None:
    """Repeated mentions of one event merge into one row."""
    keys = [(e.event_type, e.entity, e.counterpart, e.market, e.period) for e in seed_events]
    assert len(keys) == len(set(keys))
    assert sum(e.event_type == "ban" for e in seed_events) == 1


def test_seed_spans_point_at_triggers(seed_events: list[Event]) -> None:
    """Every span indexes the body and lies inside the row's sentence."""
    body = SEED.read_text(encoding="utf-8")
    for event in seed_events:
        assert 0 <= event.span_start < event.span_end <= len(body)
        assert body[event.span_start:event.span_end] in event.sentence


def test_seed_rows_are_well_formed(seed_events: list[Event]) -> None:
    """Types come from the fixed list and periods have one of the allowed shapes."""
    import re

    for event in seed_events:
        assert event.event_type in EVENT_TYPES
        assert event.period is None or re.match(PERIOD_SHAPE, event.period)


def test_version_is_set() -> None:
    """The version string is stamped on every row and must not be empty."""
    assert EVENTS_VERSION


def test_speed_on_five_kilobytes() -> None:
    """A 5 KB article takes a few milliseconds once the vocabulary is compiled."""
    import time

    text = (CASES[0]["text"] + CASES[2]["text"] + "\n") * 60
    extract_events(_article(text[:5000]))
    started = time.perf_counter()
    extract_events(_article(text[:5000]))
    assert time.perf_counter() - started < 0.25


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_never_raises_on_random_text(text: str) -> None:
    """Arbitrary text gives a list of events, never an exception."""
    assert isinstance(extract_events(_article(text)), list)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["封禁", "TikTok", "收购", "和", "合作", "上线", "泰国", "2024年", "。", ",",
                                 "\n", "acquired", " by ", "Amazon", "launched", "in", "Spain", "?", "的"]),
                max_size=40))
def test_never_raises_on_trigger_soup(words: list[str]) -> None:
    """Trigger-dense nonsense still yields rows whose spans index the body."""
    text = "".join(words)
    for event in extract_events(_article(text)):
        assert 0 <= event.span_start <= event.span_end <= len(text)


def _warehouse_with(rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with the shipped schema, two articles and the given event rows."""
    root = Path(__file__).resolve().parents[1] / "warehouse"
    con = duckdb.connect()
    for migration in sorted((root / "migrations").glob("*.sql")):
        con.execute(migration.read_text(encoding="utf-8"))
    con.execute("""insert into articles (article_id, url, title, published_at, content_hash, ingested_at, updated_at)
                   values ('a1', 'https://x.test/1', 'First', date '2024-02-01', 'h1', now(), now()),
                          ('a2', 'https://x.test/2', 'Second', date '2024-03-01', 'h2', now(), now())""")
    con.executemany("insert into events values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute((root / "sql" / "v_events_timeline.sql").read_text(encoding="utf-8"))
    return con


def test_events_timeline_view() -> None:
    """The same event in two articles is one row crediting the first; periods order the timeline."""
    con = _warehouse_with([
        ("e1", "a2", "ban", "TikTok Shop", None, "ID", "2023-10", "s2", 0, 2, "v"),
        ("e2", "a1", "ban", "TikTok Shop", None, "ID", "2023-10", "s1", 0, 2, "v"),
        ("e3", "a1", "merger_acquisition", "TikTok Shop", "Tokopedia", "ID", "2024-Q1", "s3", 0, 2, "v"),
        ("e4", "a2", "exit", "Cainiao", None, None, None, "s4", 0, 2, "v"),
    ])
    rows = con.execute("select timeline_date, event_type, entity, sources, url, sentence from v_events_timeline").fetchall()
    assert rows == [
        (date(2023, 10, 1), "ban", "TikTok Shop", 2, "https://x.test/1", "s1"),
        (date(2024, 1, 1), "merger_acquisition", "TikTok Shop", 1, "https://x.test/1", "s3"),
        (date(2024, 3, 1), "exit", "Cainiao", 1, "https://x.test/2", "s4"),
    ]


def test_trigger_file_rows_compile() -> None:
    """Every trigger row has three fields and a pattern that compiles (an unquoted comma would split it)."""
    import re

    from transforms.reference import read_csv_rows

    rows = read_csv_rows("event_triggers.csv")
    assert rows and all(set(row) == {"event_type", "script", "pattern"} for row in rows)
    for row in rows:
        re.compile(row["pattern"])
    assert {row["event_type"] for row in rows} >= set(EVENT_TYPES)


TRIGGER_SOUP = ["封禁", "禁止", "勒令停业", "被暂停", "收购", "合作", "携手", "上线", "开放", "撤出", "完成", "IPO", "天使轮",
                "A轮", "在美国", "任命", "管理层调整", "ban", "Banned", "was blocked", "ordered to", "acquired", "take a stake",
                "partnered with", "launch", "Launches", "open its", "expand into", "exit the", "raised $", "series B",
                "laid off", "cut 10%", "step down", "succeeded", "new CEO", "face a ban", "K", "ſ", "İ", "ı", "a", "e",
                " ", ",", "，", "。", ".", "\n", "-", "1", "中", "的", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TRIGGER_SOUP), max_size=30))
def test_start_index_finds_what_the_scanners_find(words: list[str]) -> None:
    """The first-character index gives exactly the plain scanners' trigger starts (it is only a shortcut)."""
    from transforms.events_lexicon import _spots, trigger_scanners

    text = "".join(words)
    assert _spots(text) == sorted({m.start() for scanner in trigger_scanners() for m in scanner.finditer(text)})


def test_start_index_covers_every_trigger_row() -> None:
    """Every trigger row can be described by the index; otherwise the slow full scan silently comes back."""
    from transforms.events_lexicon import trigger_indexes

    assert all(index is not None for index in trigger_indexes())
