-- Who moved where: people taking, leaving or changing roles, with the organizations and places involved.
-- Grain: one row per distinct move (person, role_from, org_from, role_to, org_to), however many articles state it.
-- Columns: timeline_date (start of the period, else the first report's date), period, person, role_from, org_from,
--   role_to, org_to, location, sources (articles stating it), first_published_at, url, title, sentence
--   (of the first article to state it), move_id, extractor_version.
create or replace view v_people_moves as
with moves_raw as (
    select * from people_moves
),

articles_dated as (
    select
        article_id,
        url,
        title,
        coalesce(published_at, cast(ingested_at as date)) as published_at,
    from articles
),

moves_dated as (
    select
        moves_raw.*,
        articles_dated.url,
        articles_dated.title,
        articles_dated.published_at,
        case
            when regexp_full_match(moves_raw.period, '\d{4}-\d{2}-\d{2}')
                then try_cast(moves_raw.period as date)
            when regexp_full_match(moves_raw.period, '\d{4}-\d{2}')
                then try_cast(moves_raw.period || '-01' as date)
            when regexp_full_match(moves_raw.period, '\d{4}-Q[1-4]')
                then make_date(cast(left(moves_raw.period, 4) as integer),
                               cast(right(moves_raw.period, 1) as integer) * 3 - 2, 1)
            when regexp_full_match(moves_raw.period, '\d{4}-H[12]')
                then make_date(cast(left(moves_raw.period, 4) as integer),
                               cast(right(moves_raw.period, 1) as integer) * 6 - 5, 1)
            when regexp_full_match(moves_raw.period, '\d{4}')
                then make_date(cast(moves_raw.period as integer), 1, 1)
        end as period_start,
    from moves_raw
    inner join articles_dated using (article_id)
),

moves_ranked as (
    select
        moves_dated.*,
        count(distinct moves_dated.article_id) over (
            partition by moves_dated.person, moves_dated.role_from, moves_dated.org_from,
                moves_dated.role_to, moves_dated.org_to
        ) as sources,
        row_number() over (
            partition by moves_dated.person, moves_dated.role_from, moves_dated.org_from,
                moves_dated.role_to, moves_dated.org_to
            order by moves_dated.published_at nulls last, moves_dated.move_id
        ) as report_rank,
    from moves_dated
)

select
    coalesce(moves_ranked.period_start, moves_ranked.published_at) as timeline_date,
    moves_ranked.period as period,
    moves_ranked.person as person,
    moves_ranked.role_from as role_from,
    moves_ranked.org_from as org_from,
    moves_ranked.role_to as role_to,
    moves_ranked.org_to as org_to,
    moves_ranked.location as location,
    moves_ranked.sources as sources,
    moves_ranked.published_at as first_published_at,
    moves_ranked.url as url,
    moves_ranked.title as title,
    moves_ranked.sentence as sentence,
    moves_ranked.move_id as move_id,
    moves_ranked.extractor_version as extractor_version,
from moves_ranked
where moves_ranked.report_rank = 1
order by timeline_date nulls last, person;
