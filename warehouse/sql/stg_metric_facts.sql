-- Each metric fact (as analysts corrected it: stg_corrected_facts) with its value normalized for comparison, its period parsed and its article's date.
-- Grain: one row per metric fact.
-- A period that is not one of YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, YYYY-MM-DD keeps its text with a null grain.
-- Columns: fact_id, article_id, entity, market, metric, period, qualifier,
--   value (as stated), unit (as stated), value_usd,
--   norm_value (value_usd for money, value otherwise), norm_unit ('USD' for money, unit otherwise),
--   period_grain (year, half, quarter, month, day or null), period_year, period_start (date),
--   period_seq (consecutive periods of one grain differ by 1), published_at (article date, else ingest date),
--   url, title, source, origin, sentence, span_start, span_end,
--   cell_hash (64-bit hash of the consolidation cell: entity, market, metric, period, qualifier, norm_unit).
create or replace view stg_metric_facts as
with facts as (
    select * from stg_corrected_facts
),

articles_dated as (
    select
        article_id,
        url,
        title,
        source,
        origin,
        coalesce(published_at, cast(ingested_at as date)) as published_at,
    from articles
),

normalized as (
    select
        facts.*,
        coalesce(facts.value_usd, facts.value) as norm_value,
        case when facts.value_usd is not null then 'USD' else facts.unit end as norm_unit,
        try_cast(left(facts.period, 4) as integer) as period_year,
        case
            when length(facts.period) = 4 then 'year'
            when length(facts.period) = 7 and substr(facts.period, 6, 1) = 'H' then 'half'
            when length(facts.period) = 7 and substr(facts.period, 6, 1) = 'Q' then 'quarter'
            when length(facts.period) = 7 then 'month'
            when length(facts.period) = 10 then 'day'
        end as period_shape,
        case
            when length(facts.period) = 7 and substr(facts.period, 6, 1) in ('H', 'Q')
                then try_cast(substr(facts.period, 7, 1) as integer)
            when length(facts.period) in (7, 10)
                then try_cast(substr(facts.period, 6, 2) as integer)
        end as period_part,
    from facts
),

periods_checked as (
    select
        *,
        case
            when period_shape = 'year' and period_year is not null then 'year'
            when period_shape = 'half' and period_part between 1 and 2 then 'half'
            when period_shape = 'quarter' and period_part between 1 and 4 then 'quarter'
            when period_shape = 'month' and period_part between 1 and 12 then 'month'
            when period_shape = 'day' and try_cast(period as date) is not null then 'day'
        end as period_grain,
    from normalized
),

periods_parsed as (
    select
        *,
        case period_grain
            when 'year' then make_date(period_year, 1, 1)
            when 'half' then make_date(period_year, (period_part - 1) * 6 + 1, 1)
            when 'quarter' then make_date(period_year, (period_part - 1) * 3 + 1, 1)
            when 'month' then make_date(period_year, period_part, 1)
            when 'day' then try_cast(period as date)
        end as period_start,
        case period_grain
            when 'year' then period_year
            when 'half' then period_year * 2 + period_part - 1
            when 'quarter' then period_year * 4 + period_part - 1
            when 'month' then period_year * 12 + period_part - 1
            when 'day' then date_diff('day', date '1970-01-01', try_cast(period as date))
        end as period_seq,
    from periods_checked
)

select
    periods_parsed.fact_id,
    periods_parsed.article_id,
    periods_parsed.entity,
    periods_parsed.market,
    periods_parsed.metric,
    periods_parsed.period,
    periods_parsed.qualifier,
    periods_parsed.value,
    periods_parsed.unit,
    periods_parsed.value_usd,
    periods_parsed.norm_value,
    periods_parsed.norm_unit,
    periods_parsed.period_grain,
    periods_parsed.period_year,
    periods_parsed.period_start,
    periods_parsed.period_seq,
    articles_dated.published_at,
    articles_dated.url,
    articles_dated.title,
    articles_dated.source,
    articles_dated.origin,
    periods_parsed.sentence,
    periods_parsed.span_start,
    periods_parsed.span_end,
    hash(
        periods_parsed.entity,
        periods_parsed.market,
        periods_parsed.metric,
        periods_parsed.period,
        periods_parsed.qualifier,
        periods_parsed.norm_unit
    ) as cell_hash,
from periods_parsed
inner join articles_dated
    on periods_parsed.article_id = articles_dated.article_id;
