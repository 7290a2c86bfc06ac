-- Inputs that failed in the window, most recent first.
-- Grain: one row per failing input and stage.
-- Columns: stage, url, message.
-- Parameters: $since (the window's start). Read by warehouse/digest.py.

select stage, url, message
from ingest_errors
where last_seen >= $since
order by last_seen desc
