-- Reasons for delay (BreachReasonRecorded), bitemporal like clock_versions: each row is the reason in force
-- for one clock from known_from until known_to (null: now), so the breach list as at T joins the version
-- known at T. Kept by the pathways projection.
create table breach_reasons (
    tenant       text        not null,
    child        text        not null,
    rule         text        not null,
    episode      text        not null,
    known_from   timestamptz not null,
    known_to     timestamptz,
    event_id     uuid        not null,
    reason       text        not null,   -- the council's code
    note         text,
    recorded_by  text,
    recorded_at  timestamptz not null,
    primary key (tenant, child, rule, episode, known_from)
);
