-- How much each source delivered each day: articles, facts, events, people moves and failing inputs.
-- Grain: one row per (source, day). Source is the configured source or folder (articles.origin,
--   ingest_errors.source); day is the day an article was first loaded, or the day an error was last met.
-- Columns: source, day, articles, publishers (distinct articles.source), facts, events, people_moves, errors,
--   error_attempts.
create or replace view v_source_coverage as
with articles_loaded as (
    select
        article_id,
        coalesce(origin, '(unknown)') as source,
        cast(ingested_at as date) as day,
        source as publisher,
    from articles
),

fact_rows as (
    select article_id from stg_corrected_facts
),

event_rows as (
    select article_id from events
),

move_rows as (
    select article_id from people_moves
),

errors as (
    select
        coalesce(source, '(unknown)') as source,
        cast(last_seen as date) as day,
        attempts,
    from ingest_errors
),

article_counts as (
    select source, day, count(*) as articles, count(distinct publisher) as publishers
    from articles_loaded
    group by source, day
),

fact_counts as (
    select articles_loaded.source, articles_loaded.day, count(*) as facts
    from fact_rows
    inner join articles_loaded on fact_rows.article_id = articles_loaded.article_id
    group by articles_loaded.source, articles_loaded.day
),

event_counts as (
    select articles_loaded.source, articles_loaded.day, count(*) as events
    from event_rows
    inner join articles_loaded on event_rows.article_id = articles_loaded.article_id
    group by articles_loaded.source, articles_loaded.day
),

move_counts as (
    select articles_loaded.source, articles_loaded.day, count(*) as people_moves
    from move_rows
    inner join articles_loaded on move_rows.article_id = articles_loaded.article_id
    group by articles_loaded.source, articles_loaded.day
),

error_counts as (
    select source, day, count(*) as errors, sum(attempts) as error_attempts
    from errors
    group by source, day
),

source_days as (
    select source, day from article_counts
    union
    select source, day from error_counts
)

select
    source_days.source,
    source_days.day,
    coalesce(article_counts.articles, 0) as articles,
    coalesce(article_counts.publishers, 0) as publishers,
    coalesce(fact_counts.facts, 0) as facts,
    coalesce(event_counts.events, 0) as events,
    coalesce(move_counts.people_moves, 0) as people_moves,
    coalesce(error_counts.errors, 0) as errors,
    coalesce(error_counts.error_attempts, 0) as error_attempts,
from source_days
left join article_counts using (source, day)
left join fact_counts using (source, day)
left join event_counts using (source, day)
left join move_counts using (source, day)
left join error_counts using (source, day)
order by source_days.day desc, source_days.source;
