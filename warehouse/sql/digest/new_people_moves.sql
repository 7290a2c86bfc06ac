-- New people moves: the role changes the window's articles report.
-- Grain: one row per move.
-- Columns: person, role_from, org_from, role_to, org_to, location, period, url.
-- Parameters: $since (the window's start). Read by warehouse/digest.py.

select p.person, p.role_from, p.org_from, p.role_to, p.org_to, p.location, p.period, a.url
from people_moves as p
inner join articles as a using (article_id)
where a.updated_at >= $since
order by p.org_to, p.person
