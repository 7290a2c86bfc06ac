-- How many articles the window brought: new ones, and earlier ones that changed.
-- Grain: one row per window (a single row).
-- Columns: new_articles, updated_articles.
-- Parameters: $since (the window's start). Read by warehouse/digest.py.

select
    count(*) filter (where ingested_at >= $since) as new_articles,
    count(*) filter (where updated_at >= $since and ingested_at < $since) as updated_articles,
from articles
