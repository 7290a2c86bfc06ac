"""The stages of HTML page to Article (transforms/html_article.py runs them in order).

preclean (HTML text -> Page), metadata / title / dates / language (Page -> values),
boilerplate_blocks (drops blocks from the tree), candidates (body element -> containers),
render (containers -> lines), lines (lines -> body lines), body (Page -> body text);
site_recipe applies a site's selectors. Shared: page, text, tree, tags, classnames,
boilerplate_lines (the rules of reference/boilerplate.yaml). Pure: no disk but that file,
no network.
"""
