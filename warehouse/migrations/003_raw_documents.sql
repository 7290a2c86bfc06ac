-- 003: the raw archive. One row per distinct document fetched from a url (its bytes live in
-- the content-addressed folder <warehouse folder>/raw/ab/abcdef..., named by content_hash).
-- A refetch that returns the same bytes (or a 304) adds no row; `reprocess` re-parses from here.
create table raw_documents (
    url varchar not null,             -- canonical url that was requested
    final_url varchar not null,       -- url after redirects (canonical); the article's identity
    status integer not null,          -- HTTP status of the final response
    headers json,                     -- response headers of the final response
    fetched_at timestamp not null,
    content_hash varchar not null,    -- sha256 of the body: the archive file's name
    content_type varchar,
    etag varchar,                     -- validators for the next conditional GET
    last_modified varchar,
    kind varchar not null,            -- page, feed or sitemap
    source varchar                    -- configured source name (or 'cli' for a url on the command line)
);
