-- Latest stated value of each metric per entity, market and period.
-- Grain: one row per (entity, market, metric, period, qualifier, unit).
-- Columns: entity, market, metric, period, qualifier, value, unit, value_usd,
--   published_at, url, title, sentence (of the latest article stating it), fact_id.
create or replace view v_metric_latest as
with facts as (
    select * from stg_corrected_facts
),

articles_dated as (
    select article_id, url, title, coalesce(published_at, cast(ingested_at as date)) as published_at
    from articles
),

ranked as (
    select
        facts.*,
        articles_dated.url,
        articles_dated.title,
        articles_dated.published_at,
        row_number() over (
            partition by facts.entity, facts.market, facts.metric, facts.period, facts.qualifier, facts.unit
            order by articles_dated.published_at desc, facts.fact_id
        ) as recency
    from facts
    inner join articles_dated using (article_id)
)

select
    entity,
    market,
    metric,
    period,
    qualifier,
    value,
    unit,
    value_usd,
    published_at,
    url,
    title,
    sentence,
    fact_id,
from ranked
where recency = 1;
