-- The scorecard's facts (docs/scorecard.md): one row per item an indicator counts, in the month (Europe/London)
-- of the measured event, with whether it is in the numerator and the denominator, so every figure is a sum
-- over rows that name the child and the episode behind it. Rewritten per child whenever the child's stream
-- changes, so late recordings and retractions move figures exactly.
create table indicator_facts (
    tenant          text        not null,
    child           text        not null,
    indicator       text        not null,
    event_id        uuid        not null,   -- the measured event
    month           date        not null,   -- first day of the London month of the measured event
    occurred_on     date        not null,   -- London date of the measured event
    episode         text        not null,   -- contactId, referralId, s47Id, planId#n …
    rule            text,                   -- the clock this item is measured like, for the drill-down
    in_numerator    boolean     not null,
    in_denominator  boolean     not null,
    value           numeric,                -- the measured amount (e.g. working days), for means and distributions
    route           text,
    source          text,
    team            text,
    primary key (tenant, child, indicator, event_id)
);
create index indicator_facts_month on indicator_facts (tenant, month, indicator);
