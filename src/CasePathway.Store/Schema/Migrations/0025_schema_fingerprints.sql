-- What Marten's and Wolverine's schema checks last applied, so that a start-up against a database already built for
-- the same configuration skips their catalogue diff (a second or more of every start; SchemaFingerprint). One row per
-- store: 'marten' (the event store), 'access_audit' (the audit's own Marten store), 'wolverine' (message storage).
-- The rows live in the database they describe: a dropped database, or one restored from before a row was written,
-- is checked in full again.
create table schema_fingerprints (
    store       text        primary key,
    fingerprint text        not null,
    applied_at  timestamptz not null default now());
