-- New facts by entity and market: which entities and markets the window's articles spoke of.
-- Grain: one row per entity and market (a missing one shown as '(no entity)' / '(no market)').
-- Columns: entity, market, facts, articles, metrics (comma-separated).
-- Parameters: $since (the window's start). Read by warehouse/digest.py.

with new_facts as (
    select f.entity, f.market, f.metric, f.article_id
    from stg_corrected_facts as f
    inner join articles as a using (article_id)
    where a.updated_at >= $since
)

select
    coalesce(entity, '(no entity)') as entity,
    coalesce(market, '(no market)') as market,
    count(*) as facts,
    count(distinct article_id) as articles,
    string_agg(distinct metric, ', ' order by metric) as metrics,
from new_facts
group by all
order by facts desc, entity, market
