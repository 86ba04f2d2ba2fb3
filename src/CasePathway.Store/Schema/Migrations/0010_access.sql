-- Who may sign in and what they may see (docs/security.md). Councils are configured, never invented by a
-- POST: an event for a council not in `councils` is refused. Accounts are people (`user`, signing in with a
-- password through the embedded OpenID Connect provider) and machine clients (`client`, OAuth 2.0 client
-- credentials). Secrets are stored only as ASP.NET Core Identity password hashes.
create table councils (
    tenant      text        primary key,
    added_at    timestamptz not null default now(),
    added_by    text        not null
);

create table accounts (
    kind            text        not null check (kind in ('user', 'client')),
    name            text        not null,
    secret_hash     text,
    roles           text[]      not null,
    councils        text[]      not null,
    teams           text[]      not null default '{}',
    disabled        boolean     not null default false,
    failed_attempts integer     not null default 0,
    locked_until    timestamptz,
    created_at      timestamptz not null default now(),
    primary key (kind, name)
);

-- Key material shared by every host on this database, so that a token or cookie issued by one is accepted by
-- all and survives a restart: the provider's signing and encryption keys, and ASP.NET Core's data protection
-- key ring (cookies, antiforgery).
create table auth_keys (
    purpose     text        primary key,
    material    text        not null,
    created_at  timestamptz not null default now()
);

create table data_protection_keys (
    name        text        primary key,
    xml         text        not null,
    created_at  timestamptz not null default now()
);
