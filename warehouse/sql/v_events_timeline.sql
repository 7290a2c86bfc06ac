-- Which business events happened when: bans, rules, deals, partnerships, launches, exits, raises, layoffs, leadership changes, by period, entity and market.
-- Grain: one row per distinct event (event_type, entity, counterpart, market, period), however many articles state it.
-- Columns: timeline_date (start of the period, else the first report's date), period, event_type, entity,
--   counterpart, market, sources (articles stating it), first_published_at, url, title, sentence
--   (of the first article to state it), event_id, extractor_version.
create or replace view v_events_timeline as
with events_raw as (
    select * from events
),

articles_dated as (
    select
        article_id,
        url,
        title,
        coalesce(published_at, cast(ingested_at as date)) as published_at,
    from articles
),

events_dated as (
    select
        events_raw.*,
        articles_dated.url,
        articles_dated.title,
        articles_dated.published_at,
        case
            when regexp_full_match(events_raw.period, '\d{4}-\d{2}-\d{2}')
                then try_cast(events_raw.period as date)
            when regexp_full_match(events_raw.period, '\d{4}-\d{2}')
                then try_cast(events_raw.period || '-01' as date)
            when regexp_full_match(events_raw.period, '\d{4}-Q[1-4]')
                then make_date(cast(left(events_raw.period, 4) as integer),
                               cast(right(events_raw.period, 1) as integer) * 3 - 2, 1)
            when regexp_full_match(events_raw.period, '\d{4}-H[12]')
                then make_date(cast(left(events_raw.period, 4) as integer),
                               cast(right(events_raw.period, 1) as integer) * 6 - 5, 1)
            when regexp_full_match(events_raw.period, '\d{4}')
                then make_date(cast(events_raw.period as integer), 1, 1)
        end as period_start,
    from events_raw
    inner join articles_dated using (article_id)
),

events_ranked as (
    select
        events_dated.*,
        count(distinct events_dated.article_id) over (
            partition by events_dated.event_type, events_dated.entity, events_dated.counterpart,
                events_dated.market, events_dated.period
        ) as sources,
        row_number() over (
            partition by events_dated.event_type, events_dated.entity, events_dated.counterpart,
                events_dated.market, events_dated.period
            order by events_dated.published_at nulls last, events_dated.event_id
        ) as report_rank,
    from events_dated
)

select
    coalesce(events_ranked.period_start, events_ranked.published_at) as timeline_date,
    events_ranked.period as period,
    events_ranked.event_type as event_type,
    events_ranked.entity as entity,
    events_ranked.counterpart as counterpart,
    events_ranked.market as market,
    events_ranked.sources as sources,
    events_ranked.published_at as first_published_at,
    events_ranked.url as url,
    events_ranked.title as title,
    events_ranked.sentence as sentence,
    events_ranked.event_id as event_id,
    events_ranked.extractor_version as extractor_version,
from events_ranked
where events_ranked.report_rank = 1
order by timeline_date nulls last, entity, market, event_type;
