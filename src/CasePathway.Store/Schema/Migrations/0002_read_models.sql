-- Read models of the projections (docs/architecture.md). Clock versions are bitemporal: each row is one
-- clock as the authority knew it from known_from until known_to, so "the breach list as at T" is one
-- indexed query and "now" is the open versions (known_to null).
create table clock_versions (
    tenant          text        not null,
    child           text        not null,
    rule            text        not null,
    episode         text        not null,
    known_from      timestamptz not null,
    known_to        timestamptz,            -- null: what is known now
    rule_title      text        not null,
    unit            text        not null,
    team            text,
    worker          text,
    started_at      timestamptz,            -- null when the start is known only as a date
    started_on      date        not null,
    due_on          date        not null,
    due_local       timestamp,              -- hour rules: the due London local date-time
    due_at          timestamptz,            -- hour rules: the due instant
    overdue_from    timestamptz not null,   -- first instant at which an unstopped clock is breached
    stopped_at      timestamptz,
    stopped_on      date,
    cancelled_on    date,
    not_measurable  boolean     not null default false,
    explanation     text        not null,
    primary key (tenant, child, rule, episode, known_from)
);

-- The live breach list: open clocks of a tenant by the instant they fall overdue.
create index clock_versions_live on clock_versions (tenant, overdue_from)
    where known_to is null and stopped_on is null and cancelled_on is null and not not_measurable;
-- As-at lists and reports: versions of a tenant by knowledge interval.
create index clock_versions_known on clock_versions (tenant, known_from, known_to);

-- A child's timeline, one row per event, with how late it was recorded and the team then allocated.
create table child_timeline (
    tenant              text        not null,
    child               text        not null,
    seq                 bigint      not null,
    event_id            uuid        not null,
    type                text        not null,
    occurred_at         timestamptz,
    occurred_on         date        not null,
    recorded_at         timestamptz not null,
    recorded_inferred   boolean     not null,
    stored_at           timestamptz not null,
    recorded_by         text,
    source_system       text,
    retracted           boolean     not null default false,
    late_working_days   integer     not null,
    team                text,
    worker              text,
    primary key (tenant, child, seq)
);
create index child_timeline_late on child_timeline (tenant, late_working_days) where late_working_days > 0;
