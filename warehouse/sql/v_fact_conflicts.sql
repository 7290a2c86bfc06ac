-- Figures that disagree: the same entity, market, metric, period and qualifier stated with values more than 5% apart.
-- Grain: one row per pair of disagreeing facts from different articles (lower fact_id first).
-- Columns: entity, market, metric, period, qualifier, unit, value_a, value_b, ratio,
--   url_a, url_b, sentence_a, sentence_b, fact_id_a, fact_id_b.
create or replace view v_fact_conflicts as
with facts as (
    select metric_facts.*, articles.url
    from metric_facts
    inner join articles using (article_id)
),

pairs as (
    select
        a.entity,
        a.market,
        a.metric,
        a.period,
        a.qualifier,
        a.unit,
        a.value as value_a,
        b.value as value_b,
        a.url as url_a,
        b.url as url_b,
        a.sentence as sentence_a,
        b.sentence as sentence_b,
        a.fact_id as fact_id_a,
        b.fact_id as fact_id_b,
    from facts as a
    inner join facts as b
        on a.metric = b.metric
        and a.unit = b.unit
        and a.entity is not distinct from b.entity
        and a.market is not distinct from b.market
        and a.period is not distinct from b.period
        and a.qualifier = b.qualifier
        and a.article_id <> b.article_id
        and a.fact_id < b.fact_id
    where a.period is not null
)

select
    *,
    greatest(abs(value_a), abs(value_b)) / nullif(least(abs(value_a), abs(value_b)), 0) as ratio,
from pairs
where abs(value_a - value_b) > 0.05 * greatest(abs(value_a), abs(value_b));
