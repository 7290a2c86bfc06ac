-- 002: events, people moves, and the errors a run met.
create table events (
    event_id varchar not null,
    article_id varchar not null,
    event_type varchar not null,
    entity varchar,
    counterpart varchar,
    market varchar,
    period varchar,
    sentence varchar,
    span_start integer,
    span_end integer,
    extractor_version varchar
);

create table people_moves (
    move_id varchar not null,
    article_id varchar not null,
    person varchar not null,
    role_from varchar,
    org_from varchar,
    role_to varchar,
    org_to varchar,
    location varchar,
    period varchar,
    sentence varchar,
    span_start integer,
    span_end integer,
    extractor_version varchar
);

create table ingest_errors (
    source varchar,                   -- configured source name or folder
    url varchar not null,             -- url or file path of the failing input
    stage varchar not null,           -- discover, read, fetch, decode, parse, extract, validate, load
    error_class varchar not null,
    message varchar not null,
    first_seen timestamp not null,
    last_seen timestamp not null,
    attempts integer not null,
    content_hash varchar              -- hash of the input that failed, so an unchanged bad file is not retried
);
