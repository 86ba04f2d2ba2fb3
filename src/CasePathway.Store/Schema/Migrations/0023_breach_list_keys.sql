-- A breach list page is read keys first: the list's counts and the page's keys (the sort columns and the primary key)
-- come from an index alone, and only the page's fifty rows are read from the table (BreachListQuery). Each index the
-- list reads therefore carries every column its filters, counts and sorts name:
-- * as at a past instant, the GiST index of knowledge intervals: before, every listed version was a heap fetch
--   (at 100,000 children, 5,958 versions on 4,695 table pages, 43 ms warm and 0.8 s cold for each of the counts and
--   the page); now an index-only scan (10–16 ms warm). known_from and known_to are included because the planner
--   reads an index-only scan's columns by name, not through the interval expression built from them.
-- * now, the open versions: a deep page's offset walks the index alone (before, one table row per skipped row:
--   the 117th page at 300,000 children took 84 ms).
-- * one team now: its counts and pages read the team's entries alone.
-- An index-only scan needs the visibility map, which a rebuild's frozen rows set at once and autovacuum keeps.
drop index if exists clock_versions_as_at;
create index clock_versions_as_at on clock_versions
    using gist (tenant, tstzrange(known_from, known_to), overdue_from)
    include (known_from, known_to, due_on, rule, team, worker, child, episode)
    where stopped_on is null and cancelled_on is null and not not_measurable;

drop index if exists clock_versions_open;
create index clock_versions_open on clock_versions (tenant, overdue_from)
    include (due_on, rule, team, worker, child, episode, known_from)
    where known_to is null and stopped_on is null and cancelled_on is null and not not_measurable;

drop index if exists clock_versions_open_team;
create index clock_versions_open_team on clock_versions (tenant, team, overdue_from)
    include (due_on, rule, worker, child, episode, known_from)
    where known_to is null and stopped_on is null and cancelled_on is null and not not_measurable;
