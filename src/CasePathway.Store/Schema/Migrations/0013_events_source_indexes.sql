-- A nightly snapshot import (import ssd) compares each chunk of the snapshot's rows with what the council's feed
-- stored for those rows, and finds the rows that vanished (docs/import.md). Both look events up by council,
-- source system and source key (`<table>/<key>/<field>`, a row's events are one key range in "C" order), and
-- every retraction of what they find by the id it retracts; without these indexes each lookup scanned the
-- council's whole history. Only events that carry a source key (or retract) are indexed: the API's live
-- appends cost nothing more. Marten is told to leave both alone (EventStoreOptions.Configure, IgnoreIndex).
-- This migration runs after Marten has created its tables (its name starts with events_, SchemaMigrator).
create index if not exists cp_events_by_source_key on casepathway.mt_events
    (tenant_id, (headers ->> 'sourceSystem'), ((headers ->> 'sourceKey') collate "C"))
    where (headers ->> 'sourceKey') is not null;

create index if not exists cp_events_by_retracted_id on casepathway.mt_events
    (tenant_id, (data ->> 'retractedId'))
    where type = 'EventRetracted';
