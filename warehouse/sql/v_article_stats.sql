-- How many facts, events and people moves each article yielded, by source.
-- Grain: one row per article.
-- Columns: article_id, url, title, source, origin, published_at, facts, metrics, events, people_moves, ingested_at.
create or replace view v_article_stats as
with fact_counts as (
    select article_id, count(*) as facts, count(distinct metric) as metrics
    from stg_corrected_facts
    group by article_id
),

event_counts as (
    select article_id, count(*) as events from events group by article_id
),

move_counts as (
    select article_id, count(*) as people_moves from people_moves group by article_id
)

select
    articles.article_id,
    articles.url,
    articles.title,
    articles.source,
    articles.origin,
    articles.published_at,
    coalesce(fact_counts.facts, 0) as facts,
    coalesce(fact_counts.metrics, 0) as metrics,
    coalesce(event_counts.events, 0) as events,
    coalesce(move_counts.people_moves, 0) as people_moves,
    articles.ingested_at,
from articles
left join fact_counts using (article_id)
left join event_counts using (article_id)
left join move_counts using (article_id)
order by facts desc;
