"""Candidate scoring: which elements hold the article body.

Receives the <body> element after the boilerplate blocks are dropped (and the headline
element, if found); returns the chosen containers in document order and the text stats of
every element (`measure`), which rendering reuses to prune inside the containers. Text
blocks score their containers by length, punctuation and link density; the best container
may climb to a parent or gather its article-like siblings and same-class chunks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from transforms.article.boilerplate_lines import BOILERPLATE
from transforms.article.classnames import attr_text, class_bonus
from transforms.article.tags import INLINE_TAGS, PARAGRAPH_TAGS
from transforms.article.text import text_weight
from transforms.article.tree import is_ancestor

PUNCT = re.compile(r"[,.;!?，。；！？、：:]")
MIN_BLOCK_WEIGHT = 25
MAX_LINK_WEIGHT = 400
MAX_CANDIDATE_LINK_DENSITY = 0.5
CHUNK_SCOPE_LEVELS = 5
MIN_SIBLING_SCORE, SIBLING_SHARE = 8.0, 0.2
LIST_CONTAINER_TAGS = frozenset(("ul", "ol", "dl"))
LIST_CONTAINER_PENALTY = 0.5  # a list of teasers scores like prose; a list inside an article does not need to win
HEADLINE_BONUS = 1.3
HOLDS_HEADLINE_BONUS = 1.6
LIST_OF_ARTICLES_PENALTY = 0.3
HEADLINE_LEVELS = 3


@dataclass(slots=True)
class Stats:
    """Text measures of one element's subtree."""

    weight: float = 0.0
    link_weight: float = 0.0
    punct: int = 0
    score: float = 0.0


def measure(body: Any) -> tuple[list, dict]:
    """Elements in document order and the text stats of each subtree (weights, links, scores)."""
    nodes = list(body.iter(etree.Element))
    stats: dict[Any, Stats] = {node: Stats() for node in nodes}
    parents = [node.getparent() for node in nodes]
    owner: dict[Any, Any] = {}
    block_text: dict[Any, list[str]] = {}
    part_weight: dict[Any, float] = {}  # weight of a block made of one text part, reused below
    for node, parent in zip(nodes, parents, strict=True):
        tag = node.tag if isinstance(node.tag, str) else ""
        own = owner[node] = node if tag not in INLINE_TAGS or parent not in owner else owner[parent]
        text = node.text
        if text:
            part_weight[own] = weight = text_weight(text)
            stats[node].weight += weight
            block_text.setdefault(own, []).append(text)
        tail = node.tail
        if tail and parent in stats:
            part_weight[owner[parent]] = weight = text_weight(tail)
            stats[parent].weight += weight
            block_text.setdefault(owner[parent], []).append(tail)
    # one pass upwards: a node's descendants all come after it, so its weight is complete here
    for node, parent in zip(reversed(nodes), reversed(parents), strict=True):
        st = stats[node]
        if node.tag == "a" and st.weight <= MAX_LINK_WEIGHT:
            st.link_weight = st.weight  # an unclosed <a> swallowing the page is no link
        pst = stats.get(parent)
        if pst is not None:
            pst.weight += st.weight
            pst.link_weight += st.link_weight
    for block, texts in block_text.items():
        if len(texts) == 1:
            _credit_block(block, texts[0], stats, part_weight[block])
        else:
            _credit_block(block, "".join(texts), stats)
    return nodes, stats


def _credit_block(block: Any, text: str, stats: dict, weight: float | None = None) -> None:
    """Add a text block's score to the container it sits in and, decaying, to its ancestors."""
    if weight is None:
        weight = text_weight(text)
    if weight < MIN_BLOCK_WEIGHT or BOILERPLATE.line_any_length.search(text):
        return
    punct = len(PUNCT.findall(text))
    score = 1 + punct + min(weight / 100, 3)
    tag = block.tag if isinstance(block.tag, str) else ""
    node = block.getparent() if tag in PARAGRAPH_TAGS else block
    level = 0
    while node is not None and node in stats and level < 4:
        stats[node].score += score / (1, 2, 4, 8)[level]
        stats[node].punct += punct
        node = node.getparent()
        level += 1


def link_density(st: Stats) -> float:
    """Share of a subtree's text that sits inside links."""
    return st.link_weight / st.weight if st.weight else 0.0


def choose_containers(body: Any, headline: Any = None) -> tuple[list, dict]:
    """The chosen containers and the stats measured to choose them (pruning reuses them)."""
    nodes, stats = measure(body)
    scored = [(_final_score(node, stats[node]), i) for i, node in enumerate(nodes) if stats[node].score > 0]
    if not scored:
        return [], stats
    top = sorted(scored, reverse=True)[:5]
    if headline is not None:
        top = [(score * _headline_bonus(nodes[i], headline), i) for score, i in top]
    top = [(score * LIST_OF_ARTICLES_PENALTY if _holds_articles(nodes[i]) else score, i) for score, i in top]
    best_score, best_index = max(top)
    best = nodes[best_index]
    if best_score < 3:
        return [], stats
    best = _promote_common_ancestor(best, best_score, nodes, stats)
    best = _climb(best, stats)
    chosen = _with_article_siblings(best, stats)
    return _add_same_class_chunks(chosen, nodes, stats), stats


