-- Biggest changes: each new fact against the latest value of the same figure for the nearest
-- earlier period of the same kind (a year against a year, a quarter against a quarter).
-- Grain: one row per new fact that has an earlier figure, largest relative change first ($limit rows).
-- Columns: entity, market, metric, unit, previous_period, previous_value, period, value, change (a ratio), url.
-- Parameters: $since (the window's start), $limit. Read by warehouse/digest.py.

with new_facts as (
    select
        f.fact_id, f.entity, f.market, f.metric, f.unit, f.qualifier, f.period, f.value, a.url,
        regexp_replace(f.period, '[0-9]', '', 'g') as period_kind,
    from stg_corrected_facts as f
    inner join articles as a using (article_id)
    where a.updated_at >= $since and f.period is not null
),

earlier as (
    select
        entity, market, metric, unit, qualifier, period, value,
        regexp_replace(period, '[0-9]', '', 'g') as period_kind,
    from v_metric_latest
    where period is not null and value <> 0
),

paired as (
    select
        n.*,
        e.period as previous_period,
        e.value as previous_value,
        row_number() over (partition by n.fact_id order by e.period desc) as nearest,
    from new_facts as n
    inner join earlier as e
        on n.metric = e.metric
        and n.unit = e.unit
        and n.qualifier = e.qualifier
        and n.entity is not distinct from e.entity
        and n.market is not distinct from e.market
        and n.period_kind = e.period_kind
        and e.period < n.period
)

select
    entity, market, metric, unit, previous_period, previous_value, period, value,
    (value - previous_value) / abs(previous_value) as change,
    url,
from paired
where nearest = 1
order by abs(change) desc, entity, metric
limit $limit
