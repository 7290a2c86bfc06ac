-- GMV in US dollars by entity, market and period: which platform sells how much where.
-- Grain: one row per (entity, market, period, qualifier).
-- Columns: entity, market, period, qualifier, gmv_usd (median of the sources),
--   sources (articles stating it), first_published, last_published.
create or replace view v_market_gmv as
with gmv as (
    select metric_facts.*, coalesce(articles.published_at, cast(articles.ingested_at as date)) as published_at
    from metric_facts
    inner join articles using (article_id)
    where metric_facts.metric = 'gmv' and metric_facts.value_usd is not null
)

select
    entity,
    market,
    period,
    qualifier,
    median(value_usd) as gmv_usd,
    count(distinct article_id) as sources,
    min(published_at) as first_published,
    max(published_at) as last_published,
from gmv
group by entity, market, period, qualifier
order by gmv_usd desc;
