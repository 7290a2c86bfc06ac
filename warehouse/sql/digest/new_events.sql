-- New events: the business events the window's articles report.
-- Grain: one row per event.
-- Columns: event_type, entity, counterpart, market, period, sentence, url.
-- Parameters: $since (the window's start). Read by warehouse/digest.py.

select e.event_type, e.entity, e.counterpart, e.market, e.period, e.sentence, a.url
from events as e
inner join articles as a using (article_id)
where a.updated_at >= $since
order by e.event_type, e.entity, a.url
