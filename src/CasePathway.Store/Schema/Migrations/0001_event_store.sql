-- The event store: streams (one per child of a tenant), events (append-only, global order by seq),
-- projection checkpoints and the shared high-water mark. Shaped after Marten's tables (design/event-store.md).

-- CACHE 1 (the default, made explicit): values are handed out in increasing order over time across all
-- sessions, which the gap-aware high-water mark relies on.
CREATE SEQUENCE events_seq AS bigint START 1 CACHE 1;

-- Updated on every append: leave room on each page so the version update can be a HOT update.
CREATE TABLE streams (
    tenant     text        NOT NULL,
    id         text        NOT NULL,
    version    bigint      NOT NULL CHECK (version >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, id)
) WITH (fillfactor = 80);

-- Append-only (rows are never updated): pages packed full. Three indexes and no more: seq (read all,
-- projections), id (idempotency), (tenant, stream, version) (read a stream, and the database's own
-- refusal of two events at one position). occurred_at is null when the source knows only the date;
-- occurred_on is always the Europe/London local date. tx is the writing transaction, for diagnosing gaps.
CREATE TABLE events (
    seq                  bigint      NOT NULL,
    id                   uuid        NOT NULL,
    tenant               text        NOT NULL,
    stream               text        NOT NULL,
    version              bigint      NOT NULL CHECK (version >= 1),
    type                 text        NOT NULL,
    data                 jsonb       NOT NULL,
    occurred_at          timestamptz NULL,
    occurred_on          date        NOT NULL,
    recorded_at          timestamptz NOT NULL,
    recorded_at_inferred boolean     NOT NULL DEFAULT false,
    stored_at            timestamptz NOT NULL DEFAULT now(),
    recorded_by          text        NULL,
    source_system        text        NULL,
    source_key           text        NULL,
    correlation_id       text        NULL,
    content_hash         bytea       NOT NULL CHECK (length(content_hash) = 32),
    tx                   xid8        NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT events_pkey PRIMARY KEY (seq),
    CONSTRAINT events_id_key UNIQUE (id),
    CONSTRAINT events_stream_version_key UNIQUE (tenant, stream, version)
) WITH (fillfactor = 100);

ALTER SEQUENCE events_seq OWNED BY events.seq;

-- One row per projection: the last seq it has applied, committed with its read-model writes.
CREATE TABLE projection_progress (
    name       text        PRIMARY KEY,
    position   bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The shared, gap-aware high-water mark (one row). position: every seq <= position is either stored or
-- can never be. gap_at/gap_horizon: the first gap seen above position and the snapshot xmax when it was
-- first seen; once every transaction below gap_horizon has ended, a still-empty gap is permanent.
CREATE TABLE event_high_water_mark (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    position    bigint      NOT NULL DEFAULT 0,
    gap_at      bigint      NULL,
    gap_horizon xid8        NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO event_high_water_mark DEFAULT VALUES;
