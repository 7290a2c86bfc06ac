-- What we know about each organization: where it sells, its latest figure per metric, its events and people moves, and how much was written about it.
-- Grain: one row per entity (an organization named by a fact, an event, or a people move's old or new employer).
-- Columns: entity, markets (markets its facts and events name, sorted), latest_figures (per metric, the actual
--   figure of the period that ends last, the longer period on a tie (2024 before 2024-Q4), then the best
--   supported: a list of {metric, market, period, value, unit, sources, consolidated_id}), facts, events, event_types, people_moves, articles, first_seen, last_seen (article dates).
create or replace view v_entity_profile as
with consolidated as (
    select * from v_consolidated_metrics
),

facts as (
    select article_id, entity, market from stg_corrected_facts
),

event_rows as (
    select article_id, entity, market, event_type from events
),

move_rows as (
    select article_id, org_from, org_to from people_moves
),

articles_dated as (
    select article_id, coalesce(published_at, cast(ingested_at as date)) as published_at
    from articles
),

mentions as (
    select entity, article_id, market, 'fact' as kind, null as event_type from facts
    union all
    select entity, article_id, market, 'event' as kind, event_type from event_rows
    union all
    select org_from as entity, article_id, null as market, 'move' as kind, null as event_type from move_rows
    union all
    select org_to as entity, article_id, null as market, 'move' as kind, null as event_type
    from move_rows
    where org_to is distinct from org_from
),

entity_activity as (
    select
        mentions.entity,
        coalesce(
            list_sort(list(distinct mentions.market) filter (where mentions.market is not null)),
            []
        ) as markets,
        count(*) filter (where mentions.kind = 'fact') as facts,
        count(*) filter (where mentions.kind = 'event') as events,
        coalesce(
            list_sort(list(distinct mentions.event_type) filter (where mentions.event_type is not null)),
            []
        ) as event_types,
        count(*) filter (where mentions.kind = 'move') as people_moves,
        count(distinct mentions.article_id) as articles,
        min(articles_dated.published_at) as first_seen,
        max(articles_dated.published_at) as last_seen,
    from mentions
    inner join articles_dated
        on mentions.article_id = articles_dated.article_id
    where mentions.entity is not null
    group by mentions.entity
),

best_actual as (
    select
        *,
        case period_grain
            when 'year' then period_start + interval 1 year
            when 'half' then period_start + interval 6 month
            when 'quarter' then period_start + interval 3 month
            when 'month' then period_start + interval 1 month
            when 'day' then period_start + interval 1 day
        end as period_end,
    from consolidated
    where entity is not null
        and qualifier = 'actual'
        and rank_in_cell = 1
),

latest_ranked as (
    select
        *,
        row_number() over (
            partition by entity, metric
            order by period_end desc nulls last, period_start, sources desc, last_seen desc, consolidated_id
        ) as recency,
    from best_actual
),

latest_figures as (
    select
        entity,
        list(
            {
                'metric': metric,
                'market': market,
                'period': period,
                'value': value,
                'unit': unit,
                'sources': sources,
                'consolidated_id': consolidated_id,
            }
            order by metric
        ) as latest_figures,
    from latest_ranked
    where recency = 1
    group by entity
)

select
    entity_activity.entity,
    entity_activity.markets,
    latest_figures.latest_figures,
    entity_activity.facts,
    entity_activity.events,
    entity_activity.event_types,
    entity_activity.people_moves,
    entity_activity.articles,
    entity_activity.first_seen,
    entity_activity.last_seen,
from entity_activity
left join latest_figures
    on entity_activity.entity = latest_figures.entity
order by entity_activity.articles desc, entity_activity.entity;
