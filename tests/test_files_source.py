"""Local files as a source: front matter, the 原文地址 line, and the roots a user named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sources.files import FileItem, SourceError, list_files, read_file
from transforms.batch import article_id
from transforms.documents import DocumentError, parse_front_matter, text_to_article, to_article


def test_front_matter_gives_url_title_date_and_language():
    text = "---\nurl: https://example.com/a?utm_source=x#top\ntitle: 標題\npublished: 2025-03-18\nlang: zh-Hant\n---\n第一段。\n第二段。\n"
    article = text_to_article(text, "file:///tmp/a.txt")
    assert article.url == "https://example.com/a?utm_source=x#top"  # as written: users and gold files join on it
    assert article_id(article.url) == article_id("https://example.com/a")  # one article, however the link was tagged
    assert article.title == "標題"
    assert article.published == date(2025, 3, 18)
    assert article.lang == "zh-Hant"
    assert article.body == "第一段。\n第二段。"


def test_trailing_original_url_line_gives_the_url_and_leaves_the_body():
    text = "1. 首页 > 电商出海\n\n某平台GMV增长50%。\n\n原文地址:https://www.jinhanchuan.com/252060.html"
    article = text_to_article(text, "file:///tmp/seed.txt")
    assert article.url == "https://www.jinhanchuan.com/252060.html"
    assert "原文地址" not in article.body
    assert article.body.endswith("某平台GMV增长50%。")


def test_text_without_url_keeps_its_file_uri(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text("Temu GMV rose 40% in 2024.", encoding="utf-8")
    (item,) = list(list_files([tmp_path]))
    article = to_article(read_file(item))
    assert article.url == path.resolve().as_uri()


def test_broken_front_matter_is_a_clear_error():
    with pytest.raises(DocumentError, match="broken front matter"):
        parse_front_matter("---\nthis is not a key value line\n---\nbody")


def test_gbk_text_file_is_decoded(tmp_path: Path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("拼多多营收增长7%。".encode("gbk"))
    (item,) = list(list_files([path]))
    assert to_article(read_file(item)).body == "拼多多营收增长7%。"


def test_folder_walk_takes_article_files_only_in_stable_order(tmp_path: Path):
    for name in ["b.html", "a.txt", "c.md", "d.pdf", "e.jsonl"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    names = [f.path.name for f in list_files([tmp_path]) if isinstance(f, FileItem)]
    assert names == ["a.txt", "b.html", "c.md"]


def test_symlink_leaving_the_named_folder_is_refused(tmp_path: Path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret 100亿美元", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("fine", encoding="utf-8")
    (corpus / "link.txt").symlink_to(outside)
    found = list(list_files([corpus]))
    refused = [f for f in found if isinstance(f, SourceError)]
    assert [f.path.name for f in found if isinstance(f, FileItem)] == ["ok.txt"]
    assert len(refused) == 1 and "outside the folder" in str(refused[0])


def test_missing_path_and_oversized_file_are_errors_not_crashes(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"1" * 2048)
    assert isinstance(next(iter(list_files([tmp_path / "nope"]))), SourceError)
    (item,) = list(list_files([big]))
    with pytest.raises(SourceError, match="over the 0 MB limit|MB limit"):
        read_file(item, max_bytes=1024)
