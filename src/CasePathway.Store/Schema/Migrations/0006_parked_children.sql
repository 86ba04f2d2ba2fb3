-- Children a projection could not fold (an event the clock engine cannot take), one row per projection and
-- child, with the error. Such a child keeps the rows last folded for it, every other child carries on, and
-- the row goes when the child folds again (e.g. after the bad event is retracted). Shown by
-- `projections status` and /health/ready.
create table parked_children (
    projection  text        not null,
    tenant      text        not null,
    child       text        not null,
    error       text        not null,
    parked_at   timestamptz not null default now(),
    primary key (projection, tenant, child)
);
