"""decode_html: declared charsets first, wrong declarations detected, mojibake never returned."""

from __future__ import annotations

import codecs

import pytest

from transforms.decode import DecodeError, declared_encodings, decode_html, looks_garbled, normalize_codec

ZH_TEXT = "跨境电商出口额同比增长百分之二十，亚马逊和速卖通的卖家数量继续上升。" * 3
TW_TEXT = "跨境電商出口額同比增長，亞馬遜和蝦皮的賣家數量繼續上升，香港的物流業也受惠。" * 3


def page(body: str, head: str = "") -> str:
    """A minimal HTML page around a body, with optional extra head markup."""
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


def test_utf8_page_with_meta_charset() -> None:
    data = page(ZH_TEXT, '<meta charset="utf-8">').encode("utf-8")
    assert ZH_TEXT in decode_html(data)


def test_gbk_page_without_charset_header_uses_meta() -> None:
    html = page(ZH_TEXT, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    assert ZH_TEXT in decode_html(html.encode("gbk"))


def test_gbk_page_with_no_declaration_at_all_is_detected() -> None:
    data = page(ZH_TEXT * 4).encode("gbk")
    assert ZH_TEXT in decode_html(data)


def test_gb2312_declared_page_using_gbk_only_characters_decodes_as_gb18030() -> None:
    text = "镕基和喆都不在GB2312里，但在GBK和GB18030里。" + ZH_TEXT
    html = page(text, '<meta charset="gb2312">')
    assert text in decode_html(html.encode("gb18030"))


def test_big5_page_decodes_as_big5_hkscs() -> None:
    text = TW_TEXT + "香港增補字符集：𨋢"  # 𨋢 (lift) exists only in HKSCS
    html = page(text, '<meta charset="big5">')
    assert text in decode_html(html.encode("big5hkscs"))


def test_wrong_charset_header_is_overruled_by_the_bytes() -> None:
    data = page(ZH_TEXT, '<meta charset="utf-8">').encode("utf-8")
    assert ZH_TEXT in decode_html(data, "text/html; charset=iso-8859-1")


def test_wrong_utf8_header_on_gbk_page_falls_back() -> None:
    data = page(ZH_TEXT * 2).encode("gbk")
    assert ZH_TEXT in decode_html(data, "text/html; charset=utf-8")


def test_http_header_comes_before_meta() -> None:
    data = page("café crème", '<meta charset="utf-8">').encode("cp1252")
    assert "café crème" in decode_html(data, "text/html; charset=windows-1252")


def test_latin1_label_is_read_as_windows_1252() -> None:
    data = page("“quoted” – dash", '<meta charset="iso-8859-1">').encode("cp1252")
    assert "“quoted” – dash" in decode_html(data)


def test_byte_order_mark_is_honoured_and_stripped() -> None:
    data = codecs.BOM_UTF8 + page(ZH_TEXT).encode("utf-8")
    text = decode_html(data)
    assert text.startswith("<html>") and ZH_TEXT in text


def test_utf16_with_bom() -> None:
    data = codecs.BOM_UTF16_LE + page(ZH_TEXT).encode("utf-16-le")
    assert ZH_TEXT in decode_html(data)


def test_wrapper_encoding_attribute_of_cleaneval_captures() -> None:
    html = f'<text id="http://example.com/a" title="t" encoding="gb2312">\n<html><body><p>{ZH_TEXT}</p></body></html>'
    assert ZH_TEXT in decode_html(html.encode("gbk"))


def test_declared_encodings_order_and_normalisation() -> None:
    data = b'<text encoding="gb2312">\n<html><head><meta charset="big5"></head></html>'
    assert declared_encodings(data, "text/html; charset=GBK") == ["gb18030", "big5hkscs"]
    assert normalize_codec("x-unknown-charset") is None
    assert normalize_codec("ISO-8859-1") == "cp1252"


def test_pure_ascii_and_empty_input() -> None:
    assert decode_html(b"") == ""
    assert decode_html(b"<p>plain</p>") == "<p>plain</p>"


def test_mojibake_detector() -> None:
    assert looks_garbled(ZH_TEXT.encode("utf-8").decode("latin-1"), "cp1252")
    assert looks_garbled(ZH_TEXT.encode("utf-8").decode("gb18030", "replace"), "gb18030")
    assert not looks_garbled(ZH_TEXT, "gb18030")
    assert not looks_garbled("Crème brûlée à la française, déjà vu.", "cp1252")


def test_binary_junk_raises_a_readable_decode_error() -> None:
    junk = bytes(range(256)) * 20
    with pytest.raises(DecodeError) as info:
        decode_html(junk)
    assert isinstance(info.value, ValueError)
    assert "cannot decode page" in str(info.value)
