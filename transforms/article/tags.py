"""HTML tag classes the stages agree on: inline, paragraph, block and boilerplate tags.

Data, not code: frozensets of lowercase tag names, read by the block dropper (DROP_TAGS,
KEEP_ALWAYS), candidate scoring (INLINE_TAGS, PARAGRAPH_TAGS) and rendering (BLOCK_BREAK_TAGS,
LIST_LIKE_TAGS).
"""

from __future__ import annotations

INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i img ins kbd label mark nobr q rp rt ruby s "
    "samp small span strike strong sub sup time tt u var wbr br".split()
)
PARAGRAPH_TAGS = frozenset("p pre blockquote h1 h2 h3 h4 h5 h6 li dd dt figcaption address".split())
DROP_TAGS = frozenset(
    "nav aside footer button input select option form-hidden label dialog menu canvas video audio "
    "map area embed object picture source track figcaption".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
LIST_LIKE_TAGS = frozenset("ul ol dl table div section form center".split())
KEEP_ALWAYS = frozenset(("html", "body", "article", "main"))
BLOCK_BREAK_TAGS = frozenset(
    "address article aside blockquote center dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody thead "
    "tfoot tr ul caption".split()
)