def _holds_articles(node: Any) -> bool:
    """True when an element holds two or more <article> elements: a teaser list, not an article."""
    count = 0
    for _ in node.iterdescendants("article"):
        count += 1
        if count >= 2:
            return True
    return False


def _headline_bonus(node: Any, headline: Any) -> float:
    """Score multiplier for a candidate holding the headline, or sitting near it."""
    if any(a is node for a in headline.iterancestors()):
        return HOLDS_HEADLINE_BONUS
    return HEADLINE_BONUS if _near_headline(node, headline) else 1.0


def _near_headline(node: Any, headline: Any) -> bool:
    """True when node and the headline meet within a few levels above node (same article column)."""
    heading_line = set(headline.iterancestors())
    current = node
    for _ in range(HEADLINE_LEVELS + 1):
        if current is None:
            return False
        if current in heading_line:
            return True
        current = current.getparent()
    return False


def _with_article_siblings(best: Any, stats: dict) -> list:
    """The best container plus the siblings that read like more of the article."""
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(MIN_SIBLING_SCORE, stats[best].score * SIBLING_SHARE)
    chosen = []
    for sibling in parent:
        sst = stats.get(sibling)
        if sibling is best:
            chosen.append(sibling)
        elif sst is None or sst.weight == 0 or (sibling.tag == "article" and best.tag == "article"):
            continue  # a sibling <article> is another article (a teaser list), not more of this one
        elif sst.score * (1 - link_density(sst)) >= threshold and link_density(sst) < 0.3:
            chosen.append(sibling)
        elif sibling.tag in PARAGRAPH_TAGS and link_density(sst) < 0.25 and sst.weight >= 60 and sst.punct:
            chosen.append(sibling)
    return chosen


def _add_same_class_chunks(chosen: list, nodes: list, stats: dict) -> list:
    """Chosen containers plus elsewhere-placed blocks of the same tag and class (split bodies)."""
    if len(chosen) != 1 or not chosen[0].get("class"):
        return chosen
    best = chosen[0]
    floor = max(3.0, 0.1 * _final_score(best, stats[best]))
    scope = best
    for _ in range(CHUNK_SCOPE_LEVELS):
        parent = scope.getparent()
        if parent is None or parent.tag == "body":
            break
        scope = parent
    extra = [
        n for n in scope.iterdescendants(best.tag)
        if n is not best and n.get("class") == best.get("class") and n in stats
        and _final_score(n, stats[n]) >= floor
        and not is_ancestor(n, best) and not is_ancestor(best, n)
    ]
    extra = [n for n in extra if not any(is_ancestor(m, n) for m in extra)]
    if not extra:
        return chosen
    order = {node: i for i, node in enumerate(nodes)}
    return sorted([best, *extra], key=order.__getitem__)


def _final_score(node: Any, st: Stats) -> float:
    """A container's score after the link-density penalty and class bonus."""
    density = link_density(st)
    if density > MAX_CANDIDATE_LINK_DENSITY:
        return 0.0
    list_penalty = LIST_CONTAINER_PENALTY if node.tag in LIST_CONTAINER_TAGS else 1.0
    return st.score * (1 - density) * class_bonus(attr_text(node)) * list_penalty


def _promote_common_ancestor(best: Any, best_score: float, nodes: list, stats: dict) -> Any:
    """The closest ancestor holding two more near-best candidates: an article split in columns."""
    rivals = [n for n in nodes if n is not best and stats[n].score >= 0.6 * best_score
              and _final_score(n, stats[n]) >= 0.6 * best_score]
    if len(rivals) < 2:
        return best
    rival_set = set(rivals)
    for depth, ancestor in enumerate(best.iterancestors()):
        if depth >= 5 or ancestor not in stats:
            break
        inside = sum(1 for n in ancestor.iterdescendants() if n in rival_set and not is_ancestor(n, best))
        if inside >= 2:
            return ancestor
    return best


def _climb(best: Any, stats: dict) -> Any:
    """Move up from the best node while its parent holds more article-like text of similar quality."""
    node = best
    for _ in range(3):
        parent = node.getparent()
        if parent is None or parent not in stats:
            break
        pst, st = stats[parent], stats[node]
        if pst.score * (1 - link_density(pst)) >= 1.15 * st.score * (1 - link_density(st)) and (
            link_density(pst) < 0.3
        ):
            node = parent
        else:
            break
    return node
