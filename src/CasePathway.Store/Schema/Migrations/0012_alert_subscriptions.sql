-- Morning alerts (docs/operations.md, "Morning alerts"). A subscription is one person's daily message about one
-- team of one council; `next_date` is the council-local date of the one message that may be sent next, moved on
-- in the same transaction that records a delivery, so a message that runs twice (a restart, a retry, a second
-- server) finds it moved and sends nothing. Cancelled subscriptions are kept: the sent list names them.
create table alert_subscriptions (
    id                  uuid        primary key,
    tenant              text        not null,
    team                text        not null,
    subscriber          text        not null,
    email               text        not null,
    within_working_days integer     not null check (within_working_days between 0 and 60),
    next_date           date        not null,
    created_at          timestamptz not null,
    cancelled_at        timestamptz
);

-- one live subscription per person, council and team: subscribing again changes it
create unique index alert_subscriptions_live on alert_subscriptions (tenant, team, subscriber) where cancelled_at is null;

-- What was sent: one row per subscription and council-local date (the idempotency key), written in the
-- transaction that moves the subscription's next_date and schedules the next message.
create table alert_deliveries (
    subscription uuid        not null references alert_subscriptions (id),
    local_date   date        not null,
    tenant       text        not null,
    team         text        not null,
    channel      text        not null,
    outcome      text        not null check (outcome in ('sent', 'failed')),
    detail       text,
    attempts     integer     not null,
    clocks       integer     not null,
    sent_at      timestamptz not null,
    primary key (subscription, local_date)
);

create index alert_deliveries_by_tenant on alert_deliveries (tenant, sent_at desc);
