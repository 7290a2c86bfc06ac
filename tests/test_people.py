"""People-move extractor: the founding article's moves, one case per composed sentence, and fuzzing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.model import Article, PeopleMove
from transforms.people import PEOPLE_VERSION, extract_people

DATA = Path(__file__).parent / "data" / "people_sentences.yaml"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_886cce55628bb01a.txt"
CASES = yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _article(text: str, published: str | date | None = None) -> Article:
    """An article whose body is the given text."""
    if isinstance(published, str):
        published = date.fromisoformat(published)
    return Article(url="https://example.test/p", body=text, published=published)


def _matches(move: PeopleMove, expected: dict) -> bool:
    """Whether an extracted row has every field the expected row states."""
    return all(str(getattr(move, key)) == str(value) if value is not None else getattr(move, key) is None
               for key, value in expected.items())


def _rows(moves: list[PeopleMove]) -> list[tuple]:
    """Readable rows for an assertion message."""
    return [(m.person, m.role_from, m.org_from, m.role_to, m.org_to, m.location, m.period) for m in moves]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_sentence(case: dict) -> None:
    """Each composed sentence yields exactly its expected rows."""
    moves = extract_people(_article(case["text"], case.get("published")))
    expected = case["expected"] or []
    assert len(moves) == len(expected), _rows(moves)
    for row in expected:
        assert any(_matches(m, row) for m in moves), (row, _rows(moves))


@pytest.fixture(scope="module")
def seed_moves() -> dict[str, PeopleMove]:
    """Moves of the founding article, by person."""
    if not SEED.exists():
        pytest.skip("seed article not available")
    return {m.person: m for m in extract_people(_article(SEED.read_text(encoding="utf-8")))}


SEED_EXPECTED = {
    "木青": {"role_from": "抖音电商副总裁", "org_from": "Douyin", "role_to": "负责TikTok电商跨境非服饰业务",
             "org_to": "TikTok Shop", "location": "新加坡"},
    "黄星": {"role_from": "国际事业部负责人", "org_from": "JD Logistics", "role_to": "掌管跨境履约",
             "org_to": "TikTok Shop"},
    "刘小兵": {"org_from": "巨量引擎", "org_to": "TikTok"},
    "魏雯雯": {"role_to": "品牌业务", "org_to": "Douyin"},
}


@pytest.mark.parametrize("person", sorted(SEED_EXPECTED))
def test_seed_move(seed_moves: dict[str, PeopleMove], person: str) -> None:
    """Each of the seed's four moves comes out with its roles and organizations."""
    assert person in seed_moves, sorted(seed_moves)
    assert _matches(seed_moves[person], SEED_EXPECTED[person]), _rows([seed_moves[person]])


def test_seed_liu_roles(seed_moves: dict[str, PeopleMove]) -> None:
    """刘小兵 moves from 巨量引擎's commercialization to TikTok product and technology."""
    move = seed_moves["刘小兵"]
    assert "商业化" in (move.role_from or "") and "产品技术" in (move.role_to or "")
    assert move.period == "2023-Q4"


def test_seed_only_real_people(seed_moves: dict[str, PeopleMove]) -> None:
    """Nobody else in the seed (Bob, 张一鸣, 周受资) is reported as moving."""
    assert set(seed_moves) == set(SEED_EXPECTED)


def test_seed_spans_index_the_body(seed_moves: dict[str, PeopleMove]) -> None:
    """Spans point into the body, inside the row's sentence."""
    body = SEED.read_text(encoding="utf-8")
    for move in seed_moves.values():
        assert 0 <= move.span_start < move.span_end <= len(body)
        assert body[move.span_start:move.span_end] in move.sentence


def test_version_is_set() -> None:
    """The version string is stamped on every row and must not be empty."""
    assert PEOPLE_VERSION


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_never_raises_on_random_text(text: str) -> None:
    """Arbitrary text gives a list of moves, never an exception."""
    assert isinstance(extract_people(_article(text)), list)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["王伟", "任命", "为", "加盟", "出任", "这位", "离职", "由", "带队", "原", "副总裁",
                                 ",", "。", "\n", "Amazon", "京东物流", " joins ", "John Smith", " as ", "CEO"]),
                max_size=40))
