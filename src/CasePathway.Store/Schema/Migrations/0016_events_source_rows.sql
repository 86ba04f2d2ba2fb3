-- The rows a snapshot feed (import ssd) may still hold live events for, per council and source: every row a night
-- saw is added as it is read, and a row that has vanished is dropped once a later night finds nothing of it live
-- (docs/import.md, "Vanished rows"). A night looks for vanished rows here, not among every key the feed ever stored,
-- so its time follows the snapshot, not the council's history. A superset, never less: a row is added before any
-- event of it is appended, and dropped only when its events are all retracted.
-- Filled from the SSD feed's events already stored, so a database from before keeps finding the rows that vanish
-- (the name starts with events_: it runs once Marten's tables exist, SchemaMigrator).
create table if not exists source_rows (
    tenant_id     text not null,
    source_system text not null,
    row_key       text collate "C" not null,
    primary key (tenant_id, source_system, row_key)
);

insert into source_rows (tenant_id, source_system, row_key)
select distinct e.tenant_id, 'ssd', left(k.key, length(k.key) - position('/' in reverse(k.key)))
from casepathway.mt_events e
cross join lateral (select e.headers ->> 'sourceKey' as key) k
where e.headers ->> 'sourceSystem' = 'ssd' and k.key is not null and position('/' in k.key) > 0
    and e.type <> 'EventRetracted'
on conflict do nothing;
