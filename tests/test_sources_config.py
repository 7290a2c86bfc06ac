"""The sources file: what a valid one gives, and the error each mistake gets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sources.config import ConfigError, SourceSpec, load_sources, parse_sources
from sources.recipes import source_recipes
from transforms.recipes import recipe_for

ROOT = Path(__file__).resolve().parent.parent


def test_the_example_file_loads_and_its_commented_source_is_valid():
    assert load_sources(ROOT / "sources.yaml").sources == {}
    text = (ROOT / "sources.yaml").read_text(encoding="utf-8")
    uncommented = re.sub(r"(?m)^  # ( *\w+:)", r"  \1", text)
    config = parse_sources(yaml.safe_load(uncommented), "sources.yaml (uncommented)")
    site = config.sources["jinhanchuan"]
    assert site.feeds == ("https://www.jinhanchuan.com/feed",) and site.recipe == "jinhanchuan.yaml"
    assert site.wants("https://www.jinhanchuan.com/252060.html")
    assert not site.wants("https://www.jinhanchuan.com/tag/temu")


def test_defaults_apply_and_a_source_overrides_them(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("delay: 5\nmax_pages: 10\nallow_hosts: [Intranet.Example]\nsources:\n"
                    "  a: {pages: ['https://a.example/1']}\n"
                    "  b: {feeds: ['https://b.example/rss'], delay: 0.5}\n", encoding="utf-8")
    config = load_sources(path)
    assert (config.sources["a"].delay, config.sources["a"].max_pages) == (5.0, 10)
    assert config.sources["b"].delay == 0.5
    assert config.allow_hosts == frozenset({"intranet.example"})


@pytest.mark.parametrize("body, message", [
    ({"sources": {"a": {"feed": ["https://a.example/rss"]}}}, "source 'a': unknown key feed"),
    ({"sources": {"a": {}}}, "source 'a': give at least one start point"),
    ({"sources": {"a": {"pages": ["ftp://a.example/x"]}}}, "pages: 'ftp://a.example/x': not an absolute http\\(s\\) url"),
    ({"sources": {"a": {"pages": ["https://a.example/"], "include": ["(unclosed"]}}}, "not a valid regular expression"),
    ({"sources": {"a": {"pages": ["https://a.example/"], "delay": "fast"}}}, "delay: expected a number of seconds"),
    ({"sources": {"a": {"pages": ["https://a.example/"], "max_pages": 0}}}, "max_pages: expected a whole number >= 1"),
    ({"sources": {"a": {"pages": ["https://a.example/"], "recipe": "nope.yaml"}}}, "recipe: .*nope.yaml does not exist"),
    ({"sources": {"a": {"pages": ["https://a.example/"], "recipe": "../secrets"}}}, "recipe: expected a file name"),
    ({"sources": {"bad name!": {"pages": ["https://a.example/"]}}}, "a source name is letters"),
    ({"fetch": {"timeout": -1}, "sources": {}}, "fetch: timeout: expected a number >= 0"),
    ({"fetch": {"retries": 1.5}, "sources": {}}, "fetch: retries: expected a whole number"),
    ({"source": {}}, "unknown key source"),
])
def test_each_mistake_names_the_file_the_source_and_the_key(body, message):
    with pytest.raises(ConfigError, match=f"^my.yaml: .*{message}"):
        parse_sources(body, "my.yaml")


def test_missing_file_and_bad_yaml_are_clear(tmp_path):
    with pytest.raises(ConfigError, match="sources file not found"):
        load_sources(tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml: not valid YAML"):
        load_sources(bad)


def test_picking_an_unknown_source_lists_the_known_ones():
    config = parse_sources({"sources": {"a": {"pages": ["https://a.example/"]}}}, "s.yaml")
    with pytest.raises(ConfigError, match=r"no source named zz \(defined: a\)"):
        config.pick(["zz"])


def test_a_named_recipe_applies_to_every_host_the_source_reaches():
    source = SourceSpec("mirror", pages=("http://127.0.0.1:8000/252060.html",), recipe="jinhanchuan.yaml")
    recipes = source_recipes(source, {"cdn.mirror.example"})
    for url in ("http://127.0.0.1:8000/1.html", "https://cdn.mirror.example/2.html", "https://www.jinhanchuan.com/3.html"):
        assert recipe_for(url, recipes)["name"] == "jinhanchuan"