def test_never_raises_on_move_soup(words: list[str]) -> None:
    """Move-dense nonsense still yields rows whose spans index the body."""
    text = "".join(words)
    for move in extract_people(_article(text)):
        assert 0 <= move.span_start <= move.span_end <= len(text)


def test_people_moves_view() -> None:
    """The same move in two articles is one row crediting the first; half-years start the timeline."""
    import duckdb

    root = Path(__file__).resolve().parents[1] / "warehouse"
    con = duckdb.connect()
    for migration in sorted((root / "migrations").glob("*.sql")):
        con.execute(migration.read_text(encoding="utf-8"))
    con.execute("""insert into articles (article_id, url, title, published_at, content_hash, ingested_at, updated_at)
                   values ('a1', 'https://x.test/1', 'First', date '2024-02-01', 'h1', now(), now()),
                          ('a2', 'https://x.test/2', 'Second', date '2024-03-01', 'h2', now(), now())""")
    con.executemany("insert into people_moves values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        ("m1", "a2", "黄星", "国际事业部负责人", "JD Logistics", "掌管跨境履约", "TikTok Shop", None, "2023-Q4", "s2", 0, 2, "v"),
        ("m2", "a1", "黄星", "国际事业部负责人", "JD Logistics", "掌管跨境履约", "TikTok Shop", None, "2023-Q4", "s1", 0, 2, "v"),
        ("m3", "a1", "Jane Smith", None, None, "chief operating officer", "Temu", None, "2024-H2", "s3", 0, 2, "v"),
    ])
    con.execute((root / "sql" / "v_people_moves.sql").read_text(encoding="utf-8"))
    rows = con.execute("select timeline_date, person, org_to, sources, url from v_people_moves").fetchall()
    assert rows == [
        (date(2023, 10, 1), "黄星", "TikTok Shop", 2, "https://x.test/1"),
        (date(2024, 7, 1), "Jane Smith", "Temu", 1, "https://x.test/1"),
    ]


def test_role_file_rows_compile() -> None:
    """Every vocabulary row has three fields and a pattern that compiles."""
    import re

    from transforms.reference import read_csv_rows

    rows = read_csv_rows("people_roles.csv")
    assert rows and all(set(row) == {"kind", "script", "pattern"} for row in rows)
    for row in rows:
        re.compile(row["pattern"])


MOVE_SOUP = ["王伟", "李", "任命", "为", "加盟", "出任", "负责", "负责人", "这位", "离职", "由", "由于", "带队", "接手", "原", "副总裁", "总裁",
             "首席运营官", "CEO", "chief marketing officer", "Head", "headed", "joined", "Joins", "left", "step", "stepped down",
             "named", "renamed", "K", "ſ", " ", ",", "，", "。", ".", "\n", "-", "1", "中", "的", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MOVE_SOUP), max_size=30))
def test_start_indexes_find_what_the_patterns_find(words: list[str]) -> None:
    """Title words and English move words agree with the plain patterns; a sentence the move filter drops has no move."""
    from transforms.mentions import build_context
    from transforms.people import (
        Names,
        _chinese_moves,
        _move_sentences,
        _person_mentions,
        _title_ends,
        in_span,
        vocab,
    )
    from transforms.people_en import EN_MOVE_HINT, hint_starts

    text = "".join(words)
    assert _title_ends(text) == {m.end() for m in vocab()["title"].finditer(text)}
    assert hint_starts(text) == [m.start() for m in EN_MOVE_HINT.finditer(text)]
    ctx = build_context(Article(url="https://example.test/a", body=text))
    mentions = _person_mentions(ctx)
    kept = {sent.start for sent in _move_sentences(ctx)}
    for sent in ctx.sentences:
        names = Names(in_span(mentions, sent.start, sent.end))
        assert sent.start in kept or not _chinese_moves(ctx, sent, names, names[-1] if names else None)


def test_start_indexes_cover_the_vocabulary() -> None:
    """The title and move vocabularies can be described by start indexes; otherwise the slow scans come back."""
    from transforms.people import _indexes
    from transforms.people_en import _hint_index

    assert all(index is not None for index in _indexes().values()) and _hint_index() is not None
