-- That a council's event id was stored, and a SHA-256 of what was submitted with it (EventContentHash).
-- Written in the same transaction as the event by the one way in; the primary key (council, id) scopes ids
-- to their council and is the database's own guard against two writers racing with one new id. A table of
-- our own rather than a Marten document: an import writes one set-based insert for thousands of events.
create table event_receipts (
    tenant  text  not null,
    id      uuid  not null,
    child   text  not null,
    hash    bytea not null,
    primary key (tenant, id)
);
